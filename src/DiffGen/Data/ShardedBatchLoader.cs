using System;
using System.Collections;
using System.Collections.Generic;

namespace DiffGen.Data;

/// <summary>
/// One shard's part of every global minibatch, for data-parallel training: the epoch's permutation is drawn exactly as
/// <see cref="MiniBatchLoader"/> draws it (same seed, same sequence of epochs), each global batch of
/// <see cref="GlobalBatchSize"/> rows is cut into <see cref="ShardCount"/> equal, disjoint, consecutive pieces, and this
/// loader yields piece <see cref="ShardIndex"/>. The shards of one batch together are the single-process batch.
/// </summary>
/// <remarks>
/// <para>Every epoch drops its incomplete last global batch, so every shard of every step has the same number of rows
/// and the average of the shards' mean gradients is the gradient of the global batch's mean loss.</para>
/// <para><see cref="Resume"/> positions the loader at any epoch and batch (to continue from a checkpoint) by replaying
/// the earlier epochs' permutations. Enumerating allocates nothing; a batch's spans are valid until the next batch.</para>
/// </remarks>
public sealed class ShardedBatchLoader : IEnumerable<MiniBatch>, IBatchSource
{
    private readonly int[] _order;
    private readonly float[] _features;
    private readonly int[] _labels;
    private Random _random;
    private int _firstBatch;

    /// <summary>Creates the loader of one shard.</summary>
    /// <param name="dataset">The samples (the same on every shard).</param>
    /// <param name="globalBatchSize">The rows of one global batch, a positive multiple of <paramref name="shardCount"/>.</param>
    /// <param name="shardCount">The number of shards (ranks × threads), positive.</param>
    /// <param name="shardIndex">This shard, in [0, <paramref name="shardCount"/>).</param>
    /// <param name="seed">The seed of the shuffling: the same on every shard.</param>
    /// <param name="shuffle">Whether each epoch visits the samples in a new random order.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or the index is out of range.</exception>
    /// <exception cref="ArgumentException">The batch does not divide into equal shards, or the dataset is smaller than one batch.</exception>
    public ShardedBatchLoader(Dataset dataset, int globalBatchSize, int shardCount, int shardIndex, int seed, bool shuffle = true)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(globalBatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)shardIndex, (uint)shardCount, nameof(shardIndex));
        if (globalBatchSize % shardCount != 0)
        {
            throw new ArgumentException(
                $"The global batch of {globalBatchSize} rows does not split into {shardCount} equal shards: use a multiple of {shardCount}.",
                nameof(globalBatchSize));
        }

        if (dataset.Count < globalBatchSize)
        {
            throw new ArgumentException($"The dataset has {dataset.Count} samples, fewer than one global batch of {globalBatchSize}.", nameof(dataset));
        }

        Dataset = dataset;
        GlobalBatchSize = globalBatchSize;
        ShardCount = shardCount;
        ShardIndex = shardIndex;
        ShardBatchSize = globalBatchSize / shardCount;
        Seed = seed;
        Shuffle = shuffle;
        BatchCount = dataset.Count / globalBatchSize;
        _random = new Random(seed);
        _order = new int[dataset.Count];
        _features = new float[ShardBatchSize * dataset.FeatureCount];
        _labels = new int[ShardBatchSize];
    }

    /// <summary>The samples.</summary>
    public Dataset Dataset { get; }

    /// <summary>The rows of one global batch (all shards together).</summary>
    public int GlobalBatchSize { get; }

    /// <summary>The number of shards.</summary>
    public int ShardCount { get; }

    /// <summary>This loader's shard.</summary>
    public int ShardIndex { get; }

    /// <summary>The rows of this shard's part of a batch: <see cref="GlobalBatchSize"/> / <see cref="ShardCount"/>.</summary>
    public int ShardBatchSize { get; }

    /// <summary>The seed of the shuffling.</summary>
    public int Seed { get; }

    /// <summary>Whether each epoch uses a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>The number of (global) batches per epoch.</summary>
    public int BatchCount { get; }

    /// <summary>The epoch of the last enumeration begun, from 1 (0 before the first).</summary>
    public int Epoch { get; private set; }

    /// <summary>
    /// Makes the next enumeration be epoch <paramref name="epoch"/> starting at batch <paramref name="batch"/>, with the
    /// permutation that epoch has in an uninterrupted run.
    /// </summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="batch">The first batch to yield, in [0, <see cref="BatchCount"/>].</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public void Resume(int epoch, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epoch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)batch, (uint)BatchCount, nameof(batch));
        _random = new Random(Seed);
        for (int e = 1; e < epoch; e++)
        {
            EpochOrder.Draw(_order, _random, Shuffle);
        }

        Epoch = epoch - 1;
        _firstBatch = batch;
    }

    /// <summary>Starts the next epoch (drawing its permutation) and enumerates this shard's part of its batches.</summary>
    /// <returns>The allocation-free enumerator.</returns>
    public Enumerator GetEnumerator()
    {
        Epoch++;
        EpochOrder.Draw(_order, _random, Shuffle);
        int first = _firstBatch;
        _firstBatch = 0;
        return new Enumerator(this, Epoch, first);
    }

    IEnumerator<MiniBatch> IEnumerable<MiniBatch>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    MiniBatch IBatchSource.Load(int batch)
    {
        int start = (batch * GlobalBatchSize) + (ShardIndex * ShardBatchSize);
        ReadOnlySpan<int> rows = _order.AsSpan(start, ShardBatchSize);
        EpochOrder.Gather(Dataset, rows, _features, _labels);
        return new MiniBatch(batch, Dataset.FeatureCount, _features, _labels, _order.AsMemory(start, ShardBatchSize));
    }

    /// <summary>Enumerates this shard's part of one epoch's batches; a struct, so <c>foreach</c> allocates nothing.</summary>
    public struct Enumerator : IEnumerator<MiniBatch>
    {
        private BatchCursor _cursor;

        internal Enumerator(ShardedBatchLoader loader, int epoch, int firstBatch) => _cursor = new BatchCursor(loader, epoch, firstBatch);

        /// <summary>The current batch (<see cref="MiniBatch.Index"/> is the global batch's position in the epoch).</summary>
        public readonly MiniBatch Current => _cursor.Current;

        readonly object IEnumerator.Current => _cursor.Current;

        /// <summary>Moves to the next batch, filling the loader's buffers.</summary>
        /// <returns>Whether there was a next batch.</returns>
        /// <exception cref="InvalidOperationException">A newer epoch was started on the loader.</exception>
        public bool MoveNext() => _cursor.MoveNext();

        /// <summary>Not supported: start a new epoch with <see cref="ShardedBatchLoader.GetEnumerator"/>.</summary>
        /// <exception cref="NotSupportedException">Always.</exception>
        public readonly void Reset() => throw new NotSupportedException("Start a new epoch with GetEnumerator().");

        /// <summary>Does nothing.</summary>
        public readonly void Dispose()
        {
        }
    }
}
