using System;
using System.Collections.Generic;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Adjoints;

/// <summary>
/// Partial derivatives of the math functions, as adjoint contributions: given the call's adjoint <c>g</c>, its
/// argument values and its own value <c>y</c>, the contribution to each argument's adjoint.
/// Conventions at non-smooth points: Abs'(0) = 0; Max/Min pass the gradient to the first argument on ties;
/// Clamp passes it to the value when lo ≤ x ≤ hi; Floor, Ceiling, Round, Truncate and Sign have derivative 0.
/// </summary>
internal static class DerivativeRules
{
    public static bool IsPiecewiseConstant(MathFn fn) => fn is MathFn.Floor or MathFn.Ceiling or MathFn.Round or MathFn.Truncate or MathFn.Sign;

    /// <summary>True when the rule uses the call's own value (so the forward sweep keeps it in a local).</summary>
    public static bool UsesValue(MathFn fn, bool exponentActive = true) =>
        fn is MathFn.Exp or MathFn.Sqrt or MathFn.Cbrt or MathFn.Tan or MathFn.Tanh or MathFn.Hypot or MathFn.Logistic or MathFn.LogBase || (fn == MathFn.Pow && exponentActive);

    /// <summary>True when the rule reads the value of argument <paramref name="index"/> (the caller needs it at hand).</summary>
    public static bool UsesArgument(MathFn fn, int index) => fn switch
    {
        MathFn.Exp or MathFn.Sqrt or MathFn.Cbrt or MathFn.Tan or MathFn.Tanh or MathFn.Logistic => false,
        MathFn.FusedMultiplyAdd => index < 2,
        _ => !IsPiecewiseConstant(fn),
    };

    /// <summary>
    /// Costly to evaluate again: a value the reverse sweep needs is kept from the forward sweep instead (cheap ones,
    /// such as <c>Abs</c> or <c>Max</c>, are recomputed).
    /// </summary>
    public static bool IsExpensive(MathFn fn) =>
        fn is not (MathFn.Abs or MathFn.Max or MathFn.Min or MathFn.Clamp or MathFn.FusedMultiplyAdd) && !IsPiecewiseConstant(fn);

    /// <param name="args">Argument values (atoms or temporaries).</param>
    /// <param name="y">The call's value (only valid when <see cref="UsesValue"/>).</param>
    /// <param name="g">The call's adjoint.</param>
    /// <param name="active">Which arguments need a contribution.</param>
    /// <param name="bind">Binds a non-atomic shared subexpression to a temporary and returns the temporary.</param>
    /// <param name="value">The value of a call the rule needs: a local that already holds it, or the call kept once.</param>
    public static Expr?[] Contributions(MathFn fn, IReadOnlyList<Expr> args, Expr? y, Expr g, bool[] active, Func<Expr, Expr> bind, Func<Expr, Expr> value)
    {
        var result = new Expr?[args.Count];
        TypeRef t = g.Type;
        Expr x = args[0];
        switch (fn)
        {
            case MathFn.Exp:
                result[0] = Mul(g, y!);
                break;
            case MathFn.Log:
                result[0] = Div(g, x);
                break;
            case MathFn.Log2:
                result[0] = Div(g, Mul(x, Lit(Math.Log(2), t)));
                break;
            case MathFn.Log10:
                result[0] = Div(g, Mul(x, Lit(Math.Log(10), t)));
                break;
            case MathFn.Sqrt:
                result[0] = Div(g, Mul(Lit(2, t), y!));
                break;
            case MathFn.Cbrt:
                result[0] = Div(g, Mul(Lit(3, t), Mul(y!, y!)));
                break;
            case MathFn.Pow:
                result[0] = PowBase(x, args[1], g, t, value);
                if (active[1])
                {
                    result[1] = Mul(g, Mul(y!, value(Call(MathFn.Log, x))));
                }

                break;
            case MathFn.Sin:
                result[0] = Mul(g, value(Call(MathFn.Cos, x)));
                break;
            case MathFn.Cos:
                result[0] = Neg(Mul(g, value(Call(MathFn.Sin, x))));
                break;
            case MathFn.Tan:
                result[0] = Mul(g, Add(Lit(1, t), Mul(y!, y!)));
                break;
            case MathFn.Asin:
                result[0] = Div(g, value(Call(MathFn.Sqrt, Sub(Lit(1, t), Mul(x, x)))));
                break;
            case MathFn.Acos:
                result[0] = Neg(Div(g, value(Call(MathFn.Sqrt, Sub(Lit(1, t), Mul(x, x))))));
                break;
            case MathFn.Atan:
                result[0] = Div(g, Add(Lit(1, t), Mul(x, x)));
                break;
            case MathFn.Asinh:
                result[0] = Div(g, value(Call(MathFn.Sqrt, Add(Mul(x, x), Lit(1, t)))));
                break;
            case MathFn.Acosh:
                result[0] = Div(g, value(Call(MathFn.Sqrt, Sub(Mul(x, x), Lit(1, t)))));
                break;
            case MathFn.Atanh:
                result[0] = Div(g, Sub(Lit(1, t), Mul(x, x)));
                break;
            case MathFn.LogBase:
                {
                    // log_b(a) = ln a / ln b: ∂a = 1/(a ln b), ∂b = −log_b(a)/(b ln b).
                    Expr lnBase = value(Call(MathFn.Log, args[1]));
                    result[0] = Div(g, Mul(x, lnBase));
                    if (active[1])
                    {
                        result[1] = Neg(Div(Mul(g, y!), Mul(args[1], lnBase)));
                    }

                    break;
                }

            case MathFn.Atan2:
                {
                    Expr denominator = bind(Add(Mul(args[0], args[0]), Mul(args[1], args[1])));
                    result[0] = Div(Mul(g, args[1]), denominator);
                    result[1] = Neg(Div(Mul(g, args[0]), denominator));
                    break;
                }

            case MathFn.Hypot:
                {
                    // ∂h/∂x = x/h, ∂h/∂y = y/h; at the origin (h = 0) both are taken as 0, as Abs'(0).
                    Expr h = y!;
                    Expr zero = Lit(0, t);
                    var atOrigin = new Binary(TypeRef.Bool, BinaryOp.Equal, h, zero);
                    result[0] = new Conditional(t, atOrigin, zero, Div(Mul(g, args[0]), h));
                    result[1] = new Conditional(t, atOrigin, zero, Div(Mul(g, args[1]), h));
                    break;
                }

            case MathFn.Sinh:
                result[0] = Mul(g, value(Call(MathFn.Cosh, x)));
                break;
            case MathFn.Cosh:
                result[0] = Mul(g, value(Call(MathFn.Sinh, x)));
                break;
            case MathFn.Tanh:
                result[0] = Mul(g, Sub(Lit(1, t), Mul(y!, y!)));
                break;
            case MathFn.Logistic:
                result[0] = Mul(g, Mul(y!, Sub(Lit(1, t), y!)));
                break;
            case MathFn.Abs:
                result[0] = Choose(Compare(BinaryOp.Greater, x, Lit(0, t)), g, Choose(Compare(BinaryOp.Less, x, Lit(0, t)), Neg(g), Lit(0, t)));
                break;
            case MathFn.Max or MathFn.Min:
                {
                    if (args[0].Equals(args[1]))
                    {
                        // Max(e, e) / Min(e, e): always a tie, so the first argument gets it (and no "e >= e" warning, CS1718).
                        result[0] = g;
                        result[1] = Lit(0, t);
                        break;
                    }

                    Expr first = Compare(fn == MathFn.Max ? BinaryOp.GreaterOrEqual : BinaryOp.LessOrEqual, args[0], args[1]);
                    result[0] = Choose(first, g, Lit(0, t));
                    result[1] = Choose(first, Lit(0, t), g);
                    break;
                }

            case MathFn.Clamp:
                result[0] = Choose(new Binary(TypeRef.Bool, BinaryOp.And, Compare(BinaryOp.GreaterOrEqual, x, args[1]), Compare(BinaryOp.LessOrEqual, x, args[2])), g, Lit(0, t));
                result[1] = Choose(Compare(BinaryOp.Less, x, args[1]), g, Lit(0, t));
                result[2] = Choose(new Binary(TypeRef.Bool, BinaryOp.And, Compare(BinaryOp.Greater, x, args[2]), Compare(BinaryOp.GreaterOrEqual, x, args[1])), g, Lit(0, t));
                break;
            case MathFn.FusedMultiplyAdd:
                result[0] = Mul(g, args[1]);
                result[1] = Mul(g, args[0]);
                result[2] = g;
                break;
        }

        return result;
    }

    /// <summary>∂xⁿ/∂x·ḡ, without a second Pow for the common small integer exponents.</summary>
    private static Expr PowBase(Expr x, Expr n, Expr g, TypeRef t, Func<Expr, Expr> value)
    {
        if (IsLiteral(n, 1))
        {
            return g;
        }

        if (IsLiteral(n, 2))
        {
            return Mul(Mul(Lit(2, t), x), g);
        }

        if (IsLiteral(n, 3))
        {
            return Mul(Mul(Mul(Lit(3, t), x), x), g);
        }

        return Mul(g, Mul(n, value(Call(MathFn.Pow, x, Sub(n, Lit(1, t))))));
    }
}
