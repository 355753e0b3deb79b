using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>Returns the dot product <c>Σ x[i]·y[i]</c>.</summary>
    /// <param name="x">First vector.</param>
    /// <param name="y">Second vector, as long as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DotCore(x, y);

    /// <inheritdoc cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => DotCore(x, y);

    /// <summary>Pullback of <see cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>: <c>dx += seed·y</c>, <c>dy += seed·x</c>.</summary>
    /// <param name="x">The primal's first vector.</param>
    /// <param name="y">The primal's second vector.</param>
    /// <param name="seed">Adjoint of the result.</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="dy">Adjoint of <paramref name="y"/>, accumulated into.</param>
    [DerivativeOf(typeof(Ops), nameof(Dot))]
    public static void DotPullback(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float seed, Span<float> dx, Span<float> dy) =>
        DotPullbackCore(x, y, seed, dx, dy);

    /// <inheritdoc cref="DotPullback(ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float}, Span{float})"/>
    [DerivativeOf(typeof(Ops), nameof(Dot))]
    public static void DotPullback(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double seed, Span<double> dx, Span<double> dy) =>
        DotPullbackCore(x, y, seed, dx, dy);

    private static T DotCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(x.Length, nameof(x), y.Length, nameof(y));
        return TensorPrimitives.Dot(x, y);
    }

    private static void DotPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T seed, Span<T> dx, Span<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(x.Length, nameof(x), y.Length, nameof(y));
        if (NeedsAdjoint(x.Length, nameof(x), dx.Length, nameof(dx)))
        {
            TensorPrimitives.MultiplyAdd(y, seed, dx, dx);
        }

        if (NeedsAdjoint(y.Length, nameof(y), dy.Length, nameof(dy)))
        {
            TensorPrimitives.MultiplyAdd(x, seed, dy, dy);
        }
    }
}
