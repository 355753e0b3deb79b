using System;
using System.Numerics;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Tests.Optimization;

/// <summary>Builds parameter sets with a double mirror and compares them, for the step-by-step reference checks.</summary>
internal static class OptimizerHarness
{
    /// <summary>Lengths covering a lone scalar, a vector tail only, one full Vector256 of float and body + tail.</summary>
    public static readonly int[] Lengths = [1, 3, 8, 37];

    /// <summary>Gradient scale per step: shrinking steps make AMSGrad's running maximum matter.</summary>
    public static readonly double[] GradientScales = [3.0, 1.0, 0.2, 2.0, 0.05, 1.0, 0.5];

    public static (Parameters<T> Set, double[][] Theta) Create<T>(int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var set = new Parameters<T>();
        var theta = new double[Lengths.Length][];
        for (int k = 0; k < Lengths.Length; k++)
        {
            Parameter<T> p = set.Add("p" + k, Lengths[k]);
            theta[k] = new double[Lengths[k]];
            for (int i = 0; i < Lengths[k]; i++)
            {
                T value = T.CreateTruncating((rng.NextDouble() * 4) - 2);
                p.Value[i] = value;
                theta[k][i] = double.CreateTruncating(value);
            }
        }

        return (set, theta);
    }

    /// <summary>Random gradients (representable in <typeparamref name="T"/>) written into the set's gradient buffers.</summary>
    public static double[][] SetRandomGradients<T>(Parameters<T> set, Random rng, double scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var grads = new double[set.Count][];
        for (int k = 0; k < set.Count; k++)
        {
            grads[k] = new double[set[k].Length];
            for (int i = 0; i < grads[k].Length; i++)
            {
                T g = T.CreateTruncating(scale * ((rng.NextDouble() * 2) - 1));
                set[k].Grad[i] = g;
                grads[k][i] = double.CreateTruncating(g);
            }
        }

        return grads;
    }

    /// <summary>Asserts |θ − θref| ≤ tolerance · (1 + |θref|) for every element.</summary>
    public static void AssertClose<T>(Parameters<T> set, double[][] expected, double tolerance, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < set.Count; k++)
        {
            for (int i = 0; i < expected[k].Length; i++)
            {
                double actual = double.CreateTruncating(set[k].Value[i]);
                double error = Math.Abs(actual - expected[k][i]);
                Assert.True(
                    error <= tolerance * (1 + Math.Abs(expected[k][i])),
                    $"{context}: parameter {k} element {i}: got {actual:R}, reference {expected[k][i]:R}, error {error:E3} > {tolerance:E1}·(1+|ref|).");
            }
        }
    }

    public static double MaxDifference(double[][] a, double[][] b)
    {
        double max = 0;
        for (int k = 0; k < a.Length; k++)
        {
            for (int i = 0; i < a[k].Length; i++)
            {
                max = Math.Max(max, Math.Abs(a[k][i] - b[k][i]));
            }
        }

        return max;
    }
}
