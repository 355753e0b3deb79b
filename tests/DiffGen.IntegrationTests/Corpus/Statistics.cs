using System;
using System.Linq;
using DiffGen;

namespace DiffGen.IntegrationTests.Corpus;

public static partial class Statistics
{
    [Differentiable(nameof(values))]
    public static double WeightedVariance(double[] values, double[] weights)
    {
        double totalWeight = weights.Sum();
        double mean = values.Zip(weights, (v, w) => v * w).Sum() / totalWeight;
        double variance = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double d = values[i] - mean;
            variance += weights[i] * d * d;
        }

        return variance / totalWeight;
    }

    [Differentiable]
    public static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>Negative log-likelihood of i.i.d. normal data in the mean and the log standard deviation.</summary>
    [Differentiable(nameof(mu), nameof(logSigma))]
    public static double NormalNegativeLogLikelihood(double mu, double logSigma, double[] data)
    {
        double sigma = Math.Exp(logSigma);
        double nll = data.Length * (logSigma + 0.5 * Math.Log(2 * Math.PI));
        foreach (double x in data)
        {
            double z = (x - mu) / sigma;
            nll += 0.5 * z * z;
        }

        return nll;
    }

    [Differentiable(nameof(residuals))]
    public static double Huber(double[] residuals, double delta)
    {
        double loss = 0;
        foreach (double r in residuals)
        {
            double a = Math.Abs(r);
            loss += a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
        }

        return loss / residuals.Length;
    }
}
