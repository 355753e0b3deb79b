using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// A counted loop whose iteration starts with a reduction — <c>z = b[i]; for (j…) z += w[i·n + j]·x[j];</c>, then the
/// rest of the iteration (a fused loop's activation, error and reverse) — spends its time waiting on the one chain of
/// additions: each addition needs the previous one. Unrolled by <see cref="Width"/> and jammed, four iterations'
/// reductions run in one inner loop as four independent chains, and then the four rests, in order:
/// <code>
/// int iBlock = 0;
/// for (; iBlock + 3 &lt; n; iBlock += 4) { z = b[iBlock]; z_1 = b[iBlock + 1]; …; for (j…) { z += …; z_1 += …; … } rest(iBlock); … }
/// for (int i = iBlock; i &lt; n; i++) { the iteration as it was }
/// </code>
/// Every sum adds the same terms in the same order, so values and gradients are bit for bit those of the loop as
/// written; only the waiting goes. Applies when the reduction's inputs are nothing the rest of an iteration writes
/// (a later iteration's reduction now runs before an earlier rest), the inner loop only accumulates into the
/// iteration's own scalars over a range that is the same for every row, and nothing leaves the iteration early. When
/// the rests call out, the sums go through a four-element stack block (see the comment in <c>Jam</c>).
/// </summary>
internal static class ReductionJam
{
    public const int Width = 4;

    public static List<Stmt> Apply(List<Stmt> code, Func<string, string> temp) =>
        LoopRewrite.Apply(code, (loop, slots) => Jam(loop, temp, slots)) ?? code;

    private static List<Stmt>? Jam(Loop loop, Func<string, string> temp, List<Stmt> slots)
    {
        // for (int i = start; i < bound; i++), written with the counter on the left.
        if (CountedLoopShape.Of(loop) is not { Step: 1, Compare: BinaryOp.Less, Counter: var i, Start: var start, Bound: var bound }
            || loop.Condition is not Binary { Left: Var { Name: var tested } } || tested != i)
        {
            return null;
        }

        var declaration = (Declare)loop.Init.Statements[0];

        // The iteration: scalar declarations (and the range checks of a row's span view), the reduction loop, the rest.
        List<Stmt> body = loop.Body.Statements.ToList();
        int at = body.FindIndex(s => s is not (Declare or Comment) && !IsSliceCheck(s));
        if (at < 0 || body[at] is not Loop inner || inner.Counter is not { } j)
        {
            return null;
        }

        List<Declare> prefix = body.Take(at).OfType<Declare>().ToList();
        List<Stmt> prefixStatements = body.Take(at).Where(s => s is not Comment).ToList();
        if (prefix.Count == 0 || prefix.Any(d => !d.Type.IsScalar || d.Init is null || !IrWalk.IsPure(d.Init)))
        {
            return null;
        }

        // One inner loop runs for all four copies: its range may not depend on the row (j < i), only on declarations
        // that are the same in every row (int rowLength = x.Length).
        var own = new HashSet<string>(prefix.Select(d => d.Name));
        var sameInEveryRow = new HashSet<string>();
        foreach (Declare d in prefix)
        {
            var reads = IrWalk.Reads(d.Init!);
            if (!reads.Contains(i) && reads.All(n => !own.Contains(n) || sameInEveryRow.Contains(n)))
            {
                sameInEveryRow.Add(d.Name);
            }
        }

        Effects header = Effects.Deep(inner.Init.Statements.Concat(inner.Update.Statements));
        var headerReads = new HashSet<string>(header.Reads.Concat(inner.Condition is null ? Enumerable.Empty<string>() : IrWalk.Reads(inner.Condition)));
        if (headerReads.Contains(i) || headerReads.Any(n => own.Contains(n) && !sameInEveryRow.Contains(n)))
        {
            return null;
        }

        var accumulators = new HashSet<string>();
        foreach (Stmt statement in inner.Body.Statements)
        {
            if (statement is not Assign { Target: Var { Name: var z }, Value: var value } assign || !own.Contains(z) || !IrWalk.IsPure(value)
                || !(assign.Kind == AssignKind.Add || (assign.Kind == AssignKind.Set && value is Binary { Op: BinaryOp.Add } sum && sum.Left is Var { Name: var left } && left == z && !IrWalk.Mentions(sum.Right, z))))
            {
                return null;
            }

            accumulators.Add(z);
        }

        if (accumulators.Count == 0 || IrWalk.Descendants(new Stmt[] { inner }).Any(s => s is Break or Continue or Return))
        {
            return null;
        }

        // The reduction writes only the iteration's scalars (and its counter); the rest writes nothing it reads, nor
        // the loop's counter or bound, and stays in the iteration.
        List<Stmt> rest = body.Skip(at + 1).ToList();
        Effects reduction = Effects.Deep(prefixStatements.Append(inner));
        Effects restEffects = Effects.Deep(rest);
        var written = new HashSet<string>(restEffects.Writes.Concat(restEffects.VectorWrites));
        var reductionInputs = new HashSet<string>(reduction.Reads.Where(n => !own.Contains(n) && n != j));
        if (reduction.VectorWrites.Count > 0 || reduction.Writes.Any(n => !own.Contains(n) && n != j) || reductionInputs.Overlaps(written)
            || written.Contains(i) || IrWalk.Reads(bound).Overlaps(written)
            || IrWalk.Descendants(rest).Any(s => s is Break or Continue or Return or Push or PushRange or PopRange or RentBuffer or ReturnBuffer or DeclareBuffer or DeclareTape or CallStmt or PullbackCall)
            || rest.Any(s => IrWalk.OwnExpressions(s).Any(e => IrWalk.SelfAndDescendants(e).Any(x => x is TapePop))))
        {
            return null;
        }

        // Copies 1…Width−1: the iteration's own names renamed, i read as i + u.
        var prefixes = new List<Stmt>();
        var jammedBody = new List<Stmt>();
        var rests = new List<Stmt>();
        var restNames = rest.Select(IrWalk.DefinedScalar).Where(n => n is not null && rest.Any(s => s is Declare d && d.Name == n)).Cast<string>().ToList();
        // The blocks' counter is a name of its own (the user's may be declared again by a later loop of the method),
        // and the loop as it was finishes the last iterations from where it stops.
        string first = temp(i + "Block");
        var copies = new List<Copy>();
        for (int u = 0; u < Width; u++)
        {
            var names = new Dictionary<string, string>();
            if (u > 0)
            {
                foreach (string name in own.Concat(restNames))
                {
                    names[name] = temp(name);
                }
            }

            copies.Add(new Copy(i, first, u, names));
        }

        // The sums are declared last, after every row's other declarations and checks: a sum live across a check
        // that the JIT does not inline would be kept in a stack slot through the inner loop.
        List<Stmt> setup = prefixStatements.Where(st => !(st is Declare d && accumulators.Contains(d.Name))).ToList();
        List<Stmt> sums = prefixStatements.Except(setup).ToList();
        bool sumsLast = !setup.Any(st => Effects.Deep(st).Reads.Overlaps(accumulators));
        foreach (Copy copy in copies)
        {
            prefixes.AddRange((sumsLast ? setup : prefixStatements).Select(copy.Rewrite));
        }

        if (sumsLast)
        {
            foreach (Copy copy in copies)
            {
                prefixes.AddRange(sums.Select(copy.Rewrite));
            }
        }

        foreach (Stmt statement in inner.Body.Statements)
        {
            jammedBody.AddRange(copies.Select(copy => copy.Rewrite(statement)));
        }

        // When the rests call out (tanh, exp, a kernel), the JIT keeps values live across those calls in stack slots,
        // and the four sums, live across the first rest's calls, would be added up on the stack inside the inner loop
        // (measured: three times slower than in registers). Stored to slots right after it, their registers are free
        // there; each rest reads its sum from the slot.
        var stored = new List<Stmt>();
        var slotOf = new Dictionary<string, Expr>();
        if (IrWalk.Descendants(rest).Any(s => s is VectorKernel || IrWalk.OwnExpressions(s).Any(e => IrWalk.SelfAndDescendants(e).Any(Calls))))
        {
            foreach (string z in accumulators)
            {
                TypeRef type = prefix.First(d => d.Name == z).Type;
                string slot = temp(z + "Sums");
                slots.Add(LoopRewrite.StackBlock(slot, type.Element, Width));
                for (int u = 0; u < Width; u++)
                {
                    string name = copies[u].Name(z);
                    var element = new Elem(type, slot, LiteralFormatter.Int(u));
                    stored.Add(new Assign(element, new Var(type, name)));
                    slotOf[name] = element;
                }
            }
        }

        var fromSlots = new Substitution(slotOf);
        foreach (Copy copy in copies)
        {
            rests.AddRange(rest.Select(copy.Rewrite).Select(fromSlots.Rewrite));
        }

        Loop jammedInner = inner with { Body = Block.Of(jammedBody) };
        var counter = new Var(TypeRef.Int, first);
        var blocked = new Loop(
            loop.Id,
            Block.Empty,
            new Binary(TypeRef.Bool, BinaryOp.Less, new Binary(TypeRef.Int, BinaryOp.Add, counter, LiteralFormatter.Int(Width - 1)), bound),
            Block.Of(new Stmt[] { new Assign(counter, new Binary(TypeRef.Int, BinaryOp.Add, counter, LiteralFormatter.Int(Width))) }),
            Block.Of(prefixes.Append(jammedInner).Concat(stored).Concat(rests)),
            null);
        Loop remainder = loop with { Init = Block.Of(new Stmt[] { declaration with { Init = counter } }) };
        return new List<Stmt>
        {
            new Comment($"{Width} iterations at a time: their reductions are independent chains (each adds in the order written)"),
            new Declare(first, TypeRef.Int, start),
            blocked,
            remainder,
        };
    }

    /// <summary>A span view's range check (<c>GradientGuard.CheckSlice(w.Length, start, length)</c>): it only throws.</summary>
    private static bool IsSliceCheck(Stmt s) =>
        s is Evaluate { Code: { WrittenVectors.Count: 0 } code } && code.Parts.Count > 0 && code.Parts[0] == KnownTypeNames.GradientGuard + ".CheckSlice(";

    /// <summary>
    /// A call of a library function: every function costly to evaluate again is one, except √ (a JIT intrinsic, like
    /// the cheap |·|, min, max, fma and rounding).
    /// </summary>
    private static bool Calls(Expr e) => e switch
    {
        MathCall m => m.Fn != MathFn.Sqrt && DerivativeRules.IsExpensive(m.Fn),
        VectorReduce or OpaqueCall or Opaque => true,
        _ => false,
    };

    /// <summary>One copy of the iteration: i read as i + u, the iteration's own names renamed.</summary>
    private sealed class Copy : IrRewriter
    {
        private readonly string _counter;
        private readonly string _block;
        private readonly int _offset;
        private readonly Dictionary<string, string> _names;

        public Copy(string counter, string block, int offset, Dictionary<string, string> names)
        {
            _counter = counter;
            _block = block;
            _offset = offset;
            _names = names;
        }

        /// <summary>The copy's name for one of the iteration's own names.</summary>
        public string Name(string name) => _names.TryGetValue(name, out string? renamed) ? renamed : name;

        public override Stmt Rewrite(Stmt s) => base.Rewrite(s) switch
        {
            Declare d when _names.TryGetValue(d.Name, out string? renamed) => d with { Name = renamed },
            var other => other,
        };

        protected override Expr VisitVar(Var variable) =>
            variable.Name == _counter
                ? _offset == 0 ? variable with { Name = _block } : new Binary(TypeRef.Int, BinaryOp.Add, variable with { Name = _block }, LiteralFormatter.Int(_offset))
            : _names.TryGetValue(variable.Name, out string? renamed) ? variable with { Name = renamed }
            : variable with { };
    }
}
