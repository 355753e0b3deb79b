using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Preparation;

/// <summary>
/// The logistic sigmoid as people write it, <c>1 / (1 + Math.Exp(-z))</c>, becomes one call (<see cref="MathFn.Logistic"/>)
/// whose derivative is σ(1 − σ): the reverse sweep then needs the gate's value only, not the exponential and a second
/// division (LSTM and GRU gates, logistic regression). It prints back as the same arithmetic, so values keep their bits.
/// </summary>
internal static class LogisticRecognition
{
    public static Block Apply(Block body) => (Block)new Rewriter().Rewrite(body);

    /// <summary>The arithmetic a <see cref="MathFn.Logistic"/> call stands for, as the user wrote it.</summary>
    public static Expr Spelled(MathCall logistic)
    {
        Expr x = logistic.Args[0];
        TypeRef t = logistic.Type;
        var exp = new MathCall(t, MathFn.Exp, new Expr[] { new Unary(t, UnaryOp.Negate, x) }.ToEquatableArray());
        return new Binary(t, BinaryOp.Divide, Lit(1, t), new Binary(t, BinaryOp.Add, Lit(1, t), exp));
    }

    private sealed class Rewriter : IrRewriter
    {
        protected override Expr VisitBinary(Binary binary)
        {
            if (binary is { Op: BinaryOp.Divide, Type.IsReal: true, Right: Binary { Op: BinaryOp.Add } sum } && IsLiteral(binary.Left, 1)
                && (NegatedExponent(sum.Left, sum.Right) ?? NegatedExponent(sum.Right, sum.Left)) is { } z)
            {
                return new MathCall(binary.Type, MathFn.Logistic, new[] { Rewrite(z) }.ToEquatableArray());
            }

            return base.VisitBinary(binary);
        }

        /// <summary>z when <paramref name="one"/> is 1 and <paramref name="exp"/> is exp(−z) of the same type.</summary>
        private static Expr? NegatedExponent(Expr one, Expr exp) =>
            IsLiteral(one, 1) && exp is MathCall { Fn: MathFn.Exp, Args: { Count: 1 } args } call && args[0] is Unary { Op: UnaryOp.Negate } negated
                && call.Type == one.Type && negated.Operand.Type == call.Type
                ? negated.Operand
                : null;
    }
}
