using System;
using System.Globalization;

namespace DiffGen.Adversarial;

/// <summary>
/// How often a targeted attack makes the classifier predict the target class.
/// </summary>
public static class TargetedSuccessRate
{
    /// <summary>
    /// Attacks every batch towards <paramref name="targets"/> and counts, over the examples whose true label is not already
    /// the target (the eligible ones), those whose adversarial version is classified as the target.
    /// </summary>
    /// <param name="classifier">The model's predictions.</param>
    /// <param name="attack">A configured targeted attack (<see cref="AttackOptions.Targeted"/>) on the same model.</param>
    /// <param name="x">All examples, <c>count × attack.Features</c>, row-major.</param>
    /// <param name="labels">The true class of every row (decides eligibility).</param>
    /// <param name="targets">The target class of every row (passed to the attack).</param>
    /// <param name="batchSize">Rows per attack call.</param>
    /// <returns>Eligible and successful counts; the rate is 0 when nothing is eligible.</returns>
    /// <exception cref="ArgumentException">The attack is untargeted, or a length does not match.</exception>
    public static TargetedSuccessResult Evaluate(
        Classifier classifier, AdversarialAttack attack, ReadOnlySpan<float> x, ReadOnlySpan<int> labels, ReadOnlySpan<int> targets, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(attack);
        if (!attack.Options.Targeted)
        {
            throw new ArgumentException("TargetedSuccessRate needs a targeted attack (Options.Targeted = true).", nameof(attack));
        }

        int count = Batching.CheckRows(x, labels, attack.Features);
        if (targets.Length != count)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"targets has {targets.Length} values but x has {count} rows."),
                nameof(targets));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        int features = attack.Features;
        int capacity = Math.Min(batchSize, count);
        var adversarial = new float[capacity * features];
        var predictions = new int[capacity];
        int eligible = 0, succeeded = 0;
        for (int start = 0; start < count; start += batchSize)
        {
            int rows = Math.Min(batchSize, count - start);
            Span<float> advb = adversarial.AsSpan(0, rows * features);
            Span<int> pb = predictions.AsSpan(0, rows);
            ReadOnlySpan<int> yb = labels.Slice(start, rows);
            ReadOnlySpan<int> tb = targets.Slice(start, rows);
            attack.Perturb(x.Slice(start * features, rows * features), tb, advb);
            classifier(advb, pb);
            for (int i = 0; i < rows; i++)
            {
                if (yb[i] != tb[i])
                {
                    eligible++;
                    if (pb[i] == tb[i])
                    {
                        succeeded++;
                    }
                }
            }
        }

        return new TargetedSuccessResult(eligible, succeeded);
    }
}

/// <summary>The outcome of <see cref="TargetedSuccessRate.Evaluate"/>.</summary>
/// <param name="Eligible">Examples whose true label differs from their target.</param>
/// <param name="Succeeded">Of those, examples whose adversarial version is classified as the target.</param>
public readonly record struct TargetedSuccessResult(int Eligible, int Succeeded)
{
    /// <summary>Succeeded / Eligible (0 when nothing is eligible).</summary>
    public double SuccessRate => Eligible == 0 ? 0 : (double)Succeeded / Eligible;
}
