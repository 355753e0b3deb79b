using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// kmeans' <c>dir</c> from generated derivatives. The nearest centroids are found once (plain code: an assignment has
/// no derivative) and both derivatives are taken at that assignment, where the cost is <see cref="AssignedCost"/>.
/// J is its generated gradient. H needs a second derivative, which the generator cannot take of its own output yet
/// (issue #14 items 3–4), so the first derivative is written out by hand in <see cref="GradientSum"/> and the generator
/// differentiates that: its gradient is H·1, which is H's diagonal because H is diagonal. When forward-over-reverse
/// lands, <see cref="GradientSum"/> goes and H·1 is the generated HVP of <see cref="AssignedCost"/> along 1.
/// </summary>
public static partial class Kmeans
{
    /// <summary>Σᵢ ‖C_{a(i)} − Pᵢ‖² for the assignment a: <see cref="Cost"/> when a is each point's nearest centroid.</summary>
    [Differentiable(nameof(centroids))]
    public static double AssignedCost(ReadOnlySpan<double> points, ReadOnlySpan<double> centroids, int d, ReadOnlySpan<int> assignment)
    {
        double cost = 0;
        for (int i = 0; i < assignment.Length; i++)
        {
            int j = assignment[i];
            double distance = 0;
            for (int l = 0; l < d; l++)
            {
                double difference = points[i * d + l] - centroids[j * d + l];
                distance += difference * difference;
            }

            cost += distance;
        }

        return cost;
    }

    /// <summary>1ᵀ∇_C of <see cref="AssignedCost"/>, written out by hand: Σᵢ Σₗ 2(C_{a(i)l} − P_il).</summary>
    [Differentiable(nameof(centroids))]
    public static double GradientSum(ReadOnlySpan<double> points, ReadOnlySpan<double> centroids, int d, ReadOnlySpan<int> assignment)
    {
        double sum = 0;
        for (int i = 0; i < assignment.Length; i++)
        {
            int j = assignment[i];
            for (int l = 0; l < d; l++)
            {
                sum += 2 * (centroids[j * d + l] - points[i * d + l]);
            }
        }

        return sum;
    }

    /// <summary>
    /// The Newton direction J·H⁻¹ (k × d) into <paramref name="direction"/>; <paramref name="assignment"/> (one per
    /// point) and <paramref name="hessian"/> (k × d) are scratch.
    /// </summary>
    public static void Direction(
        ReadOnlySpan<double> points, ReadOnlySpan<double> centroids, int d, Span<int> assignment, Span<double> direction, Span<double> hessian)
    {
        for (int i = 0; i < assignment.Length; i++)
        {
            assignment[i] = Nearest(points, centroids, d, i);
        }

        direction.Clear();
        hessian.Clear();
        AssignedCostGradient(points, centroids, d, assignment, direction);
        GradientSumGradient(points, centroids, d, assignment, hessian);
        for (int e = 0; e < direction.Length; e++)
        {
            direction[e] /= hessian[e];
        }
    }
}
