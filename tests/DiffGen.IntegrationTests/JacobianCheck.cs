using System;
using Xunit;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Checks the derivatives of a vector-valued function y = f(x) (all arguments flattened into x; m outputs), double
/// precision. Every generated method writes y bit for bit as the function does. The dense Jacobian matches central
/// finite differences column by column (h = 1e-6 · max(1, |xⱼ|), tol · max(1, |fd|)); the pushforward along a random
/// v writes J·v and the pullback of a random u adds Jᵀ·u (both 1e-9 relative to the dense Jacobian); a sparse
/// Jacobian, when given, writes the entries of its pattern.
/// </summary>
internal static class JacobianCheck
{
    public delegate void Function(double[] x, double[] y);

    public delegate void Pushforward(double[] x, double[] v, double[] y, double[] dy);

    public delegate void Pullback(double[] x, double[] y, double[] dy, double[] g);

    public delegate void Dense(double[] x, double[] y, double[] jacobian);

    public delegate void Sparse(double[] x, double[] y, SparsityPattern pattern, double[] values);

    public static void Check(
        Function f,
        Pushforward pushforward,
        Pullback pullback,
        Dense jacobian,
        int dimension,
        int outputs,
        bool[]? differentiated = null,
        Sparse? sparse = null,
        SparsityPattern? pattern = null,
        Func<Random, int, double>? sample = null,
        double tolerance = 1e-5,
        int points = 6,
        int seed = 4242)
    {
        var random = new Random(seed);
        sample ??= (r, _) => (r.NextDouble() * 3) - 1.5;
        int[] columns = Array.FindAll(Enumerable(dimension), i => differentiated is null || differentiated[i]);
        int n = columns.Length;
        for (int point = 0; point < points; point++)
        {
            double[] x = new double[dimension];
            for (int i = 0; i < dimension; i++)
            {
                x[i] = sample(random, i);
            }

            double[] expected = Filled(outputs, 0.5);
            f(x, expected);

            double[] y = Filled(outputs, 0.5);
            double[] matrix = Filled(outputs * n, double.NaN);
            jacobian(x, y, matrix);
            AssertSame(expected, y, "the Jacobian's output");
            for (int c = 0; c < n; c++)
            {
                int j = columns[c];
                double h = 1e-6 * Math.Max(1, Math.Abs(x[j]));
                double[] up = (double[])x.Clone(), down = (double[])x.Clone();
                up[j] += h;
                down[j] -= h;
                double[] yUp = Filled(outputs, 0.5), yDown = Filled(outputs, 0.5);
                f(up, yUp);
                f(down, yDown);
                for (int i = 0; i < outputs; i++)
                {
                    double fd = (yUp[i] - yDown[i]) / (2 * h);
                    double entry = matrix[(i * n) + c];
                    Assert.True(Math.Abs(entry - fd) <= tolerance * Math.Max(1, Math.Abs(fd)), $"J[{i},{c}] at point {point}: generated {entry:R}, finite difference {fd:R}");
                }
            }

            double[] v = new double[dimension];
            foreach (int j in columns)
            {
                v[j] = (random.NextDouble() * 2) - 1;
            }

            y = Filled(outputs, 0.5);
            double[] dy = Filled(outputs, double.NaN);
            pushforward(x, v, y, dy);
            AssertSame(expected, y, "the pushforward's output");
            for (int i = 0; i < outputs; i++)
            {
                double row = 0, scale = 1;
                for (int c = 0; c < n; c++)
                {
                    row += matrix[(i * n) + c] * v[columns[c]];
                    scale += Math.Abs(matrix[(i * n) + c] * v[columns[c]]);
                }

                Assert.True(Math.Abs(dy[i] - row) <= 1e-9 * scale, $"(J·v)[{i}] at point {point}: pushforward {dy[i]:R}, Jacobian {row:R}");
            }

            double[] u = new double[outputs];
            for (int i = 0; i < outputs; i++)
            {
                u[i] = (random.NextDouble() * 2) - 1;
            }

            double[] before = new double[dimension];
            foreach (int j in columns)
            {
                before[j] = random.NextDouble() - 0.5;
            }

            double[] g = (double[])before.Clone();
            y = Filled(outputs, 0.5);
            pullback(x, y, u, g);
            AssertSame(expected, y, "the pullback's output");
            for (int c = 0; c < n; c++)
            {
                double sum = 0, scale = 1;
                for (int i = 0; i < outputs; i++)
                {
                    sum += matrix[(i * n) + c] * u[i];
                    scale += Math.Abs(matrix[(i * n) + c] * u[i]);
                }

                double added = g[columns[c]] - before[columns[c]];
                Assert.True(Math.Abs(added - sum) <= 1e-9 * scale, $"(Jᵀ·u)[{c}] at point {point}: pullback added {added:R}, Jacobian {sum:R}");
            }

            if (sparse is not null && pattern is not null)
            {
                double[] values = Filled(pattern.EntryCount, double.NaN);
                y = Filled(outputs, 0.5);
                sparse(x, y, pattern, values);
                AssertSame(expected, y, "the sparse Jacobian's output");
                for (int k = 0; k < pattern.EntryCount; k++)
                {
                    double entry = matrix[(pattern.Rows[k] * n) + pattern.Columns[k]];
                    Assert.True(Math.Abs(values[k] - entry) <= 1e-12 * Math.Max(1, Math.Abs(entry)), $"sparse entry {k} ({pattern.Rows[k]}, {pattern.Columns[k]}) with {pattern.ColorCount} colours: {values[k]:R}, dense {entry:R}");
                }
            }
        }
    }

    private static int[] Enumerable(int count)
    {
        int[] result = new int[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = i;
        }

        return result;
    }

    private static double[] Filled(int count, double value)
    {
        double[] result = new double[count];
        Array.Fill(result, value);
        return result;
    }

    private static void AssertSame(double[] expected, double[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]), $"{what}[{i}] = {actual[i]:R}, the function wrote {expected[i]:R}");
        }
    }
}
