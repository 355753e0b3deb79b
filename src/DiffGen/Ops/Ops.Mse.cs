using System;
using System.Numerics;
using DiffGen.Elementwise;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>Mean squared error <c>(1/n) Σ (prediction[i] − target[i])²</c>.</summary>
    /// <param name="prediction">The predictions (non-empty).</param>
    /// <param name="target">The targets, as long as <paramref name="prediction"/>.</param>
    /// <returns>The mean of the squared differences.</returns>
    /// <exception cref="ArgumentException">The lengths differ or the spans are empty.</exception>
    public static float Mse(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target) => MseCore(prediction, target);

    /// <inheritdoc cref="Mse(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    public static double Mse(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target) => MseCore(prediction, target);

    /// <summary>
    /// Pullback of <see cref="Mse(ReadOnlySpan{float}, ReadOnlySpan{float})"/>:
    /// <c>dprediction += (2·seed/n)(prediction − target)</c>, <c>dtarget −= (2·seed/n)(prediction − target)</c>.
    /// </summary>
    /// <param name="prediction">The primal's predictions.</param>
    /// <param name="target">The primal's targets.</param>
    /// <param name="seed">Adjoint of the result.</param>
    /// <param name="dprediction">Adjoint of <paramref name="prediction"/>, accumulated into.</param>
    /// <param name="dtarget">Adjoint of <paramref name="target"/>, accumulated into.</param>
    [DerivativeOf(typeof(Ops), nameof(Mse))]
    public static void MsePullback(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, float seed, Span<float> dprediction, Span<float> dtarget) =>
        MsePullbackCore(prediction, target, seed, dprediction, dtarget);

    /// <inheritdoc cref="MsePullback(ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float}, Span{float})"/>
    [DerivativeOf(typeof(Ops), nameof(Mse))]
    public static void MsePullback(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target, double seed, Span<double> dprediction, Span<double> dtarget) =>
        MsePullbackCore(prediction, target, seed, dprediction, dtarget);

    private static void CheckMseShapes(int predictionLength, int targetLength)
    {
        if (predictionLength == 0)
        {
            throw new ArgumentException("prediction is empty: the mean of no values is undefined.", "prediction");
        }

        CheckSameLength(predictionLength, "prediction", targetLength, "target");
    }

    private static T MseCore<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMseShapes(prediction.Length, target.Length);
        return VectorLoops.SumOfSquaredDifferences(prediction, target) / T.CreateTruncating(prediction.Length);
    }

    private static void MsePullbackCore<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, T seed, Span<T> dprediction, Span<T> dtarget)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMseShapes(prediction.Length, target.Length);
        bool needPrediction = NeedsAdjoint(prediction.Length, nameof(prediction), dprediction.Length, nameof(dprediction));
        bool needTarget = NeedsAdjoint(target.Length, nameof(target), dtarget.Length, nameof(dtarget));
        T scale = (seed + seed) / T.CreateTruncating(prediction.Length);
        if (needPrediction)
        {
            VectorLoops.AddTo(new ScaledDifference<T>(scale), prediction, target, dprediction);
        }

        if (needTarget)
        {
            VectorLoops.AddTo(new ScaledDifference<T>(-scale), prediction, target, dtarget);
        }
    }
}
