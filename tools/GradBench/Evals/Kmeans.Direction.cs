using System;
using DiffGen;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// kmeans' <c>dir</c> from generated derivatives. The nearest centroids are found once (plain code: an assignment has
/// no derivative) and both derivatives are taken at that assignment, where the cost is <see cref="AssignedCost"/>, in
/// one call of its generated <c>AssignedCostGradientAndHessianVectorProduct</c> along 1: forward over reverse computes
/// the gradient J on the way, and H·1 is H's diagonal since H is diagonal (each centroid coordinate's second derivative
/// is twice the number of points assigned to it). <c>AssignedCostHessianDiagonal</c> with
/// <c>SparsityPattern.Diagonal</c> gives the same diagonal in one product, without J.
/// </summary>
public static partial class Kmeans
{
    /// <summary>Σᵢ ‖C_{a(i)} − Pᵢ‖² for the assignment a: <see cref="Cost"/> when a is each point's nearest centroid.</summary>
    [Differentiable(nameof(centroids), Generate = Derivatives.Reverse | Derivatives.Hessian)]
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

    /// <summary>
    /// The Newton direction J·H⁻¹ (k × d) into <paramref name="direction"/>; <paramref name="assignment"/> (one per
    /// point) and <paramref name="hessian"/> (k × d) are scratch; <paramref name="ones"/> is k × d ones, made once by
    /// the caller.
    /// </summary>
    public static void Direction(
        ReadOnlySpan<double> points, ReadOnlySpan<double> centroids, int d, Span<int> assignment, ReadOnlySpan<double> ones, Span<double> direction, Span<double> hessian)
    {
        for (int i = 0; i < assignment.Length; i++)
        {
            assignment[i] = Nearest(points, centroids, d, i);
        }

        direction.Clear();
        hessian.Clear();
        AssignedCostGradientAndHessianVectorProduct(points, centroids, d, assignment, ones, direction, hessian);
        for (int e = 0; e < direction.Length; e++)
        {
            direction[e] /= hessian[e];
        }
    }
}
