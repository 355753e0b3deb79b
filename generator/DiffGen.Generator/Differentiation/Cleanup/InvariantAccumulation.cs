using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// In a fused loop, an adjoint element whose index the loop never changes (<c>dx[3 * i] += g</c> inside the loop over
/// j of a pair potential) is summed in a local and added once after the loop, as a careful person keeps a particle's
/// force in registers. Only when no other access of that adjoint in the loop can reach the same element, which the
/// indices prove: they are linear in the loop counter, and over the loop's range (j ≥ i + 1, or j &lt; i) their
/// difference from the fixed index never vanishes. The sum is added in another order than element by element.
/// </summary>
internal static class InvariantAccumulation
{
    public static (List<Stmt> Adjoint, List<Stmt> Before, List<Stmt> After) Apply(
        List<Stmt> forward, List<Stmt> adjoint, Loop loop, HashSet<string> written, System.Func<string, bool> isAdjoint, System.Func<string, string> temp, bool guarded)
    {
        var before = new List<Stmt>();
        var after = new List<Stmt>();
        if (CountedLoopShape.Of(loop) is not { } shape || shape.Step is not (1 or -1))
        {
            return (adjoint, before, after);
        }

        var output = new List<Stmt>(adjoint);
        var accumulators = new Dictionary<(string Array, Expr Index), Var>();
        for (int k = 0; k < output.Count; k++)
        {
            if (output[k] is not Assign { Kind: AssignKind.Add or AssignKind.Subtract, Target: Elem { ProvenInRange: false } target } assign
                || !isAdjoint(target.Array) || !IsInvariant(target.Index, written) || LinearForm.Of(target.Index) is not { } fixedIndex)
            {
                continue;
            }

            if (!accumulators.TryGetValue((target.Array, target.Index), out Var? sum))
            {
                if (!OthersNeverReach(forward.Concat(output), target, fixedIndex, shape))
                {
                    continue;
                }

                sum = new Var(target.Type, temp(target.Array + "Sum"));
                accumulators[(target.Array, target.Index)] = sum;
                before.Add(new Declare(sum.Name, sum.Type, Simplification.ExprBuilder.Lit(0, sum.Type)));

                // The element is touched only when the loop runs (it might not exist otherwise): under the caller's
                // guard, or when something was added.
                Stmt add = new Assign(target, sum, AssignKind.Add);
                after.Add(guarded ? add : new If(
                    new Binary(TypeRef.Bool, BinaryOp.NotEqual, sum, Simplification.ExprBuilder.Lit(0, sum.Type)),
                    Block.Of(new[] { add }),
                    null));
            }

            output[k] = assign with { Target = sum };
        }

        return (output, before, after);
    }

    private static bool IsInvariant(Expr index, HashSet<string> written) => IrWalk.IsPure(index) && !IrWalk.Reads(index).Overlaps(written);

    /// <summary>Every other access of the same vector in the loop is at an index provably different from the fixed one.</summary>
    internal static bool OthersNeverReach(IEnumerable<Stmt> code, Elem fixedElement, LinearForm fixedIndex, CountedLoopShape shape)
    {
        foreach (Stmt statement in IrWalk.Descendants(code))
        {
            foreach (Expr expr in IrWalk.OwnExpressions(statement))
            {
                foreach (Expr node in IrWalk.SelfAndDescendants(expr))
                {
                    if (node is SliceOf slice && slice.Vector == fixedElement.Array)
                    {
                        return false;
                    }

                    if (node is Elem other && other.Array == fixedElement.Array && !other.Index.Equals(fixedElement.Index)
                        && !shape.NeverMeets(other.Index, fixedIndex))
                    {
                        return false;
                    }
                }
            }

            if (statement is PullbackCall or PopRange or ClearVector or VectorKernel && Effects.Of(statement).VectorWrites.Contains(fixedElement.Array))
            {
                return false;
            }
        }

        return true;
    }
}
