using System;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Tests.Optimization;

/// <summary>
/// Sgd against torch.optim.SGD's rule written out in <see cref="TorchRules.Sgd"/>, step by step.
/// Tolerances: double |θ − θref| ≤ 1e-13·(1+|θref|) (same operations in the same order); float 2e-6·(1+|θref|).
/// </summary>
public class SgdTests
{
    private const int Steps = 7;

    public static TheoryData<double, double, double, double, bool, bool> Configurations => new()
    {
        // lr, momentum, dampening, weightDecay, nesterov, maximize
        { 0.1, 0, 0, 0, false, false },
        { 0.1, 0.9, 0, 0, false, false },
        { 0.05, 0.9, 0.5, 0, false, false },
        { 0.05, 0.8, 0, 0, true, false },
        { 0.1, 0, 0, 0.01, false, false },
        { 0.1, 0.9, 0.1, 0.05, false, false },
        { 0.02, 0.7, 0, 0.1, true, false },
        { 0.1, 0.9, 0.3, 0.01, false, true },
        { 0.1, 0.5, 0, 0, true, true },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Double_MatchesTorchRule_StepByStep(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize) =>
        Check<double>(lr, momentum, dampening, weightDecay, nesterov, maximize, 1e-13);

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Float_MatchesTorchRule_StepByStep(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize) =>
        Check<float>(lr, momentum, dampening, weightDecay, nesterov, maximize, 2e-6);

    [Fact]
    public void FirstMomentumStep_CopiesGradientWithoutDampening_ThenDampens()
    {
        var set = new Parameters<double>();
        Parameter<double> p = set.Add("w", 2);
        p.Value[0] = 1;
        p.Value[1] = -1;
        var sgd = new Sgd<double>(set, learningRate: 0.1, momentum: 0.9, dampening: 0.5);

        p.Grad[0] = 2;
        p.Grad[1] = 4;
        sgd.Step();

        // b₁ = g (no (1 − τ) factor), θ₁ = θ₀ − η b₁.
        Assert.Equal([2.0, 4.0], sgd.MomentumBuffer(0).ToArray());
        Assert.Equal(1 - (0.1 * 2), p.Value[0]);
        Assert.Equal(-1 - (0.1 * 4), p.Value[1]);

        p.Grad[0] = 1;
        p.Grad[1] = 0;
        sgd.Step();

        // b₂ = μ b₁ + (1 − τ) g₂.
        Assert.Equal((0.9 * 2) + (0.5 * 1), sgd.MomentumBuffer(0)[0]);
        Assert.Equal(0.9 * 4, sgd.MomentumBuffer(0)[1]);
    }

    [Fact]
    public void Nesterov_UsesGradientPlusMomentumTimesBuffer()
    {
        var set = new Parameters<double>();
        Parameter<double> p = set.Add("w", 1);
        var sgd = new Sgd<double>(set, learningRate: 1, momentum: 0.5, nesterov: true);
        p.Grad[0] = 2;
        sgd.Step(); // b = 2, d = 2 + 0.5·2 = 3
        Assert.Equal(-3.0, p.Value[0]);
        p.Grad[0] = 1;
        sgd.Step(); // b = 0.5·2 + 1 = 2, d = 1 + 0.5·2 = 2
        Assert.Equal(-5.0, p.Value[0]);
    }

    [Fact]
    public void Maximize_AscendsTheObjective()
    {
        var set = new Parameters<float>();
        Parameter<float> p = set.Add("w", 1);
        var sgd = new Sgd<float>(set, learningRate: 0.5, maximize: true);
        p.Grad[0] = 2;
        sgd.Step();
        Assert.Equal(1f, p.Value[0]);
    }

    [Fact]
    public void Validation_FollowsTorch()
    {
        var set = new Parameters<float>();
        set.Add("w", 4);
        Assert.Contains("Nesterov momentum requires a momentum and zero dampening", Assert.Throws<ArgumentException>(() => new Sgd<float>(set, 0.1, nesterov: true)).Message);
        Assert.Throws<ArgumentException>(() => new Sgd<float>(set, 0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(set, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(set, 0.1, momentum: -0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(set, 0.1, weightDecay: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(set, double.NaN));
        Assert.Throws<ArgumentException>(() => new Sgd<float>(new Parameters<float>(), 0.1));
        var sgd = new Sgd<float>(set, 0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -1);
    }

    [Fact]
    public void AddingParametersAfterCreation_FailsLoudlyOnStep()
    {
        var set = new Parameters<float>();
        set.Add("w", 4);
        var sgd = new Sgd<float>(set, 0.1);
        set.Add("late", 2);
        Assert.Contains("create the optimizer after adding every parameter", Assert.Throws<InvalidOperationException>(sgd.Step).Message);
    }

    [Fact]
    public void ZeroGrad_ClearsEveryGradient()
    {
        var set = new Parameters<float>();
        set.Add("a", 3).Grad.Fill(1);
        set.Add("b", 9).Grad.Fill(2);
        new Sgd<float>(set, 0.1).ZeroGrad();
        Assert.All(set, p => Assert.All(p.GradArray, g => Assert.Equal(0f, g)));
    }

    private static void Check<T>(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize, double tolerance)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        (Parameters<T> set, double[][] theta) = OptimizerHarness.Create<T>(seed: 11);
        var sgd = new Sgd<T>(set, lr, momentum, dampening, weightDecay, nesterov, maximize);
        var reference = new TorchRules.Sgd(lr, momentum, dampening, weightDecay, nesterov, maximize);
        var rng = new Random(5);
        for (int step = 1; step <= Steps; step++)
        {
            double[][] grads = OptimizerHarness.SetRandomGradients(set, rng, OptimizerHarness.GradientScales[step - 1]);
            sgd.Step();
            reference.Step(theta, grads);
            OptimizerHarness.AssertClose(set, theta, tolerance, $"step {step}");
            if (momentum != 0)
            {
                for (int k = 0; k < set.Count; k++)
                {
                    for (int i = 0; i < set[k].Length; i++)
                    {
                        double b = double.CreateTruncating(sgd.MomentumBuffer(k)[i]);
                        Assert.True(Math.Abs(b - reference.Buffer(k)![i]) <= tolerance * (1 + Math.Abs(b)), $"step {step}: momentum buffer {k}[{i}]");
                    }
                }
            }
        }

        Assert.Equal(Steps, sgd.StepCount);
    }
}
