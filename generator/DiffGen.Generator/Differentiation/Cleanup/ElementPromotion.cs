using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// Keeps in a local, across a counted loop, a vector element whose index the loop never changes: the adjoint row
/// sum <c>dxc[i] += l[k] * dy[j]</c> and the load <c>xc[i]</c> of an inner loop over j, as a careful person keeps them
/// in registers (the JIT cannot: a store through one span may alias another). The element is read once before the
/// loop and, if the loop writes it, stored once after it; the same additions happen in the same order, so every value
/// is bit for bit what the loop computed. Only when every other access of that vector in the loop is provably
/// another element (linear indices whose difference from the fixed one never vanishes over the counter's range), no
/// store in the loop can alias it (it is a local or an adjoint, or everything the loop writes is), and every iteration
/// touches it unconditionally — the loop is guarded by its first test, so nothing is read that it would not read.
/// </summary>
internal sealed class ElementPromotion : IrRewriter
{
    private readonly Func<string, bool> _cannotAlias;
    private readonly Func<string, string> _temp;

    private ElementPromotion(Func<string, bool> cannotAlias, Func<string, string> temp)
    {
        _cannotAlias = cannotAlias;
        _temp = temp;
    }

    /// <param name="code">The pullback's statements.</param>
    /// <param name="isAdjoint">Adjoint buffers: no primal span aliases them.</param>
    /// <param name="temp">Makes a fresh local name.</param>
    public static List<Stmt> Apply(List<Stmt> code, Func<string, bool> isAdjoint, Func<string, string> temp)
    {
        // Vectors the method creates itself cannot alias anything else.
        var created = new HashSet<string>(IrWalk.Descendants(code).Select(s => s switch
        {
            Declare { Init: NewVector } d => d.Name,
            RentBuffer r => r.Span,
            _ => null,
        }).OfType<string>());
        var rewriter = new ElementPromotion(n => isAdjoint(n) || created.Contains(n), temp);
        return code.Select(rewriter.Rewrite).ToList();
    }

    protected override Stmt VisitLoop(Loop loop)
    {
        var inner = (Loop)base.VisitLoop(loop);
        return Promote(inner) ?? inner;
    }

    private Stmt? Promote(Loop loop)
    {
        if (CountedLoopShape.Of(loop) is not { Step: 1 or -1 } shape || !IrWalk.IsPure(shape.Start) || !IrWalk.IsPure(shape.Bound)
            || IrWalk.SelfAndDescendants(shape.Start).Concat(IrWalk.SelfAndDescendants(shape.Bound)).Any(e => e is Elem or SliceOf))
        {
            return null;
        }

        List<Stmt> all = IrWalk.Descendants(new Stmt[] { loop }).ToList();
        HashSet<string>? written = LoopInvariantHoisting.WrittenIn(all);
        if (written is null || all.Any(s => s is Break or Continue or Return or PullbackCall or VectorKernel or ClearVector or PopRange or PushRange or Push))
        {
            return null;
        }

        Effects effects = Effects.Deep(loop);
        bool writesOnlyUnaliased = effects.VectorWrites.All(_cannotAlias);
        var promoted = new Dictionary<Elem, Var>();
        var stores = new List<Stmt>();
        var loads = new List<Stmt>();
        foreach (Elem element in Unconditional(loop.Body).Select(e => e with { ProvenInRange = false }).Distinct())
        {
            if (promoted.ContainsKey(element) || !element.Type.IsScalar || !IrWalk.IsPure(element.Index) || IrWalk.Reads(element.Index).Overlaps(written)
                || LinearForm.Of(element.Index) is not { } index || effects.Writes.Contains(element.Array) || effects.Declares.Contains(element.Array))
            {
                continue;
            }

            bool stored = written.Contains(element.Array);
            bool safe = stored
                ? _cannotAlias(element.Array) && all.All(s => !Effects.Of(s).VectorWrites.Contains(element.Array) || s is Assign { Target: Elem })
                : _cannotAlias(element.Array) || writesOnlyUnaliased;
            if (!safe || !InvariantAccumulation.OthersNeverReach(new Stmt[] { loop }, element, index, shape))
            {
                continue;
            }

            var local = new Var(element.Type, _temp(element.Array + "Elem"));
            promoted[element] = local;
            loads.Add(new Declare(local.Name, element.Type, element));
            if (stored)
            {
                stores.Add(new Assign(element, local));
            }
        }

        if (promoted.Count == 0)
        {
            return null;
        }

        var replaced = (Loop)new Replacement(promoted).Rewrite(loop);
        var block = new List<Stmt>(loads) { replaced };
        block.AddRange(stores);
        return new If(new Binary(TypeRef.Bool, shape.Compare, shape.Start, shape.Bound), Block.Of(block), null);
    }

    /// <summary>Elements every iteration evaluates: in the body's own statements, outside branches and short-circuits.</summary>
    private static IEnumerable<Elem> Unconditional(Block body)
    {
        foreach (Stmt statement in body.Statements)
        {
            switch (statement)
            {
                case Declare { Init: { } init }:
                    foreach (Elem e in InvariantLoads.EvaluatedElements(init))
                    {
                        yield return e;
                    }

                    break;
                case Assign assign:
                    if (assign.Target is Elem target)
                    {
                        yield return target;
                    }

                    foreach (Elem e in InvariantLoads.EvaluatedElements(assign.Value))
                    {
                        yield return e;
                    }

                    break;
            }
        }
    }

    private sealed class Replacement : IrRewriter
    {
        private readonly Dictionary<Elem, Var> _promoted;

        public Replacement(Dictionary<Elem, Var> promoted) => _promoted = promoted;

        protected override Expr VisitElem(Elem element) =>
            _promoted.TryGetValue(element with { ProvenInRange = false }, out Var? local) ? local : base.VisitElem(element);
    }
}
