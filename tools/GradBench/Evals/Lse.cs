using System;

namespace DiffGen.GradBench.Evals;

/// <summary>gradbench's <c>lse</c>: log Σᵢ exp(xᵢ), computed as a + log Σᵢ exp(xᵢ − a) with a = max x.</summary>
public static partial class Lse
{
    /// <summary>LogSumExp by its primitives: a maximum, then a sum of shifted exponentials.</summary>
    [Differentiable]
    public static double Primal(ReadOnlySpan<double> x)
    {
        double a = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            a = Math.Max(a, x[i]);
        }

        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - a);
        }

        return Math.Log(sum) + a;
    }
}
