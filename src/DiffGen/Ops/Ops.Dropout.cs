using System;
using System.Numerics;
using DiffGen.Elementwise;
using DiffGen.Layers;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>
    /// Dropout (<c>torch.nn.functional.dropout</c> in training mode): <c>y[i] = keep(i) ? x[i] / (1 − p) : 0</c>, the mask a
    /// function of the layer's seed and i. With p = 0 (<c>default(Dropout)</c>, evaluation) y is a copy of x.
    /// </summary>
    /// <param name="x">The input.</param>
    /// <param name="y">Receives the result (overwritten), as long as <paramref name="x"/>.</param>
    /// <param name="layer">The probability and the seed that selects the mask.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Dropout(ReadOnlySpan<float> x, Span<float> y, Dropout layer) => DropoutCore(x, y, layer);

    /// <inheritdoc cref="Dropout(ReadOnlySpan{float}, Span{float}, Layers.Dropout)"/>
    public static void Dropout(ReadOnlySpan<double> x, Span<double> y, Dropout layer) => DropoutCore(x, y, layer);

    /// <summary>
    /// Pullback of <see cref="Dropout(ReadOnlySpan{float}, Span{float}, Layers.Dropout)"/>: <c>dx[i] += keep(i) ? dy[i] / (1 − p) : 0</c>,
    /// with the forward pass's mask recomputed from the seed.
    /// </summary>
    /// <param name="x">The primal's input.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="layer">The primal's probability and seed.</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(Dropout))]
    public static void DropoutPullback(ReadOnlySpan<float> x, Span<float> y, Dropout layer, Span<float> dx, ReadOnlySpan<float> dy) =>
        DropoutPullbackCore<float>(x, y, layer, dx, dy);

    /// <inheritdoc cref="DropoutPullback(ReadOnlySpan{float}, Span{float}, Layers.Dropout, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(Dropout))]
    public static void DropoutPullback(ReadOnlySpan<double> x, Span<double> y, Dropout layer, Span<double> dx, ReadOnlySpan<double> dy) =>
        DropoutPullbackCore<double>(x, y, layer, dx, dy);

    private static void DropoutCore<T>(ReadOnlySpan<T> x, Span<T> y, in Dropout layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(x.Length, nameof(x), y.Length, nameof(y));
        DropoutMask.Apply(x, y, layer, accumulate: false);
    }

    private static void DropoutPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, in Dropout layer, Span<T> dx, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckElementwisePullback(x.Length, y.Length, dx.Length, dy.Length);
        DropoutMask.Apply(dy, dx, layer, accumulate: true);
    }
}
