using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Planning;

/// <summary>
/// Block saves. A counted loop <c>for (i = a; i &lt; B; i++)</c> that overwrites elements of a vector, all below B,
/// saves the vector's first B elements once before it runs (one copy) and restores them once after its reverse,
/// instead of recording each element it overwrites: the stages of a Runge–Kutta step, the state it advances. Only
/// when no adjoint code in the loop reads the vector (it would see the new values until the loop's reverse is done)
/// and the loop does not contain the statement whose adjoint needs the old values. The outermost such loop saves.
/// </summary>
internal sealed partial class Planner
{
    /// <summary>The loop that saves the vector <paramref name="writer"/> overwrites as one block, if any (recorded in the plan).</summary>
    private bool SavedAsBlock(Stmt writer, Stmt at, Block? boundary)
    {
        if (writer is not Assign { Target: Elem target })
        {
            return false;
        }

        string vector = target.Array;
        Loop? best = null;
        Expr? bestBound = null;
        Block block = _index.BlockOf(writer);
        while (!IsRegionRoot(block) && !ReferenceEquals(block, boundary))
        {
            Stmt owner = _index.OwnerOf(block)!;
            if (owner is Loop loop && ReferenceEquals(loop.Body, block))
            {
                if (_index.IsWithin(at, loop) || _plan.Joint.Contains(loop))
                {
                    break;
                }

                if (CountedLoopShape.Of(loop) is { Step: 1, Compare: BinaryOp.Less } shape && _coverage.IsFixed(shape.Bound)
                    && ValueReadsOf(shape.Bound).All(r => CanHave(r, loop, includeSelf: true))
                    && _coverage.WritesOnlyBelow(loop, vector, shape.Bound)
                    && !IrWalk.Descendants(new Stmt[] { loop }).Any(s => AdjointReads(s).Contains(vector)))
                {
                    best = loop;
                    bestBound = shape.Bound;
                }
            }

            block = _index.BlockOf(owner);
        }

        if (best is null)
        {
            return false;
        }

        if (!_plan.BlockSaves.TryGetValue(best, out List<(string Vector, Expr Count)>? saves))
        {
            _plan.BlockSaves[best] = saves = new List<(string, Expr)>();
        }

        if (!saves.Any(s => s.Vector == vector))
        {
            saves.Add((vector, bestBound!));
            foreach (string read in ValueReadsOf(bestBound!))
            {
                Have(read, best);
            }
        }

        return true;
    }
}
