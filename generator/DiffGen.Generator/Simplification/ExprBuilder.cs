using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Simplification;

/// <summary>Smart constructors that fold the trivial cases (×1, −(−x), +0) so adjoint code reads like hand-written code.</summary>
internal static class ExprBuilder
{
    public static Literal Lit(double value, TypeRef type) => LiteralFormatter.Real(value, type);

    public static bool IsLiteral(Expr e, double value) =>
        e is Literal l && LiteralFormatter.ValueOf(l) is double v && v == value;

    public static Expr Neg(Expr e) => e switch
    {
        Unary { Op: UnaryOp.Negate } u => u.Operand,
        Literal l when LiteralFormatter.ValueOf(l) is double v && !l.Text.Contains("Infinity") && !l.Text.Contains("NaN") => Lit(-v, l.Type),
        _ => new Unary(e.Type, UnaryOp.Negate, e),
    };

    public static Expr Mul(Expr a, Expr b)
    {
        if (IsLiteral(a, 1))
        {
            return b;
        }

        if (IsLiteral(b, 1))
        {
            return a;
        }

        if (IsLiteral(a, -1))
        {
            return Neg(b);
        }

        if (IsLiteral(b, -1))
        {
            return Neg(a);
        }

        if (a is Unary { Op: UnaryOp.Negate } na)
        {
            return Neg(Mul(na.Operand, b));
        }

        if (b is Unary { Op: UnaryOp.Negate } nb)
        {
            return Neg(Mul(a, nb.Operand));
        }

        return new Binary(a.Type, BinaryOp.Multiply, a, b);
    }

    public static Expr Div(Expr a, Expr b)
    {
        if (IsLiteral(b, 1))
        {
            return a;
        }

        if (a is Unary { Op: UnaryOp.Negate } na)
        {
            return Neg(Div(na.Operand, b));
        }

        return new Binary(a.Type, BinaryOp.Divide, a, b);
    }

    public static Expr Add(Expr a, Expr b)
    {
        if (IsLiteral(a, 0))
        {
            return b;
        }

        if (IsLiteral(b, 0))
        {
            return a;
        }

        return b is Unary { Op: UnaryOp.Negate } nb ? new Binary(a.Type, BinaryOp.Subtract, a, nb.Operand) : new Binary(a.Type, BinaryOp.Add, a, b);
    }

    public static Expr Sub(Expr a, Expr b) => IsLiteral(b, 0) ? a : new Binary(a.Type, BinaryOp.Subtract, a, b);

    public static Expr Call(MathFn fn, params Expr[] args) => new MathCall(args[0].Type, fn, args.ToEquatableArray());

    /// <summary>
    /// A comparison; a variable compared with itself (Math.Max(v, v)) is folded, since C# warns on it (CS1718).
    /// Only NaN would compare otherwise, and the derivative rules choose between complementary contributions.
    /// </summary>
    public static Expr Compare(BinaryOp op, Expr a, Expr b) => a is Var && a.Equals(b)
        ? new Literal(TypeRef.Bool, op is BinaryOp.LessOrEqual or BinaryOp.GreaterOrEqual or BinaryOp.Equal ? "true" : "false")
        : new Binary(TypeRef.Bool, op, a, b);

    public static Expr Choose(Expr condition, Expr whenTrue, Expr whenFalse) => condition switch
    {
        Literal { Text: "true" } => whenTrue,
        Literal { Text: "false" } => whenFalse,
        _ => new Conditional(whenTrue.Type, condition, whenTrue, whenFalse),
    };

    public static Expr ConvertTo(Expr e, TypeRef type) => e.Type == type ? e : e is Literal l && LiteralFormatter.ValueOf(l) is double v ? Lit(v, type) : new Model.Convert(type, e);

    /// <summary>Atoms can be repeated without recomputation.</summary>
    /// <summary>The factors of a product tree <c>a * b * c</c> (of one type), left to right; any other expression is its one factor.</summary>
    public static List<Expr> Factors(Expr e)
    {
        var factors = new List<Expr>();
        Collect(e);
        return factors;

        void Collect(Expr part)
        {
            if (part is Binary { Op: BinaryOp.Multiply } m && m.Type == m.Left.Type && m.Type == m.Right.Type)
            {
                Collect(m.Left);
                Collect(m.Right);
            }
            else
            {
                factors.Add(part);
            }
        }
    }

    /// <summary>
    /// The factors of a product of three or more in which a factor <paramref name="varies"/> says is differentiated
    /// repeats (<c>u * u * u</c>, <c>x * y * x</c>), or null.
    /// </summary>
    public static List<Expr>? RepeatedFactors(Expr product, Func<Expr, bool> varies)
    {
        List<Expr> factors = Factors(product);
        for (int i = 0; factors.Count >= 3 && i < factors.Count; i++)
        {
            if (varies(factors[i]) && factors.FindIndex(i + 1, f => f.Equals(factors[i])) >= 0)
            {
                return factors;
            }
        }

        return null;
    }

    /// <summary>
    /// The power rule over a product's factors: each distinct factor <paramref name="varies"/> accepts, in order of first
    /// appearance, with how many times it appears (m) and the other factors (every factor but its first occurrence),
    /// so that its share of the derivative is m·(others)·(its derivative).
    /// </summary>
    public static IEnumerable<(Expr Factor, int Count, List<Expr> Others)> PowerShares(List<Expr> factors, Func<Expr, bool> varies)
    {
        var done = new List<Expr>();
        foreach (Expr factor in factors)
        {
            if (done.Contains(factor) || !varies(factor))
            {
                continue;
            }

            done.Add(factor);
            var others = new List<Expr>(factors);
            others.RemoveAt(factors.IndexOf(factor));
            yield return (factor, factors.Count(f => f.Equals(factor)), others);
        }
    }

    public static bool IsAtomic(Expr e) => e switch
    {
        Literal or Var or LengthOf or StaticValue or DefaultValue => true,
        Elem el => el.Index is Literal or Var,
        Unary { Op: UnaryOp.Negate } u => IsAtomic(u.Operand),
        Model.Convert { Operand: Var or Literal or LengthOf } => true,
        _ => false,
    };

    public static string Describe(Exception ex) => ex.GetType().Name + ": " + ex.Message;
}
