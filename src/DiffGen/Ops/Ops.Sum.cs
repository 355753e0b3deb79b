using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>Returns <c>Σ x[i]</c> (0 for an empty span).</summary>
    /// <param name="x">The values.</param>
    public static float Sum(ReadOnlySpan<float> x) => TensorPrimitives.Sum(x);

    /// <inheritdoc cref="Sum(ReadOnlySpan{float})"/>
    public static double Sum(ReadOnlySpan<double> x) => TensorPrimitives.Sum(x);

    /// <summary>Pullback of <see cref="Sum(ReadOnlySpan{float})"/>: <c>dx[i] += seed</c>.</summary>
    /// <param name="x">The primal's values.</param>
    /// <param name="seed">Adjoint of the result.</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    [DerivativeOf(typeof(Ops), nameof(Sum))]
    public static void SumPullback(ReadOnlySpan<float> x, float seed, Span<float> dx) => SumPullbackCore(x, seed, dx);

    /// <inheritdoc cref="SumPullback(ReadOnlySpan{float}, float, Span{float})"/>
    [DerivativeOf(typeof(Ops), nameof(Sum))]
    public static void SumPullback(ReadOnlySpan<double> x, double seed, Span<double> dx) => SumPullbackCore(x, seed, dx);

    /// <summary>Pushforward of <see cref="Sum(ReadOnlySpan{float})"/>: returns the sum and sets <c>tangent = Σ dx[i]</c> (empty: zero).</summary>
    /// <param name="x">The values.</param>
    /// <param name="dx">Tangent of <paramref name="x"/>, or empty.</param>
    /// <param name="tangent">The result's tangent.</param>
    /// <returns>The sum.</returns>
    [DerivativeOf(typeof(Ops), nameof(Sum), Form = DerivativeForm.Pushforward)]
    public static float SumPushforward(ReadOnlySpan<float> x, ReadOnlySpan<float> dx, out float tangent)
    {
        tangent = NeedsAdjoint(x.Length, nameof(x), dx.Length, nameof(dx)) ? TensorPrimitives.Sum(dx) : 0f;
        return TensorPrimitives.Sum(x);
    }

    /// <inheritdoc cref="SumPushforward(ReadOnlySpan{float}, ReadOnlySpan{float}, out float)"/>
    [DerivativeOf(typeof(Ops), nameof(Sum), Form = DerivativeForm.Pushforward)]
    public static double SumPushforward(ReadOnlySpan<double> x, ReadOnlySpan<double> dx, out double tangent)
    {
        tangent = NeedsAdjoint(x.Length, nameof(x), dx.Length, nameof(dx)) ? TensorPrimitives.Sum(dx) : 0.0;
        return TensorPrimitives.Sum(x);
    }

    private static void SumPullbackCore<T>(ReadOnlySpan<T> x, T seed, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(x.Length, nameof(x), dx.Length, nameof(dx));
        TensorPrimitives.Add(dx, seed, dx);
    }
}
