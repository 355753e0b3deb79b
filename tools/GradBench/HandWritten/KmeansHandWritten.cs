using System;

namespace DiffGen.GradBench.HandWritten;

/// <summary>The careful person's k-means derivatives: each point's nearest centroid found once, its share added.</summary>
public static class KmeansHandWritten
{
    /// <summary>The cost and its gradient: ∂/∂Cⱼ = Σ over the points nearest to j of 2(Cⱼ − Pᵢ).</summary>
    public static double CostGradient(ReadOnlySpan<double> points, ReadOnlySpan<double> centroids, int d, Span<double> dcentroids)
    {
        int n = points.Length / d;
        int k = centroids.Length / d;
        double cost = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> point = points.Slice(i * d, d);
            int nearest = Nearest(point, centroids, k, d, out double closest);
            cost += closest;
            for (int l = 0; l < d; l++)
            {
                dcentroids[nearest * d + l] += 2 * (centroids[nearest * d + l] - point[l]);
            }
        }

        return cost;
    }

    /// <summary>
    /// The Newton direction J·H⁻¹ into <paramref name="direction"/> (k × d): J as in <see cref="CostGradient"/>, H's
    /// diagonal 2 per point nearest to the centroid, in every coordinate; <paramref name="hessian"/> is scratch (k × d).
    /// </summary>
    public static void Direction(ReadOnlySpan<double> points, ReadOnlySpan<double> centroids, int d, Span<double> direction, Span<double> hessian)
    {
        int n = points.Length / d;
        int k = centroids.Length / d;
        direction.Clear();
        hessian.Clear();
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> point = points.Slice(i * d, d);
            int nearest = Nearest(point, centroids, k, d, out _);
            for (int l = 0; l < d; l++)
            {
                direction[nearest * d + l] += 2 * (centroids[nearest * d + l] - point[l]);
                hessian[nearest * d + l] += 2;
            }
        }

        for (int e = 0; e < direction.Length; e++)
        {
            direction[e] /= hessian[e];
        }
    }

    private static int Nearest(ReadOnlySpan<double> point, ReadOnlySpan<double> centroids, int k, int d, out double closest)
    {
        closest = double.PositiveInfinity;
        int nearest = 0;
        for (int j = 0; j < k; j++)
        {
            ReadOnlySpan<double> centroid = centroids.Slice(j * d, d);
            double distance = 0;
            for (int l = 0; l < d; l++)
            {
                double difference = point[l] - centroid[l];
                distance += difference * difference;
            }

            // Math.Min keeps its first argument on ties: the earlier centroid stays.
            if (distance < closest)
            {
                closest = distance;
                nearest = j;
            }
        }

        return nearest;
    }
}
