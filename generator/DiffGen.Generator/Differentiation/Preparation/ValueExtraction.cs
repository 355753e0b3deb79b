using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Differentiation.Analysis;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Preparation;

/// <summary>
/// Keeps the values the reverse sweep will need from costly calls in locals of the forward sweep, so each is
/// evaluated once per gradient call: <c>p = 1 / (1 + exp(-z))</c> becomes <c>exp = exp(-z); p = 1 / (1 + exp)</c>,
/// whose adjoint reads <c>exp</c> and <c>p</c> instead of evaluating the exponential twice more. The rule (stated in
/// docs/generated-code.md): a call to a transcendental function is kept when its derivative rule uses its value
/// (exp, sqrt, tanh, …) or its parent's rule does (the denominator of a division, a factor of a product, the argument
/// of log or sin); cheap arithmetic is recomputed instead. Nothing under a <c>?:</c> branch moves (it may not run),
/// and the values are bit for bit the same (the same operations, stored in a local of the same type).
/// A call's non-trivial scalar arguments get locals too: its pullback is called with the same values.
/// </summary>
internal sealed class ValueExtraction : IrRewriter
{
    private readonly Activity _activity;
    private readonly NameTable _names;
    private List<Stmt> _pending = new();

    private ValueExtraction(Activity activity, NameTable names)
    {
        _activity = activity;
        _names = names;
    }

    public static Block Apply(Block body, Activity activity, NameTable names) => new ValueExtraction(activity, names).RewriteBlock(body);

    protected override IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements)
    {
        foreach (Stmt statement in statements)
        {
            List<Stmt> saved = _pending;
            _pending = new List<Stmt>();
            Stmt rewritten = statement switch
            {
                Declare { Init: { } init, Type.IsRealScalar: true } d when _activity.IsActive(d.Name) => d with { Init = Extract(init, valueNeeded: false, whole: true) },
                Assign a when a.Target.Type.IsReal && _activity.IsActive(IrWalk.TargetName(a.Target)) => a with { Value = Extract(a.Value, valueNeeded: false, whole: false) },
                CallStmt c => c with { Call = c.Call with { Args = c.Call.Args.Select((arg, i) => CallArgument(arg, c.Call.ParameterNames[i])).ToEquatableArray() } },
                _ => Rewrite(statement),
            };
            foreach (Stmt extracted in _pending)
            {
                yield return extracted;
            }

            _pending = saved;
            yield return rewritten;
        }
    }

    private Expr CallArgument(Expr arg, string parameter)
    {
        if (!arg.Type.IsRealScalar || IsAtomic(arg) || !_activity.IsActive(arg) || !IrWalk.IsPure(arg))
        {
            return arg;
        }

        return Keep(Extract(arg, valueNeeded: false, whole: false), parameter);
    }

    /// <param name="valueNeeded">The parent's derivative rule reads this value.</param>
    /// <param name="whole">The expression is a declaration's whole initializer: the declared local already holds it.</param>
    private Expr Extract(Expr e, bool valueNeeded, bool whole)
    {
        switch (e)
        {
            case MathCall m:
                {
                    bool[] active = m.Args.Select(_activity.IsActive).ToArray();
                    bool anyActive = active.Any(a => a);
                    var args = m.Args.Select((a, i) => Extract(a, anyActive && DerivativeRules.UsesArgument(m.Fn, i), whole: false)).ToEquatableArray();
                    var call = m with { Args = args };
                    bool ownRule = anyActive && DerivativeRules.UsesValue(m.Fn, exponentActive: m.Fn != MathFn.Pow || active[1]);
                    return (ownRule || valueNeeded) && !whole && DerivativeRules.IsExpensive(m.Fn) && IrWalk.IsPure(call)
                        ? Keep(call, AdjointScope.HintFor(call))
                        : call;
                }

            case Binary { Op: BinaryOp.Multiply } b:
                return b with
                {
                    Left = Extract(b.Left, _activity.IsActive(b.Right), whole: false),
                    Right = Extract(b.Right, _activity.IsActive(b.Left), whole: false),
                };
            case Binary { Op: BinaryOp.Divide } b:
                return b with
                {
                    Left = Extract(b.Left, valueNeeded: false, whole: false),
                    Right = Extract(b.Right, _activity.IsActive(b), whole: false),
                };
            case Binary { Op: BinaryOp.Add or BinaryOp.Subtract } b:
                return b with { Left = Extract(b.Left, false, whole: false), Right = Extract(b.Right, false, whole: false) };
            case Unary { Op: UnaryOp.Negate or UnaryOp.Plus } u:
                return u with { Operand = Extract(u.Operand, valueNeeded, whole: false) };
            case Model.Convert c:
                return c with { Operand = Extract(c.Operand, valueNeeded, whole: false) };
            default:
                // Conditions, indices, branches of ?: (which may not run) and atoms stay as they are.
                return e;
        }
    }

    private Var Keep(Expr value, string hint)
    {
        string name = _names.Unique(hint);
        _pending.Add(new Declare(name, value.Type, value));
        return new Var(value.Type, name);
    }
}
