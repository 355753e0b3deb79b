using System;

namespace DiffGen.GradBench.Evals;

/// <summary>gradbench's <c>lse</c>: log Σᵢ exp(xᵢ), computed as a + log Σᵢ exp(xᵢ − a) with a = max x.</summary>
public static partial class Lse
{
    /// <summary>
    /// LogSumExp by its primitives: a maximum, then a sum of shifted exponentials. The result does not depend on the
    /// shift, so a is a constant to the derivative (<see cref="Gradient.StopGradient(double)"/>, as JAX's logsumexp
    /// writes it): the gradient is the softmax, without differentiating through the running maximum.
    /// </summary>
    [Differentiable]
    public static double Primal(ReadOnlySpan<double> x)
    {
        double a = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            a = Math.Max(a, x[i]);
        }

        double shift = Gradient.StopGradient(a);
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - shift);
        }

        return Math.Log(sum) + shift;
    }
}
