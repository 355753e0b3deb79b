using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Data;
using Xunit;

namespace DiffGen.Distributed.Tests;

public class ShardedBatchLoaderTests
{
    [Theory]
    [InlineData(100, 12, 1)]
    [InlineData(100, 12, 2)]
    [InlineData(100, 12, 3)]
    [InlineData(97, 16, 4)]
    [InlineData(64, 64, 8)]
    public void Shards_AreDisjoint_AndTogetherAreTheSingleProcessBatches(int count, int batch, int shards)
    {
        Dataset data = Numbered(count);
        var single = new MiniBatchLoader(data, batch, shuffle: true, seed: 42, dropLast: true);
        ShardedBatchLoader[] loaders = Enumerable.Range(0, shards).Select(s => new ShardedBatchLoader(data, batch, shards, s, seed: 42)).ToArray();
        Assert.All(loaders, l => Assert.Equal(single.BatchCount, l.BatchCount));
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            List<int[]> expected = single.Select(b => b.Indices.ToArray()).ToList();
            List<int[]>[] parts = loaders.Select(Epoch).ToArray();
            for (int b = 0; b < expected.Count; b++)
            {
                int[] joined = parts.SelectMany(p => p[b]).ToArray();
                Assert.Equal(expected[b], joined);
            }

            Assert.All(parts, p => Assert.Equal(expected.Count, p.Count));
            Assert.Equal(count / batch * batch, parts.SelectMany(p => p.SelectMany(x => x)).Distinct().Count());
        }
    }

    [Fact]
    public void Resume_YieldsWhatAnUninterruptedRunYieldsFromThatPoint()
    {
        Dataset data = Numbered(90);
        var straight = new ShardedBatchLoader(data, 10, 2, 1, seed: 3);
        var all = new List<(int Epoch, int Batch, int[] Rows)>();
        for (int e = 1; e <= 4; e++)
        {
            all.AddRange(straight.Select(b => (e, b.Index, b.Indices.ToArray())));
        }

        var resumed = new ShardedBatchLoader(data, 10, 2, 1, seed: 3);
        resumed.Resume(epoch: 3, batch: 5);
        var rest = new List<(int Epoch, int Batch, int[] Rows)>();
        for (int e = 3; e <= 4; e++)
        {
            rest.AddRange(resumed.Select(b => (e, b.Index, b.Indices.ToArray())));
        }

        var expected = all.Where(x => x.Epoch > 3 || (x.Epoch == 3 && x.Batch >= 5)).ToList();
        Assert.Equal(expected.Count, rest.Count);
        Assert.All(expected.Zip(rest), p => Assert.Equal(p.First.Rows, p.Second.Rows));
        Assert.Equal(4, resumed.Epoch);
    }

    [Fact]
    public void BadShapes_AreClearErrors()
    {
        Dataset data = Numbered(50);
        Assert.Contains("does not split into 3 equal shards", Assert.Throws<ArgumentException>(() => new ShardedBatchLoader(data, 64, 3, 0, 1)).Message);
        Assert.Contains("fewer than one global batch", Assert.Throws<ArgumentException>(() => new ShardedBatchLoader(data, 64, 2, 0, 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShardedBatchLoader(data, 8, 2, 2, 1));
        var loader = new ShardedBatchLoader(data, 8, 2, 0, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.Resume(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.Resume(1, loader.BatchCount + 1));
    }

    [Fact]
    public void Enumerating_AllocatesNothing()
    {
        var loader = new ShardedBatchLoader(Numbered(200), 20, 2, 1, seed: 1);
        foreach (MiniBatch _ in loader)
        {
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int rows = 0;
        foreach (MiniBatch b in loader)
        {
            rows += b.Count;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(100, rows);
    }

    /// <summary>One epoch's row indices, checking that each row carries the features and label of the sample it names.</summary>
    private static List<int[]> Epoch(ShardedBatchLoader loader)
    {
        var rows = new List<int[]>();
        foreach (MiniBatch mb in loader)
        {
            Assert.Equal(loader.ShardBatchSize, mb.Count);
            for (int r = 0; r < mb.Count; r++)
            {
                Assert.Equal(mb.Indices[r] * 100, mb.GetFeatures(r)[0]);
                Assert.Equal(mb.Indices[r] % 5, mb.Labels[r]);
            }

            rows.Add(mb.Indices.ToArray());
        }

        return rows;
    }

    private static Dataset Numbered(int count)
    {
        var features = new float[count * 3];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            features[i * 3] = i * 100;
            labels[i] = i % 5;
        }

        return new Dataset(features, labels, 3, 5);
    }
}
