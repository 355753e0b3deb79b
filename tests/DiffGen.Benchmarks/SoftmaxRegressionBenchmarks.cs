using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks;

/// <summary>
/// Softmax regression 784 → 10 on a batch of 64 (float): loss + gradient with respect to W and b, generated from
/// <see cref="Functions.SoftmaxRegressionLoss"/> vs the same Ops kernels and pullbacks called by hand, and the loss alone.
/// The gradients accumulate into dW and db (not zeroed per call, like the generated method's contract).
/// </summary>
[MemoryDiagnoser]
public class SoftmaxRegressionBenchmarks : ISmokeCheck
{
    public const int Batch = 64;
    private const int Inputs = Functions.Inputs, Classes = Functions.Classes;
    private float[] _x = [], _w = [], _b = [], _scores = [], _logits = [], _dw = [], _db = [], _dlogits = [];
    private int[] _labels = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(4);
        _x = HandWritten.Fill<float>(random, Batch * Inputs, 0, 1);
        _labels = HandWritten.Labels(random, Batch, Classes);
        _w = HandWritten.Fill<float>(random, Inputs * Classes, -0.05, 0.05);
        _b = HandWritten.Fill<float>(random, Classes, -0.05, 0.05);
        _scores = new float[Batch * Classes];
        _logits = new float[Batch * Classes];
        _dlogits = new float[Batch * Classes];
        _dw = new float[Inputs * Classes];
        _db = new float[Classes];
    }

    [Benchmark]
    [CompareAs("softmax_regression_loss")]
    public float Primal() => Functions.SoftmaxRegressionLoss(_x, _labels, _w, _b, _scores, _logits);

    [Benchmark]
    [CompareAs("softmax_regression_grad")]
    public float Generated() => Functions.SoftmaxRegressionLossGradient(_x, _labels, _w, _b, _scores, _logits, _dw, _db);

    [Benchmark(Baseline = true)]
    [CompareAs("softmax_regression_grad", HandWritten = true)]
    public float HandWrittenGradient() => HandWrittenGradient(_dw, _db);

    /// <summary>Forward through the Ops, then their pullbacks; AddBias's dx = dy, so dlogits is passed straight to MatMul's pullback.</summary>
    private float HandWrittenGradient(Span<float> dw, Span<float> db)
    {
        Ops.MatMul(_x, _w, _scores, Batch, Inputs, Classes);
        Ops.AddBias(_scores, _b, _logits);
        float loss = Ops.SoftmaxCrossEntropy(_logits, _labels, Classes);
        Span<float> dlogits = _dlogits;
        dlogits.Clear();
        Ops.SoftmaxCrossEntropyPullback(_logits, _labels, Classes, 1f, dlogits);
        Ops.AddBiasPullback(_scores, _b, _logits, default, db, dlogits);
        Ops.MatMulPullback(_x, _w, _scores, Batch, Inputs, Classes, default, dw, dlogits);
        return loss;
    }

    public string? Check()
    {
        var gw = new float[_w.Length];
        var gb = new float[_b.Length];
        var hw = new float[_w.Length];
        var hb = new float[_b.Length];
        float value = Functions.SoftmaxRegressionLossGradient(_x, _labels, _w, _b, _scores, _logits, gw, gb);
        float expected = HandWrittenGradient(hw, hb);
        return HandWritten.Agree<float>("softmax regression loss", [value], [expected], 1e-6)
            ?? HandWritten.Agree<float>("softmax regression dW", gw, hw, 1e-5)
            ?? HandWritten.Agree<float>("softmax regression db", gb, hb, 1e-5)
            ?? HandWritten.NoAllocation("SoftmaxRegressionLossGradient", () => Generated());
    }
}
