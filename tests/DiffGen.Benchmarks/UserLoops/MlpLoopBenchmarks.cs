using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// A two-layer perceptron 784 → 64 (tanh) → 10 (softmax cross-entropy) on one sample, float, written with loops (<see
/// cref="MlpLoop.Loss"/>): primal, generated gradient with respect to every weight and bias, hand-written gradient
/// (baseline) and the hand-written one with the forward pass in the user's order (same value bit for bit). Gradients
/// accumulate (not zeroed per call).
/// </summary>
[MemoryDiagnoser]
public class LoopMlpBenchmarks : ISmokeCheck
{
    public const int Inputs = 784, Hidden = 64, Classes = 10;
    private float[] _w1 = [], _b1 = [], _w2 = [], _b2 = [], _x = [], _dw1 = [], _db1 = [], _dw2 = [], _db2 = [];
    private int _label;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(14);
        _w1 = HandWritten.Fill<float>(random, Hidden * Inputs, -0.05, 0.05);
        _b1 = HandWritten.Fill<float>(random, Hidden, -0.05, 0.05);
        _w2 = HandWritten.Fill<float>(random, Classes * Hidden, -0.3, 0.3);
        _b2 = HandWritten.Fill<float>(random, Classes, -0.05, 0.05);
        _x = HandWritten.Fill<float>(random, Inputs, 0, 1);
        _label = random.Next(Classes);
        _dw1 = new float[_w1.Length];
        _db1 = new float[Hidden];
        _dw2 = new float[_w2.Length];
        _db2 = new float[Classes];
    }

    [Benchmark]
    public float Primal() => MlpLoop.Loss(_w1, _b1, _w2, _b2, _x, _label);

    [Benchmark]
    [PairedWith(nameof(HandWrittenSameValueGradient))]
    public float Generated() => MlpLoop.LossGradient(_w1, _b1, _w2, _b2, _x, _label, _dw1, _db1, _dw2, _db2);

    /// <summary>The generated gradient of the same loss with <c>AllowReassociation</c>: dot products vectorised, like the baseline's.</summary>
    [Benchmark]
    public float GeneratedReassociated() => MlpLoop.LossFastGradient(_w1, _b1, _w2, _b2, _x, _label, _dw1, _db1, _dw2, _db2);

    [Benchmark(Baseline = true)]
    public float HandWrittenGradient() => MlpLoopHandWritten.LossGradient<float>(_w1, _b1, _w2, _b2, _x, _label, _dw1, _db1, _dw2, _db2);

    [Benchmark]
    [PairedWith(nameof(Primal))]
    public float HandWrittenSameValueGradient() =>
        MlpLoopHandWritten.LossGradientSameValue<float>(_w1, _b1, _w2, _b2, _x, _label, _dw1, _db1, _dw2, _db2);

    /// <summary>
    /// The generated value equal to the user's (DESIGN.md §4: bit for bit); generated vs hand-written (float, 1e-5
    /// relative to max(1, |·|)); the hand-written loss vs the user's (1e-5), the same-value variant's loss equal to the
    /// user's and its gradient vs the hand-written (1e-5); the hand-written code run in double vs central differences
    /// (1e-6; 48 entries of each weight matrix, all biases up to 48); 0 B per call.
    /// </summary>
    public string? Check()
    {
        float[] g1 = new float[_w1.Length], gc1 = new float[Hidden], g2 = new float[_w2.Length], gc2 = new float[Classes];
        float[] h1 = new float[_w1.Length], hc1 = new float[Hidden], h2 = new float[_w2.Length], hc2 = new float[Classes];
        float value = MlpLoop.LossGradient(_w1, _b1, _w2, _b2, _x, _label, g1, gc1, g2, gc2);
        float expected = MlpLoopHandWritten.LossGradient<float>(_w1, _b1, _w2, _b2, _x, _label, h1, hc1, h2, hc2);
        float[] s1 = new float[_w1.Length], sc1 = new float[Hidden], s2 = new float[_w2.Length], sc2 = new float[Classes];
        float same = MlpLoopHandWritten.LossGradientSameValue<float>(_w1, _b1, _w2, _b2, _x, _label, s1, sc1, s2, sc2);
        double[] w1 = FiniteDifferences.ToDouble(_w1), b1 = FiniteDifferences.ToDouble(_b1);
        double[] w2 = FiniteDifferences.ToDouble(_w2), b2 = FiniteDifferences.ToDouble(_b2), x = FiniteDifferences.ToDouble(_x);
        double[] d1 = new double[w1.Length], dc1 = new double[Hidden], d2 = new double[w2.Length], dc2 = new double[Classes];
        MlpLoopHandWritten.LossGradient<double>(w1, b1, w2, b2, x, _label, d1, dc1, d2, dc2);
        double[] t1 = new double[w1.Length], tc1 = new double[Hidden], t2 = new double[w2.Length], tc2 = new double[Classes];
        double Loss() => MlpLoopHandWritten.LossGradient<double>(w1, b1, w2, b2, x, _label, t1, tc1, t2, tc2);
        float[] f1 = new float[_w1.Length], fc1 = new float[Hidden], f2 = new float[_w2.Length], fc2 = new float[Classes];
        float fast = MlpLoop.LossFastGradient(_w1, _b1, _w2, _b2, _x, _label, f1, fc1, f2, fc2);
        return HandWritten.Agree<float>("MLP loop: loss", [value], [expected], 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: reassociated loss", [fast], [expected], 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: reassociated dW1", f1, h1, 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: reassociated db1", fc1, hc1, 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: reassociated dW2", f2, h2, 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: reassociated db2", fc2, hc2, 1e-5)
            ?? HandWritten.NoAllocation("MlpLoop.LossFastGradient", () => GeneratedReassociated())
            ?? HandWritten.Agree<float>("MLP loop: hand-written loss vs the user's", [expected], [Primal()], 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: generated loss vs the user's", [value], [Primal()], 0)
            ?? HandWritten.Agree<float>("MLP loop: dW1", g1, h1, 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: db1", gc1, hc1, 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: dW2", g2, h2, 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: db2", gc2, hc2, 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: same-value loss vs the user's", [same], [Primal()], 0)
            ?? HandWritten.Agree<float>("MLP loop: same-value dW1", s1, h1, 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: same-value db1", sc1, hc1, 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: same-value dW2", s2, h2, 1e-5)
            ?? HandWritten.Agree<float>("MLP loop: same-value db2", sc2, hc2, 1e-5)
            ?? FiniteDifferences.Agree("MLP loop: dW1", w1, d1, Loss, 1e-6)
            ?? FiniteDifferences.Agree("MLP loop: db1", b1, dc1, Loss, 1e-6)
            ?? FiniteDifferences.Agree("MLP loop: dW2", w2, d2, Loss, 1e-6)
            ?? FiniteDifferences.Agree("MLP loop: db2", b2, dc2, Loss, 1e-6)
            ?? HandWritten.NoAllocation("MlpLoop.LossGradient", () => Generated())
            ?? HandWritten.NoAllocation("MlpLoopHandWritten.LossGradient", () => HandWrittenGradient())
            ?? HandWritten.NoAllocation("MlpLoopHandWritten.LossGradientSameValue", () => HandWrittenSameValueGradient());
    }
}
