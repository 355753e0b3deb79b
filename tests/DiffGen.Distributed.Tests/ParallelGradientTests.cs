using System;
using System.Linq;
using System.Threading;
using DiffGen.Data;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Distributed.Tests;

/// <summary>
/// <see cref="ParallelGradient{T}"/>: the reduced gradient is the closed-form pairwise mean of the shards' gradients, bit
/// for bit, whatever the thread timing; it matches the full-batch gradient within float rounding; errors are reported.
/// </summary>
[Collection(AllocationCollection.Name)]
public class ParallelGradientTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Compute_IsThePairwiseMeanOfTheShards_BitForBit_WhateverTheTiming(int workers)
    {
        (Parameters<float> parameters, Dataset data, float[] scratch) = Setup(rows: 48);
        int rows = 48 / workers;

        // Reference: each shard's gradient computed alone, combined by the tree written out: ((g0 + g1) + (g2 + g3)) / W.
        float[][] shards = Enumerable.Range(0, workers).Select(s => ShardGradient(parameters, data, s * rows, rows)).ToArray();
        float[] expected = Combine(shards, workers);

        using var parallel = new ParallelGradient<float>(parameters, workers);
        var jitter = new Random(1);
        for (int trial = 0; trial < 30; trial++)
        {
            int[] delays = Enumerable.Range(0, workers).Select(_ => jitter.Next(0, 3)).ToArray();
            parameters.ZeroGrad();
            parallel.Compute(g =>
            {
                Thread.Sleep(delays[g.Shard]); // shards finish in a different order each trial
                var local = new float[2 * rows * SmallModel.Classes];
                return SmallModel.LossGradient(
                    data.Features.Slice(g.Shard * rows * SmallModel.Features, rows * SmallModel.Features), data.Labels.Slice(g.Shard * rows, rows),
                    parameters[0].Value, parameters[1].Value, local.AsSpan(0, rows * SmallModel.Classes), local.AsSpan(rows * SmallModel.Classes), g[0], g[1]);
            });
            Assert.Equal(expected, Flatten(parameters));
        }

        _ = scratch;
    }

    [Fact]
    public void Compute_MatchesTheFullBatchGradient_WithinRounding_AndAccumulates()
    {
        (Parameters<float> parameters, Dataset data, _) = Setup(rows: 64);
        float[] full = ShardGradient(parameters, data, 0, 64);
        using var parallel = new ParallelGradient<float>(parameters, 4);
        parameters.ZeroGrad();
        float loss = parallel.Compute(g => SmallModelShard(parameters, data, g, 16));
        float[] reduced = Flatten(parameters);

        // Mean of 4 shard means of 16 rows = mean of 64 rows; float sums of 16 vs 64 terms: |Δ| ≤ 1e-6 + 1e-5·|g|.
        Assert.All(full.Zip(reduced), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-6 + (1e-5 * Math.Abs(p.First)), $"{p.First} vs {p.Second}"));
        float fullLoss = SmallModel.Loss(data.Features, data.Labels, parameters[0].Value, parameters[1].Value, new float[64 * 4], new float[64 * 4]);
        Assert.True(Math.Abs(loss - fullLoss) < 1e-5f * fullLoss, $"{loss} vs {fullLoss}");

        // A second call adds (PyTorch .grad semantics): twice the gradient, exactly (doubling is exact).
        parallel.Compute(g => SmallModelShard(parameters, data, g, 16));
        Assert.Equal(reduced.Select(x => 2 * x), Flatten(parameters));
    }

    [Fact]
    public void AShardThatThrows_IsReported_AndTheGradientsAreUnchanged()
    {
        (Parameters<float> parameters, Dataset data, _) = Setup(rows: 32);
        using var parallel = new ParallelGradient<float>(parameters, 2);
        parameters[0].Grad.Fill(3f);
        var error = Assert.Throws<AggregateException>(() => parallel.Compute(g =>
            g.Shard == 1 ? throw new InvalidOperationException("shard 1 broke") : SmallModelShard(parameters, data, g, 16)));
        Assert.Contains("1 of 2 shards failed", error.Message);
        Assert.Equal("shard 1 broke", error.InnerException!.Message);
        Assert.All(parameters[0].GradArray, g => Assert.Equal(3f, g));

        parameters.ZeroGrad();
        parallel.Compute(g => SmallModelShard(parameters, data, g, 16)); // still usable
        Assert.Contains(Flatten(parameters), g => g != 0);
    }

    [Fact]
    public void Compute_AllocatesNothingAfterWarmUp()
    {
        (Parameters<float> parameters, Dataset data, _) = Setup(rows: 32);
        var scratch = new[] { new float[2 * 16 * 4], new float[2 * 16 * 4] };
        ShardGradient<float> shard = g => SmallModel.LossGradient(
            data.Features.Slice(g.Shard * 16 * SmallModel.Features, 16 * SmallModel.Features), data.Labels.Slice(g.Shard * 16, 16),
            parameters[0].Value, parameters[1].Value, scratch[g.Shard].AsSpan(0, 64), scratch[g.Shard].AsSpan(64), g[0], g[1]);
        using var parallel = new ParallelGradient<float>(parameters, 2);
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 600) // past the JIT's tier-up delay, whose recompilation allocates
        {
            parallel.Compute(shard);
        }

        // Whole-process count (the workers allocate on their own threads): other tests may run at the same time, so take
        // the best of several tries; a step that allocated would allocate in every try.
        long best = long.MaxValue;
        for (int attempt = 0; attempt < 5 && best > 0; attempt++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < 200; i++)
            {
                parallel.Compute(shard);
            }

            best = Math.Min(best, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        Assert.Equal(0, best);
    }

    [Fact]
    public void BadArguments_AreClearErrors()
    {
        (Parameters<float> parameters, _, _) = Setup(rows: 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelGradient<float>(parameters, 0));
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new ParallelGradient<float>(new Parameters<float>(), 2)).Message);
        using var parallel = new ParallelGradient<float>(parameters, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => parallel.Shard(2));
    }

    internal static float SmallModelShard(Parameters<float> parameters, Dataset data, ShardGradients<float> g, int rows)
    {
        var local = new float[2 * rows * SmallModel.Classes];
        return SmallModel.LossGradient(
            data.Features.Slice(g.Shard * rows * SmallModel.Features, rows * SmallModel.Features), data.Labels.Slice(g.Shard * rows, rows),
            parameters[0].Value, parameters[1].Value, local.AsSpan(0, rows * SmallModel.Classes), local.AsSpan(rows * SmallModel.Classes), g[0], g[1]);
    }

    private static (Parameters<float> Parameters, Dataset Data, float[] Scratch) Setup(int rows)
    {
        var parameters = new Parameters<float>();
        parameters.Add("w", SmallModel.Features * SmallModel.Classes).InitXavierUniform(new Random(3), SmallModel.Features, SmallModel.Classes);
        parameters.Add("b", SmallModel.Classes).InitUniform(new Random(4), -0.1, 0.1);
        return (parameters, SmallModel.Data(rows, seed: 9), new float[2 * rows * SmallModel.Classes]);
    }

    private static float[] ShardGradient(Parameters<float> parameters, Dataset data, int start, int rows)
    {
        var dw = new float[parameters[0].Length];
        var db = new float[parameters[1].Length];
        SmallModel.LossGradient(
            data.Features.Slice(start * SmallModel.Features, rows * SmallModel.Features), data.Labels.Slice(start, rows),
            parameters[0].Value, parameters[1].Value, new float[rows * SmallModel.Classes], new float[rows * SmallModel.Classes], dw, db);
        return [.. dw, .. db];
    }

    /// <summary>The pairwise tree over the shards in order, then × 1/W, written out element by element.</summary>
    private static float[] Combine(float[][] shards, int workers)
    {
        float[] Sum(int from, int count) => count == 1
            ? shards[from]
            : Sum(from, HighestPowerOfTwoBelow(count)).Zip(Sum(from + HighestPowerOfTwoBelow(count), count - HighestPowerOfTwoBelow(count)), (a, b) => a + b).ToArray();
        float scale = 1f / workers;
        return Sum(0, workers).Select(x => workers == 1 ? x : (x * scale) + 0f).ToArray();
    }

    private static int HighestPowerOfTwoBelow(int count)
    {
        int p = 1;
        while (p * 2 < count)
        {
            p *= 2;
        }

        return p;
    }

    private static float[] Flatten(Parameters<float> parameters) => parameters.SelectMany(p => p.GradArray).ToArray();
}
