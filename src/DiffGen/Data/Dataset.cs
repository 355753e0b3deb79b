using System;

namespace DiffGen.Data;

/// <summary>
/// Labelled samples for classification: features as a row-major [<see cref="Count"/> × <see cref="FeatureCount"/>]
/// float matrix and one integer label in [0, <see cref="ClassCount"/>) per row.
/// </summary>
/// <remarks><see cref="Take(int)"/> and <see cref="Slice(int, int)"/> are views that share the arrays (no copy).</remarks>
public sealed class Dataset
{
    private readonly float[] _features;
    private readonly int[] _labels;
    private readonly int _start;

    /// <summary>Wraps <paramref name="features"/> and <paramref name="labels"/> (not copied) after validating them.</summary>
    /// <param name="features">Row-major features, <c>labels.Length × featureCount</c> values.</param>
    /// <param name="labels">One label per row, each in [0, classCount).</param>
    /// <param name="featureCount">The number of features per sample, positive.</param>
    /// <param name="classCount">The number of classes; by default the largest label + 1 (at least 1).</param>
    /// <exception cref="ArgumentException">The lengths disagree, or a label is out of range (the message says which).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> or <paramref name="classCount"/> is not positive.</exception>
    public Dataset(float[] features, int[] labels, int featureCount, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if ((long)labels.Length * featureCount != features.Length)
        {
            throw new ArgumentException(
                $"features has {features.Length} values but labels.Length ({labels.Length}) × featureCount ({featureCount}) = {(long)labels.Length * featureCount}.",
                nameof(features));
        }

        int classes;
        if (classCount is int given)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(given, nameof(classCount));
            classes = given;
        }
        else
        {
            int max = 0;
            foreach (int label in labels)
            {
                max = Math.Max(max, label);
            }

            classes = max + 1;
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentException($"labels[{i}] = {labels[i]} is outside [0, {classes}).", nameof(labels));
            }
        }

        _features = features;
        _labels = labels;
        FeatureCount = featureCount;
        ClassCount = classes;
        Count = labels.Length;
    }

    private Dataset(Dataset parent, int start, int count)
    {
        _features = parent._features;
        _labels = parent._labels;
        _start = parent._start + start;
        FeatureCount = parent.FeatureCount;
        ClassCount = parent.ClassCount;
        Count = count;
    }

    /// <summary>The array behind <see cref="Features"/>, which starts at row <see cref="Start"/> of it.</summary>
    internal float[] FeatureArray => _features;

    /// <summary>The array behind <see cref="Labels"/>, which starts at <see cref="Start"/>.</summary>
    internal int[] LabelArray => _labels;

    /// <summary>The first row of this view in the arrays.</summary>
    internal int Start => _start;

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>The number of features per sample (the row length).</summary>
    public int FeatureCount { get; }

    /// <summary>The number of classes; every label is in [0, ClassCount).</summary>
    public int ClassCount { get; }

    /// <summary>Every sample's features, row-major, <see cref="Count"/> × <see cref="FeatureCount"/> values.</summary>
    public ReadOnlySpan<float> Features => _features.AsSpan(_start * FeatureCount, Count * FeatureCount);

    /// <summary>Every sample's label.</summary>
    public ReadOnlySpan<int> Labels => _labels.AsSpan(_start, Count);

    /// <summary>The features of sample <paramref name="index"/> (one row).</summary>
    /// <param name="index">The sample, in [0, <see cref="Count"/>).</param>
    /// <returns>The row of <see cref="FeatureCount"/> values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public ReadOnlySpan<float> GetFeatures(int index)
    {
        CheckIndex(index);
        return _features.AsSpan((_start + index) * FeatureCount, FeatureCount);
    }

    /// <summary>The label of sample <paramref name="index"/>.</summary>
    /// <param name="index">The sample, in [0, <see cref="Count"/>).</param>
    /// <returns>The label.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public int GetLabel(int index)
    {
        CheckIndex(index);
        return _labels[_start + index];
    }

    /// <summary>The first <paramref name="count"/> samples (a view).</summary>
    /// <param name="count">How many, in [0, <see cref="Count"/>].</param>
    /// <returns>The view, with the same <see cref="ClassCount"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
    public Dataset Take(int count) => Slice(0, count);

    /// <summary>Samples <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1 (a view).</summary>
    /// <param name="start">The first sample, in [0, <see cref="Count"/>].</param>
    /// <param name="count">How many, with start + count ≤ <see cref="Count"/>.</param>
    /// <returns>The view, with the same <see cref="ClassCount"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the dataset.</exception>
    public Dataset Slice(int start, int count)
    {
        if ((uint)start > (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"start must be in [0, {Count}].");
        }

        if ((uint)count > (uint)(Count - start))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in [0, {Count - start}] for start {start}.");
        }

        return new Dataset(this, start, count);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Dataset({Count} samples × {FeatureCount} features, {ClassCount} classes)";

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {Count}).");
        }
    }
}
