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

    /// <summary>
    /// Pushforward of <see cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>: returns the dot product and sets
    /// <c>tangent = dx·y + x·dy</c>; an empty tangent is zero.
    /// </summary>
    /// <param name="x">First vector.</param>
    /// <param name="y">Second vector.</param>
    /// <param name="dx">Tangent of <paramref name="x"/>, or empty.</param>
    /// <param name="dy">Tangent of <paramref name="y"/>, or empty.</param>
    /// <param name="tangent">The result's tangent.</param>
    /// <returns>The dot product.</returns>
    [DerivativeOf(typeof(Ops), nameof(Dot), Form = DerivativeForm.Pushforward)]
    public static float DotPushforward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dx, ReadOnlySpan<float> dy, out float tangent) =>
        DotPushforwardCore(x, y, dx, dy, out tangent);

    /// <inheritdoc cref="DotPushforward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, out float)"/>
    [DerivativeOf(typeof(Ops), nameof(Dot), Form = DerivativeForm.Pushforward)]
    public static double DotPushforward(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dx, ReadOnlySpan<double> dy, out double tangent) =>
        DotPushforwardCore(x, y, dx, dy, out tangent);

    private static T DotPushforwardCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dx, ReadOnlySpan<T> dy, out T tangent)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T value = DotCore(x, y);
        tangent = T.Zero;
        if (NeedsAdjoint(x.Length, nameof(x), dx.Length, nameof(dx)))
        {
            tangent += TensorPrimitives.Dot(dx, y);
        }

        if (NeedsAdjoint(y.Length, nameof(y), dy.Length, nameof(dy)))
        {
            tangent += TensorPrimitives.Dot(x, dy);
        }

        return value;
    }

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
