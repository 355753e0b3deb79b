using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Differentiation.Analysis;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Planning;

/// <summary>
/// Decides the <see cref="ReversePlan"/> in three steps, each reading the previous ones' results, never revisiting
/// them: (1) joint statements, region by region (<c>Planner.Joint.cs</c>), and two-sweep loops whose reverse runs first
/// to last (<c>Planner.ForwardOrder.cs</c>); (2) what keeps each value the adjoint code reads available: saves (one
/// block per loop where it can, <c>Planner.BlockSaves.cs</c>), re-created locals, hoisted declarations
/// (<c>Planner.Values.cs</c>, the to-be-recorded analysis); (3) branch decisions and trip counts, evaluated again where their inputs are still at hand and recorded
/// otherwise (<c>Planner.Control.cs</c>).
/// </summary>
internal sealed partial class Planner
{
    private readonly BodyIndex _index;
    private readonly AdjointScope _scope;
    private readonly ReversePlan _plan;
    private readonly Dictionary<Stmt, HashSet<string>> _adjointReads = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<Stmt, bool> _hasAdjoint = new(ReferenceComparer<Stmt>.Instance);
    private readonly ArrayCoverage _coverage;

    private Planner(BodyIndex index, AdjointScope scope, Dictionary<Stmt, List<Stmt>> localAdjoints)
    {
        _index = index;
        _scope = scope;
        _plan = new ReversePlan(localAdjoints);
        _coverage = new ArrayCoverage(index, scope.Activity.Parameters);
        foreach (KeyValuePair<Stmt, List<Stmt>> pair in localAdjoints)
        {
            _adjointReads[pair.Key] = PrimalReads(pair.Value);
        }
    }

    public static ReversePlan Make(BodyIndex index, AdjointScope scope, Dictionary<Stmt, List<Stmt>> localAdjoints)
    {
        var planner = new Planner(index, scope, localAdjoints);
        planner._plan.RegionRoots.Add(index.Root);
        planner.PlanRegion(index.Root);
        planner.PlanValues();
        planner.MarkReverseWork(index.Root);
        planner.PlanControl(index.Root);
        return planner._plan;
    }

    /// <summary>Primal variables adjoint code reads (not its own temporaries, not adjoints; a vector's length never changes).</summary>
    private HashSet<string> PrimalReads(List<Stmt> code)
    {
        var reads = new HashSet<string>();
        var declared = new HashSet<string>();
        foreach (Stmt statement in IrWalk.Descendants(code))
        {
            foreach (Expr expr in IrWalk.OwnExpressions(statement))
            {
                CollectValueReads(expr, reads);
            }

            declared.UnionWith(Effects.Of(statement).Declares);
        }

        reads.RemoveWhere(n => declared.Contains(n) || _scope.IsGenerated(n));
        return reads;
    }

    /// <summary>Variables whose values an expression reads (a vector's length is not a value that can change).</summary>
    private static void CollectValueReads(Expr expr, HashSet<string> into)
    {
        switch (expr)
        {
            case LengthOf:
                return;
            case Var v:
                into.Add(v.Name);
                break;
            case Elem e:
                into.Add(e.Array);
                break;
            case SliceOf s:
                into.Add(s.Vector);
                break;
            case RefArg r when r.Target is Var:
                return;
        }

        foreach (Expr child in IrWalk.Children(expr))
        {
            CollectValueReads(child, into);
        }
    }

    private static readonly HashSet<string> NoReads = new();

    private HashSet<string> AdjointReads(Stmt statement) =>
        _adjointReads.TryGetValue(statement, out HashSet<string>? reads) ? reads : NoReads;

    /// <summary>True when the statement or something in it has adjoint code.</summary>
    private bool HasAdjoint(Stmt statement)
    {
        if (!_hasAdjoint.TryGetValue(statement, out bool has))
        {
            has = (_plan.LocalAdjoints.TryGetValue(statement, out List<Stmt>? code) && code.Count > 0)
                || IrWalk.ChildBlocks(statement).Any(b => b.Statements.Any(HasAdjoint));
            _hasAdjoint[statement] = has;
        }

        return has;
    }

    // ---- Scopes ----

    private bool IsRegionRoot(Block block) => _plan.RegionRoots.Contains(block);

    private Block RegionRootOf(Block block)
    {
        while (!IsRegionRoot(block))
        {
            block = _index.BlockOf(_index.OwnerOf(block)!);
        }

        return block;
    }

    /// <summary>Inside a two-sweep loop of its region: its reverse block is a different scope, re-created per iteration.</summary>
    private bool IsTaped(Block block)
    {
        while (!IsRegionRoot(block))
        {
            Stmt owner = _index.OwnerOf(block)!;
            if (owner is Loop && !_plan.Joint.Contains(owner))
            {
                return true;
            }

            block = _index.BlockOf(owner);
        }

        return false;
    }

    /// <summary>The counter of a counted loop: the reverse loop (or the joint iteration) always has it at hand.</summary>
    private bool IsCounter(string name) =>
        _index.DeclaringBlock(name) is { } block && _index.OwnerOf(block) is Loop loop && loop.Counter == name && ReferenceEquals(loop.Init, block);

    /// <summary>
    /// The statements (whole subtrees) that run after <paramref name="statement"/> and before its reverse: those after
    /// it out to its region's root, and every iteration of an enclosing two-sweep loop. With a boundary, not beyond it
    /// (a local of that block is a new variable in each of its executions).
    /// </summary>
    private List<Stmt> After(Stmt statement, Block? boundary = null)
    {
        var after = new List<Stmt>();
        Stmt current = statement;
        while (true)
        {
            Block block = _index.BlockOf(current);
            for (int k = _index.IndexOf(current) + 1; k < block.Statements.Count; k++)
            {
                after.Add(block.Statements[k]);
            }

            if (IsRegionRoot(block) || (boundary is not null && ReferenceEquals(block, boundary)))
            {
                return after;
            }

            Stmt owner = _index.OwnerOf(block)!;
            if (owner is Loop loop)
            {
                if (_plan.Joint.Contains(loop))
                {
                    return after;
                }

                // Later iterations run the whole body and update again.
                after.AddRange(loop.Body.Statements);
                after.AddRange(loop.Update.Statements);
            }

            current = owner;
        }
    }

    /// <summary>Writers of <paramref name="name"/> inside the given subtrees.</summary>
    private IEnumerable<Stmt> WritersIn(string name, List<Stmt> subtrees) =>
        _index.WritersOf(name).Where(w => subtrees.Any(root => _index.IsWithin(w, root)));

    private static bool IsPrimitive(Stmt statement) => statement is Declare or Assign or CallStmt;
}
