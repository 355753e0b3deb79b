using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>kmeans</c>: the cost f(P, C) = Σᵢ minⱼ ‖Cⱼ − Pᵢ‖² of n points P (n × d, row-major) and k centroids C
/// (k × d); <c>dir</c> is the Newton direction J·H⁻¹ with J = ∇_C f and H its Hessian, which is diagonal.
/// </summary>
public static partial class Kmeans
{
    /// <summary>Σᵢ minⱼ ‖Cⱼ − Pᵢ‖² (ties: the earlier centroid, as <see cref="Math.Min(double, double)"/> keeps its first argument).</summary>
    [Differentiable(nameof(centroids))]
    public static double Cost(ReadOnlySpan<double> points, ReadOnlySpan<double> centroids, int d)
    {
        int n = points.Length / d;
        int k = centroids.Length / d;
        double cost = 0;
        for (int i = 0; i < n; i++)
        {
            double closest = double.PositiveInfinity;
            for (int j = 0; j < k; j++)
            {
                double distance = 0;
                for (int l = 0; l < d; l++)
                {
                    double difference = points[i * d + l] - centroids[j * d + l];
                    distance += difference * difference;
                }

                closest = Math.Min(closest, distance);
            }

            cost += closest;
        }

        return cost;
    }
}
