using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using DiffGen.Data;
using Xunit;

namespace DiffGen.Tests.Data;

public class MiniBatchLoaderTests
{
    [Fact]
    public void EveryEpoch_VisitsEverySampleExactlyOnce_ForManySizes()
    {
        // Exhaustive small cases, then random larger ones; the loader reads a slice (offset views) of a bigger dataset.
        for (int n = 0; n <= 20; n++)
        {
            for (int batch = 1; batch <= n + 2; batch++)
            {
                foreach (bool dropLast in new[] { false, true })
                {
                    foreach (bool shuffle in new[] { false, true })
                    {
                        CheckCoverage(n, batch, dropLast, shuffle, seed: n + batch);
                    }
                }
            }
        }

        Gen.Select(Gen.Int[0, 300], Gen.Int[1, 70], Gen.Bool, Gen.Bool, Gen.Int)
            .Sample((n, batch, dropLast, shuffle, seed) => CheckCoverage(n, batch, dropLast, shuffle, seed), iter: 300);
    }

    [Fact]
    public void SameSeed_SameOrder_NewPermutationEachEpoch()
    {
        Dataset d = DatasetTests.Numbered(100, 2);
        List<int[]> a = Epochs(new MiniBatchLoader(d, 16, shuffle: true, seed: 42), 3);
        List<int[]> b = Epochs(new MiniBatchLoader(d, 16, shuffle: true, seed: 42), 3);
        List<int[]> c = Epochs(new MiniBatchLoader(d, 16, shuffle: true, seed: 43), 3);
        for (int e = 0; e < 3; e++)
        {
            Assert.Equal(a[e], b[e]);
            Assert.NotEqual(a[e], c[e]);
        }

        Assert.NotEqual(a[0], a[1]);
        Assert.NotEqual(a[1], a[2]);
        Assert.NotEqual(Enumerable.Range(0, 100), a[0]);
        Assert.Equal(Enumerable.Range(0, 100), Epochs(new MiniBatchLoader(d, 16, shuffle: false), 1)[0]);

        static List<int[]> Epochs(MiniBatchLoader loader, int count)
        {
            var epochs = new List<int[]>();
            for (int e = 0; e < count; e++)
            {
                var order = new List<int>();
                foreach (MiniBatch batch in loader)
                {
                    order.AddRange(batch.Indices.ToArray());
                }

                epochs.Add(order.ToArray());
            }

            return epochs;
        }
    }

    [Fact]
    public void DropLast_SkipsTheIncompleteBatch()
    {
        Dataset d = DatasetTests.Numbered(10, 1);
        Assert.Equal([4, 4], Sizes(new MiniBatchLoader(d, 4, dropLast: true)));
        Assert.Equal([4, 4, 2], Sizes(new MiniBatchLoader(d, 4, dropLast: false)));
        Assert.Equal([5, 5], Sizes(new MiniBatchLoader(d, 5, dropLast: true)));
        Assert.Empty(Sizes(new MiniBatchLoader(d, 11, dropLast: true)));
        Assert.Equal([10], Sizes(new MiniBatchLoader(d, 11, dropLast: false)));
        Assert.Equal(2, new MiniBatchLoader(d, 4, dropLast: true).BatchCount);
        Assert.Equal(3, new MiniBatchLoader(d, 4).BatchCount);

        static int[] Sizes(MiniBatchLoader loader) => loader.Select(b => b.Count).ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Enumerating_AllocatesNothing_AfterTheFirstEpoch(bool shuffle)
    {
        Dataset d = DatasetTests.Numbered(1000, 17);
        var loader = new MiniBatchLoader(d, 64, shuffle, seed: 1);
        float sum = Consume(loader);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int e = 0; e < 5; e++)
        {
            sum += Consume(loader);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"5 epochs allocated {allocated} bytes.");
        Assert.True(sum > 0);

        static float Consume(MiniBatchLoader loader)
        {
            float s = 0;
            foreach (MiniBatch batch in loader)
            {
                s += batch.Features[^1] + batch.Labels[0] + batch.Count;
            }

            return s;
        }
    }

    [Fact]
    public void StartingANewEpoch_InvalidatesTheOldEnumerator()
    {
        var loader = new MiniBatchLoader(DatasetTests.Numbered(10, 1), 3);
        MiniBatchLoader.Enumerator first = loader.GetEnumerator();
        Assert.True(first.MoveNext());
        _ = loader.GetEnumerator();
        Assert.Throws<InvalidOperationException>(() => first.MoveNext());
        Assert.Equal(2, loader.Epoch);
    }

    [Fact]
    public void Validation()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniBatchLoader(DatasetTests.Numbered(3, 1), 0));
        Assert.Throws<ArgumentNullException>(() => new MiniBatchLoader(null!, 1));
    }

    private static void CheckCoverage(int n, int batchSize, bool dropLast, bool shuffle, int seed)
    {
        const int featureCount = 3;
        Dataset parent = DatasetTests.Numbered(n + 7, featureCount, classCount: 5);
        Dataset dataset = parent.Slice(4, n);
        var loader = new MiniBatchLoader(dataset, batchSize, shuffle, seed, dropLast);
        int expectedBatches = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        Assert.Equal(expectedBatches, loader.BatchCount);
        string context = $"n={n} batch={batchSize} dropLast={dropLast} shuffle={shuffle} seed={seed}";
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new int[n];
            int batches = 0;
            foreach (MiniBatch batch in loader)
            {
                Assert.Equal(batches, batch.Index);
                batches++;
                int expectedSize = batches < expectedBatches || dropLast || n % batchSize == 0 ? batchSize : n % batchSize;
                Assert.True(batch.Count == expectedSize, $"{context}: batch {batch.Index} has {batch.Count} rows, expected {expectedSize}");
                Assert.Equal(batch.Count * featureCount, batch.Features.Length);
                Assert.Equal(batch.Count, batch.Labels.Length);
                for (int r = 0; r < batch.Count; r++)
                {
                    int index = batch.Indices[r];
                    seen[index]++;
                    Assert.True(dataset.GetFeatures(index).SequenceEqual(batch.GetFeatures(r)), $"{context}: row {r} is not sample {index}");
                    Assert.True(batch.Features.Slice(r * featureCount, featureCount).SequenceEqual(dataset.GetFeatures(index)));
                    Assert.Equal(dataset.GetLabel(index), batch.Labels[r]);
                }
            }

            Assert.True(batches == expectedBatches, $"{context}: {batches} batches");
            int covered = dropLast ? expectedBatches * batchSize : n;
            Assert.True(seen.All(c => c <= 1), $"{context}: a sample was visited twice in epoch {epoch}");
            Assert.True(seen.Sum() == covered, $"{context}: {seen.Sum()} samples visited, expected {covered}");
            if (!shuffle)
            {
                Assert.True(seen.Take(covered).All(c => c == 1), $"{context}: without shuffling the first {covered} samples come in order");
            }
        }
    }
}
