using System;
using Xunit;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Checks a generated gradient against central finite differences in double precision.
/// All arguments are flattened into one vector x; <c>gradient(x, g)</c> calls the generated method and must add
/// the gradient of the differentiated arguments into the matching entries of g.
/// Tolerance: |g − fd| ≤ tol · max(1, |fd|) with fd = (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, h = 1e-6 · max(1, |xᵢ|).
/// </summary>
internal static class GradientCheck
{
    public const double DefaultTolerance = 1e-5;

    public static void Check(
        Func<double[], double> f,
        Func<double[], double[], double> gradient,
        int dimension,
        bool[]? differentiated = null,
        Func<Random, int, double>? sample = null,
        double tolerance = DefaultTolerance,
        int points = 6,
        int seed = 12345)
    {
        var random = new Random(seed);
        sample ??= (r, _) => (r.NextDouble() * 3) - 1.5;
        for (int point = 0; point < points; point++)
        {
            double[] x = new double[dimension];
            for (int i = 0; i < dimension; i++)
            {
                x[i] = sample(random, i);
            }

            // The value is the original function's, bit for bit.
            double[] g = new double[dimension];
            double value = gradient(x, g);
            double expected = f(x);
            Assert.True(BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(expected), $"value {value:R} != f(x) {expected:R} at point {point}");

            for (int i = 0; i < dimension; i++)
            {
                if (differentiated is not null && !differentiated[i])
                {
                    Assert.True(g[i] == 0, $"gradient entry {i} of a constant argument was written: {g[i]}");
                    continue;
                }

                double h = 1e-6 * Math.Max(1, Math.Abs(x[i]));
                double saved = x[i];
                x[i] = saved + h;
                double up = f(x);
                x[i] = saved - h;
                double down = f(x);
                x[i] = saved;
                double fd = (up - down) / (2 * h);
                double error = Math.Abs(g[i] - fd);
                Assert.True(error <= tolerance * Math.Max(1, Math.Abs(fd)), $"d/dx[{i}] at point {point}: generated {g[i]:R}, finite difference {fd:R} (x = [{string.Join(", ", x)}])");
            }

            // Gradients accumulate: a second call adds the same gradient on top of what is there.
            double[] accumulated = new double[dimension];
            for (int i = 0; i < dimension; i++)
            {
                accumulated[i] = (differentiated is null || differentiated[i]) ? 0.25 + i : 0;
            }

            double[] before = (double[])accumulated.Clone();
            gradient(x, accumulated);
            for (int i = 0; i < dimension; i++)
            {
                Assert.True(Math.Abs(accumulated[i] - before[i] - g[i]) <= 1e-12 * Math.Max(1, Math.Abs(accumulated[i])), $"entry {i} did not accumulate: before {before[i]}, after {accumulated[i]}, gradient {g[i]}");
            }
        }
    }

    public static bool[] Mask(int dimension, params int[] constants)
    {
        bool[] mask = new bool[dimension];
        Array.Fill(mask, true);
        foreach (int c in constants)
        {
            mask[c] = false;
        }

        return mask;
    }
}
