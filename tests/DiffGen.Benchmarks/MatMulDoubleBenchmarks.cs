using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Gemm;

namespace DiffGen.Benchmarks;

/// <summary>double MatMul on the same shapes as <see cref="MatMulBenchmarks"/> (half the lanes per vector), including softmax regression's narrow 64×784×10.</summary>
[MemoryDiagnoser]
public class MatMulDoubleBenchmarks
{
    private double[] _a = [], _b = [], _c = [];
    private int _m, _k, _n;

    /// <summary>m×k×n.</summary>
    [Params("64x784x256", "256x784x64", "512x512x512", "64x784x10")]
    public string Shape { get; set; } = "64x784x256";

    [GlobalSetup]
    public void Setup()
    {
        (_m, _k, _n) = MatMulBenchmarks.ParseShape(Shape);
        var rng = new Random(42);
        _a = new double[_m * _k];
        _b = new double[_k * _n];
        _c = new double[_m * _n];
        for (int i = 0; i < _a.Length; i++)
        {
            _a[i] = rng.NextDouble() * 2 - 1;
        }

        for (int i = 0; i < _b.Length; i++)
        {
            _b[i] = rng.NextDouble() * 2 - 1;
        }
    }

    [Benchmark]
    [CompareAs("dgemm")]
    public void DiffGenSingleThread() =>
        GemmKernel.Multiply<double>(false, false, _m, _n, _k, _a, _k, _b, _n, _c, _n, accumulate: false, allowParallel: false);

    [Benchmark]
    public void DiffGenMatMul() => Ops.MatMul(_a, _b, _c, _m, _k, _n);
}
