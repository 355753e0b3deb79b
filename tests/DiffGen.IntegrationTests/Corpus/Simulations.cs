using System;
using DiffGen;

namespace DiffGen.IntegrationTests.Corpus;

public static partial class Simulations
{
    /// <summary>Final infected fraction of an SIR epidemic, explicit Euler.</summary>
    [Differentiable(nameof(beta), nameof(gamma))]
    public static double SirInfected(double beta, double gamma, double initialInfected, int days, double dt = 0.1)
    {
        double s = 1 - initialInfected, i = initialInfected, r = 0;
        int steps = (int)(days / dt);
        for (int k = 0; k < steps; k++)
        {
            double infections = beta * s * i * dt;
            double recoveries = gamma * i * dt;
            s -= infections;
            i += infections - recoveries;
            r += recoveries;
        }

        return i;
    }

    /// <summary>Explicit heat-equation steps on a rod, then its thermal energy.</summary>
    [Differentiable(nameof(initial))]
    public static double HeatEnergy(double[] initial, double alpha, int steps)
    {
        int n = initial.Length;
        double[] u = new double[n];
        double[] next = new double[n];
        for (int i = 0; i < n; i++)
        {
            u[i] = initial[i];
        }

        for (int step = 0; step < steps; step++)
        {
            next[0] = u[0];
            next[n - 1] = u[n - 1];
            for (int i = 1; i < n - 1; i++)
            {
                next[i] = u[i] + alpha * (u[i - 1] - 2 * u[i] + u[i + 1]);
            }

            for (int i = 0; i < n; i++)
            {
                u[i] = next[i];
            }
        }

        double energy = 0;
        for (int i = 0; i < n; i++)
        {
            energy += u[i] * u[i];
        }

        return energy;
    }

    /// <summary>Log-likelihood of observations under a 1-D random-walk Kalman filter.</summary>
    [Differentiable(nameof(processNoise), nameof(measurementNoise))]
    public static double KalmanLogLikelihood(double processNoise, double measurementNoise, double[] observations)
    {
        double estimate = observations[0], variance = 1.0, logLikelihood = 0;
        for (int t = 1; t < observations.Length; t++)
        {
            variance += processNoise;
            double innovation = observations[t] - estimate;
            double innovationVariance = variance + measurementNoise;
            logLikelihood -= 0.5 * (Math.Log(2 * Math.PI * innovationVariance) + innovation * innovation / innovationVariance);
            double gain = variance / innovationVariance;
            estimate += gain * innovation;
            variance *= 1 - gain;
        }

        return logLikelihood;
    }

    /// <summary>The logistic map iterated from x0; the derivative shows the sensitivity to the start.</summary>
    [Differentiable]
    public static double LogisticMap(double x0, double rate, int iterations)
    {
        double x = x0;
        for (int i = 0; i < iterations; i++)
        {
            x = rate * x * (1 - x);
        }

        return x;
    }
}

public enum Reduction
{
    Mean,
    Sum,
}

public static partial class Losses
{
    [Differentiable(nameof(logits))]
    public static double SoftmaxCrossEntropy(double[] logits, int[] labels, int classes, Reduction reduction)
    {
        int samples = labels.Length;
        double total = 0;
        for (int s = 0; s < samples; s++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                max = Math.Max(max, logits[s * classes + c]);
            }

            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                sum += Math.Exp(logits[s * classes + c] - max);
            }

            total += Math.Log(sum) + max - logits[s * classes + labels[s]];
        }

        return reduction switch
        {
            Reduction.Mean => total / samples,
            Reduction.Sum => total,
            _ => throw new ArgumentOutOfRangeException(nameof(reduction)),
        };
    }
}
