using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Planning;

/// <summary>
/// The to-be-recorded analysis. Adjoint code reads a variable as its statement saw it. The value is still there when
/// nothing between the statement and its adjoint writes the variable. Otherwise: a write in between saves the value
/// it overwrites and its adjoint restores it (a local where the write runs once per region, the tape inside a
/// two-sweep loop); a local of a block inside a two-sweep loop is re-created at the start of the block's reverse —
/// recomputed when it is assigned once from cheap, still-available values, popped from a per-iteration record
/// otherwise (one push per block execution, not per write); a local of a nested block that runs at most once per
/// region is declared at the region's start instead.
/// </summary>
internal sealed partial class Planner
{
    private readonly HashSet<string> _provided = new();

    private void PlanValues()
    {
        // Active vectors declared in nested blocks (after an early return): their adjoint buffers must outlive them.
        foreach (Declare vector in IrWalk.Descendants(_index.Root).OfType<Declare>().Where(d => d.Type.IsVector && _scope.IsActive(d.Name)))
        {
            Block home = _index.BlockOf(vector);
            if (!IsRegionRoot(home))
            {
                Hoist(vector.Name, home);
            }
        }

        foreach (Stmt statement in IrWalk.Descendants(_index.Root))
        {
            if (!IsPrimitive(statement) || _plan.EarlyBefore.ContainsKey(statement))
            {
                continue;
            }

            foreach (string name in AdjointReads(statement))
            {
                Need(name, statement, before: !ReadsOwnResult(statement, name));
            }
        }
    }

    /// <summary>A declaration's adjoint may read the declared value; a call's pullback reads its outputs as written.</summary>
    private static bool ReadsOwnResult(Stmt statement, string name) => statement switch
    {
        Declare d => d.Name == name,
        CallStmt c => Analysis.ActivityAnalysis.OutputArgs(c.Call).Contains(name),
        _ => false,
    };

    /// <summary>Makes the value of <paramref name="name"/> as <paramref name="at"/> saw it available to its adjoint.</summary>
    private void Need(string name, Stmt at, bool before)
    {
        if (IsCounter(name) || _scope.IsGenerated(name))
        {
            return;
        }

        Block? home = _index.DeclaringBlock(name);
        if (home is not null && IsTaped(home))
        {
            Provide(name, home);
            SaveWriters(name, at, before, home);
            return;
        }

        if (home is not null && !IsRegionRoot(home))
        {
            Hoist(name, home);
        }

        SaveWriters(name, at, before, boundary: null);
    }

    private void SaveWriters(string name, Stmt at, bool before, Block? boundary)
    {
        List<Stmt> between = After(at, boundary);
        if (before)
        {
            between.Add(at);
        }

        foreach (Stmt writer in WritersIn(name, between).ToList())
        {
            // A declaration starts a new variable (a call's result too): there is no older value to restore.
            if (writer is Declare || (writer is CallStmt call && call.ResultVar == name))
            {
                continue;
            }

            Save(writer);
        }
    }

    private void Save(Stmt writer)
    {
        if (!_plan.Saved.Add(writer))
        {
            return;
        }

        // An integer stepped by a constant is restored by stepping back: nothing to record.
        if (writer is Assign { Kind: AssignKind.Set, Target: Var { Type.Element: ElementKind.Int, Type.IsScalar: true } counter, Value: Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: Var left, Right: Literal } }
            && left.Name == counter.Name)
        {
            _plan.Inverted.Add(writer);
            return;
        }

        Block block = _index.BlockOf(writer);
        if (writer is Assign assign && !IsTaped(block))
        {
            string name = _scope.Temp(IrWalk.TargetName(assign.Target) + "Old");
            _plan.SaveLocals[writer] = name;
            if (!IsRegionRoot(block))
            {
                HoistGenerated(name, assign.Target.Type, block);
            }
        }

        // The restore writes the same element: its index must be what it was.
        if (writer is Assign { Target: Elem element })
        {
            var reads = new HashSet<string>();
            CollectValueReads(element.Index, reads);
            foreach (string read in reads)
            {
                Need(read, writer, before: true);
            }
        }
    }

    /// <summary>Re-creates a local of a block inside a two-sweep loop at the start of the block's reverse.</summary>
    private void Provide(string name, Block home)
    {
        if (!_provided.Add(name))
        {
            return;
        }

        if (!_plan.Provisions.TryGetValue(home, out List<Provision>? list))
        {
            _plan.Provisions[home] = list = new List<Provision>();
        }

        Declare? declaration = _index.DeclarationOf(name);
        if (declaration?.Init is { } init && CanRecompute(name, new HashSet<string>()))
        {
            foreach (string read in ValueReadsOf(init))
            {
                Have(read, declaration);
            }

            list.Add(new Provision(name, _scope.Activity.TypeOf(name), init));
            return;
        }

        list.Add(new Provision(name, _scope.Activity.TypeOf(name), null));
    }

    /// <summary>Assigned once from a cheap expression whose inputs can be had as they were (pure check).</summary>
    private bool CanRecompute(string name, HashSet<string> visiting)
    {
        if (!visiting.Add(name) || !_index.IsSingleAssignment(name))
        {
            return false;
        }

        Declare declaration = _index.DeclarationOf(name)!;
        Expr init = declaration.Init!;
        bool cheap = IrWalk.IsPure(init)
            && !IrWalk.SelfAndDescendants(init).Any(e => e is MathCall m && DerivativeRules.IsExpensive(m.Fn));
        return cheap && ValueReadsOf(init).All(read => CanHave(read, declaration, includeSelf: false, visiting));
    }

    /// <summary>Whether the value <paramref name="at"/> sees can be had at its reverse without saving anything (pure).</summary>
    private bool CanHave(string name, Stmt at, bool includeSelf, HashSet<string>? visiting = null)
    {
        if (IsCounter(name))
        {
            return true;
        }

        if (_scope.IsGenerated(name))
        {
            return false;
        }

        Block? home = _index.DeclaringBlock(name);
        if (home is not null && IsTaped(home))
        {
            return _provided.Contains(name) || CanRecompute(name, visiting ?? new HashSet<string>());
        }

        List<Stmt> between = After(at);
        if (includeSelf)
        {
            between.Add(at);
        }

        return !WritersIn(name, between).Any();
    }

    /// <summary>Makes a value <see cref="CanHave"/> approved available (re-creating or hoisting it; nothing is saved).</summary>
    private void Have(string name, Stmt at)
    {
        if (IsCounter(name) || _scope.IsGenerated(name))
        {
            return;
        }

        Block? home = _index.DeclaringBlock(name);
        if (home is not null && IsTaped(home))
        {
            Provide(name, home);
        }
        else if (home is not null && !IsRegionRoot(home))
        {
            Hoist(name, home);
        }
    }

    private void Hoist(string name, Block home)
    {
        if (_plan.HoistedNames.Add(name))
        {
            AddHoisted(RegionRootOf(home), name, _scope.Activity.TypeOf(name));
        }
    }

    private void HoistGenerated(string name, TypeRef type, Block home)
    {
        if (_plan.HoistedNames.Add(name))
        {
            AddHoisted(RegionRootOf(home), name, type);
        }
    }

    private void AddHoisted(Block region, string name, TypeRef type)
    {
        if (!_plan.Hoisted.TryGetValue(region, out List<(string, TypeRef)>? list))
        {
            _plan.Hoisted[region] = list = new List<(string, TypeRef)>();
        }

        list.Add((name, type));
    }

    private static HashSet<string> ValueReadsOf(Expr expr)
    {
        var reads = new HashSet<string>();
        CollectValueReads(expr, reads);
        return reads;
    }
}
