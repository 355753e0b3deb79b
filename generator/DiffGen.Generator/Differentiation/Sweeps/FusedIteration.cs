using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Differentiation.Cleanup;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Sweeps;

/// <summary>
/// One iteration of a joint (fused) loop: its forward code, then its adjoint code, tidied for a tight loop: cleaned
/// up, loads first, invariant products and sign flips moved before the loop, and gradient elements whose index the
/// same iteration has already proven in range written without a second bounds check.
/// </summary>
internal static class FusedIteration
{
    public static (List<Stmt> Before, List<Stmt> Iteration, List<Stmt> After) Arrange(List<Stmt> forward, List<Stmt> reverse, Loop loop, AdjointScope scope)
    {
        reverse = AdjointCleanup.Apply(reverse, scope.IsGenerated);
        reverse = IterationPasses.Apply(reverse);
        var before = new List<Stmt>();
        var after = new List<Stmt>();
        HashSet<string>? written = LoopInvariantHoisting.WrittenIn(forward.Concat(reverse).Concat(loop.Init.Statements).Concat(loop.Update.Statements));
        if (written is not null)
        {
            Func<string> temp = () => scope.Temp("c");
            (reverse, List<Stmt> sums, after) = InvariantAccumulation.Apply(forward, reverse, loop, written, scope.IsAdjoint, scope.Temp);
            before.AddRange(sums);
            written.UnionWith(sums.OfType<Declare>().Select(d => d.Name));
            reverse = LoopInvariantHoisting.Apply(reverse, written, before, temp);
            reverse = NegationFolding.Apply(forward, reverse, written, before, temp);
        }

        reverse = InRangeAccess.Apply(forward, reverse, scope.LengthChecked);
        return (before, forward.Concat(reverse).ToList(), after);
    }
}
