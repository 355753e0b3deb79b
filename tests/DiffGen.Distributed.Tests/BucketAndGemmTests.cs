using System;
using System.Linq;
using DiffGen.Gemm;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Distributed.Tests;

public class BucketAndGemmTests
{
    [Fact]
    public void Plan_PacksInReverseOrder_UpToTheCapacity_AndPutsLargeParametersAlone()
    {
        var set = new Parameters<float>();
        foreach ((string name, int length) in new[] { ("W1", 200_704), ("c", 256), ("W2", 32_768), ("d", 128), ("W3", 1_280) })
        {
            set.Add(name, length);
        }

        string Names(int capacity) => string.Join(" | ", GradientAllReducer<float>.Plan(set, capacity).Select(b => string.Join(",", b.Select(p => p.Name))));
        Assert.Equal("W3,d,W2,c | W1", Names(262_144 / 4));      // 256 KiB: the small layers together, W1 alone
        Assert.Equal("W3,d | W2 | c | W1", Names(8_192 / 4));   // 8 KiB
        Assert.Equal("W3,d,W2,c,W1", Names(1 << 30));            // one bucket
        Assert.Equal("W3 | d | W2 | c | W1", Names(1));          // one per parameter
    }

    [Theory]
    [InlineData(64, 784, 256)]
    [InlineData(256, 784, 256)]
    [InlineData(784, 64, 256)]
    [InlineData(500, 300, 200)]
    public void GemmSplitOntoTheHelperThread_GivesTheSameBits(int m, int k, int n)
    {
        // ParallelGradient turns the split off on its workers: that must not change any result.
        var random = new Random(m + k + n);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        Assert.True(GemmKernel.ShouldParallelize(m, n, k) || Environment.ProcessorCount == 1, "the shape should be split");
        float[] split = new float[m * n], serial = new float[m * n];
        GemmKernel.Multiply(false, false, m, n, k, a, k, b, n, split, n, accumulate: false, allowParallel: true);
        try
        {
            GemmKernel.SerialOnThisThread = true;
            GemmKernel.Multiply(false, false, m, n, k, a, k, b, n, serial, n, accumulate: false, allowParallel: true);
        }
        finally
        {
            GemmKernel.SerialOnThisThread = false;
        }

        Assert.Equal(split, serial);
    }
}
