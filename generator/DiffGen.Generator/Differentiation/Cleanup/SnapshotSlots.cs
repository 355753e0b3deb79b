using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// A scratch span that every iteration of a two-sweep loop overwrites before reading (a Gaussian mixture's centred
/// point, per component) is recorded once per iteration: copied to the tape at the iteration's end, copied back at the
/// start of its reverse. When the span is used nowhere else, the iteration can write it where the record would go
/// instead — on a tape of its own, <c>xc = xcSlots.PushSlot(xc.Length);</c> at the start of the iteration and
/// <c>xc = xcSlots.PopSlot(xc.Length);</c> at the start of its reverse — and nothing is copied. A record of the first B
/// elements (a caller's scratch span longer than the part used) takes slots of the whole length all the same: the
/// planner has checked that nothing reads or writes past B in the loop.
/// </summary>
/// <remarks>
/// The planner marks the records that qualify (<c>Provision.Slot</c>: no read before the iteration overwrites what it
/// records). This pass checks what only the finished code shows: the span is a local span declared at the top or a
/// span parameter (the caller's scratch: what it holds after the call was never defined, the reverse sweep restores it),
/// its record is pushed at one place and popped at one, both directly in loop bodies, and outside those two loops
/// only its length is read and whole-span copies touch it (its contents there are never read: each loop rebinds it
/// before use), so a joint statement's park of its final values around the reverse goes too. Only the printed gradient gets this; the pullback a Hessian-vector product differentiates keeps the
/// copies, whose tangents forward mode knows.
/// </remarks>
internal static class SnapshotSlots
{
    /// <param name="spanParameters">The method's writable span parameters (a caller's scratch qualifies like a local).</param>
    public static List<Stmt> Apply(List<Stmt> code, IReadOnlyCollection<string> spanParameters, Func<string, string> temp)
    {
        List<Stmt> all = IrWalk.Descendants(code).ToList();
        var pushes = all.OfType<PushRange>().Where(p => p.Slot).GroupBy(p => p.Vector).ToDictionary(g => g.Key, g => g.ToList());
        var pops = all.OfType<PopRange>().Where(p => p.Slot).GroupBy(p => p.Vector).ToDictionary(g => g.Key, g => g.ToList());
        var slotted = new Dictionary<Stmt, SlotBind>(ReferenceComparer<Stmt>.Instance);
        var tapes = new List<Stmt>();
        var disposals = new List<Stmt>();
        var dropped = new HashSet<Stmt>(ReferenceComparer<Stmt>.Instance);
        foreach (KeyValuePair<string, List<PushRange>> entry in pushes)
        {
            string vector = entry.Key;
            if (entry.Value.Count != 1 || !pops.TryGetValue(vector, out List<PopRange>? popList) || popList.Count != 1)
            {
                continue;
            }

            PushRange push = entry.Value[0];
            PopRange pop = popList[0];
            if (!Equals(push.Count, pop.Count) || push.Tape != pop.Tape
                || code.OfType<DeclareTape>().FirstOrDefault(t => t.Name == push.Tape) is not { } tape
                || !(spanParameters.Contains(vector) || DeclaredAsSpanAtTop(code, vector))
                || LoopHolding(all, push) is not { } forward || LoopHolding(all, pop) is not { } reverse
                || IrWalk.Descendants(forward.Body).Any(s => s is Break or Continue or Return))
            {
                continue;
            }

            var inside = new HashSet<Stmt>(IrWalk.Descendants(forward.Body).Concat(IrWalk.Descendants(reverse.Body)), ReferenceComparer<Stmt>.Instance);
            if (!OnlyInside(code, vector, inside) || reverse.Body.Statements.TakeWhile(s => !ReferenceEquals(s, pop)).Any(s => MentionsContents(s, vector)))
            {
                continue;
            }

            string slots = temp(vector + "Slots");
            slotted[push] = new SlotBind(slots, vector, Push: true);
            slotted[pop] = new SlotBind(slots, vector, Push: false);
            // Parks of the span around a joint statement outside the two loops are dead (nothing there reads it); one
            // inside the forward loop's iteration still puts back what that iteration reads after it.
            foreach (Stmt parking in all.Where(s => (s is PushRange { Parking: true } p && p.Vector == vector || s is PopRange { Parking: true } q && q.Vector == vector) && !inside.Contains(s)))
            {
                dropped.Add(parking);
            }

            tapes.Add(new DeclareTape(slots, tape.Element));
            disposals.Add(new DisposeTape(slots));
        }

        if (slotted.Count == 0)
        {
            return code;
        }

        List<Stmt> result = new Rewriter(slotted, dropped).Statements(code);
        int declarations = result.FindLastIndex(s => s is DeclareTape) + 1;
        result.InsertRange(declarations, tapes);
        result.InsertRange(result.FindLastIndex(s => s is DisposeTape) + 1, disposals);
        return WithoutUnusedTapes(result);
    }

    private static bool DeclaredAsSpanAtTop(List<Stmt> code, string vector) =>
        code.Any(s => s is Declare { Type.Shape: Shape.Span } d && d.Name == vector || s is RentBuffer r && r.Span == vector);

    /// <summary>The loop whose body holds the statement directly.</summary>
    private static Loop? LoopHolding(List<Stmt> all, Stmt statement) =>
        all.OfType<Loop>().FirstOrDefault(l => l.Body.Statements.Any(s => ReferenceEquals(s, statement)));

    /// <summary>
    /// Outside the two loops (and in their headers) the vector's contents are never read or written element by element:
    /// it is declared, cleared, measured, or copied whole.
    /// </summary>
    /// <param name="inside">The statements of the two loops' bodies.</param>
    private static bool OnlyInside(List<Stmt> code, string vector, HashSet<Stmt> inside)
    {
        foreach (Stmt statement in IrWalk.Descendants(code))
        {
            if (inside.Contains(statement))
            {
                continue;
            }

            bool allowed = statement switch
            {
                Declare d when d.Name == vector => d.Init is null || !MentionsContents(d.Init, vector),
                RentBuffer r when r.Span == vector => true,
                ClearVector c when c.Vector == vector => true,
                PushRange or PopRange => true,
                _ => !MentionsContents(statement, vector),
            };
            if (!allowed)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the statement's own code reads or writes the vector other than through its length.</summary>
    private static bool MentionsContents(Stmt statement, string vector)
    {
        if (statement is PushRange push && push.Vector == vector || statement is PopRange pop && pop.Vector == vector
            || statement is ClearVector clear && clear.Vector == vector || statement is SlotBind bind && bind.Vector == vector
            || statement is Declare declare && declare.Name == vector || statement is RentBuffer rent && rent.Span == vector)
        {
            return true;
        }

        Effects effects = Effects.Of(statement);
        if (effects.Writes.Contains(vector) || effects.VectorWrites.Contains(vector))
        {
            return true;
        }

        return IrWalk.OwnExpressions(statement).Any(e => MentionsContents(e, vector));
    }

    private static bool MentionsContents(Expr expr, string vector) =>
        IrWalk.SelfAndDescendants(expr).Any(e => e switch
        {
            Var v => v.Name == vector,
            Elem element => element.Array == vector,
            SliceOf slice => slice.Vector == vector,
            Opaque opaque => opaque.WrittenVectors.Contains(vector) || IrWalk.Reads(opaque).Contains(vector),
            _ => false,
        });

    /// <summary>Drops the declaration and disposal of a tape nothing pushes to any more.</summary>
    private static List<Stmt> WithoutUnusedTapes(List<Stmt> code)
    {
        var used = new HashSet<string>();
        foreach (Stmt statement in IrWalk.Descendants(code))
        {
            switch (statement)
            {
                case Push p:
                    used.Add(p.Tape);
                    break;
                case PushRange p:
                    used.Add(p.Tape);
                    break;
                case SlotBind b:
                    used.Add(b.Tape);
                    break;
            }
        }

        return code.Where(s => s switch
        {
            DeclareTape t => used.Contains(t.Name),
            DisposeTape t => used.Contains(t.Name),
            _ => true,
        }).ToList();
    }

    private sealed class Rewriter : IrRewriter
    {
        private readonly Dictionary<Stmt, SlotBind> _slotted;
        private readonly HashSet<Stmt> _dropped;

        public Rewriter(Dictionary<Stmt, SlotBind> slotted, HashSet<Stmt> dropped)
        {
            _slotted = slotted;
            _dropped = dropped;
        }

        public List<Stmt> Statements(IEnumerable<Stmt> statements) => RewriteList(statements).ToList();

        protected override IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements)
        {
            var result = new List<Stmt>();
            foreach (Stmt statement in statements)
            {
                if (_dropped.Contains(statement))
                {
                    continue;
                }

                if (!_slotted.TryGetValue(statement, out SlotBind? bind))
                {
                    result.Add(Rewrite(statement));
                }
                else if (bind.Push)
                {
                    // The iteration writes its record in place: the span names fresh slots from the iteration's start.
                    result.Insert(0, bind);
                }
                else
                {
                    result.Add(bind);
                }
            }

            return result;
        }
    }
}
