using System;
using System.Collections;
using System.Collections.Generic;

namespace DiffGen.Data;

/// <summary>
/// Cuts a <see cref="Dataset"/> into minibatches, one epoch per enumeration: every sample exactly once per epoch (minus
/// the incomplete last batch with drop-last), in a new seeded permutation each epoch when shuffling.
/// </summary>
/// <remarks>
/// <para>The buffers are allocated once, in the constructor, and reused: enumerating with <c>foreach</c> allocates
/// nothing. A batch's spans are valid until the next batch.</para>
/// <para>Two loaders with the same dataset size, batch size and seed produce the same batches, epoch after epoch.
/// Without shuffling the batches are views of the dataset (no copy). One enumeration at a time: starting a new epoch
/// invalidates the previous enumerator.</para>
/// </remarks>
public sealed class MiniBatchLoader : IEnumerable<MiniBatch>, IBatchSource
{
    private readonly int[] _order;
    private readonly float[] _features;
    private readonly int[] _labels;
    private readonly Random _random;

    /// <summary>Creates a loader.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">The number of samples per batch, positive.</param>
    /// <param name="shuffle">Whether each epoch visits the samples in a new random order.</param>
    /// <param name="seed">The seed of the shuffling; the same seed gives the same sequence of epochs.</param>
    /// <param name="dropLast">Whether to skip the last batch of an epoch when it is smaller than <paramref name="batchSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public MiniBatchLoader(Dataset dataset, int batchSize, bool shuffle = true, int seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        BatchCount = dropLast ? dataset.Count / batchSize : (dataset.Count + batchSize - 1) / batchSize;
        _random = new Random(seed);
        _order = new int[dataset.Count];
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        int rows = Math.Min(batchSize, dataset.Count);
        _features = shuffle ? new float[rows * dataset.FeatureCount] : [];
        _labels = shuffle ? new int[rows] : [];
    }

    /// <summary>The samples.</summary>
    public Dataset Dataset { get; }

    /// <summary>The number of samples per batch (the last batch may have fewer unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch uses a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>The seed of the shuffling.</summary>
    public int Seed { get; }

    /// <summary>Whether an incomplete last batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>The number of batches per epoch.</summary>
    public int BatchCount { get; }

    /// <summary>The number of epochs started (enumerations begun) so far.</summary>
    public int Epoch { get; private set; }

    /// <summary>Starts a new epoch (drawing its permutation when shuffling) and enumerates its batches.</summary>
    /// <returns>The allocation-free enumerator.</returns>
    public Enumerator GetEnumerator()
    {
        Epoch++;
        if (Shuffle)
        {
            EpochOrder.Draw(_order, _random, shuffle: true);
        }

        return new Enumerator(this, Epoch);
    }

    IEnumerator<MiniBatch> IEnumerable<MiniBatch>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    MiniBatch IBatchSource.Load(int batch)
    {
        int start = batch * BatchSize;
        int count = Math.Min(BatchSize, _order.Length - start);
        int featureCount = Dataset.FeatureCount;
        ReadOnlyMemory<int> indices = _order.AsMemory(start, count);
        if (!Shuffle)
        {
            int row = Dataset.Start + start;
            return new MiniBatch(
                batch,
                featureCount,
                Dataset.FeatureArray.AsMemory(row * featureCount, count * featureCount),
                Dataset.LabelArray.AsMemory(row, count),
                indices);
        }

        EpochOrder.Gather(Dataset, _order.AsSpan(start, count), _features, _labels);
        return new MiniBatch(batch, featureCount, _features.AsMemory(0, count * featureCount), _labels.AsMemory(0, count), indices);
    }

    /// <summary>Enumerates the batches of one epoch; a struct, so <c>foreach</c> allocates nothing.</summary>
    public struct Enumerator : IEnumerator<MiniBatch>
    {
        private BatchCursor _cursor;

        internal Enumerator(MiniBatchLoader loader, int epoch) => _cursor = new BatchCursor(loader, epoch, firstBatch: 0);

        /// <summary>The current batch.</summary>
        public readonly MiniBatch Current => _cursor.Current;

        readonly object IEnumerator.Current => _cursor.Current;

        /// <summary>Moves to the next batch, filling the loader's buffers.</summary>
        /// <returns>Whether there was a next batch.</returns>
        /// <exception cref="InvalidOperationException">A newer epoch was started on the loader.</exception>
        public bool MoveNext() => _cursor.MoveNext();

        /// <summary>Not supported: start a new epoch with <see cref="MiniBatchLoader.GetEnumerator"/>.</summary>
        /// <exception cref="NotSupportedException">Always.</exception>
        public readonly void Reset() => throw new NotSupportedException("Start a new epoch with GetEnumerator().");

        /// <summary>Does nothing.</summary>
        public readonly void Dispose()
        {
        }
    }
}
