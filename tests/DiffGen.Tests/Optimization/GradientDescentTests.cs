using System;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Tests.Optimization;

public class GradientDescentTests
{
    [Fact]
    public void Quadratic_ConvergesAtTheKnownGeometricRate()
    {
        // f(θ) = ½ Σ aᵢ θᵢ², ∇f = aθ, so θₖ = (1 − η aᵢ)ᵏ θ₀ exactly in real arithmetic.
        // Tolerance: 1e-12 relative to θ₀ (k rounding errors of one ulp each).
        const double eta = 0.1;
        double[] a = [0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 19, 0.1];
        var set = new Parameters<double>();
        Parameter<double> theta = set.Add("θ", a.Length).InitConstant(1.0);
        var gd = new GradientDescent<double>(set, eta);
        for (int k = 1; k <= 40; k++)
        {
            gd.ZeroGrad();
            for (int i = 0; i < a.Length; i++)
            {
                theta.Grad[i] += a[i] * theta.Value[i];
            }

            gd.Step();
            for (int i = 0; i < a.Length; i++)
            {
                double expected = Math.Pow(1 - (eta * a[i]), k);
                Assert.True(Math.Abs(theta.Value[i] - expected) <= 1e-12, $"step {k}, a = {a[i]}: {theta.Value[i]:R} vs {expected:R}");
            }
        }

        // The slowest mode (a = 0.1) contracts by 0.99 per step; the fast ones (η a > 1) oscillate but |1 − η a| < 1.
        Assert.True(Math.Abs(theta.Value[^1] - Math.Pow(0.99, 40)) < 1e-12);
    }

    [Fact]
    public void Float_TakesPlainSteps()
    {
        var set = new Parameters<float>();
        Parameter<float> w = set.Add("w", 19).InitConstant(1f);
        w.Grad.Fill(2f);
        new GradientDescent<float>(set, 0.25).Step();
        Assert.All(w.ValueArray, v => Assert.Equal(0.5f, v));
    }
}
