using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// In a fused loop that runs at least once (the caller guards it), an element that every iteration reads at an index
/// the loop never changes, from a vector the loop never writes (<c>x[3 * i]</c> in the loop over j of a pair potential),
/// is loaded once before the loop: the JIT cannot do it, since the adjoint stores might alias the vector. Only loads
/// every iteration evaluates move (not those under a branch), so nothing is read that the loop would not read.
/// </summary>
internal static class InvariantLoads
{
    public static (List<Stmt> Forward, List<Stmt> Reverse, List<Stmt> Loads) Apply(
        List<Stmt> forward, List<Stmt> reverse, HashSet<string> written, System.Func<string, string> temp)
    {
        var loads = new List<Stmt>();
        var names = new Dictionary<Elem, Var>();
        foreach (Stmt statement in forward)
        {
            IEnumerable<Expr> evaluated = statement switch
            {
                Declare { Init: { } init } => new[] { init },
                Assign { Target: Var } a => new[] { a.Value },
                _ => System.Array.Empty<Expr>(),
            };
            foreach (Elem element in evaluated.SelectMany(EvaluatedElements))
            {
                if (!names.ContainsKey(element) && !written.Contains(element.Array) && IrWalk.IsPure(element.Index)
                    && !IrWalk.Reads(element.Index).Overlaps(written))
                {
                    var local = new Var(element.Type, temp(element.Array + "Elem"));
                    names[element with { ProvenInRange = false }] = local;
                    loads.Add(new Declare(local.Name, element.Type, element));
                }
            }

            // Stop at the first statement that is not plain forward code: later reads may depend on what it does.
            if (statement is not (Declare or Assign { Target: Var } or Comment))
            {
                break;
            }
        }

        if (names.Count == 0)
        {
            return (forward, reverse, loads);
        }

        var replace = new LoadReplacement(names);
        return (forward.Select(replace.Rewrite).ToList(), reverse.Select(replace.Rewrite).ToList(), loads);
    }

    /// <summary>Elements the expression always evaluates (not under a branch of ?: or the right of && and ||).</summary>
    internal static IEnumerable<Elem> EvaluatedElements(Expr expr)
    {
        switch (expr)
        {
            case Elem { Type.IsScalar: true } element:
                yield return element;
                yield break;
            case Conditional c:
                foreach (Elem e in EvaluatedElements(c.Condition))
                {
                    yield return e;
                }

                yield break;
            case Binary { Op: BinaryOp.And or BinaryOp.Or } logical:
                foreach (Elem e in EvaluatedElements(logical.Left))
                {
                    yield return e;
                }

                yield break;
        }

        foreach (Expr child in IrWalk.Children(expr))
        {
            foreach (Elem e in EvaluatedElements(child))
            {
                yield return e;
            }
        }
    }

    private sealed class LoadReplacement : IrRewriter
    {
        private readonly Dictionary<Elem, Var> _names;

        public LoadReplacement(Dictionary<Elem, Var> names) => _names = names;

        protected override Expr VisitElem(Elem element) =>
            _names.TryGetValue(element with { ProvenInRange = false }, out Var? local) ? local : base.VisitElem(element);

        // A store's target stays an element (the loop writes none of these vectors, but keep the rule local).
        protected override Stmt VisitAssign(Assign assign) =>
            assign.Target is Elem ? assign with { Target = VisitElem((Elem)assign.Target) is Elem e ? e : assign.Target, Value = Rewrite(assign.Value) } : base.VisitAssign(assign);
    }
}
