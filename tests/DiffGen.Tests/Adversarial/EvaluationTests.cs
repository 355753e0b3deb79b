using System;
using System.Linq;
using DiffGen.Adversarial;
using Xunit;

namespace DiffGen.Tests.Adversarial;

/// <summary>RobustAccuracy, TargetedSuccessRate and AdversarialTraining against counts computed directly.</summary>
public sealed class EvaluationTests
{
    private const int Features = 6;
    private const int Classes = 3;

    private static (SoftmaxRegression Model, float[] X, int[] Labels) Data(int rows, int seed)
    {
        var random = new Random(seed);
        var model = SoftmaxRegression.Random(Features, Classes, random, scale: 3f);
        var x = new float[rows * Features];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextSingle();
        }

        // Label most rows with the clean prediction so that clean accuracy is high and the attack has work to do.
        var labels = new int[rows];
        model.Classify(x, labels);
        for (int r = 0; r < rows; r += 4)
        {
            labels[r] = (labels[r] + 1) % Classes;
        }

        return (model, x, labels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(50)]
    public void RobustAccuracy_CountsCleanAndAdversarialCorrect_OverallAndPerClass(int batchSize)
    {
        var (model, x, labels) = Data(23, seed: 1);
        var options = new PgdOptions { Epsilon = 0.2f, StepSize = 0.05f, Steps = 8 };
        RobustAccuracyResult result = RobustAccuracy.Evaluate(model.Classify, new Pgd(model.InputGradient, Features, options), x, labels, batchSize);

        // Directly: every row is attacked independently (per-row signs), so one call on the whole set gives the same examples.
        var clean = new int[labels.Length];
        model.Classify(x, clean);
        var adversarial = new float[x.Length];
        new Pgd(model.InputGradient, Features, options).Perturb(x, labels, adversarial);
        var attacked = new int[labels.Length];
        model.Classify(adversarial, attacked);

        Assert.Equal(23, result.Count);
        Assert.Equal(clean.Zip(labels).Count(p => p.First == p.Second), result.CleanCorrect);
        Assert.Equal(attacked.Zip(labels).Count(p => p.First == p.Second), result.AdversarialCorrect);
        Assert.Equal((double)result.AdversarialCorrect / 23, result.AdversarialAccuracy);
        Assert.True(result.AdversarialCorrect < result.CleanCorrect);
        Assert.Equal(Classes, result.PerClass.Count);
        for (int c = 0; c < Classes; c++)
        {
            ClassRobustness k = result.PerClass[c];
            Assert.Equal(c, k.Label);
            Assert.Equal(labels.Count(l => l == c), k.Count);
            Assert.Equal(Enumerable.Range(0, 23).Count(i => labels[i] == c && clean[i] == c), k.CleanCorrect);
            Assert.Equal(Enumerable.Range(0, 23).Count(i => labels[i] == c && attacked[i] == c), k.AdversarialCorrect);
        }
    }

    [Fact]
    public void RobustAccuracy_WithEpsilonZero_EqualsCleanAccuracy()
    {
        var (model, x, labels) = Data(17, seed: 2);
        RobustAccuracyResult result = RobustAccuracy.Evaluate(
            model.Classify, new Fgsm(model.InputGradient, Features, new FgsmOptions { Epsilon = 0f }), x, labels, batchSize: 5);
        Assert.Equal(result.CleanCorrect, result.AdversarialCorrect);
        Assert.Equal(result.CleanAccuracy, result.AdversarialAccuracy);
    }

    [Fact]
    public void RobustAccuracy_RejectsBadArguments()
    {
        var (model, x, labels) = Data(4, seed: 3);
        var targeted = new Fgsm(model.InputGradient, Features, new FgsmOptions { Epsilon = 0.1f, Targeted = true });
        var untargeted = new Fgsm(model.InputGradient, Features, new FgsmOptions { Epsilon = 0.1f });
        Assert.Equal("attack", Assert.Throws<ArgumentException>(() => RobustAccuracy.Evaluate(model.Classify, targeted, x, labels, 2)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => RobustAccuracy.Evaluate(model.Classify, untargeted, x, labels.AsSpan(1), 2)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => RobustAccuracy.Evaluate(model.Classify, untargeted, x.AsSpan(1), labels, 2)).ParamName);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => RobustAccuracy.Evaluate(model.Classify, untargeted, x, labels, 0)).ParamName);
        int[] negative = [0, -1, 1, 2];
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => RobustAccuracy.Evaluate(model.Classify, untargeted, x, negative, 2)).ParamName);
    }

    [Fact]
    public void TargetedSuccessRate_CountsTargetHits_OverExamplesNotAlreadyOfTheTarget()
    {
        var (model, x, labels) = Data(19, seed: 4);
        var targets = new int[labels.Length];
        for (int r = 0; r < targets.Length; r++)
        {
            targets[r] = r % 5 == 0 ? labels[r] : (labels[r] + 1 + (r % 2)) % Classes; // some rows are already of their target
        }

        var options = new PgdOptions { Epsilon = 0.4f, StepSize = 0.05f, Steps = 20, Targeted = true };
        TargetedSuccessResult result = TargetedSuccessRate.Evaluate(
            model.Classify, new Pgd(model.InputGradient, Features, options), x, labels, targets, batchSize: 6);

        var adversarial = new float[x.Length];
        new Pgd(model.InputGradient, Features, options).Perturb(x, targets, adversarial);
        var predicted = new int[labels.Length];
        model.Classify(adversarial, predicted);
        int[] eligible = Enumerable.Range(0, labels.Length).Where(i => labels[i] != targets[i]).ToArray();
        Assert.Equal(eligible.Length, result.Eligible);
        Assert.Equal(eligible.Count(i => predicted[i] == targets[i]), result.Succeeded);
        Assert.True(result.SuccessRate > 0.5, $"a strong targeted attack should mostly succeed: {result}");

        var untargeted = new Pgd(model.InputGradient, Features, options with { Targeted = false });
        Assert.Equal("attack", Assert.Throws<ArgumentException>(() => TargetedSuccessRate.Evaluate(model.Classify, untargeted, x, labels, targets, 6)).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(
            () => TargetedSuccessRate.Evaluate(model.Classify, new Pgd(model.InputGradient, Features, options), x, labels, targets.AsSpan(1), 6)).ParamName);
    }

    [Theory]
    [InlineData(1f, 9)]
    [InlineData(0.5f, 5)] // round(4.5) = 5, half away from zero
    [InlineData(0f, 0)]
    public void AdversarialTraining_ReplacesTheFirstRows_AndCopiesTheRest(float fraction, int expectedRows)
    {
        var (model, x, labels) = Data(9, seed: 5);
        var options = new PgdOptions { Epsilon = 0.1f, StepSize = 0.03f, Steps = 4 };
        var training = new AdversarialTraining(new Pgd(model.InputGradient, Features, options), fraction);
        var batch = new float[x.Length];
        int rows = training.CreateBatch(x, labels, batch);
        Assert.Equal(expectedRows, rows);

        var expected = (float[])x.Clone();
        new Pgd(model.InputGradient, Features, options).Perturb(x.AsSpan(0, rows * Features), labels.AsSpan(0, rows), expected.AsSpan(0, rows * Features));
        Assert.Equal(expected, batch);
    }

    [Fact]
    public void AdversarialTraining_RejectsTargetedAttacksAndBadFractions()
    {
        var (model, _, _) = Data(1, seed: 6);
        var targeted = new Fgsm(model.InputGradient, Features, new FgsmOptions { Epsilon = 0.1f, Targeted = true });
        var untargeted = new Fgsm(model.InputGradient, Features, new FgsmOptions { Epsilon = 0.1f });
        Assert.Equal("attack", Assert.Throws<ArgumentException>(() => new AdversarialTraining(targeted)).ParamName);
        Assert.Equal("adversarialFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new AdversarialTraining(untargeted, 1.5f)).ParamName);
        Assert.Equal("adversarialFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new AdversarialTraining(untargeted, float.NaN)).ParamName);
        var training = new AdversarialTraining(untargeted);
        Assert.Equal("trainingBatch", Assert.Throws<ArgumentException>(() => training.CreateBatch(new float[12], new int[2], new float[11])).ParamName);
    }
}
