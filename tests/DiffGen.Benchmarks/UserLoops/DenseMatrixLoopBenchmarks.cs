using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// The dense tanh layer 64 → 32 of <see cref="LoopDenseBenchmarks"/> with its weights as a <c>float[,]</c> and as rows
/// sliced from the flat weights (<see cref="DenseMatrixLoop"/>), beside the flat-index loop's generated gradient and the
/// same-value hand-written one: what writing a matrix or a row slice costs.
/// </summary>
[MemoryDiagnoser]
public class LoopDenseMatrixBenchmarks : ISmokeCheck
{
    private float[,] _matrix = new float[0, 0];
    private float[] _w = [], _b = [], _x = [], _target = [], _dw = [], _db = [];
    private float[,] _dmatrix = new float[0, 0];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(13);
        _w = HandWritten.Fill<float>(random, LoopDenseBenchmarks.Outputs * LoopDenseBenchmarks.Inputs, -0.2, 0.2);
        _b = HandWritten.Fill<float>(random, LoopDenseBenchmarks.Outputs, -0.1, 0.1);
        _x = HandWritten.Fill<float>(random, LoopDenseBenchmarks.Inputs);
        _target = HandWritten.Fill<float>(random, LoopDenseBenchmarks.Outputs, -0.9, 0.9);
        _matrix = ToMatrix(_w);
        _dmatrix = new float[LoopDenseBenchmarks.Outputs, LoopDenseBenchmarks.Inputs];
        _dw = new float[_w.Length];
        _db = new float[LoopDenseBenchmarks.Outputs];
    }

    [Benchmark]
    [PairedWith(nameof(HandWrittenSameValueGradient))]
    public float MatrixGenerated() => DenseMatrixLoop.LossGradient(_matrix, _b, _x, _target, _dmatrix, _db);

    [Benchmark]
    [PairedWith(nameof(HandWrittenSameValueGradient))]
    public float RowSliceGenerated() => DenseMatrixLoop.RowsLossGradient(_w, _b, _x, _target, _dw, _db);

    [Benchmark(Baseline = true)]
    public float FlatIndexGenerated() => DenseLoop.LossGradient(_w, _b, _x, _target, _dw, _db);

    [Benchmark]
    public float HandWrittenSameValueGradient() => DenseLoopHandWritten.LossGradientSameValue<float>(_w, _b, _x, _target, _dw, _db);

    /// <summary>
    /// The matrix and row-slice forms return the flat loop's value and gradients bit for bit (same operations in the same
    /// order), and allocate 0 B per call.
    /// </summary>
    public string? Check()
    {
        var flatW = new float[_w.Length];
        var flatB = new float[_b.Length];
        float flat = DenseLoop.LossGradient(_w, _b, _x, _target, flatW, flatB);
        var matrixW = new float[LoopDenseBenchmarks.Outputs, LoopDenseBenchmarks.Inputs];
        var matrixB = new float[_b.Length];
        float matrix = DenseMatrixLoop.LossGradient(_matrix, _b, _x, _target, matrixW, matrixB);
        var rowsW = new float[_w.Length];
        var rowsB = new float[_b.Length];
        float rows = DenseMatrixLoop.RowsLossGradient(_w, _b, _x, _target, rowsW, rowsB);
        return HandWritten.Agree<float>("dense matrix: loss", [matrix], [flat], 0)
            ?? HandWritten.Agree<float>("dense matrix: dW", Flatten(matrixW), flatW, 0)
            ?? HandWritten.Agree<float>("dense matrix: db", matrixB, flatB, 0)
            ?? HandWritten.Agree<float>("dense rows: loss", [rows], [flat], 0)
            ?? HandWritten.Agree<float>("dense rows: dW", rowsW, flatW, 0)
            ?? HandWritten.Agree<float>("dense rows: db", rowsB, flatB, 0)
            ?? HandWritten.NoAllocation("DenseMatrixLoop.LossGradient", () => MatrixGenerated())
            ?? HandWritten.NoAllocation("DenseMatrixLoop.RowsLossGradient", () => RowSliceGenerated());
    }

    private static float[,] ToMatrix(float[] flat)
    {
        var m = new float[LoopDenseBenchmarks.Outputs, LoopDenseBenchmarks.Inputs];
        for (int i = 0; i < LoopDenseBenchmarks.Outputs; i++)
        {
            for (int j = 0; j < LoopDenseBenchmarks.Inputs; j++)
            {
                m[i, j] = flat[(i * LoopDenseBenchmarks.Inputs) + j];
            }
        }

        return m;
    }

    private static float[] Flatten(float[,] m)
    {
        var flat = new float[m.Length];
        int k = 0;
        foreach (float v in m)
        {
            flat[k++] = v;
        }

        return flat;
    }
}
