using System;

namespace DiffGen.Data;

/// <summary>
/// One minibatch from a <see cref="MiniBatchLoader"/>: <see cref="Count"/> rows of features (contiguous, row-major)
/// and their labels.
/// </summary>
/// <remarks>
/// The spans point into buffers the loader reuses: they are valid until the enumeration moves to the next batch.
/// Copy what must outlive that.
/// </remarks>
public readonly struct MiniBatch
{
    private readonly ReadOnlyMemory<float> _features;
    private readonly ReadOnlyMemory<int> _labels;
    private readonly ReadOnlyMemory<int> _indices;

    internal MiniBatch(int index, int featureCount, ReadOnlyMemory<float> features, ReadOnlyMemory<int> labels, ReadOnlyMemory<int> indices)
    {
        Index = index;
        FeatureCount = featureCount;
        _features = features;
        _labels = labels;
        _indices = indices;
    }

    /// <summary>The position of this batch in its epoch, from 0.</summary>
    public int Index { get; }

    /// <summary>The number of samples (rows) in this batch: the batch size, or fewer for the last batch without drop-last.</summary>
    public int Count => _labels.Length;

    /// <summary>The number of features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>The features, row-major, <see cref="Count"/> × <see cref="FeatureCount"/> values.</summary>
    public ReadOnlySpan<float> Features => _features.Span;

    /// <summary>The labels, one per row.</summary>
    public ReadOnlySpan<int> Labels => _labels.Span;

    /// <summary>The position of each row in the loader's dataset.</summary>
    public ReadOnlySpan<int> Indices => _indices.Span;

    /// <summary>The features of row <paramref name="row"/>.</summary>
    /// <param name="row">The row, in [0, <see cref="Count"/>).</param>
    /// <returns><see cref="FeatureCount"/> values.</returns>
    public ReadOnlySpan<float> GetFeatures(int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
        return _features.Span.Slice(row * FeatureCount, FeatureCount);
    }
}
