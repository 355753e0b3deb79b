using System;
using System.Numerics;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Tests.Optimization;

/// <summary>
/// Adam and AdamW against torch.optim's rules written out in <see cref="TorchRules.Adam"/>, step by step.
/// Tolerances: double |θ − θref| ≤ 1e-13·(1+|θref|); float 2e-6·(1+|θref|).
/// </summary>
public class AdamTests
{
    private const int Steps = 7;

    public static TheoryData<double, double, double, double, double, bool, bool> Configurations => new()
    {
        // lr, beta1, beta2, eps, weightDecay, amsgrad, maximize
        { 1e-3, 0.9, 0.999, 1e-8, 0, false, false },
        { 0.05, 0.9, 0.999, 1e-8, 0, false, false },
        { 0.05, 0.8, 0.99, 1e-3, 0.1, false, false },
        { 0.05, 0.9, 0.999, 1e-8, 0, true, false },
        { 0.02, 0.5, 0.9, 1e-2, 0.05, true, false },
        { 0.05, 0.9, 0.999, 1e-8, 0.01, false, true },
        { 0.05, 0, 0.5, 0.1, 0.2, true, true },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Adam_Double_MatchesTorchRule(double lr, double b1, double b2, double eps, double wd, bool amsgrad, bool maximize) =>
        Check<double>(lr, b1, b2, eps, wd, amsgrad, maximize, decoupled: false, 1e-13);

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Adam_Float_MatchesTorchRule(double lr, double b1, double b2, double eps, double wd, bool amsgrad, bool maximize) =>
        Check<float>(lr, b1, b2, eps, wd, amsgrad, maximize, decoupled: false, 2e-6);

    [Theory]
    [MemberData(nameof(Configurations))]
    public void AdamW_Double_MatchesTorchRule(double lr, double b1, double b2, double eps, double wd, bool amsgrad, bool maximize) =>
        Check<double>(lr, b1, b2, eps, wd, amsgrad, maximize, decoupled: true, 1e-13);

    [Theory]
    [MemberData(nameof(Configurations))]
    public void AdamW_Float_MatchesTorchRule(double lr, double b1, double b2, double eps, double wd, bool amsgrad, bool maximize) =>
        Check<float>(lr, b1, b2, eps, wd, amsgrad, maximize, decoupled: true, 2e-6);

    [Fact]
    public void FirstStep_BiasCorrectionGivesSignStep_WithEpsilonAfterTheCorrection()
    {
        // At t = 1: m̂ = g, √v̂ = |g|, so θ₁ = θ₀ − η g / (|g| + ε) exactly when ε is added after dividing by √(1 − β₂).
        // (ε inside the correction would give |g| + ε/√(1 − β₂) ≈ |g| + 31.6 ε here.)
        var set = new Parameters<double>();
        Parameter<double> p = set.Add("w", 2);
        var adam = new Adam<double>(set, learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 0.5);
        p.Grad[0] = 2;
        p.Grad[1] = -0.5;
        adam.Step();
        Assert.Equal(-0.1 * 2 / 2.5, p.Value[0], 15);
        Assert.Equal(0.1 * 0.5 / 1.0, p.Value[1], 15);
    }

    [Fact]
    public void SecondStep_UsesStepTwoBiasCorrections()
    {
        const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        var set = new Parameters<double>();
        Parameter<double> p = set.Add("w", 1);
        var adam = new Adam<double>(set, lr, b1, b2, eps);
        p.Grad[0] = 1;
        adam.Step();
        double afterOne = p.Value[0];
        p.Grad[0] = 3;
        adam.Step();
        double m = ((b1 * (1 - b1)) * 1) + ((1 - b1) * 3);
        double v = ((b2 * (1 - b2)) * 1) + ((1 - b2) * 9);
        double expected = afterOne - (lr / (1 - (b1 * b1)) * m / ((Math.Sqrt(v) / Math.Sqrt(1 - (b2 * b2))) + eps));
        Assert.Equal(expected, p.Value[0], 14);
        Assert.Equal(2, adam.StepCount);
    }

    [Fact]
    public void WeightDecay_IsL2InAdam_AndDecoupledInAdamW()
    {
        // Zero gradient: Adam's L2 term still drives the moments; AdamW only shrinks θ by (1 − ηλ).
        var adamSet = new Parameters<double>();
        adamSet.Add("w", 1).Value[0] = 2;
        var adam = new Adam<double>(adamSet, learningRate: 0.1, weightDecay: 0.5);
        adam.Step();
        Assert.Equal(2 - (0.1 * 1 / (1 + 1e-8)), adamSet[0].Value[0], 14); // g = λθ = 1 → sign step

        var adamWSet = new Parameters<double>();
        adamWSet.Add("w", 1).Value[0] = 2;
        var adamW = new AdamW<double>(adamWSet, learningRate: 0.1, weightDecay: 0.5);
        adamW.Step();
        Assert.Equal(2 * (1 - (0.1 * 0.5)), adamWSet[0].Value[0], 15); // m = 0 → no Adam move
    }

    [Fact]
    public void AmsGrad_ChangesTheTrajectoryWhenGradientsShrink()
    {
        double[][] plain = Run(amsgrad: false);
        double[][] ams = Run(amsgrad: true);
        Assert.True(OptimizerHarness.MaxDifference(plain, ams) > 1e-4, "AMSGrad should differ from Adam once v decreases.");

        static double[][] Run(bool amsgrad)
        {
            (Parameters<double> set, double[][] _) = OptimizerHarness.Create<double>(seed: 3);
            var adam = new Adam<double>(set, 0.05, beta2: 0.9, amsgrad: amsgrad);
            var rng = new Random(9);
            foreach (double scale in OptimizerHarness.GradientScales)
            {
                OptimizerHarness.SetRandomGradients(set, rng, scale);
                adam.Step();
            }

            var result = new double[set.Count][];
            for (int k = 0; k < set.Count; k++)
            {
                result[k] = set[k].Value.ToArray();
            }

            return result;
        }
    }

    [Fact]
    public void Validation_FollowsTorch()
    {
        var set = new Parameters<float>();
        set.Add("w", 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(set, beta1: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(set, beta2: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(set, epsilon: -1e-8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW<float>(set, weightDecay: -0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW<float>(set, learningRate: double.PositiveInfinity));
        Assert.Equal(1e-2, new AdamW<float>(set).WeightDecay);
        Assert.Equal(0, new Adam<float>(set).WeightDecay);
    }

    private static void Check<T>(double lr, double b1, double b2, double eps, double wd, bool amsgrad, bool maximize, bool decoupled, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (Parameters<T> set, double[][] theta) = OptimizerHarness.Create<T>(seed: 21);
        IOptimizer optimizer = decoupled
            ? new AdamW<T>(set, lr, b1, b2, eps, wd, amsgrad, maximize)
            : new Adam<T>(set, lr, b1, b2, eps, wd, amsgrad, maximize);
        var reference = new TorchRules.Adam(lr, b1, b2, eps, wd, amsgrad, maximize, decoupled);
        var rng = new Random(8);
        for (int step = 1; step <= Steps; step++)
        {
            double[][] grads = OptimizerHarness.SetRandomGradients(set, rng, OptimizerHarness.GradientScales[step - 1]);
            optimizer.Step();
            reference.Step(theta, grads);
            OptimizerHarness.AssertClose(set, theta, tolerance, $"{(decoupled ? "AdamW" : "Adam")} step {step}");
        }
    }
}
