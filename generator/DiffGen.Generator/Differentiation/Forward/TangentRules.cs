using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Forward;

/// <summary>
/// The tangent of an expression: <c>ė = Σ ∂e/∂v · v̇</c> over the varied variables it reads, built from the same
/// derivative rules as reverse mode (<see cref="DerivativeRules"/>, whose contributions are linear in the adjoint, so
/// passing a tangent in place of the adjoint gives that argument's share of the tangent). The conventions at
/// non-smooth points are therefore reverse mode's: forward and reverse agree everywhere. A structural zero is null.
/// </summary>
internal sealed class TangentRules
{
    private readonly TangentScope _scope;
    private readonly Func<Expr, Expr> _bind;
    private readonly Expr? _top;
    private readonly Expr? _topValue;

    /// <param name="scope">Varied variables and tangent names.</param>
    /// <param name="bind">Binds a non-atomic expression to a temporary declared before the statement.</param>
    /// <param name="top">The statement's whole right-hand side, whose value <paramref name="topValue"/> holds once it ran.</param>
    /// <param name="topValue">Where the statement's value is, for rules that use it (exp, sqrt, tanh, a quotient).</param>
    public TangentRules(TangentScope scope, Func<Expr, Expr> bind, Expr? top, Expr? topValue)
    {
        _scope = scope;
        _bind = bind;
        _top = top;
        _topValue = topValue;
    }

    /// <summary>True when the tangent of <paramref name="top"/> reads the statement's own value (so it runs after the statement).</summary>
    public static bool UsesValue(Expr top, TangentScope scope) => top switch
    {
        MathCall m => DerivativeRules.UsesValue(m.Fn, m.Fn != MathFn.Pow || scope.IsVaried(m.Args[1])) && scope.IsVaried(m),
        Binary { Op: BinaryOp.Divide } b => scope.IsVaried(b.Right),
        _ => false,
    };

    public Expr? Of(Expr e)
    {
        if (!e.Type.IsReal || !_scope.IsVaried(e))
        {
            return null;
        }

        switch (e)
        {
            case Var v:
                return _scope.TangentVar(v.Name) is var t && t.Type.IsScalar ? t : new Var(v.Type, t.Name);
            case Elem el:
                return el with { Array = _scope.TangentOf(el.Array) };
            case TapePop p:
                return p with { Tape = _scope.TangentOf(p.Tape) };
            case Unary { Op: UnaryOp.Negate } u:
                return Of(u.Operand) is { } operand ? Neg(operand) : null;
            case Unary { Op: UnaryOp.Plus } u:
                return Of(u.Operand);
            case Binary b:
                return OfBinary(b);
            case Conditional c:
                {
                    Expr? whenTrue = Of(c.WhenTrue);
                    Expr? whenFalse = Of(c.WhenFalse);
                    return whenTrue is null && whenFalse is null ? null
                        : Choose(c.Condition, whenTrue ?? Lit(0, c.Type), whenFalse ?? Lit(0, c.Type));
                }

            case MathCall m:
                return OfCall(m);
            case Model.Convert c:
                return Of(c.Operand) is { } inner ? ConvertTo(inner, c.Type) : null;
            case SliceOf s:
                return s with { Vector = _scope.TangentOf(s.Vector) };
            case VectorReduce r:
                return OfReduce(r);
            default:
                return null;
        }
    }

    /// <summary>
    /// A product of three or more factors in which a varied factor repeats (<c>u * u * u</c>): Σ m·f^(m−1)·(the other
    /// factors)·ḟ over its distinct varied factors f, m times each, instead of the pairwise rule's nested products.
    /// Null when no varied factor repeats.
    /// </summary>
    private Expr? OfPower(Binary b)
    {
        if (RepeatedFactors(b, _scope.IsVaried) is not { } factors)
        {
            return null;
        }

        Expr? sum = null;
        foreach ((Expr factor, int count, List<Expr> others) in PowerShares(factors, _scope.IsVaried))
        {
            if (Of(factor) is not { } tangent)
            {
                continue;
            }

            Expr rest = others.Aggregate(Mul);
            Expr term = Mul(count == 1 ? rest : Mul(Lit(count, b.Type), rest), tangent);
            sum = sum is null ? term : Add(sum, term);
        }

        return sum;
    }

    private Expr? OfBinary(Binary b)
    {
        if (b.Op == BinaryOp.Multiply && OfPower(b) is { } power)
        {
            return power;
        }

        Expr? da = Of(b.Left);
        Expr? db = Of(b.Right);
        switch (b.Op)
        {
            case BinaryOp.Add:
                return da is null ? db : db is null ? da : Add(da, db);
            case BinaryOp.Subtract:
                return da is null ? (db is null ? null : Neg(db)) : db is null ? da : Sub(da, db);
            case BinaryOp.Multiply when da is not null && b.Left == b.Right:
                // a·a: 2a·ȧ (the same value as ȧ·a + a·ȧ: doubling is exact).
                return Mul(Mul(Lit(2, b.Type), b.Left), da);
            case BinaryOp.Multiply when db is not null && b.Left is Binary { Op: BinaryOp.Multiply, Left: Literal c } scaled && scaled.Right == b.Right:
                // c·a·a: 2c·a·ȧ.
                return Mul(Mul(Mul(Lit(2, b.Type), c), b.Right), db);
            case BinaryOp.Multiply:
                {
                    Expr? left = da is null ? null : Mul(da, b.Right);
                    Expr? right = db is null ? null : Mul(b.Left, db);
                    return left is null ? right : right is null ? left : Add(left, right);
                }

            case BinaryOp.Divide:
                {
                    if (db is null)
                    {
                        return da is null ? null : Div(da, b.Right);
                    }

                    // (ȧ − q·ḃ) / b with q = a / b: the statement's value when this is its whole right-hand side.
                    Expr quotient = ReferenceEquals(b, _top) && _topValue is not null ? _topValue : _bind(b);
                    Expr numerator = da is null ? Neg(Mul(quotient, db)) : Sub(da, Mul(quotient, db));
                    return Div(numerator, b.Right);
                }

            default:
                return null;
        }
    }

    private Expr? OfCall(MathCall m)
    {
        if (DerivativeRules.IsPiecewiseConstant(m.Fn))
        {
            return null;
        }

        // The rule's contributions are linear in the adjoint g: with g = ȧₖ, contribution k is ∂f/∂aₖ · ȧₖ.
        Expr value = ReferenceEquals(m, _top) && _topValue is not null ? _topValue : m;
        Expr? sum = null;
        for (int k = 0; k < m.Args.Count; k++)
        {
            if (Of(m.Args[k]) is not { } tangent)
            {
                continue;
            }

            bool[] active = new bool[m.Args.Count];
            active[k] = true;
            Expr?[] contributions = DerivativeRules.Contributions(m.Fn, m.Args, value, tangent, active, _bind, static e => e);
            if (contributions[k] is { } share)
            {
                sum = sum is null ? share : Add(sum, share);
            }
        }

        return sum;
    }

    private Expr? OfReduce(VectorReduce r)
    {
        switch (r.Op)
        {
            case ReduceOp.Sum:
                return Of(r.Operands[0]) is { } slice ? r with { Operands = new[] { slice }.ToEquatableArray() } : null;
            case ReduceOp.SumOfSquares:
                return Of(r.Operands[0]) is { } tangent
                    ? Mul(Lit(2, r.Type), new VectorReduce(r.Type, ReduceOp.Dot, new[] { r.Operands[0], tangent }.ToEquatableArray()))
                    : null;
            default:
                {
                    var terms = new List<Expr>();
                    if (Of(r.Operands[0]) is { } left)
                    {
                        terms.Add(new VectorReduce(r.Type, ReduceOp.Dot, new[] { left, r.Operands[1] }.ToEquatableArray()));
                    }

                    if (Of(r.Operands[1]) is { } right)
                    {
                        terms.Add(new VectorReduce(r.Type, ReduceOp.Dot, new[] { r.Operands[0], right }.ToEquatableArray()));
                    }

                    return terms.Count == 0 ? null : terms.Aggregate(Add);
                }
        }
    }
}
