using System;
using System.Collections.Generic;
using System.Globalization;

namespace DiffGen.Adversarial;

/// <summary>
/// Accuracy under attack: every batch is classified clean, attacked (untargeted, with the true labels) and classified again.
/// </summary>
public static class RobustAccuracy
{
    /// <summary>
    /// Evaluates <paramref name="classifier"/> on the clean examples and on their adversarial versions made by
    /// <paramref name="attack"/>, in batches of <paramref name="batchSize"/> rows.
    /// </summary>
    /// <param name="classifier">The model's predictions.</param>
    /// <param name="attack">A configured untargeted attack on the same model (its input gradient).</param>
    /// <param name="x">All examples, <c>count × attack.Features</c>, row-major.</param>
    /// <param name="labels">The true class of every row, each ≥ 0.</param>
    /// <param name="batchSize">Rows per attack call (the last batch may be smaller).</param>
    /// <returns>Clean and adversarial accuracy, overall and per true class.</returns>
    /// <remarks>
    /// The adversarial accuracy is the fraction of examples whose adversarial version is classified correctly (the attack
    /// runs on every example, correctly classified or not). The buffers for one batch are allocated once per call.
    /// </remarks>
    /// <exception cref="ArgumentException">The attack is targeted, a length does not match, or a label is negative.</exception>
    public static RobustAccuracyResult Evaluate(Classifier classifier, AdversarialAttack attack, ReadOnlySpan<float> x, ReadOnlySpan<int> labels, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(attack);
        if (attack.Options.Targeted)
        {
            throw new ArgumentException("RobustAccuracy needs an untargeted attack; use TargetedSuccessRate for a targeted one.", nameof(attack));
        }

        int count = Batching.CheckRows(x, labels, attack.Features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        int classes = Batching.CheckLabels(labels, nameof(labels));

        var perClassCount = new int[classes];
        var perClassClean = new int[classes];
        var perClassAdversarial = new int[classes];
        int features = attack.Features;
        int capacity = Math.Min(batchSize, count);
        var adversarial = new float[capacity * features];
        var predictions = new int[capacity];
        int clean = 0, robust = 0;
        for (int start = 0; start < count; start += batchSize)
        {
            int rows = Math.Min(batchSize, count - start);
            ReadOnlySpan<float> xb = x.Slice(start * features, rows * features);
            ReadOnlySpan<int> yb = labels.Slice(start, rows);
            Span<float> advb = adversarial.AsSpan(0, rows * features);
            Span<int> pb = predictions.AsSpan(0, rows);

            classifier(xb, pb);
            for (int i = 0; i < rows; i++)
            {
                perClassCount[yb[i]]++;
                if (pb[i] == yb[i])
                {
                    clean++;
                    perClassClean[yb[i]]++;
                }
            }

            attack.Perturb(xb, yb, advb);
            classifier(advb, pb);
            for (int i = 0; i < rows; i++)
            {
                if (pb[i] == yb[i])
                {
                    robust++;
                    perClassAdversarial[yb[i]]++;
                }
            }
        }

        var perClass = new ClassRobustness[classes];
        for (int c = 0; c < classes; c++)
        {
            perClass[c] = new ClassRobustness(c, perClassCount[c], perClassClean[c], perClassAdversarial[c]);
        }

        return new RobustAccuracyResult(count, clean, robust, perClass);
    }
}

/// <summary>The outcome of <see cref="RobustAccuracy.Evaluate"/>.</summary>
/// <param name="Count">Examples evaluated.</param>
/// <param name="CleanCorrect">Examples classified correctly as given.</param>
/// <param name="AdversarialCorrect">Examples whose adversarial version is classified correctly.</param>
/// <param name="PerClass">The same counts per true class 0…max label (classes without examples have Count 0).</param>
public sealed record RobustAccuracyResult(int Count, int CleanCorrect, int AdversarialCorrect, IReadOnlyList<ClassRobustness> PerClass)
{
    /// <summary>CleanCorrect / Count (0 when there are no examples).</summary>
    public double CleanAccuracy => Count == 0 ? 0 : (double)CleanCorrect / Count;

    /// <summary>AdversarialCorrect / Count, the robust accuracy (0 when there are no examples).</summary>
    public double AdversarialAccuracy => Count == 0 ? 0 : (double)AdversarialCorrect / Count;
}

/// <summary>Clean and adversarial counts of one true class.</summary>
/// <param name="Label">The class.</param>
/// <param name="Count">Examples of that class.</param>
/// <param name="CleanCorrect">Of those, classified correctly as given.</param>
/// <param name="AdversarialCorrect">Of those, whose adversarial version is classified correctly.</param>
public readonly record struct ClassRobustness(int Label, int Count, int CleanCorrect, int AdversarialCorrect)
{
    /// <summary>CleanCorrect / Count (0 when the class has no examples).</summary>
    public double CleanAccuracy => Count == 0 ? 0 : (double)CleanCorrect / Count;

    /// <summary>AdversarialCorrect / Count (0 when the class has no examples).</summary>
    public double AdversarialAccuracy => Count == 0 ? 0 : (double)AdversarialCorrect / Count;
}

/// <summary>Argument checks shared by the evaluations.</summary>
internal static class Batching
{
    /// <summary>Checks that x is rows × features and labels has one value per row; returns the number of rows.</summary>
    public static int CheckRows(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, int features)
    {
        if (x.Length % features != 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"x has {x.Length} values, which is not a multiple of the attack's Features ({features})."),
                nameof(x));
        }

        int rows = x.Length / features;
        if (labels.Length != rows)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"labels has {labels.Length} values but x has {rows} rows."),
                nameof(labels));
        }

        return rows;
    }

    /// <summary>Checks that every label is ≥ 0; returns max label + 1 (0 when empty).</summary>
    public static int CheckLabels(ReadOnlySpan<int> labels, string paramName)
    {
        int max = -1;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{paramName}[{i}] is {labels[i]}; labels must be ≥ 0."),
                    paramName);
            }

            max = Math.Max(max, labels[i]);
        }

        return max + 1;
    }
}
