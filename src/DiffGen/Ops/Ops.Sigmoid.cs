using System;
using System.Numerics;
using System.Numerics.Tensors;
using DiffGen.Elementwise;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>Logistic sigmoid <c>y[i] = 1 / (1 + e^(−x[i]))</c>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="y">Receives the result (overwritten), as long as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => SigmoidCore(x, y);

    /// <inheritdoc cref="Sigmoid(ReadOnlySpan{float}, Span{float})"/>
    public static void Sigmoid(ReadOnlySpan<double> x, Span<double> y) => SigmoidCore(x, y);

    /// <summary>
    /// Pullback of <see cref="Sigmoid(ReadOnlySpan{float}, Span{float})"/>: <c>dx[i] += dy[i]·σ(x[i])·(1 − σ(x[i]))</c>,
    /// with σ recomputed from <paramref name="x"/>.
    /// </summary>
    /// <param name="x">The primal's input.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(Sigmoid))]
    public static void SigmoidPullback(ReadOnlySpan<float> x, Span<float> y, Span<float> dx, ReadOnlySpan<float> dy) =>
        SigmoidPullbackCore<float>(x, y, dx, dy);

    /// <inheritdoc cref="SigmoidPullback(ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(Sigmoid))]
    public static void SigmoidPullback(ReadOnlySpan<double> x, Span<double> y, Span<double> dx, ReadOnlySpan<double> dy) =>
        SigmoidPullbackCore<double>(x, y, dx, dy);

    private static void SigmoidCore<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(x.Length, nameof(x), y.Length, nameof(y));
        TensorPrimitives.Sigmoid(x, y);
    }

    private static void SigmoidPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dx, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ActivationPullback(TensorPrimitives.Sigmoid, default(SigmoidGrad<T>), x, y, dx, dy);
}
