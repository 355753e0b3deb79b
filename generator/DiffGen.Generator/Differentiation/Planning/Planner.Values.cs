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
                // A forward-order loop's reverse steps its recurrence itself.
                if (_index.OwnerOf(_index.BlockOf(statement)) is Loop owner && _plan.ForwardOrder.TryGetValue(owner, out List<(string Variable, string Entry)>? recurrence)
                    && recurrence.Any(r => r.Variable == name))
                {
                    continue;
                }

                Need(name, statement, before: !ReadsOwnResult(statement, name));
            }
        }
    }

    /// <summary>
    /// A declaration's adjoint may read the declared value, an assignment's the value it assigned (when its right side
    /// does not read the target, any read of the target is of the result); a call's pullback reads its outputs as written.
    /// </summary>
    internal static bool ReadsOwnResult(Stmt statement, string name) => statement switch
    {
        Declare d => d.Name == name,
        Assign { Kind: AssignKind.Set, Target: Var target } a => target.Name == name && !IrWalk.Mentions(a.Value, name),
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

        // A scratch vector overwritten in every iteration of a two-sweep loop is recorded once per iteration (its values
        // at the iteration's end, which is all its adjoint reads), not at each element write.
        if (_scope.Activity.TryGetType(name, out TypeRef type) && type.IsVector && _index.DeclarationOf(name) is not { Init: Opaque }
            && SnapshotLoop(name, at) is ({ } loop, var count))
        {
            Snapshot(name, type, loop.Body, count);
            SaveWriters(name, at, before, boundary: null, except: loop);
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

    /// <summary>
    /// The outermost two-sweep loop around <paramref name="at"/> (in its region) in which the vector can be recorded
    /// once per iteration: an iteration overwrites it whole (or its first B elements, the loop writing none beyond: then
    /// only those are recorded, the count), all its writes come before all the adjoint code that reads it (in the
    /// iteration's statement order), and no adjoint code outside the loop needs the values it overwrites.
    /// </summary>
    private (Loop Loop, Expr? Count)? SnapshotLoop(string vector, Stmt at)
    {
        var loops = new List<Loop>();
        Block block = _index.BlockOf(at);
        while (!IsRegionRoot(block))
        {
            Stmt owner = _index.OwnerOf(block)!;
            if (owner is Loop loop && !_plan.Joint.Contains(loop) && ReferenceEquals(loop.Body, block))
            {
                loops.Insert(0, loop);
            }

            block = _index.BlockOf(owner);
        }

        foreach (Loop loop in loops)
        {
            if (CanSnapshot(vector, loop, out Expr? count))
            {
                return (loop, count);
            }
        }

        return null;
    }

    private bool CanSnapshot(string vector, Loop loop, out Expr? count)
    {
        IReadOnlyList<Stmt> body = loop.Body.Statements;
        count = null;
        if (!body.Any(s => _coverage.FullyWrites(s, vector)))
        {
            count = body.Select(s => _coverage.WrittenPrefix(s, vector))
                .FirstOrDefault(bound => bound is not null && _coverage.IsFixed(bound) && _coverage.WritesOnlyBelow(loop, vector, bound)
                    && ValueReadsOf(bound).All(r => _index.DeclarationOf(r) is not { } declaration || !_index.IsWithin(declaration, loop)));
            if (count is null)
            {
                return false;
            }
        }

        int lastWrite = -1;
        int firstRead = int.MaxValue;
        for (int k = 0; k < body.Count; k++)
        {
            IEnumerable<Stmt> inner = IrWalk.Descendants(new[] { body[k] });
            if (_index.WritersOf(vector).Any(w => _index.IsWithin(w, body[k])))
            {
                lastWrite = k;
            }

            if (firstRead == int.MaxValue && inner.Any(s => AdjointReads(s).Contains(vector)))
            {
                firstRead = k;
            }
        }

        if (lastWrite > firstRead || (lastWrite == firstRead && !StoresBeforeReads(body[lastWrite], vector)))
        {
            return false;
        }

        // Adjoint code outside the loop that runs after it in reverse order would need the overwritten values.
        foreach (Stmt reader in _adjointReads.Where(p => p.Value.Contains(vector)).Select(p => p.Key))
        {
            if (!_index.IsWithin(reader, loop) && !_plan.EarlyBefore.ContainsKey(reader) && After(reader).Any(root => _index.IsWithin(loop, root)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>for (…; i …) { …; A[i] = e; … A[i] … }</c>: a counted loop whose only write of A is that store, with nothing
    /// before it reading A and nothing after it reading another element: every read sees the value the element keeps
    /// to the end of the iteration of the enclosing loop (<c>xc[j] = x[j] − μ[j]; y[j] = q[j] * xc[j];</c>). Not when
    /// e itself reads A and the store's adjoint needs it (<c>A[i] *= s</c>: its derivative reads the old A[i]).
    /// </summary>
    private bool StoresBeforeReads(Stmt statement, string vector)
    {
        if (statement is not Loop { Counter: { } counter } loop || CountedLoopShape.Of(loop) is not { Step: 1 or -1 })
        {
            return false;
        }

        IReadOnlyList<Stmt> body = loop.Body.Statements;
        int store = -1;
        for (int k = 0; k < body.Count; k++)
        {
            if (body[k] is Assign { Kind: AssignKind.Set, Target: Elem { Index: Var index } target } && target.Array == vector && index.Name == counter)
            {
                store = k;
                break;
            }
        }

        if (store < 0 || _index.WritersOf(vector).Count(w => _index.IsWithin(w, loop)) != 1)
        {
            return false;
        }

        // A store that reads its own element (A[i] = A[i] * s) reads the value before the store: if its adjoint needs that
        // value, the end-of-iteration snapshot (which holds the value after) is the wrong one.
        if (IrWalk.Mentions(((Assign)body[store]).Value, vector) && AdjointReads(body[store]).Contains(vector))
        {
            return false;
        }

        for (int k = 0; k < body.Count; k++)
        {
            foreach (Stmt inner in IrWalk.Descendants(new[] { body[k] }))
            {
                bool reads = AdjointReads(inner).Contains(vector) || Effects.Of(inner).Reads.Contains(vector);
                if (k < store && reads)
                {
                    return false;
                }

                // Reads after the store (and the store's own value) only at the counter.
                IEnumerable<Expr> expressions = inner is Assign assign && ReferenceEquals(inner, body[store]) ? new[] { assign.Value } : IrWalk.OwnExpressions(inner);
                if (expressions.SelectMany(IrWalk.SelfAndDescendants).Any(e => (e is Elem other && other.Array == vector && !(other.Index is Var v && v.Name == counter))
                    || (e is SliceOf slice && slice.Vector == vector)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private void Snapshot(string vector, TypeRef type, Block body, Expr? count)
    {
        if (!_plan.Provisions.TryGetValue(body, out List<Provision>? list))
        {
            _plan.Provisions[body] = list = new List<Provision>();
        }

        if (!list.Any(p => p.Name == vector))
        {
            // Nothing in an iteration reads what the previous one left: the iteration may write into its own record.
            // (every read, even one without an adjoint: a slot holds stale values until the iteration writes them).
            bool slot = count is null
                ? _coverage.ReadsOnlyAfterOverwrite(body, vector)
                : _index.OwnerOf(body) is Loop loop && _coverage.ReadsOnlyAfterPrefixOverwrite(loop, vector, _ => true);
            list.Add(new Provision(vector, type, null, count, slot));
        }
    }

    private void SaveWriters(string name, Stmt at, bool before, Block? boundary, Loop? except = null)
    {
        List<Stmt> between = After(at, boundary);
        if (before)
        {
            between.Add(at);
        }

        foreach (Stmt writer in WritersIn(name, between).ToList())
        {
            if (except is not null && _index.IsWithin(writer, except))
            {
                continue;
            }

            // A declaration starts a new variable (a call's result too): there is no older value to restore.
            if (writer is Declare || (writer is CallStmt call && call.ResultVar == name))
            {
                continue;
            }

            if (!SavedAsBlock(writer, at, boundary))
            {
                Save(writer);
            }
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

    /// <summary>
    /// Re-creates a local of a block inside a two-sweep loop at the start of the block's reverse. A vector the code without
    /// a derivative hands over is a row of data read by an indexer (<c>double[] x = xs[i]</c>, a foreach over a list of
    /// arrays): it is read again (the same reference), never recorded.
    /// </summary>
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
        if (declaration is { Type.IsVector: true, Init: Opaque row })
        {
            // Read again where the values it reads (the row's index) are as they were at the declaration.
            foreach (string read in ValueReadsOf(row))
            {
                Need(read, declaration, before: true);
            }

            list.Add(new Provision(name, _scope.Activity.TypeOf(name), row));
            return;
        }

        if (declaration?.Init is { } init && CanRecompute(name, new HashSet<string>()))
        {
            foreach (string read in ValueReadsOf(init))
            {
                Have(read, declaration);
            }

            list.Add(new Provision(name, _scope.Activity.TypeOf(name), init));
            return;
        }

        // A value the block also stored into a vector that keeps it (t[i] = tanh): read it back instead of recording it.
        if (declaration is not null && StoredCopy(name, declaration) is { } copy)
        {
            foreach (string read in ValueReadsOf(copy.Index))
            {
                Have(read, declaration);
            }

            list.Add(new Provision(name, _scope.Activity.TypeOf(name), copy));
            return;
        }

        list.Add(new Provision(name, _scope.Activity.TypeOf(name), null));
    }

    /// <summary>
    /// <c>A[k] = u</c> right in <paramref name="name"/>'s block, with u assigned only where declared, A never written after the
    /// store until the reverse, and k's inputs at hand: the element holds u's value for the reverse to read.
    /// </summary>
    private Elem? StoredCopy(string name, Declare declaration)
    {
        if (!_index.IsSingleAssignment(name))
        {
            return null;
        }

        Block block = _index.BlockOf(declaration);
        for (int k = _index.IndexOf(declaration) + 1; k < block.Statements.Count; k++)
        {
            if (block.Statements[k] is Assign { Kind: AssignKind.Set, Target: Elem element, Value: Var { } stored } store && stored.Name == name
                && IrWalk.IsPure(element.Index) && ValueReadsOf(element.Index).All(r => CanHave(r, store, includeSelf: false))
                && WritersIn(element.Array, After(store)).All(w => ReferenceEquals(w, store) && WritesNewElementEachIteration(store, element)))
            {
                return element;
            }
        }

        return null;
    }

    /// <summary>
    /// The store sits directly in the body of the only two-sweep loop around it (in its region), a counted loop, and
    /// its index is ±counter plus something the loop never changes: each iteration writes an element no other does.
    /// </summary>
    private bool WritesNewElementEachIteration(Assign store, Elem element)
    {
        Block block = _index.BlockOf(store);
        if (_index.OwnerOf(block) is not Loop { Counter: { } counter } loop || _plan.Joint.Contains(loop) || !ReferenceEquals(loop.Body, block)
            || IsTaped(_index.BlockOf(loop)) || LinearForm.Of(element.Index) is not { } index || System.Math.Abs(index.Coefficient(counter)) != 1)
        {
            return false;
        }

        Effects written = _index.DeepEffects(loop);
        return index.Terms.Keys.Where(n => n != counter && index.Coefficient(n) != 0).All(n => !written.Writes.Contains(n));
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

    /// <summary>Whether a statement of <paramref name="home"/> after the one holding <paramref name="at"/> writes the variable.</summary>
    private bool WrittenLaterInBlock(string name, Stmt at, Block home, bool includeSelf)
    {
        if (_index.TopLevelIn(home, at) is not { } holder)
        {
            return true;
        }

        IReadOnlyList<Stmt> statements = home.Statements;
        int position = _index.IndexOf(holder);
        for (int k = position + (includeSelf || !ReferenceEquals(holder, at) ? 0 : 1); k < statements.Count; k++)
        {
            if (_index.DeepEffects(statements[k]).Writes.Contains(name) && !(k == position && statements[k] is Declare declared && declared.Name == name))
            {
                return true;
            }
        }

        return false;
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
            // Re-created at the start of the block's reverse, with its value at the end of the block: what `at` saw only
            // if nothing after it in the block writes it (double r = p * 0.5; p /= 3;).
            return !WrittenLaterInBlock(name, at, home, includeSelf)
                && (_provided.Contains(name) || CanRecompute(name, visiting ?? new HashSet<string>()));
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
