using System;
using System.Numerics;
using System.Numerics.Tensors;
using DiffGen.Elementwise;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>Hyperbolic tangent <c>y[i] = tanh(x[i])</c>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="y">Receives the result (overwritten), as long as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => TanhCore(x, y);

    /// <inheritdoc cref="Tanh(ReadOnlySpan{float}, Span{float})"/>
    public static void Tanh(ReadOnlySpan<double> x, Span<double> y) => TanhCore(x, y);

    /// <summary>
    /// Pullback of <see cref="Tanh(ReadOnlySpan{float}, Span{float})"/>: <c>dx[i] += dy[i]·(1 − tanh²(x[i]))</c>, with tanh
    /// recomputed from <paramref name="x"/>.
    /// </summary>
    /// <param name="x">The primal's input.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(Tanh))]
    public static void TanhPullback(ReadOnlySpan<float> x, Span<float> y, Span<float> dx, ReadOnlySpan<float> dy) =>
        TanhPullbackCore<float>(x, y, dx, dy);

    /// <inheritdoc cref="TanhPullback(ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(Tanh))]
    public static void TanhPullback(ReadOnlySpan<double> x, Span<double> y, Span<double> dx, ReadOnlySpan<double> dy) =>
        TanhPullbackCore<double>(x, y, dx, dy);

    private static void TanhCore<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(x.Length, nameof(x), y.Length, nameof(y));
        TensorPrimitives.Tanh(x, y);
    }

    private static void TanhPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dx, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ActivationPullback(TensorPrimitives.Tanh, default(TanhGrad<T>), x, y, dx, dy);
}
