using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using DiffGen.Gemm;

namespace DiffGen.Benchmarks;

/// <summary>
/// float <c>C = Aᵀ·B</c> with A stored row-major k×m (C m×n, B k×n): the weight-gradient product of MatMul's pullback,
/// <c>dW = Xᵀ·dY</c>. Shape is m×k×n of the product, so "784x64x10" is softmax regression's dW (X 64×784, dY 64×10)
/// and "784x64x256" the MLP's first layer. <see cref="DiffGenSingleThread"/> is the kernel on one thread (compare.sh sets
/// it against single-thread OpenBLAS on <c>torch.mm(a.t(), b)</c>); <see cref="DiffGenPullback"/> is
/// <c>Ops.MatMulPullback</c> with only dW wanted (accumulates, like the generated gradients).
/// </summary>
[MemoryDiagnoser]
public class MatMulTransposedABenchmarks : ISmokeCheck
{
    private float[] _a = [], _b = [], _c = [], _w = [], _y = [];
    private int _m, _k, _n;

    /// <summary>m×k×n of C = Aᵀ·B.</summary>
    [Params("784x64x10", "784x64x256", "128x64x10")]
    public string Shape { get; set; } = "784x64x10";

    [GlobalSetup]
    public void Setup()
    {
        (_m, _k, _n) = MatMulBenchmarks.ParseShape(Shape);
        var rng = new Random(43);
        _a = HandWritten.Fill<float>(rng, _k * _m, -1, 1);
        _b = HandWritten.Fill<float>(rng, _k * _n, -1, 1);
        _w = HandWritten.Fill<float>(rng, _m * _n, -1, 1);
        _c = new float[_m * _n];
        _y = new float[_k * _n];
    }

    /// <summary>Hand-written outer products: for each row r of A and B, <c>C[p, :] += A[r, p]·B[r, :]</c> (vectorised axpy).</summary>
    [Benchmark(Baseline = true)]
    public void RowAxpyBaseline()
    {
        Span<float> c = _c;
        c.Clear();
        for (int r = 0; r < _k; r++)
        {
            ReadOnlySpan<float> bRow = _b.AsSpan(r * _n, _n);
            for (int p = 0; p < _m; p++)
            {
                Span<float> row = c.Slice(p * _n, _n);
                TensorPrimitives.MultiplyAdd(bRow, _a[r * _m + p], row, row);
            }
        }
    }

    [Benchmark]
    [CompareAs("sgemm_tn")]
    public void DiffGenSingleThread() =>
        GemmKernel.Multiply<float>(true, false, _m, _n, _k, _a, _m, _b, _n, _c, _n, accumulate: false, allowParallel: false);

    /// <summary>MatMul's pullback for X (k×m) · W (m×n) = Y, only dW (= C here, accumulated) wanted.</summary>
    [Benchmark]
    public void DiffGenPullback() => Ops.MatMulPullback(_a, _w, _y, _k, _m, _n, default, _c, _b);

    public string? Check()
    {
        var expected = new float[_m * _n];
        for (int p = 0; p < _m; p++)
        {
            for (int j = 0; j < _n; j++)
            {
                double sum = 0;
                for (int r = 0; r < _k; r++)
                {
                    sum += (double)_a[r * _m + p] * _b[r * _n + j];
                }

                expected[p * _n + j] = (float)sum;
            }
        }

        DiffGenSingleThread();
        return HandWritten.Agree<float>("Aᵀ·B", _c, expected, 1e-4);
    }
}
