using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Planning;

/// <summary>
/// Branch decisions and trip counts of the two-sweep parts. A branch's condition is evaluated again in the reverse
/// sweep when every value it reads is still at hand there (as <see cref="CanHave"/> decides, saving nothing);
/// otherwise the decision is kept in a local. A counted loop runs backwards from its own bounds when they are still
/// at hand; otherwise its start and trip count are kept. Such locals live where the statement does: in the region,
/// or in a block inside a two-sweep loop, whose reverse re-creates them from the per-iteration record.
/// </summary>
internal sealed partial class Planner
{
    private bool MarkReverseWork(Stmt statement)
    {
        bool has = (_plan.LocalAdjoints.TryGetValue(statement, out List<Stmt>? code) && code.Count > 0) || _plan.Saved.Contains(statement)
            || (statement is Loop loop && _plan.BlockSaves.ContainsKey(loop));
        IEnumerable<Stmt> children = statement is Block block ? block.Statements : IrWalk.ChildBlocks(statement);
        foreach (Stmt child in children)
        {
            has |= MarkReverseWork(child);
        }

        if (has)
        {
            _plan.HasReverse.Add(statement);
        }

        return has;
    }

    private void PlanControl(Block root)
    {
        foreach (Stmt statement in IrWalk.Descendants(root).ToList())
        {
            if (!_plan.HasReverse.Contains(statement) || _plan.Joint.Contains(statement))
            {
                continue;
            }

            switch (statement)
            {
                case If branch:
                    PlanDecision(branch);
                    break;
                case Loop loop:
                    PlanTrips(loop);
                    break;
            }
        }
    }

    private void PlanDecision(If branch)
    {
        HashSet<string> reads = ValueReadsOf(branch.Condition);
        if (IrWalk.IsPure(branch.Condition) && reads.All(r => CanHave(r, branch, includeSelf: true)))
        {
            foreach (string read in reads)
            {
                Have(read, branch);
            }

            return;
        }

        string decision = _scope.Temp("branch");
        _plan.RecordedDecisions[branch] = decision;
        KeepLocal(decision, TypeRef.Bool, branch);
    }

    private void PlanTrips(Loop loop)
    {
        CountedLoopShape? shape = loop.Counter is null ? null : CountedLoopShape.Of(loop);
        if (shape is { Step: 1 or -1 })
        {
            HashSet<string> reads = ValueReadsOf(shape.Start);
            reads.UnionWith(ValueReadsOf(shape.Bound));
            reads.Remove(shape.Counter);
            if (IrWalk.IsPure(shape.Start) && reads.All(r => CanHave(r, loop, includeSelf: true)))
            {
                foreach (string read in reads)
                {
                    Have(read, loop);
                }

                _plan.Trips[loop] = new TripPlan(shape, null, null);
                return;
            }
        }

        string trips = _scope.Temp("trips");
        KeepLocal(trips, TypeRef.Int, loop);
        string? start = null;
        if (shape is not null)
        {
            start = _scope.Temp("start");
            KeepLocal(start, TypeRef.Int, loop);
        }

        _plan.Trips[loop] = new TripPlan(shape, trips, start);
    }

    /// <summary>A generated local declared just before <paramref name="statement"/>, made available to its reverse.</summary>
    private void KeepLocal(string name, TypeRef type, Stmt statement)
    {
        Block block = _index.BlockOf(statement);
        if (IsTaped(block))
        {
            if (!_plan.Provisions.TryGetValue(block, out List<Provision>? list))
            {
                _plan.Provisions[block] = list = new List<Provision>();
            }

            list.Add(new Provision(name, type, null));
        }
        else if (!IsRegionRoot(block))
        {
            HoistGenerated(name, type, block);
        }
    }
}
