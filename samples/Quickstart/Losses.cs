using System;
using DiffGen;

namespace Quickstart;

/// <summary>The user's functions: ordinary C#, marked [Differentiable]; DiffGen writes their gradients at compile time.</summary>
public static partial class Losses
{
    /// <summary>The Rosenbrock banana function; its minimum is 0 at (1, 1).</summary>
    [Differentiable]
    public static double Rosenbrock(double x, double y)
        => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

    /// <summary>Mean cross-entropy of a one-dimensional logistic model p = σ(w·x + b) on labels y ∈ {0, 1}.</summary>
    [Differentiable(nameof(w), nameof(b))]
    public static double CrossEntropy(double w, double b, ReadOnlySpan<double> xs, ReadOnlySpan<int> ys)
    {
        double loss = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double z = w * xs[i] + b;
            double p = 1 / (1 + Math.Exp(-z));
            loss -= ys[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }

        return loss / xs.Length;
    }
}
