using System;
using System.Globalization;
using Xunit;

namespace DiffGen.GradBench.Tests;

/// <summary>
/// Central finite differences in double: h = 1e-6·max(1, |θᵢ|); a derivative agrees when
/// |fd − gᵢ| / max(1, |gᵢ|) ≤ tolerance.
/// </summary>
public static class FiniteDifferences
{
    /// <summary>∂f/∂θᵢ for every i, θ perturbed in place and restored.</summary>
    public static double[] Gradient(double[] theta, Func<double> f)
    {
        var result = new double[theta.Length];
        for (int i = 0; i < theta.Length; i++)
        {
            double saved = theta[i];
            double h = 1e-6 * Math.Max(1, Math.Abs(saved));
            theta[i] = saved + h;
            double plus = f();
            theta[i] = saved - h;
            double minus = f();
            theta[i] = saved;
            result[i] = (plus - minus) / (2 * h);
        }

        return result;
    }

    /// <summary>The Jacobian (rows = outputs) of a vector function by columns, row-major.</summary>
    public static double[] Jacobian(double[] theta, int outputs, Action<double[]> f)
    {
        var result = new double[outputs * theta.Length];
        var plus = new double[outputs];
        var minus = new double[outputs];
        for (int i = 0; i < theta.Length; i++)
        {
            double saved = theta[i];
            double h = 1e-6 * Math.Max(1, Math.Abs(saved));
            theta[i] = saved + h;
            f(plus);
            theta[i] = saved - h;
            f(minus);
            theta[i] = saved;
            for (int r = 0; r < outputs; r++)
            {
                result[r * theta.Length + i] = (plus[r] - minus[r]) / (2 * h);
            }
        }

        return result;
    }

    /// <summary>Asserts each derivative agrees with its central difference.</summary>
    public static void AssertAgrees(string what, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]) / Math.Max(1, Math.Abs(actual[i]));
            Assert.True(
                error <= tolerance,
                string.Create(CultureInfo.InvariantCulture, $"{what}[{i}]: {actual[i]:G12} vs central difference {expected[i]:G12} (error {error:E2} > {tolerance:E0})"));
        }
    }

    /// <summary>Asserts two computations of the same derivative agree to <paramref name="tolerance"/> relative to max(1, |·|).</summary>
    public static void AssertClose(string what, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]) / Math.Max(1, Math.Abs(expected[i]));
            Assert.True(
                error <= tolerance,
                string.Create(CultureInfo.InvariantCulture, $"{what}[{i}]: {actual[i]:G17} vs {expected[i]:G17} (error {error:E2} > {tolerance:E0})"));
        }
    }
}
