using System;
using System.Linq;
using DiffGen;

namespace DiffGen.IntegrationTests.Corpus;

public static partial class Finance
{
    private static double NormalCdf(double x) => 0.5 * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2)));

    /// <summary>Black–Scholes price of a European call; its gradient holds delta, vega and rho.</summary>
    [Differentiable(nameof(spot), nameof(volatility), nameof(rate))]
    public static double BlackScholesCall(double spot, double strike, double volatility, double rate, double maturity)
    {
        double sqrtT = Math.Sqrt(maturity);
        double d1 = (Math.Log(spot / strike) + (rate + 0.5 * volatility * volatility) * maturity) / (volatility * sqrtT);
        double d2 = d1 - volatility * sqrtT;
        return spot * NormalCdf(d1) - strike * Math.Exp(-rate * maturity) * NormalCdf(d2);
    }

    /// <summary>Price of a bond from its yield; the derivative is minus the dollar duration.</summary>
    [Differentiable(nameof(yield))]
    public static double BondPrice(double yield, double coupon, double face, int years, int frequency = 2)
    {
        double price = 0;
        double periodRate = yield / frequency;
        int periods = years * frequency;
        for (int t = 1; t <= periods; t++)
        {
            price += coupon / frequency * face / Math.Pow(1 + periodRate, t);
        }

        return price + face / Math.Pow(1 + periodRate, periods);
    }

    [Differentiable(nameof(weights))]
    public static double PortfolioVariance(double[] weights, double[] covariance)
    {
        int n = weights.Length;
        double variance = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                variance += weights[i] * covariance[i * n + j] * weights[j];
            }
        }

        return variance;
    }

    /// <summary>Cox–Ross–Rubinstein binomial tree for an American put.</summary>
    [Differentiable(nameof(spot), nameof(volatility))]
    public static double AmericanPut(double spot, double strike, double volatility, double rate, double maturity, int steps)
    {
        double dt = maturity / steps;
        double u = Math.Exp(volatility * Math.Sqrt(dt));
        double d = 1 / u;
        double p = (Math.Exp(rate * dt) - d) / (u - d);
        double discount = Math.Exp(-rate * dt);
        double[] values = new double[steps + 1];
        for (int i = 0; i <= steps; i++)
        {
            values[i] = Math.Max(strike - spot * Math.Pow(u, steps - i) * Math.Pow(d, i), 0);
        }

        for (int step = steps - 1; step >= 0; step--)
        {
            for (int i = 0; i <= step; i++)
            {
                double continuation = discount * (p * values[i] + (1 - p) * values[i + 1]);
                double exercise = strike - spot * Math.Pow(u, step - i) * Math.Pow(d, i);
                values[i] = Math.Max(continuation, exercise);
            }
        }

        return values[0];
    }
}
