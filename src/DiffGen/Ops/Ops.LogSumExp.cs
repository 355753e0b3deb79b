using System;
using System.Numerics;
using System.Numerics.Tensors;
using DiffGen.Elementwise;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>
    /// Returns <c>log Σ e^(x[i])</c>, computed stably as <c>m + log Σ e^(x[i] − m)</c> with m the maximum. An empty span
    /// gives −∞; if the maximum is ±∞ the result is that maximum.
    /// </summary>
    /// <param name="x">The values.</param>
    public static float LogSumExp(ReadOnlySpan<float> x) => LogSumExpCore(x);

    /// <inheritdoc cref="LogSumExp(ReadOnlySpan{float})"/>
    public static double LogSumExp(ReadOnlySpan<double> x) => LogSumExpCore(x);

    /// <summary>
    /// Pullback of <see cref="LogSumExp(ReadOnlySpan{float})"/>: <c>dx += seed·softmax(x)</c> (NaN when the maximum is
    /// infinite, where the gradient is undefined).
    /// </summary>
    /// <param name="x">The primal's values.</param>
    /// <param name="seed">Adjoint of the result.</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    [DerivativeOf(typeof(Ops), nameof(LogSumExp))]
    public static void LogSumExpPullback(ReadOnlySpan<float> x, float seed, Span<float> dx) => LogSumExpPullbackCore(x, seed, dx);

    /// <inheritdoc cref="LogSumExpPullback(ReadOnlySpan{float}, float, Span{float})"/>
    [DerivativeOf(typeof(Ops), nameof(LogSumExp))]
    public static void LogSumExpPullback(ReadOnlySpan<double> x, double seed, Span<double> dx) => LogSumExpPullbackCore(x, seed, dx);

    private static T LogSumExpCore<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.IsEmpty)
        {
            return T.NegativeInfinity;
        }

        T max = TensorPrimitives.Max(x);
        if (T.IsInfinity(max))
        {
            return max;
        }

        T sum = ExpShifted(x, Scratch<T>.Get(x.Length), out max);
        return max + T.Log(sum);
    }

    private static void LogSumExpPullbackCore<T>(ReadOnlySpan<T> x, T seed, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(x.Length, nameof(x), dx.Length, nameof(dx));
        if (x.IsEmpty)
        {
            return;
        }

        Span<T> s = Scratch<T>.Get(x.Length);
        T sum = ExpShifted(x, s, out _);
        TensorPrimitives.MultiplyAdd(s, seed / sum, dx, dx);
    }
}
