using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Distributed;
using DiffGen.Optimization;

namespace DiffGen.Benchmarks;

/// <summary>
/// One data-parallel SGD step of the MLP 784 → 256 → 128 → 10 (zero_grad, <see cref="ParallelGradient{T}"/> over the
/// generated gradient, <c>Sgd.Step</c>) for batches of 64 and 256 on 1 and 2 threads. "+split" lets each worker's
/// products also split onto the GEMM helper thread (off by default: docs/distributed.md explains the choice).
/// Samples/s = batch / time.
/// </summary>
[MemoryDiagnoser]
public class DataParallelBenchmarks : ISmokeCheck, IDisposable
{
    private MlpFixture _net = null!;
    private Sgd<float> _sgd = null!;
    private ParallelGradient<float> _parallel = null!;
    private ShardGradient<float> _shard = null!;
    private float[] _x = null!;
    private int[] _labels = null!;

    [Params("1x64", "2x64", "2x64+split", "1x256", "2x256", "2x256+split")]
    public string Config { get; set; } = "1x64";

    [GlobalSetup]
    public void Setup()
    {
        int workers = Config[0] - '0';
        int batch = int.Parse(Config[2..].Replace("+split", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        _net = new MlpFixture(seed: 5);
        _sgd = new Sgd<float>(_net.Parameters, learningRate: 0.01, momentum: 0.9, nesterov: true);
        var random = new Random(3);
        _x = HandWritten.Fill<float>(random, batch * Functions.Inputs, 0, 1);
        _labels = HandWritten.Labels(random, batch, Functions.Classes);
        int rows = batch / workers;
        var scratch = new float[workers][];
        for (int w = 0; w < workers; w++)
        {
            scratch[w] = new float[rows * ((3 * Functions.Hidden1) + (3 * Functions.Hidden2) + Functions.Classes)];
        }

        _shard = g =>
        {
            Span<float> s = scratch[g.Shard];
            int h1 = rows * Functions.Hidden1, h2 = rows * Functions.Hidden2;
            return Functions.MlpLossGradient(
                _x.AsSpan(g.Shard * rows * Functions.Inputs, rows * Functions.Inputs), _labels.AsSpan(g.Shard * rows, rows),
                _net.W1.Value, _net.C.Value, _net.W2.Value, _net.D.Value, _net.W3.Value,
                s[..h1], s[h1..(2 * h1)], s[(2 * h1)..(3 * h1)], s.Slice(3 * h1, h2), s.Slice((3 * h1) + h2, h2), s.Slice((3 * h1) + (2 * h2), h2),
                s.Slice((3 * h1) + (3 * h2), rows * Functions.Classes),
                g[_net.W1], g[_net.C], g[_net.W2], g[_net.D], g[_net.W3]);
        };
        _parallel = new ParallelGradient<float>(_net.Parameters, workers) { SplitProductsOnWorkers = Config.EndsWith("+split", StringComparison.Ordinal) };
    }

    [Benchmark]
    public float Step()
    {
        _sgd.ZeroGrad();
        float loss = _parallel.Compute(_shard);
        _sgd.Step();
        return loss;
    }

    [GlobalCleanup]
    public void Dispose() => _parallel?.Dispose();

    public string? Check() => HandWritten.NoAllocation($"data-parallel step {Config}", () => Step());
}
