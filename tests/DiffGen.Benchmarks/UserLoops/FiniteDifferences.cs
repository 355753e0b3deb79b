using System;
using System.Globalization;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// Central finite differences in double, the check every hand-written gradient of the user-loop benchmarks passes:
/// h = 1e-6·max(1, |θᵢ|), error |fd − gᵢ| / max(1, |gᵢ|).
/// </summary>
public static class FiniteDifferences
{
    /// <summary>
    /// <see langword="null"/> when ∂f/∂θᵢ by central differences agrees with <paramref name="gradient"/>[i] within
    /// <paramref name="tolerance"/> at up to <paramref name="maxChecks"/> indices spread over θ, the first and the last
    /// among them (all of them when θ is that short); else a message naming the worst index. <paramref name="f"/> reads θ, which is perturbed in place and
    /// restored.
    /// </summary>
    public static string? Agree(string what, double[] theta, ReadOnlySpan<double> gradient, Func<double> f, double tolerance, int maxChecks = 48)
    {
        if (gradient.Length != theta.Length)
        {
            return $"{what}: gradient length {gradient.Length} vs parameter length {theta.Length}";
        }

        int checks = Math.Min(maxChecks, theta.Length);
        int worst = -1;
        double worstError = -1, worstDifference = 0;
        for (int c = 0; c < checks; c++)
        {
            // Spread over the whole vector, with an odd offset so strided layouts are not sampled at one phase only; the
            // last check takes the last element (boundaries are where loop bounds go wrong).
            int i = c == checks - 1 ? theta.Length - 1 : (int)((long)c * theta.Length / checks + (c * 7) % Math.Max(1, theta.Length / checks));
            double saved = theta[i];
            double h = 1e-6 * Math.Max(1, Math.Abs(saved));
            theta[i] = saved + h;
            double plus = f();
            theta[i] = saved - h;
            double minus = f();
            theta[i] = saved;
            double difference = (plus - minus) / (2 * h);
            double error = Math.Abs(difference - gradient[i]) / Math.Max(1, Math.Abs(gradient[i]));
            if (double.IsNaN(error))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{what}[{i}]: hand-written gradient {gradient[i]} vs central difference {difference} (NaN)");
            }

            if (error > worstError)
            {
                worstError = error;
                worst = i;
                worstDifference = difference;
            }
        }

        return worst >= 0 && !(worstError <= tolerance)
            ? string.Create(CultureInfo.InvariantCulture, $"{what}[{worst}]: hand-written gradient {gradient[worst]:G10} vs central difference {worstDifference:G10} (error {worstError:E2} > {tolerance:E0})")
            : null;
    }

    /// <summary>A double copy of a float buffer (to run a generic hand-written gradient in double).</summary>
    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }
}
