using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks;

/// <summary>Loss and reduction ops at MLP-sized shapes (batch 64, 10 classes; 784-long vectors), with allocation counts.</summary>
[MemoryDiagnoser]
public class OpBenchmarks
{
    private const int Batch = 64, Classes = 10, Features = 784;
    private float[] _logits = [], _dlogits = [], _x = [], _y = [], _dx = [], _dy = [];
    private int[] _labels = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _logits = Fill(rng, Batch * Classes);
        _dlogits = new float[Batch * Classes];
        _labels = new int[Batch];
        for (int i = 0; i < Batch; i++)
        {
            _labels[i] = rng.Next(Classes);
        }

        _x = Fill(rng, Features);
        _y = Fill(rng, Features);
        _dx = new float[Features];
        _dy = new float[Features];
    }

    [Benchmark]
    public float SoftmaxCrossEntropy() => Ops.SoftmaxCrossEntropy(_logits, _labels, Classes);

    [Benchmark]
    public float SoftmaxCrossEntropyWithPullback()
    {
        float loss = Ops.SoftmaxCrossEntropy(_logits, _labels, Classes);
        Ops.SoftmaxCrossEntropyPullback(_logits, _labels, Classes, 1f, _dlogits);
        return loss;
    }

    [Benchmark]
    public float Dot() => Ops.Dot(_x, _y);

    [Benchmark]
    public float DotWithPullback()
    {
        float value = Ops.Dot(_x, _y);
        Ops.DotPullback(_x, _y, 1f, _dx, _dy);
        return value;
    }

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
