using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>kmeans</c>: the cost f(P, C) = Σᵢ minⱼ ‖Cⱼ − Pᵢ‖² of n points P (n × d, row-major) and k centroids C
/// (k × d); <c>dir</c> is the Newton direction J·H⁻¹ with J = ∇_C f and H its Hessian, which is diagonal.
/// </summary>
public static partial class Kmeans
{
    /// <summary>
    /// Σᵢ minⱼ ‖Cⱼ − Pᵢ‖², written as k-means is usually written: find each point's nearest centroid (ties: the
    /// earlier one), then add its distance. The search only compares, so the derivative flows through the nearest
    /// centroid alone; written as a running <see cref="Math.Min(double, double)"/> the generated reverse sweep would
    /// visit every centroid and add zeros for all but one.
    /// </summary>
    [Differentiable(nameof(centroids))]
    public static double Cost(ReadOnlySpan<double> points, ReadOnlySpan<double> centroids, int d)
    {
        int n = points.Length / d;
        int k = centroids.Length / d;
        double cost = 0;
        for (int i = 0; i < n; i++)
        {
            int nearest = Nearest(points, centroids, d, i);
            double closest = 0;
            for (int l = 0; l < d; l++)
            {
                double difference = points[i * d + l] - centroids[nearest * d + l];
                closest += difference * difference;
            }

            cost += closest;
        }

        return cost;
    }

    /// <summary>The centroid nearest to point <paramref name="i"/> (the earlier one on ties): an index, no derivative.</summary>
    [NoDerivative]
    public static int Nearest(ReadOnlySpan<double> points, ReadOnlySpan<double> centroids, int d, int i)
    {
        int k = centroids.Length / d;
        double closest = double.PositiveInfinity;
        int nearest = 0;
        for (int j = 0; j < k; j++)
        {
            double distance = 0;
            for (int l = 0; l < d; l++)
            {
                double difference = points[i * d + l] - centroids[j * d + l];
                distance += difference * difference;
            }

            if (distance < closest)
            {
                closest = distance;
                nearest = j;
            }
        }

        return nearest;
    }
}
