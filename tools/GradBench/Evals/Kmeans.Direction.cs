using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// kmeans' <c>dir</c> from generated derivatives. J is <c>CostGradient</c>. H needs a second derivative, which the
/// generator cannot take of its own output yet (issue #14 items 3–4), so the first derivative is written out by hand in
/// <see cref="GradientSum"/> and the generator differentiates that: its gradient is H·1, which is H's diagonal because H
/// is diagonal. When forward-over-reverse lands, <see cref="GradientSum"/> goes and H·1 is the generated HVP of
/// <see cref="Cost"/> along 1.
/// </summary>
public static partial class Kmeans
{
    /// <summary>
    /// 1ᵀ∇_C f: over every point, Σₗ 2(C_jl − P_il) for its nearest centroid j (the earlier one on ties, as
    /// <see cref="Cost"/> picks it). The choice of j does not move with C except at ties, so it is a constant here.
    /// </summary>
    [Differentiable(nameof(centroids))]
    public static double GradientSum(ReadOnlySpan<double> points, ReadOnlySpan<double> centroids, int d)
    {
        int n = points.Length / d;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            int nearest = Nearest(points, centroids, d, i);
            for (int l = 0; l < d; l++)
            {
                sum += 2 * (centroids[nearest * d + l] - points[i * d + l]);
            }
        }

        return sum;
    }

    /// <summary>
    /// The Newton direction J·H⁻¹ (k × d) into <paramref name="direction"/>: J and H's diagonal (into
    /// <paramref name="hessian"/>, scratch) both from generated gradients.
    /// </summary>
    public static void Direction(ReadOnlySpan<double> points, ReadOnlySpan<double> centroids, int d, Span<double> direction, Span<double> hessian)
    {
        direction.Clear();
        hessian.Clear();
        CostGradient(points, centroids, d, direction);
        GradientSumGradient(points, centroids, d, hessian);
        for (int e = 0; e < direction.Length; e++)
        {
            direction[e] /= hessian[e];
        }
    }
}
