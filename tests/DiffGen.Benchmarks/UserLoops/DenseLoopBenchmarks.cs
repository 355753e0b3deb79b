using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// One dense tanh layer 64 → 32 and its squared error, float, written with two nested loops (<see
/// cref="DenseLoop.Loss"/>): primal, generated gradient with respect to W and b, hand-written gradient (baseline) and
/// the hand-written one with the dot products summed in the user's order (same value bit for bit). Gradients accumulate
/// (not zeroed per call).
/// </summary>
[MemoryDiagnoser]
public class LoopDenseBenchmarks : ISmokeCheck
{
    public const int Inputs = 64, Outputs = 32;
    private float[] _w = [], _b = [], _x = [], _target = [], _dw = [], _db = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(13);
        _w = HandWritten.Fill<float>(random, Outputs * Inputs, -0.2, 0.2);
        _b = HandWritten.Fill<float>(random, Outputs, -0.1, 0.1);
        _x = HandWritten.Fill<float>(random, Inputs);
        _target = HandWritten.Fill<float>(random, Outputs, -0.9, 0.9);
        _dw = new float[_w.Length];
        _db = new float[Outputs];
    }

    [Benchmark]
    public float Primal() => DenseLoop.Loss(_w, _b, _x, _target);

    [Benchmark]
    [PairedWith(nameof(HandWrittenSameValueGradient))]
    public float Generated() => DenseLoop.LossGradient(_w, _b, _x, _target, _dw, _db);

    /// <summary>The generated gradient of the same loss with <c>AllowReassociation</c>: dot products vectorised, like the baseline's.</summary>
    [Benchmark]
    public float GeneratedReassociated() => DenseLoop.LossFastGradient(_w, _b, _x, _target, _dw, _db);

    [Benchmark(Baseline = true)]
    public float HandWrittenGradient() => DenseLoopHandWritten.LossGradient<float>(_w, _b, _x, _target, _dw, _db);

    [Benchmark]
    [PairedWith(nameof(Primal))]
    public float HandWrittenSameValueGradient() => DenseLoopHandWritten.LossGradientSameValue<float>(_w, _b, _x, _target, _dw, _db);

    /// <summary>
    /// The generated value equal to the user's (DESIGN.md §4: bit for bit); generated vs hand-written (float, 1e-5
    /// relative to max(1, |·|)); the hand-written loss vs the user's (1e-5), the same-value variant's loss equal to the
    /// user's and its gradient vs the hand-written (1e-6); the hand-written code run in double vs central differences
    /// (1e-6, all of b, 48 entries of W); 0 B per call.
    /// </summary>
    public string? Check()
    {
        var gw = new float[_w.Length];
        var gb = new float[Outputs];
        var hw = new float[_w.Length];
        var hb = new float[Outputs];
        float value = DenseLoop.LossGradient(_w, _b, _x, _target, gw, gb);
        float expected = DenseLoopHandWritten.LossGradient<float>(_w, _b, _x, _target, hw, hb);
        var sw = new float[_w.Length];
        var sb = new float[Outputs];
        float same = DenseLoopHandWritten.LossGradientSameValue<float>(_w, _b, _x, _target, sw, sb);
        double[] w = FiniteDifferences.ToDouble(_w), b = FiniteDifferences.ToDouble(_b);
        double[] x = FiniteDifferences.ToDouble(_x), target = FiniteDifferences.ToDouble(_target);
        var dw = new double[w.Length];
        var db = new double[b.Length];
        DenseLoopHandWritten.LossGradient<double>(w, b, x, target, dw, db);
        var scratchW = new double[w.Length];
        var scratchB = new double[b.Length];
        double Loss() => DenseLoopHandWritten.LossGradient<double>(w, b, x, target, scratchW, scratchB);
        var fw = new float[_w.Length];
        var fb = new float[Outputs];
        float fast = DenseLoop.LossFastGradient(_w, _b, _x, _target, fw, fb);
        return HandWritten.Agree<float>("dense loop: loss", [value], [expected], 1e-5)
            ?? HandWritten.Agree<float>("dense loop: reassociated loss", [fast], [expected], 1e-5)
            ?? HandWritten.Agree<float>("dense loop: reassociated dW", fw, hw, 1e-5)
            ?? HandWritten.Agree<float>("dense loop: reassociated db", fb, hb, 1e-5)
            ?? HandWritten.NoAllocation("DenseLoop.LossFastGradient", () => GeneratedReassociated())
            ?? HandWritten.Agree<float>("dense loop: hand-written loss vs the user's", [expected], [Primal()], 1e-5)
            ?? HandWritten.Agree<float>("dense loop: generated loss vs the user's", [value], [Primal()], 0)
            ?? HandWritten.Agree<float>("dense loop: dW", gw, hw, 1e-5)
            ?? HandWritten.Agree<float>("dense loop: db", gb, hb, 1e-5)
            ?? HandWritten.Agree<float>("dense loop: same-value loss vs the user's", [same], [Primal()], 0)
            ?? HandWritten.Agree<float>("dense loop: same-value dW", sw, hw, 1e-6)
            ?? HandWritten.Agree<float>("dense loop: same-value db", sb, hb, 1e-6)
            ?? FiniteDifferences.Agree("dense loop: dW", w, dw, Loss, 1e-6)
            ?? FiniteDifferences.Agree("dense loop: db", b, db, Loss, 1e-6)
            ?? HandWritten.NoAllocation("DenseLoop.LossGradient", () => Generated())
            ?? HandWritten.NoAllocation("DenseLoopHandWritten.LossGradient", () => HandWrittenGradient())
            ?? HandWritten.NoAllocation("DenseLoopHandWritten.LossGradientSameValue", () => HandWrittenSameValueGradient());
    }
}
