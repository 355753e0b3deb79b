using System;
using System.Globalization;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using DiffGen.Gemm;

namespace DiffGen.Benchmarks;

/// <summary>
/// float MatMul on the three shapes of DESIGN.md §5, softmax regression's 64×784×10 and the CNN's per-image convolution
/// products 32×9×784 and 64×288×196 (C = A·B, A m×k, B k×n). <see cref="DiffGenSingleThread"/> is the
/// blocked kernel on one thread (what compare.sh sets against single-thread OpenBLAS sgemm); <see cref="DiffGenMatMul"/>
/// is the public <c>Ops.MatMul</c>, which uses both cores above 2·10⁷ flops. The GFLOP/s column is 2·m·n·k / mean.
/// </summary>
[MemoryDiagnoser]
public class MatMulBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private int _m, _k, _n;

    /// <summary>m×k×n.</summary>
    [Params("64x784x256", "256x784x64", "512x512x512", "64x784x10", "32x9x784", "64x288x196")]
    public string Shape { get; set; } = "64x784x256";

    /// <summary>Parses "m x k x n".</summary>
    public static (int M, int K, int N) ParseShape(string shape)
    {
        string[] parts = shape.Split('x');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    [GlobalSetup]
    public void Setup()
    {
        (_m, _k, _n) = ParseShape(Shape);
        var rng = new Random(42);
        _a = Fill(rng, _m * _k);
        _b = Fill(rng, _k * _n);
        _c = new float[_m * _n];
    }

    /// <summary>
    /// A reasonable hand-written baseline: for each row of C, accumulate a[i,p]·(row p of B) with a vectorised axpy
    /// (i-p-j loop order, unit-stride inner loop, no blocking or packing).
    /// </summary>
    [Benchmark(Baseline = true)]
    public void RowAxpyBaseline()
    {
        Span<float> c = _c;
        c.Clear();
        for (int i = 0; i < _m; i++)
        {
            Span<float> row = c.Slice(i * _n, _n);
            for (int p = 0; p < _k; p++)
            {
                TensorPrimitives.MultiplyAdd(_b.AsSpan(p * _n, _n), _a[i * _k + p], row, row);
            }
        }
    }

    [Benchmark]
    [CompareAs("sgemm")]
    public void DiffGenSingleThread() =>
        GemmKernel.Multiply<float>(false, false, _m, _n, _k, _a, _k, _b, _n, _c, _n, accumulate: false, allowParallel: false);

    [Benchmark]
    public void DiffGenMatMul() => Ops.MatMul(_a, _b, _c, _m, _k, _n);

    /// <summary>The result of the last run, for the smoke test's correctness check.</summary>
    public ReadOnlySpan<float> Result => _c;

    private static float[] Fill(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        return values;
    }
}
