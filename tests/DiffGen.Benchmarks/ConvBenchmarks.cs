using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using DiffGen.Layers;

namespace DiffGen.Benchmarks;

/// <summary>
/// The CNN's two convolutions on a batch of 64, forward and pullback (dx, dweight and dbias), for their GFLOP/s next to
/// the GEMM's. <see cref="Shape"/> names each convolution by its im2col product, OC × K × (batch · output pixels), so the
/// GFLOP/s column counts 2·OC·K·batch·P per product (the pullback runs two: dweight and dx). The matching single GEMM
/// per image is <c>MatMulBenchmarks</c>' 32×9×784 and 64×288×196.
/// </summary>
[MemoryDiagnoser]
public class ConvBenchmarks
{
    private const int Batch = 64;

    private static readonly Dictionary<string, Conv2D> Layers = new()
    {
        ["32x9x50176"] = Functions.Conv1,     // conv 1→32, 3×3, padding 1, on 28×28
        ["64x288x12544"] = Functions.Conv2,   // conv 32→64, 3×3, padding 1, on 14×14
    };

    private Conv2D _layer;
    private float[] _x = [], _w = [], _b = [], _y = [], _dx = [], _dw = [], _db = [], _dy = [];

    [Params("32x9x50176", "64x288x12544")]
    public string Shape { get; set; } = "32x9x50176";

    [GlobalSetup]
    public void Setup()
    {
        _layer = Layers[Shape];
        var random = new Random(11);
        _x = HandWritten.Fill<float>(random, Batch * _layer.InputSize, 0, 1);
        _w = HandWritten.Fill<float>(random, _layer.WeightLength, -0.5, 0.5);
        _b = HandWritten.Fill<float>(random, _layer.BiasLength, -0.5, 0.5);
        _dy = HandWritten.Fill<float>(random, Batch * _layer.OutputSize, -1, 1);
        _y = new float[_dy.Length];
        _dx = new float[_x.Length];
        _dw = new float[_w.Length];
        _db = new float[_b.Length];
    }

    [Benchmark]
    [CompareAs("conv_forward")]
    public void Forward() => Ops.Conv2D(_x, _w, _b, _y, _layer);

    [Benchmark]
    [Products(2)]
    [CompareAs("conv_pullback")]
    public void Pullback() => Ops.Conv2DPullback(_x, _w, _b, _y, _layer, _dx, _dw, _db, _dy);
}

/// <summary>How many products of the benchmark's <c>Shape</c> one call computes (for <see cref="GflopsColumn"/>); 1 if absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProductsAttribute(int count) : Attribute
{
    public int Count { get; } = count;
}
