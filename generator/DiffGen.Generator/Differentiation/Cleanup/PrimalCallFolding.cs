using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// A call of a [Differentiable] method and its pullback in the same block — a fused iteration, or a method whose whole
/// reverse sweep follows its forward sweep — run the callee twice: <c>double m = Minor(…)</c>, later
/// <c>MinorPullback(…, dm, da)</c>, which computes the value again before its own reverse sweep. When the seed can be
/// computed where the call is, one call does both: <c>double m = MinorPullback(…, dm, da);</c> (a generated pullback
/// returns the value, bit for bit the primal's). For a recursive method this is what keeps the gradient within a
/// constant of the primal: without it each level evaluates the levels below it twice.
/// <para>
/// Conditions, checked statement by statement between the call and the pullback: the pullback's primal arguments are
/// the call's, unchanged since; the seed reads only variables whose value is still what it was at the call (a value
/// saved before a write and written back counts) and locals declared between from such values, which move up with
/// it; the adjoints the pullback adds into are only added into in between, never read, so adding earlier changes
/// nothing.
/// </para>
/// </summary>
internal static class PrimalCallFolding
{
    public static List<Stmt> Apply(List<Stmt> code) => new Rewriter().Statements(code);

    private sealed class Rewriter : IrRewriter
    {
        public List<Stmt> Statements(IEnumerable<Stmt> statements) => RewriteList(statements).ToList();

        protected override IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements)
        {
            List<Stmt> list = statements.Select(Rewrite).ToList();
            for (int p = 0; p < list.Count; p++)
            {
                if (list[p] is CallStmt { ResultVar: not null } call && Fold(list, p, call) is { } folded)
                {
                    list = folded;
                }
            }

            return list;
        }
    }

    /// <summary>The list with the call at <paramref name="at"/> folded into its pullback, or null.</summary>
    private static List<Stmt>? Fold(List<Stmt> list, int at, CallStmt call)
    {
        CallSpec spec = call.Call;
        var argumentReads = new HashSet<string>(spec.Args.SelectMany(IrWalk.Reads));

        // Variables whose value may differ from the one at the call; locals declared since from unchanged values
        // (movable, with the value they hold: a copy of a variable is the variable's value).
        var changed = new HashSet<string> { call.ResultVar! };
        var movable = new Dictionary<string, Declare>();
        var copyOf = new Dictionary<string, string>();
        var declaredBetween = new HashSet<string>();
        for (int q = at + 1; q < list.Count; q++)
        {
            Stmt statement = list[q];
            if (statement is PullbackCall pullback && pullback.ValueOf == spec.Method && pullback.Result is null
                && pullback.Args.Count > spec.Args.Count && spec.Args.Select((a, i) => a.Equals(pullback.Args[i])).All(same => same))
            {
                if (argumentReads.Overlaps(changed))
                {
                    return null;
                }

                return Folded(list, at, q, call, pullback, changed, movable, declaredBetween);
            }

            // The pullback must run exactly when it did: no exit in between.
            if (IrWalk.Descendants(new[] { statement }).Any(s => s is Break or Continue or Return))
            {
                return null;
            }

            switch (statement)
            {
                case Comment:
                    continue;
                case Declare { Type.IsScalar: true, Init: { } init } declare when IrWalk.IsPure(init) && !IrWalk.Reads(init).Any(n => changed.Contains(n) && !movable.ContainsKey(n)):
                    movable[declare.Name] = declare;
                    declaredBetween.Add(declare.Name);
                    if (init is Var source && !movable.ContainsKey(source.Name))
                    {
                        copyOf[declare.Name] = source.Name;
                    }

                    continue;
                case Assign { Kind: AssignKind.Set, Target: Var target, Value: Var saved }
                    when copyOf.TryGetValue(saved.Name, out string? original) && original == target.Name && !changed.Contains(saved.Name):
                    // The value saved before a write, written back.
                    changed.Remove(target.Name);
                    continue;
            }

            Effects effects = Effects.Deep(statement);
            declaredBetween.UnionWith(effects.Declares);
            foreach (string name in effects.Writes.Concat(effects.VectorWrites).Concat(effects.Declares))
            {
                changed.Add(name);
                movable.Remove(name);
                copyOf.Remove(name);
            }
        }

        return null;
    }

    private static List<Stmt>? Folded(List<Stmt> list, int at, int position, CallStmt call, PullbackCall pullback, HashSet<string> changed, Dictionary<string, Declare> movable, HashSet<string> declaredBetween)
    {
        int primalCount = call.Call.Args.Count;
        Expr seed = pullback.Args[primalCount];

        // The seed's locals, in their order: they move above the call.
        // A scalar adjoint declared in between (a zeroed temporary for an expression argument) moves up with them.
        var needed = new HashSet<string>();
        if (IrWalk.Reads(seed).Any(n => changed.Contains(n) && !movable.ContainsKey(n)))
        {
            return null;
        }

        var pending = new Stack<string>(IrWalk.Reads(seed).Concat(pullback.Args.Skip(primalCount + 1).OfType<RefArg>().Select(r => IrWalk.TargetName(r.Target))));
        while (pending.Count > 0)
        {
            // A movable local's own reads held their values where it was declared: its movable inputs follow it; a
            // local declared in between that was written since cannot (it is no longer what the local read).
            string name = pending.Pop();
            if (movable.TryGetValue(name, out Declare? declare))
            {
                if (needed.Add(name))
                {
                    foreach (string read in IrWalk.Reads(declare.Init!))
                    {
                        pending.Push(read);
                    }
                }
            }
            else if (declaredBetween.Contains(name))
            {
                return null;
            }
        }

        // The adjoints it adds into: untouched in between except by accumulation.
        var adjoints = new HashSet<string>();
        foreach (Expr gradient in pullback.Args.Skip(primalCount + 1))
        {
            switch (gradient)
            {
                case RefArg { Target: Var v }:
                    adjoints.Add(v.Name);
                    break;
                case Var v:
                    adjoints.Add(v.Name);
                    break;
                case SliceOf s:
                    adjoints.Add(s.Vector);
                    break;
                default:
                    return null;
            }

            // A slice's bounds are evaluated where the call moves to.
            if (gradient is SliceOf bounds && IrWalk.Reads(bounds.Start).Concat(IrWalk.Reads(bounds.Length)).Any(n => changed.Contains(n) || movable.ContainsKey(n)))
            {
                return null;
            }
        }

        var moved = new HashSet<Stmt>(ReferenceComparer<Stmt>.Instance);
        foreach (Declare declare in movable.Values.Where(d => needed.Contains(d.Name)))
        {
            moved.Add(declare);
        }

        for (int q = at + 1; q < position; q++)
        {
            Stmt statement = list[q];
            if (moved.Contains(statement) || statement is Comment)
            {
                continue;
            }

            if (!OnlyAccumulatesInto(statement, adjoints))
            {
                return null;
            }
        }

        var result = new List<Stmt>(list.Count);
        result.AddRange(list.Take(at));
        result.AddRange(list.Skip(at + 1).Take(position - at - 1).Where(moved.Contains));
        result.Add(pullback with { Result = new Var(call.Call.ReturnType, call.ResultVar!), DeclaresResult = call.DeclaresResult });
        result.AddRange(list.Skip(at + 1).Take(position - at - 1).Where(s => !moved.Contains(s)));
        result.AddRange(list.Skip(position + 1));
        return result;
    }

    /// <summary>The statement neither reads nor writes the adjoints, except <c>a[i] += e</c> / <c>a += e</c> with e not reading them.</summary>
    private static bool OnlyAccumulatesInto(Stmt statement, HashSet<string> adjoints)
    {
        foreach (Stmt inner in IrWalk.Descendants(new[] { statement }))
        {
            if (inner is Assign { Kind: AssignKind.Add or AssignKind.Subtract } accumulation && adjoints.Contains(IrWalk.TargetName(accumulation.Target)))
            {
                IEnumerable<string> reads = IrWalk.Reads(accumulation.Value).Concat(accumulation.Target is Elem e ? IrWalk.Reads(e.Index) : Enumerable.Empty<string>());
                if (reads.Any(adjoints.Contains))
                {
                    return false;
                }

                continue;
            }

            Effects own = Effects.Of(inner);
            if (own.Reads.Overlaps(adjoints) || own.Writes.Overlaps(adjoints) || own.VectorWrites.Overlaps(adjoints) || own.Declares.Overlaps(adjoints))
            {
                return false;
            }
        }

        return true;
    }
}
