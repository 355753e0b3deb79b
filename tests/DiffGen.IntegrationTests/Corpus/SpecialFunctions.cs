using System;
using System.Linq;
using DiffGen;

namespace DiffGen.IntegrationTests.Corpus;

/// <summary>Special functions as numeric libraries write them (Lanczos, Abramowitz–Stegun, asymptotic series).</summary>
public static partial class SpecialFunctions
{
    private static readonly double[] LanczosCoefficients =
    {
        676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    };

    /// <summary>log Γ(x) for x > 0.5 by the Lanczos approximation (g = 7).</summary>
    [Differentiable]
    public static double LogGamma(double x)
    {
        x -= 1;
        double a = 0.99999999999980993;
        double t = x + 7.5;
        for (int i = 0; i < LanczosCoefficients.Length; i++)
        {
            a += LanczosCoefficients[i] / (x + i + 1);
        }

        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>erf(x), Abramowitz and Stegun 7.1.26 (|error| ≤ 1.5e-7).</summary>
    [Differentiable]
    public static double Erf(double x)
    {
        const double a1 = 0.254829592, a2 = -0.284496736, a3 = 1.421413741, a4 = -1.453152027, a5 = 1.061405429, p = 0.3275911;
        int sign = x < 0 ? -1 : 1;
        x = Math.Abs(x);
        double t = 1.0 / (1.0 + p * x);
        double y = 1.0 - (((((a5 * t + a4) * t) + a3) * t + a2) * t + a1) * t * Math.Exp(-x * x);
        return sign * y;
    }

    /// <summary>ψ(x) by recurrence up to x ≥ 6 and the asymptotic series.</summary>
    [Differentiable]
    public static double Digamma(double x)
    {
        double result = 0;
        while (x < 6)
        {
            result -= 1 / x;
            x += 1;
        }

        double f = 1 / (x * x);
        return result + Math.Log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
    }

    [Differentiable]
    public static double LogSumExp(double[] values)
    {
        double max = values.Max();
        double sum = 0;
        foreach (double v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>The log-density of Student's t with ν degrees of freedom, through LogGamma (a [Differentiable] callee).</summary>
    [Differentiable(nameof(x), nameof(nu))]
    public static double StudentTLogPdf(double x, double nu, double location, double scale)
    {
        double z = (x - location) / scale;
        return LogGamma((nu + 1) / 2) - LogGamma(nu / 2) - 0.5 * Math.Log(nu * Math.PI) - Math.Log(scale)
            - (nu + 1) / 2 * Math.Log(1 + z * z / nu);
    }
}
