using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// Softmax regression on one sample, 784 features → 10 classes, float, written with nested loops
/// (<see cref="SoftmaxLoop.Loss"/>): its primal, the generated gradient with respect to W and b, and the hand-written
/// one (baseline), and the hand-written one with the logits summed in the user's order (same value bit for bit, as the
/// generated code's must be). The gradients accumulate into dW and db (not zeroed per call, like the generated method's
/// contract).
/// </summary>
[MemoryDiagnoser]
public class LoopSoftmaxBenchmarks : ISmokeCheck
{
    public const int Features = 784, Classes = 10;
    private float[] _w = [], _b = [], _x = [], _dw = [], _db = [];
    private int _label;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(12);
        _w = HandWritten.Fill<float>(random, Classes * Features, -0.05, 0.05);
        _b = HandWritten.Fill<float>(random, Classes, -0.05, 0.05);
        _x = HandWritten.Fill<float>(random, Features, 0, 1);
        _label = random.Next(Classes);
        _dw = new float[_w.Length];
        _db = new float[Classes];
    }

    [Benchmark]
    public float Primal() => SoftmaxLoop.Loss(_w, _b, _x, _label);

    [Benchmark]
    [PairedWith(nameof(HandWrittenSameValueGradient))]
    public float Generated() => SoftmaxLoop.LossGradient(_w, _b, _x, _label, _dw, _db);

    /// <summary>The generated gradient of the same loss with <c>AllowReassociation</c>: dot products vectorised, like the baseline's.</summary>
    [Benchmark]
    public float GeneratedReassociated() => SoftmaxLoop.LossFastGradient(_w, _b, _x, _label, _dw, _db);

    [Benchmark(Baseline = true)]
    public float HandWrittenGradient() => SoftmaxLoopHandWritten.LossGradient<float>(_w, _b, _x, _label, _dw, _db);

    [Benchmark]
    [PairedWith(nameof(Primal))]
    public float HandWrittenSameValueGradient() => SoftmaxLoopHandWritten.LossGradientSameValue<float>(_w, _b, _x, _label, _dw, _db);

    /// <summary>
    /// The generated value equal to the user's (DESIGN.md §4: bit for bit); generated vs hand-written (float, 1e-5
    /// relative to max(1, |·|)); the hand-written loss vs the user's (1e-5), the same-value variant's loss equal to the
    /// user's and its gradient vs the hand-written (1e-6); the hand-written code run in double vs central differences
    /// (1e-6, all of b, 48 entries of W); 0 B per call.
    /// </summary>
    public string? Check()
    {
        var gw = new float[_w.Length];
        var gb = new float[Classes];
        var hw = new float[_w.Length];
        var hb = new float[Classes];
        float value = SoftmaxLoop.LossGradient(_w, _b, _x, _label, gw, gb);
        float expected = SoftmaxLoopHandWritten.LossGradient<float>(_w, _b, _x, _label, hw, hb);
        var sw = new float[_w.Length];
        var sb = new float[Classes];
        float same = SoftmaxLoopHandWritten.LossGradientSameValue<float>(_w, _b, _x, _label, sw, sb);
        double[] w = FiniteDifferences.ToDouble(_w), b = FiniteDifferences.ToDouble(_b), x = FiniteDifferences.ToDouble(_x);
        var dw = new double[w.Length];
        var db = new double[b.Length];
        SoftmaxLoopHandWritten.LossGradient<double>(w, b, x, _label, dw, db);
        var scratchW = new double[w.Length];
        var scratchB = new double[b.Length];
        double Loss() => SoftmaxLoopHandWritten.LossGradient<double>(w, b, x, _label, scratchW, scratchB);
        var fw = new float[_w.Length];
        var fb = new float[Classes];
        float fast = SoftmaxLoop.LossFastGradient(_w, _b, _x, _label, fw, fb);
        return HandWritten.Agree<float>("softmax loop: loss", [value], [expected], 1e-5)
            ?? HandWritten.Agree<float>("softmax loop: reassociated loss", [fast], [expected], 1e-5)
            ?? HandWritten.Agree<float>("softmax loop: reassociated dW", fw, hw, 1e-5)
            ?? HandWritten.Agree<float>("softmax loop: reassociated db", fb, hb, 1e-5)
            ?? HandWritten.NoAllocation("SoftmaxLoop.LossFastGradient", () => GeneratedReassociated())
            ?? HandWritten.Agree<float>("softmax loop: hand-written loss vs the user's", [expected], [Primal()], 1e-5)
            ?? HandWritten.Agree<float>("softmax loop: generated loss vs the user's", [value], [Primal()], 0)
            ?? HandWritten.Agree<float>("softmax loop: dW", gw, hw, 1e-5)
            ?? HandWritten.Agree<float>("softmax loop: db", gb, hb, 1e-5)
            ?? HandWritten.Agree<float>("softmax loop: same-value loss vs the user's", [same], [Primal()], 0)
            ?? HandWritten.Agree<float>("softmax loop: same-value dW", sw, hw, 1e-6)
            ?? HandWritten.Agree<float>("softmax loop: same-value db", sb, hb, 1e-6)
            ?? FiniteDifferences.Agree("softmax loop: dW", w, dw, Loss, 1e-6)
            ?? FiniteDifferences.Agree("softmax loop: db", b, db, Loss, 1e-6)
            ?? HandWritten.NoAllocation("SoftmaxLoop.LossGradient", () => Generated())
            ?? HandWritten.NoAllocation("SoftmaxLoopHandWritten.LossGradient", () => HandWrittenGradient())
            ?? HandWritten.NoAllocation("SoftmaxLoopHandWritten.LossGradientSameValue", () => HandWrittenSameValueGradient());
    }
}
