using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Differentiation.Cleanup;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Sweeps;

/// <summary>
/// One iteration of a joint (fused) loop: its forward code, then its adjoint code, tidied for a tight loop: cleaned
/// up, loads first, invariant products and sign flips moved before the loop, and gradient elements whose index the
/// same iteration has already proven in range written without a second bounds check.
/// </summary>
internal static class FusedIteration
{
    /// <returns>
    /// Code for before the loop, the iteration, code for after it, and a condition under which all three must run (the
    /// loop runs at least once: loads moved out of it read nothing it would not read); null when none is needed.
    /// </returns>
    public static (List<Stmt> Before, List<Stmt> Iteration, List<Stmt> After, Expr? Guard) Arrange(List<Stmt> forward, List<Stmt> reverse, Loop loop, AdjointScope scope)
    {
        reverse = AdjointCleanup.Apply(reverse, scope.IsGenerated);
        reverse = IterationPasses.Apply(reverse);
        var before = new List<Stmt>();
        var after = new List<Stmt>();
        Expr? guard = null;
        HashSet<string>? written = LoopInvariantHoisting.WrittenIn(forward.Concat(reverse).Concat(loop.Init.Statements).Concat(loop.Update.Statements));
        if (written is not null)
        {
            Func<string> temp = () => scope.Temp("c");
            CountedLoopShape? shape = CountedLoopShape.Of(loop);
            if (shape is not null && IrWalk.IsPure(shape.Start) && !IrWalk.Reads(shape.Start).Concat(IrWalk.Reads(shape.Bound)).Any(written.Contains))
            {
                (forward, reverse, List<Stmt> loads) = InvariantLoads.Apply(forward, reverse, written, scope.Temp);
                before.AddRange(loads);
                written.UnionWith(loads.OfType<Declare>().Select(d => d.Name));
                guard = new Binary(TypeRef.Bool, shape.Compare, shape.Start, shape.Bound);
            }

            (reverse, List<Stmt> sums, after) = InvariantAccumulation.Apply(forward, reverse, loop, written, scope.IsAdjoint, scope.Temp, guarded: guard is not null);
            before.AddRange(sums);
            written.UnionWith(sums.OfType<Declare>().Select(d => d.Name));
            reverse = LoopInvariantHoisting.Apply(reverse, written, before, temp);
            reverse = NegationFolding.Apply(forward, reverse, written, before, temp);
        }

        reverse = InRangeAccess.Apply(forward, reverse, scope.LengthChecked);

        // The guard is worth its nesting only when something moved out of the loop needs it.
        if (guard is not null && !before.Any(s => s is Declare { Init: Elem }) && after.Count == 0)
        {
            guard = null;
        }

        return (before, forward.Concat(reverse).ToList(), after, guard);
    }
}
