using System;
using DiffGen.Adversarial;
using Xunit;

namespace DiffGen.Tests.Adversarial;

/// <summary>
/// An independent re-implementation: the attacks written as plain scalar loops (double arithmetic, one example at a time,
/// the softmax-regression gradient derived by hand) on a fixed model and batch, compared with the library.
/// </summary>
public sealed class ScalarReferenceTests
{
    private const int Features = 4;
    private const int Classes = 3;

    // Fixed softmax regression: logits = W·x + b, W is 3 × 4 row-major.
    private static readonly float[] W =
    [
        1.5f, -0.8f, 0.3f, 2.0f,
        -1.2f, 1.1f, 0.9f, -0.4f,
        0.2f, -0.5f, -1.4f, 0.7f,
    ];

    private static readonly float[] B = [0.1f, -0.2f, 0.05f];

    private static readonly float[] X =
    [
        0.9f, 0.1f, 0.4f, 0.8f,
        0.2f, 0.7f, 0.6f, 0.1f,
        0.5f, 0.3f, 0.05f, 0.6f,
        0.1f, 0.9f, 0.8f, 0.3f,
        0.6f, 0.2f, 0.3f, 0.95f,
        0.35f, 0.45f, 0.2f, 0.5f,
    ];

    private static readonly int[] Labels = [0, 1, 2, 1, 0, 2];
    private static readonly int[] Targets = [2, 0, 1, 2, 1, 0];

    private static double[] Logits(ReadOnlySpan<double> row)
    {
        var z = new double[Classes];
        for (int c = 0; c < Classes; c++)
        {
            z[c] = B[c];
            for (int j = 0; j < Features; j++)
            {
                z[c] += W[(c * Features) + j] * row[j];
            }
        }

        return z;
    }

    /// <summary>∂/∂x of the cross-entropy of one example: Σ_c (softmax(z)_c − [c = y])·W_c (the batch mean's 1/rows does not change signs or directions).</summary>
    private static double[] ReferenceGradient(ReadOnlySpan<double> row, int label)
    {
        double[] z = Logits(row);
        double max = Math.Max(z[0], Math.Max(z[1], z[2]));
        double sum = 0;
        for (int c = 0; c < Classes; c++)
        {
            sum += Math.Exp(z[c] - max);
        }

        var g = new double[Features];
        for (int c = 0; c < Classes; c++)
        {
            double p = Math.Exp(z[c] - max) / sum;
            double coefficient = p - (c == label ? 1 : 0);
            for (int j = 0; j < Features; j++)
            {
                g[j] += coefficient * W[(c * Features) + j];
            }
        }

        return g;
    }

    private static int ReferencePredict(ReadOnlySpan<double> row)
    {
        double[] z = Logits(row);
        int best = 0;
        for (int c = 1; c < Classes; c++)
        {
            if (z[c] > z[best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>The reference attack of one example: FGSM (steps = 1, α = ε, no projection needed), PGD L∞, PGD L2 or MI-FGSM.</summary>
    private static double[] ReferenceAttack(string kind, int example, int label, bool targeted, double eps, double alpha, int steps, double decay = 1)
    {
        var x0 = new double[Features];
        for (int j = 0; j < Features; j++)
        {
            x0[j] = X[(example * Features) + j];
        }

        var x = (double[])x0.Clone();
        var momentum = new double[Features];
        double direction = targeted ? -1 : 1;
        for (int step = 0; step < steps; step++)
        {
            double[] g = ReferenceGradient(x, label);
            if (kind == "L2")
            {
                double norm = 0;
                foreach (double v in g)
                {
                    norm += v * v;
                }

                norm = Math.Sqrt(norm);
                for (int j = 0; j < Features; j++)
                {
                    x[j] += direction * alpha * g[j] / norm;
                }

                // Projection onto the L2 ball: δ = x − x₀; if ‖δ‖₂ > ε then δ ← ε·δ/‖δ‖₂; then clamp to [0, 1].
                double length = 0;
                for (int j = 0; j < Features; j++)
                {
                    length += (x[j] - x0[j]) * (x[j] - x0[j]);
                }

                length = Math.Sqrt(length);
                for (int j = 0; j < Features; j++)
                {
                    double delta = x[j] - x0[j];
                    if (length > eps)
                    {
                        delta *= eps / length;
                    }

                    x[j] = Math.Clamp(x0[j] + delta, 0, 1);
                }

                continue;
            }

            if (kind == "MI")
            {
                double l1 = 0;
                foreach (double v in g)
                {
                    l1 += Math.Abs(v);
                }

                for (int j = 0; j < Features; j++)
                {
                    momentum[j] = (decay * momentum[j]) + (g[j] / l1);
                    g[j] = momentum[j];
                }
            }

            // Sign step, then the L∞ projection x ∈ [x₀ − ε, x₀ + ε], then the range [0, 1].
            for (int j = 0; j < Features; j++)
            {
                double moved = x[j] + (direction * alpha * Math.Sign(g[j]));
                x[j] = Math.Clamp(Math.Clamp(moved, x0[j] - eps, x0[j] + eps), 0, 1);
            }
        }

        return x;
    }

    private static void AssertMatches(string kind, bool targeted, float[] actual, double eps, double alpha, int steps, double decay = 1)
    {
        int[] labels = targeted ? Targets : Labels;
        for (int r = 0; r < Labels.Length; r++)
        {
            double[] expected = ReferenceAttack(kind, r, labels[r], targeted, eps, alpha, steps, decay);
            for (int j = 0; j < Features; j++)
            {
                int i = (r * Features) + j;
                Assert.True(
                    Math.Sign(expected[j] - X[i]) == Math.Sign(actual[i] - X[i]),
                    $"{kind} targeted={targeted}: perturbation sign of row {r} feature {j}: {actual[i] - X[i]} vs {expected[j] - X[i]}");
                Assert.True(Math.Abs(expected[j] - actual[i]) <= 1e-6, $"{kind} targeted={targeted}: row {r} feature {j}: {actual[i]:R} vs {expected[j]:R}");
            }
        }
    }

    private static SoftmaxRegression Model => new(W, B);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fgsm_MatchesScalarReference(bool targeted)
    {
        var actual = new float[X.Length];
        new Fgsm(Model.InputGradient, Features, new FgsmOptions { Epsilon = 0.1f, Targeted = targeted }).Perturb(X, targeted ? Targets : Labels, actual);
        AssertMatches("FGSM", targeted, actual, 0.1f, 0.1f, 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PgdLinf_MatchesScalarReference(bool targeted)
    {
        var actual = new float[X.Length];
        new Pgd(Model.InputGradient, Features, new PgdOptions { Epsilon = 0.15f, StepSize = 0.04f, Steps = 7, Targeted = targeted })
            .Perturb(X, targeted ? Targets : Labels, actual);
        AssertMatches("Linf", targeted, actual, 0.15f, 0.04f, 7);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PgdL2_MatchesScalarReference(bool targeted)
    {
        var actual = new float[X.Length];
        new Pgd(Model.InputGradient, Features, new PgdOptions { Norm = Norm.L2, Epsilon = 0.3f, StepSize = 0.08f, Steps = 6, Targeted = targeted })
            .Perturb(X, targeted ? Targets : Labels, actual);
        AssertMatches("L2", targeted, actual, 0.3f, 0.08f, 6);
    }

    [Theory]
    [InlineData(false, 1f)]
    [InlineData(true, 0.5f)]
    public void MomentumIfgsm_MatchesScalarReference(bool targeted, float decay)
    {
        var actual = new float[X.Length];
        new MomentumIfgsm(Model.InputGradient, Features, new MomentumIfgsmOptions { Epsilon = 0.12f, StepSize = 0.03f, Steps = 5, Decay = decay, Targeted = targeted })
            .Perturb(X, targeted ? Targets : Labels, actual);
        AssertMatches("MI", targeted, actual, 0.12f, 0.03f, 5, decay);
    }

    [Fact]
    public void RobustAccuracy_MatchesScalarReference()
    {
        const float eps = 0.15f, alpha = 0.04f;
        const int steps = 7;
        SoftmaxRegression model = Model;
        var attack = new Pgd(model.InputGradient, Features, new PgdOptions { Epsilon = eps, StepSize = alpha, Steps = steps });
        RobustAccuracyResult result = RobustAccuracy.Evaluate(model.Classify, attack, X, Labels, batchSize: 4);

        int clean = 0, robust = 0;
        for (int r = 0; r < Labels.Length; r++)
        {
            var row = new double[Features];
            for (int j = 0; j < Features; j++)
            {
                row[j] = X[(r * Features) + j];
            }

            clean += ReferencePredict(row) == Labels[r] ? 1 : 0;
            robust += ReferencePredict(ReferenceAttack("Linf", r, Labels[r], false, eps, alpha, steps)) == Labels[r] ? 1 : 0;
        }

        Assert.Equal(Labels.Length, result.Count);
        Assert.Equal(clean, result.CleanCorrect);
        Assert.Equal(robust, result.AdversarialCorrect);
        Assert.True(robust < clean, $"the fixed batch should show the attack working: clean {clean}, robust {robust}");
    }
}
