using System;
using System.Collections.Generic;
using DiffGen;

namespace FashionMnist.Job;

/// <summary>
/// The lecture's first picture: gradient descent θ₊ = θ − η f'(θ) on a one-dimensional cross-entropy loss
/// f(θ) = mean −log σ(±θ·xᵢ), with DiffGen writing f'.
/// </summary>
public static partial class Descent
{
    private static readonly double[] Xs = { -2.0, -1.2, -0.5, 0.3, 0.8, 1.5, 2.2, -0.2 };
    private static readonly int[] Ys = { 0, 0, 1, 0, 1, 1, 1, 0 };

    [Differentiable(nameof(theta))]
    public static double CrossEntropy(double theta, ReadOnlySpan<double> xs, ReadOnlySpan<int> ys)
    {
        double loss = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double p = 1 / (1 + Math.Exp(-theta * xs[i]));
            loss -= ys[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }

        return loss / xs.Length;
    }

    public static double Loss(double theta) => CrossEntropy(theta, Xs, Ys);

    public static List<double> Run(double start, double learningRate, int steps)
    {
        var iterates = new List<double> { start };
        double theta = start;
        for (int t = 0; t < steps; t++)
        {
            double gradient = 0;
            CrossEntropyGradient(theta, Xs, Ys, ref gradient);
            theta -= learningRate * gradient;
            iterates.Add(theta);
        }

        return iterates;
    }
}
