using System;
using DiffGen.Data;
using DiffGen.Distributed;
using DiffGen.Optimization;

namespace DiffGen.Distributed.Tests;

/// <summary>
/// A small softmax regression (20 features, 4 classes) with a generated gradient, its synthetic data, and its data-parallel
/// training loop written with the library's pieces exactly as a user would: the same code runs in one process (threads)
/// and on every rank of an MPI job.
/// </summary>
public static partial class SmallModel
{
    public const int Features = 20;
    public const int Classes = 4;

    [Differentiable(nameof(w), nameof(b))]
    public static float Loss(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> a, Span<float> logits)
    {
        int rows = labels.Length;
        Ops.MatMul(x, w, a, rows, Features, Classes);
        Ops.AddBias(a, b, logits);
        return Ops.SoftmaxCrossEntropy(logits, labels, Classes);
    }

    /// <summary>Four Gaussian clusters (centres drawn from the seed, unit noise): learnable, not separable.</summary>
    public static Dataset Data(int count, int seed)
    {
        var random = new Random(seed);
        var centres = new float[Classes * Features];
        for (int i = 0; i < centres.Length; i++)
        {
            centres[i] = (float)(random.NextDouble() * 2 - 1);
        }

        var x = new float[count * Features];
        var y = new int[count];
        for (int n = 0; n < count; n++)
        {
            y[n] = random.Next(Classes);
            for (int j = 0; j < Features; j++)
            {
                x[(n * Features) + j] = centres[(y[n] * Features) + j] + (float)(random.NextDouble() - 0.5);
            }
        }

        return new Dataset(x, y, Features, Classes);
    }

    /// <summary>
    /// Trains with SGD (momentum, Nesterov) on <paramref name="ranks"/> × <paramref name="threads"/> shards of each batch;
    /// <paramref name="mpi"/> is null in one process. Returns the parameters (identical on every rank).
    /// </summary>
    public static Parameters<float> Train(Dataset data, int batch, int epochs, int seed, int threads, MpiCommunicator? mpi, int bucketBytes = 256)
    {
        int ranks = mpi?.Size ?? 1, rank = mpi?.Rank ?? 0;
        var parameters = new Parameters<float>();
        Parameter<float> w = parameters.Add("w", Features * Classes).InitXavierUniform(new Random(seed), Features, Classes);
        Parameter<float> b = parameters.Add("b", Classes);
        var sgd = new Sgd<float>(parameters, 0.2, momentum: 0.9, nesterov: true);
        var loader = new ShardedBatchLoader(data, batch, ranks, rank, seed);
        int rows = loader.ShardBatchSize / threads;
        var scratch = new float[threads][];
        for (int t = 0; t < threads; t++)
        {
            scratch[t] = new float[2 * rows * Classes];
        }

        MiniBatch current = default;
        ShardGradient<float> shard = g =>
        {
            Span<float> s = scratch[g.Shard];
            return LossGradient(
                current.Features.Slice(g.Shard * rows * Features, rows * Features), current.Labels.Slice(g.Shard * rows, rows),
                w.Value, b.Value, s[..(rows * Classes)], s[(rows * Classes)..], g[w], g[b]);
        };

        using var parallel = new ParallelGradient<float>(parameters, threads);
        using GradientAllReducer<float>? reducer = mpi is null ? null : new GradientAllReducer<float>(mpi, parameters, bucketBytes);
        foreach (Parameter<float> p in parameters)
        {
            mpi?.Broadcast(p.Value);
        }

        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach (MiniBatch mb in loader)
            {
                current = mb;
                parameters.ZeroGrad();
                parallel.Compute(shard);
                reducer?.AllReduce();
                sgd.Step();
            }
        }

        return parameters;
    }

    /// <summary>The mean loss over the whole dataset (double accumulation of a float model).</summary>
    public static double MeanLoss(Parameters<float> parameters, Dataset data)
    {
        var a = new float[data.Count * Classes];
        var logits = new float[data.Count * Classes];
        return Loss(data.Features, data.Labels, parameters["w"].Value, parameters["b"].Value, a, logits);
    }
}
