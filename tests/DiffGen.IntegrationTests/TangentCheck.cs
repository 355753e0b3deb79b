using System;
using Xunit;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Checks a generated pushforward along random directions v (double precision): its value is the function's bit for
/// bit; its tangent matches central finite differences along v, (f(x + h·v) − f(x − h·v)) / 2h with
/// h = 1e-6 · max(1, ‖x‖∞), within tol · max(1, |fd|); it equals the (separately FD-checked) gradient's g·v to 1e-9
/// relative; and a zero direction gives a zero tangent. Directions are zero on constant arguments.
/// </summary>
internal static class TangentCheck
{
    public const double DefaultTolerance = 1e-5;

    public static void Check(
        Func<double[], double> f,
        Func<double[], double[], double> gradient,
        Func<double[], double[], (double Value, double Tangent)> pushforward,
        int dimension,
        bool[]? differentiated = null,
        Func<Random, int, double>? sample = null,
        double tolerance = DefaultTolerance,
        int points = 6,
        int seed = 12345)
    {
        var random = new Random(seed ^ 0x5eed);
        sample ??= (r, _) => (r.NextDouble() * 3) - 1.5;
        for (int point = 0; point < points; point++)
        {
            double[] x = new double[dimension];
            double[] v = new double[dimension];
            for (int i = 0; i < dimension; i++)
            {
                x[i] = sample(random, i);
                v[i] = differentiated is null || differentiated[i] ? (random.NextDouble() * 2) - 1 : 0;
            }

            (double value, double tangent) = pushforward(x, v);
            double expected = f(x);
            Assert.True(BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(expected), $"value {value:R} != f(x) {expected:R} at point {point}");

            double[] g = new double[dimension];
            gradient(x, g);
            double dot = 0, scale = 1;
            for (int i = 0; i < dimension; i++)
            {
                dot += g[i] * v[i];
                scale += Math.Abs(g[i] * v[i]);
            }

            Assert.True(Math.Abs(tangent - dot) <= 1e-9 * scale, $"point {point}: tangent {tangent:R} but gradient · v = {dot:R}");

            double norm = 0;
            foreach (double xi in x)
            {
                norm = Math.Max(norm, Math.Abs(xi));
            }

            double h = 1e-6 * Math.Max(1, norm);
            double[] up = new double[dimension], down = new double[dimension];
            for (int i = 0; i < dimension; i++)
            {
                up[i] = x[i] + (h * v[i]);
                down[i] = x[i] - (h * v[i]);
            }

            double fd = (f(up) - f(down)) / (2 * h);
            Assert.True(Math.Abs(tangent - fd) <= tolerance * Math.Max(1, Math.Abs(fd)), $"point {point}: tangent {tangent:R}, finite difference {fd:R} (x = [{string.Join(", ", x)}], v = [{string.Join(", ", v)}])");

            (_, double zero) = pushforward(x, new double[dimension]);
            Assert.True(zero == 0, $"point {point}: a zero direction gave tangent {zero:R}");
        }
    }
}
