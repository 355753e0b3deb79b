using System;
using DiffGen.Adversarial;
using Xunit;
using Xunit.Abstractions;

namespace DiffGen.Tests.Adversarial;

/// <summary>
/// Madry-style adversarial training composed the way the sample will compose it: the attack's input gradient closes over
/// the parameter arrays, <see cref="AdversarialTraining.CreateBatch"/> makes the batch, then the parameter gradient on
/// that batch and a plain gradient-descent step (written here; the library's optimizers are separate).
/// </summary>
public sealed class AdversarialTrainingEndToEndTests(ITestOutputHelper output)
{
    private const int Features = 20;
    private const int Classes = 2;
    private const int Count = 256;
    private const float Epsilon = 0.05f;

    /// <summary>
    /// Two classes (±1 → labels 1/0), features centred at 0 in the range [−1, 1] (centred so that plain gradient descent
    /// needs no large bias and converges in a few hundred steps). Feature 0 separates the classes by ±0.1 with noise 0.04:
    /// an ε = 0.05 shift leaves it a margin of 0.05 (≈ 89% robustly separable). Features 1…19 separate them by ±0.04 with
    /// noise 0.06: together very predictive, but an L∞ shift of 0.05 &gt; 0.04 on every one of them reverses their evidence.
    /// A clean-trained linear model leans on the many weak features; adversarial training learns to ignore them.
    /// </summary>
    private static (float[] X, int[] Labels) Data(int seed)
    {
        var random = new Random(seed);
        var x = new float[Count * Features];
        var labels = new int[Count];
        for (int r = 0; r < Count; r++)
        {
            int y = r % 2;
            labels[r] = y;
            float sign = y == 1 ? 1f : -1f;
            x[r * Features] = Math.Clamp((sign * 0.1f) + (0.04f * Gaussian(random)), -1f, 1f);
            for (int j = 1; j < Features; j++)
            {
                x[(r * Features) + j] = Math.Clamp((sign * 0.04f) + (0.06f * Gaussian(random)), -1f, 1f);
            }
        }

        return (x, labels);
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    /// <summary>Mean cross-entropy's parameter gradient (what <c>[Differentiable(nameof(w), nameof(b))]</c> would generate), then θ ← θ − η∇θ.</summary>
    private static void GradientStep(SoftmaxRegression model, ReadOnlySpan<float> x, ReadOnlySpan<int> labels, float learningRate)
    {
        var dw = new float[model.Weights.Length];
        var db = new float[Classes];
        Span<double> z = stackalloc double[Classes];
        for (int r = 0; r < labels.Length; r++)
        {
            ReadOnlySpan<float> row = x.Slice(r * Features, Features);
            double max = double.NegativeInfinity, sum = 0;
            for (int c = 0; c < Classes; c++)
            {
                z[c] = model.Bias[c];
                for (int j = 0; j < Features; j++)
                {
                    z[c] += model.Weights[(c * Features) + j] * row[j];
                }

                max = Math.Max(max, z[c]);
            }

            for (int c = 0; c < Classes; c++)
            {
                sum += Math.Exp(z[c] - max);
            }

            for (int c = 0; c < Classes; c++)
            {
                float coefficient = (float)((Math.Exp(z[c] - max) / sum) - (c == labels[r] ? 1 : 0)) / labels.Length;
                db[c] += coefficient;
                for (int j = 0; j < Features; j++)
                {
                    dw[(c * Features) + j] += coefficient * row[j];
                }
            }
        }

        for (int i = 0; i < dw.Length; i++)
        {
            model.Weights[i] -= learningRate * dw[i];
        }

        for (int c = 0; c < Classes; c++)
        {
            model.Bias[c] -= learningRate * db[c];
        }
    }

    private static RobustAccuracyResult Train(bool adversarial, float[] x, int[] labels, float[] testX, int[] testLabels)
    {
        var model = new SoftmaxRegression(new float[Classes * Features], new float[Classes]);
        // The lambda captures the model, whose arrays the gradient step updates in place: every batch is attacked at the current θ.
        var attack = new Pgd(
            (xb, yb, dx) => model.InputGradient(xb, yb, dx),
            Features,
            new PgdOptions { Epsilon = Epsilon, StepSize = Epsilon / 4, Steps = 7, RandomStart = true, Seed = 3, Min = -1, Max = 1 });
        var training = new AdversarialTraining(attack);
        const int batchSize = 32;
        var batch = new float[batchSize * Features];
        for (int epoch = 0; epoch < 100; epoch++)
        {
            for (int start = 0; start < Count; start += batchSize)
            {
                ReadOnlySpan<float> xb = x.AsSpan(start * Features, batchSize * Features);
                ReadOnlySpan<int> yb = labels.AsSpan(start, batchSize);
                if (adversarial)
                {
                    training.CreateBatch(xb, yb, batch);
                    GradientStep(model, batch, yb, learningRate: 2f);
                }
                else
                {
                    GradientStep(model, xb, yb, learningRate: 2f);
                }
            }
        }

        var evaluation = new Pgd(model.InputGradient, Features, new PgdOptions { Epsilon = Epsilon, StepSize = Epsilon / 4, Steps = 10, Min = -1, Max = 1 });
        return RobustAccuracy.Evaluate(model.Classify, evaluation, testX, testLabels, batchSize: 64);
    }

    [Fact]
    public void AdversarialTraining_RaisesRobustAccuracy_OverCleanTraining()
    {
        var (x, labels) = Data(seed: 1);
        var (testX, testLabels) = Data(seed: 2);
        RobustAccuracyResult clean = Train(adversarial: false, x, labels, testX, testLabels);
        RobustAccuracyResult robust = Train(adversarial: true, x, labels, testX, testLabels);
        output.WriteLine($"clean training:       clean {clean.CleanAccuracy:P1}, under PGD-10 ε={Epsilon}: {clean.AdversarialAccuracy:P1}");
        output.WriteLine($"adversarial training: clean {robust.CleanAccuracy:P1}, under PGD-10 ε={Epsilon}: {robust.AdversarialAccuracy:P1}");

        Assert.True(clean.CleanAccuracy > 0.95, $"clean training should fit the data: {clean}");
        Assert.True(robust.CleanAccuracy > 0.9, $"adversarial training should still fit the data: {robust}");
        Assert.True(
            robust.AdversarialAccuracy > clean.AdversarialAccuracy + 0.2,
            $"adversarial training should raise robust accuracy: {clean.AdversarialAccuracy:P1} → {robust.AdversarialAccuracy:P1}");
    }
}
