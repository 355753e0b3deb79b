using System;
using DiffGen;

namespace DiffGen.IntegrationTests;

/// <summary>A user's own primitive with a hand-written pullback, registered with [DerivativeOf].</summary>
public static class UserMath
{
    /// <summary>log(1 + eˣ), computed stably.</summary>
    public static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    /// <summary>Scales a vector into an output vector: y = a·x.</summary>
    public static void Scale(ReadOnlySpan<double> x, double a, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = a * x[i];
        }
    }
}

/// <summary>Pullbacks registered away from both the primal and the caller: found anywhere in the assembly.</summary>
public static class UserMathDerivatives
{
    [DerivativeOf(typeof(UserMath), nameof(UserMath.Softplus))]
    public static void SoftplusPullback(double x, double seed, ref double dx) => dx += seed / (1 + Math.Exp(-x));

    [DerivativeOf(typeof(UserMath), nameof(UserMath.Softplus), Form = DerivativeForm.Pushforward)]
    public static double SoftplusPushforward(double x, double dx, out double tangent)
    {
        tangent = dx / (1 + Math.Exp(-x));
        return UserMath.Softplus(x);
    }

    [DerivativeOf(typeof(UserMath), nameof(UserMath.Scale), Form = DerivativeForm.Pushforward)]
    public static void ScalePushforward(ReadOnlySpan<double> x, double a, Span<double> y, ReadOnlySpan<double> dx, double da, Span<double> dy)
    {
        UserMath.Scale(x, a, y);
        for (int i = 0; i < x.Length; i++)
        {
            dy[i] = (da * x[i]) + (dx.IsEmpty ? 0 : a * dx[i]);
        }
    }

    [DerivativeOf(typeof(UserMath), nameof(UserMath.Scale))]
    public static void ScalePullback(ReadOnlySpan<double> x, double a, Span<double> y, Span<double> dx, ref double da, ReadOnlySpan<double> dy)
    {
        bool needX = !dx.IsEmpty; // empty: x is not differentiated at this call site
        for (int i = 0; i < x.Length; i++)
        {
            if (needX)
            {
                dx[i] += a * dy[i];
            }

            da += x[i] * dy[i];
        }
    }
}

public static partial class Functions
{
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double UsesCustomScalar(double x, double y) => UserMath.Softplus(x * y) + UserMath.Softplus(-x);

    /// <summary>A local array as a kernel's output: its tangent follows (the argument is an array, the parameter a span).</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double MatVecIntoLocalArray(ReadOnlySpan<double> a, ReadOnlySpan<double> x)
    {
        var y = new double[2];
        Ops.MatVec(a, x, y, 2, 2);
        return Ops.Dot(y, y);
    }

    [Differentiable(nameof(v), nameof(a), Generate = Derivatives.Reverse | Derivatives.Forward)]
    [Differentiable(nameof(a), Name = "UsesCustomVectorScaleGradient", Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double UsesCustomVector(ReadOnlySpan<double> v, double a, Span<double> scratch)
    {
        UserMath.Scale(v, a, scratch);
        double s = 0;
        for (int i = 0; i < scratch.Length; i++)
        {
            s += Math.Sin(scratch[i]);
        }

        return s;
    }

    /// <summary>The same scratch output written twice: the first contents are snapshotted and restored in reverse.</summary>
    [Differentiable(nameof(v), nameof(a), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double ScratchReused(ReadOnlySpan<double> v, double a, Span<double> scratch)
    {
        UserMath.Scale(v, a, scratch);
        double s = 0;
        for (int i = 0; i < scratch.Length; i++)
        {
            s += Math.Sin(scratch[i]);
        }

        UserMath.Scale(v, a * a, scratch);
        for (int i = 0; i < scratch.Length; i++)
        {
            s += scratch[i] * scratch[i] * v[i];
        }

        return s;
    }
}

/// <summary>Forward mode through DiffGen.Ops (their registered pushforwards).</summary>
public static partial class OpsFunctions
{
    [Differentiable(nameof(a), nameof(x), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double Layer(ReadOnlySpan<double> a, ReadOnlySpan<double> x, Span<double> hidden, int rows, int cols)
    {
        Ops.MatVec(a, x, hidden, rows, cols);
        double s = Ops.Sum(hidden);
        double d = Ops.Dot(hidden, hidden) + Ops.Dot(x, x);
        return Math.Tanh(s) + (d * d);
    }
}
