using System;
using DiffGen.Adversarial;
using Xunit;

namespace DiffGen.Tests.Adversarial;

/// <summary>
/// Attacks on models whose input gradient is known exactly, against the formulas written out here.
/// The linear "model" L(x) = Σ_rows c_r·(w_r·x_r) has ∇ₓ of row r equal to c_r·w_r for every x.
/// </summary>
public sealed class ClosedFormTests
{
    private const float Tolerance = 1e-6f;

    private static InputGradient ConstantGradient(float[] g) => (x, labels, gradient) =>
    {
        for (int i = 0; i < gradient.Length; i++)
        {
            gradient[i] += g[i];
        }

        return 0f;
    };

    private static float Sign(float v) => v > 0 ? 1f : v < 0 ? -1f : 0f;

    // Rows of 5 features (4 rows, 20 values: tails and SIMD bodies), gradient rows with zeros and both signs.
    private static readonly float[] W =
    [
        0.5f, -2f, 0f, 3f, -0.25f,
        -1f, 1f, 1f, -1f, 0f,
        0.1f, 0.2f, -0.3f, 0.4f, -0.5f,
        0f, 0f, 0f, 0f, 7f,
    ];

    private static readonly float[] X =
    [
        0.5f, 0.5f, 0.5f, 0.5f, 0.5f,
        0.95f, 0.02f, 0.3f, 0.7f, 1f,
        0f, 1f, 0.25f, 0.75f, 0.5f,
        0.4f, 0.6f, 0.8f, 0.1f, 0.99f,
    ];

    private static readonly int[] Labels = [0, 1, 2, 3];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fgsm_OnLinearModel_IsXPlusOrMinusEpsilonSignW_Clamped(bool targeted)
    {
        const float eps = 0.1f;
        var attack = new Fgsm(ConstantGradient(W), 5, new FgsmOptions { Epsilon = eps, Targeted = targeted });
        var adversarial = new float[X.Length];
        attack.Perturb(X, Labels, adversarial);

        float direction = targeted ? -1f : 1f;
        for (int i = 0; i < X.Length; i++)
        {
            // x' = clamp(x ± ε·sign(w), 0, 1): the same float operations, so bit-exact.
            float expected = Math.Clamp(X[i] + (direction * eps * Sign(W[i])), 0f, 1f);
            Assert.Equal(expected, adversarial[i]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bim_ConstantGradient_MovesMinOfKAlphaAndEpsilon_AlongSignW(bool targeted)
    {
        // Each step adds ±α·sign(w); the L∞ projection stops at x₀ ± ε; the range clamp at [0, 1]:
        // x_k = clamp(x₀ ± min(kα, ε)·sign(w), 0, 1) (up to float rounding of the repeated additions).
        const float eps = 0.07f, alpha = 0.02f;
        foreach (int steps in new[] { 1, 2, 3, 4, 10 })
        {
            var attack = new Bim(ConstantGradient(W), 5, new BimOptions { Epsilon = eps, StepSize = alpha, Steps = steps, Targeted = targeted });
            var adversarial = new float[X.Length];
            attack.Perturb(X, Labels, adversarial);
            double direction = targeted ? -1 : 1;
            for (int i = 0; i < X.Length; i++)
            {
                double expected = Math.Clamp(X[i] + (direction * Math.Min(steps * alpha, eps) * Sign(W[i])), 0, 1);
                Assert.True(Math.Abs(expected - adversarial[i]) <= Tolerance, $"steps {steps}, i {i}: {adversarial[i]} vs {expected}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PgdL2_SingleStep_IsXPlusAlphaGOverNorm(bool targeted)
    {
        // ε large: no projection. Row r: x' = x ± α·g_r/‖g_r‖₂; X is chosen so that no feature leaves [0, 1] except
        // where clamped, which the formula applies too. Row 3 (g = 7·e₅) moves only its last feature.
        const float alpha = 0.05f;
        var attack = new Pgd(ConstantGradient(W), 5, new PgdOptions { Norm = Norm.L2, Epsilon = 10f, StepSize = alpha, Steps = 1, Targeted = targeted });
        var adversarial = new float[X.Length];
        attack.Perturb(X, Labels, adversarial);
        double direction = targeted ? -1 : 1;
        for (int r = 0; r < 4; r++)
        {
            double norm = 0;
            for (int j = 0; j < 5; j++)
            {
                norm += (double)W[(r * 5) + j] * W[(r * 5) + j];
            }

            norm = Math.Sqrt(norm);
            for (int j = 0; j < 5; j++)
            {
                int i = (r * 5) + j;
                double expected = Math.Clamp(X[i] + (direction * alpha * W[i] / norm), 0, 1);
                Assert.True(Math.Abs(expected - adversarial[i]) <= Tolerance, $"row {r}, feature {j}: {adversarial[i]} vs {expected}");
            }
        }
    }

    [Fact]
    public void PgdL2_Projection_ScalesDeltaToEpsilon()
    {
        // x₀ = 0.5 everywhere, so the range never binds (ε = 0.2 < 0.5). After k steps along u = g/‖g‖ the offset is
        // δ = kα·u; the projection δ ← δ·ε/‖δ‖₂ when ‖δ‖₂ > ε gives x_k = x₀ + min(kα, ε)·u.
        const float eps = 0.2f, alpha = 0.09f;
        var x0 = new float[10];
        Array.Fill(x0, 0.5f);
        float[] g = [1f, -2f, 0.5f, 0f, 3f, 0f, 0f, -1f, 0f, 0f];
        foreach (int steps in new[] { 1, 2, 3, 5 })
        {
            var attack = new Pgd(ConstantGradient(g), 5, new PgdOptions { Norm = Norm.L2, Epsilon = eps, StepSize = alpha, Steps = steps });
            var adversarial = new float[10];
            attack.Perturb(x0, [0, 0], adversarial);
            for (int r = 0; r < 2; r++)
            {
                double norm = 0;
                for (int j = 0; j < 5; j++)
                {
                    norm += (double)g[(r * 5) + j] * g[(r * 5) + j];
                }

                norm = Math.Sqrt(norm);
                double length = Math.Min(steps * alpha, eps);
                double distance = 0;
                for (int j = 0; j < 5; j++)
                {
                    int i = (r * 5) + j;
                    double expected = 0.5 + (length * g[i] / norm);
                    Assert.True(Math.Abs(expected - adversarial[i]) <= Tolerance, $"steps {steps}, row {r}, feature {j}: {adversarial[i]} vs {expected}");
                    distance += (adversarial[i] - 0.5) * (adversarial[i] - 0.5);
                }

                Assert.True(Math.Sqrt(distance) <= length + Tolerance);
            }
        }
    }

    [Fact]
    public void PgdLinf_WithoutRandomStart_EqualsBim()
    {
        var random = new Random(5);
        var model = SoftmaxRegression.Random(7, 3, random);
        var x = new float[5 * 7];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextSingle();
        }

        int[] labels = [0, 1, 2, 0, 1];
        var bim = new float[x.Length];
        var pgd = new float[x.Length];
        new Bim(model.InputGradient, 7, new BimOptions { Epsilon = 0.1f, StepSize = 0.03f, Steps = 6 }).Perturb(x, labels, bim);
        new Pgd(model.InputGradient, 7, new PgdOptions { Epsilon = 0.1f, StepSize = 0.03f, Steps = 6 }).Perturb(x, labels, pgd);
        Assert.Equal(bim, pgd);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.5f)]
    public void MomentumIfgsm_NormalisesByL1_AndAccumulates(float decay)
    {
        // Step 1 sees ∇ = w, step 2 sees ∇ = −w/2 (a gradient with a different scale and the opposite sign).
        // g₁ = w/‖w‖₁;  g₂ = μ·g₁ + (−w/2)/(‖w‖₁/2) = (μ − 1)·w/‖w‖₁.
        // μ = 1:   g₂ = 0, sign 0: step 2 does not move, x₂ = x₀ + α·sign(w).
        // μ = 1/2: g₂ = −g₁/2, step 2 moves back: x₂ = x₀.
        float[] w = [0.3f, -0.6f, 0f, 1.2f];
        int call = 0;
        InputGradient gradient = (x, labels, dx) =>
        {
            float scale = call++ == 0 ? 1f : -0.5f;
            for (int i = 0; i < dx.Length; i++)
            {
                dx[i] += scale * w[i];
            }

            return 0f;
        };
        const float alpha = 0.05f;
        float[] x0 = [0.5f, 0.5f, 0.5f, 0.5f];
        var adversarial = new float[4];
        new MomentumIfgsm(gradient, 4, new MomentumIfgsmOptions { Epsilon = 0.3f, StepSize = alpha, Steps = 2, Decay = decay }).Perturb(x0, [0], adversarial);
        for (int i = 0; i < 4; i++)
        {
            float expected = decay == 1f ? 0.5f + (alpha * Sign(w[i])) : 0.5f + (alpha * Sign(w[i])) - (alpha * Sign(w[i]));
            Assert.Equal(expected, adversarial[i]);
        }
    }

    [Fact]
    public void Perturb_InPlace_GivesTheSameResult()
    {
        var model = SoftmaxRegression.Random(6, 3, new Random(2));
        var x = new float[3 * 6];
        var random = new Random(3);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextSingle();
        }

        int[] labels = [2, 0, 1];
        var options = new PgdOptions { Epsilon = 0.2f, StepSize = 0.05f, Steps = 5, Norm = Norm.L2 };
        var separate = new float[x.Length];
        new Pgd(model.InputGradient, 6, options).Perturb(x, labels, separate);
        var inPlace = (float[])x.Clone();
        new Pgd(model.InputGradient, 6, options).Perturb(inPlace, labels, inPlace);
        Assert.Equal(separate, inPlace);
    }

    [Fact]
    public void PgdRandomStart_IsSeeded_AndStaysInTheBall()
    {
        var model = SoftmaxRegression.Random(6, 3, new Random(4));
        var x = new float[4 * 6];
        Array.Fill(x, 0.5f);
        int[] labels = [0, 1, 2, 0];
        foreach (Norm norm in new[] { Norm.Linf, Norm.L2 })
        {
            var options = new PgdOptions { Epsilon = 0.3f, StepSize = 0.01f, Steps = 1, Norm = norm, RandomStart = true, Seed = 42 };
            var a = new float[x.Length];
            var b = new float[x.Length];
            var c = new float[x.Length];
            new Pgd(model.InputGradient, 6, options).Perturb(x, labels, a);
            new Pgd(model.InputGradient, 6, options).Perturb(x, labels, b);
            new Pgd(model.InputGradient, 6, options with { Seed = 43 }).Perturb(x, labels, c);
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
        }
    }
}
