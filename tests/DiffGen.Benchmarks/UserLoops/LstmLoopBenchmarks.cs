using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// One LSTM step, 32 inputs and 64 hidden units, double, written with loops (<see cref="LstmLoop.Loss"/>): primal,
/// generated gradient with respect to W, U, b and the input x, hand-written gradient (baseline) and the hand-written
/// one with the forward pass in the user's order (same value bit for bit). Gradients accumulate (not zeroed per call).
/// </summary>
[MemoryDiagnoser]
public class LoopLstmBenchmarks : ISmokeCheck
{
    public const int Inputs = 32, Hidden = 64;
    private double[] _w = [], _u = [], _b = [], _x = [], _h = [], _c = [], _target = [];
    private double[] _dw = [], _du = [], _db = [], _dx = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(19);
        _w = HandWritten.Fill<double>(random, 4 * Hidden * Inputs, -0.2, 0.2);
        _u = HandWritten.Fill<double>(random, 4 * Hidden * Hidden, -0.2, 0.2);
        _b = HandWritten.Fill<double>(random, 4 * Hidden, -0.1, 0.1);
        _x = HandWritten.Fill<double>(random, Inputs);
        _h = HandWritten.Fill<double>(random, Hidden, -0.5, 0.5);
        _c = HandWritten.Fill<double>(random, Hidden);
        _target = HandWritten.Fill<double>(random, Hidden, -0.5, 0.5);
        _dw = new double[_w.Length];
        _du = new double[_u.Length];
        _db = new double[_b.Length];
        _dx = new double[Inputs];
    }

    [Benchmark]
    public double Primal() => LstmLoop.Loss(_w, _u, _b, _x, _h, _c, _target);

    [Benchmark]
    [PairedWith(nameof(HandWrittenSameValueGradient))]
    public double Generated() => LstmLoop.LossGradient(_w, _u, _b, _x, _h, _c, _target, _dw, _du, _db, _dx);

    /// <summary>The generated gradient of the same loss with <c>AllowReassociation</c>: dot products vectorised, like the baseline's.</summary>
    [Benchmark]
    public double GeneratedReassociated() => LstmLoop.LossFastGradient(_w, _u, _b, _x, _h, _c, _target, _dw, _du, _db, _dx);

    [Benchmark(Baseline = true)]
    public double HandWrittenGradient() => LstmLoopHandWritten.LossGradient(_w, _u, _b, _x, _h, _c, _target, _dw, _du, _db, _dx);

    [Benchmark]
    [PairedWith(nameof(Primal))]
    public double HandWrittenSameValueGradient() => LstmLoopHandWritten.LossGradientSameValue(_w, _u, _b, _x, _h, _c, _target, _dw, _du, _db, _dx);

    /// <summary>
    /// The generated value equal to the user's (DESIGN.md §4: bit for bit); generated vs hand-written (1e-12 relative
    /// to max(1, |·|)); the hand-written loss vs the user's (1e-12), the same-value variant's loss equal to the user's
    /// and its gradient vs the hand-written (1e-12); the hand-written gradient vs central differences on the user's
    /// function (1e-7; 48 entries of W, U, b, every x); 0 B per call.
    /// </summary>
    public string? Check()
    {
        double[] gw = new double[_w.Length], gu = new double[_u.Length], gb = new double[_b.Length], gx = new double[Inputs];
        double[] hw = new double[_w.Length], hu = new double[_u.Length], hb = new double[_b.Length], hx = new double[Inputs];
        double value = LstmLoop.LossGradient(_w, _u, _b, _x, _h, _c, _target, gw, gu, gb, gx);
        double expected = LstmLoopHandWritten.LossGradient(_w, _u, _b, _x, _h, _c, _target, hw, hu, hb, hx);
        double[] sw = new double[_w.Length], su = new double[_u.Length], sb = new double[_b.Length], sx = new double[Inputs];
        double same = LstmLoopHandWritten.LossGradientSameValue(_w, _u, _b, _x, _h, _c, _target, sw, su, sb, sx);
        double[] w = (double[])_w.Clone(), u = (double[])_u.Clone(), b = (double[])_b.Clone(), x = (double[])_x.Clone();
        double Loss() => LstmLoop.Loss(w, u, b, x, _h, _c, _target);
        double[] fw = new double[_w.Length], fu = new double[_u.Length], fb = new double[_b.Length], fx = new double[Inputs];
        double fast = LstmLoop.LossFastGradient(_w, _u, _b, _x, _h, _c, _target, fw, fu, fb, fx);
        return HandWritten.Agree<double>("LSTM loop: loss", [value], [expected], 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: reassociated loss", [fast], [expected], 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: reassociated dW", fw, hw, 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: reassociated dU", fu, hu, 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: reassociated db", fb, hb, 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: reassociated dx", fx, hx, 1e-12)
            ?? HandWritten.NoAllocation("LstmLoop.LossFastGradient", () => GeneratedReassociated())
            ?? HandWritten.Agree<double>("LSTM loop: hand-written loss vs the user's", [expected], [Primal()], 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: generated loss vs the user's", [value], [Primal()], 0)
            ?? HandWritten.Agree<double>("LSTM loop: dW", gw, hw, 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: dU", gu, hu, 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: db", gb, hb, 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: dx", gx, hx, 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: same-value loss vs the user's", [same], [Primal()], 0)
            ?? HandWritten.Agree<double>("LSTM loop: same-value dW", sw, hw, 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: same-value dU", su, hu, 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: same-value db", sb, hb, 1e-12)
            ?? HandWritten.Agree<double>("LSTM loop: same-value dx", sx, hx, 1e-12)
            ?? FiniteDifferences.Agree("LSTM loop: dW", w, hw, Loss, 1e-7)
            ?? FiniteDifferences.Agree("LSTM loop: dU", u, hu, Loss, 1e-7)
            ?? FiniteDifferences.Agree("LSTM loop: db", b, hb, Loss, 1e-7)
            ?? FiniteDifferences.Agree("LSTM loop: dx", x, hx, Loss, 1e-7)
            ?? HandWritten.NoAllocation("LstmLoop.LossGradient", () => Generated())
            ?? HandWritten.NoAllocation("LstmLoopHandWritten.LossGradient", () => HandWrittenGradient())
            ?? HandWritten.NoAllocation("LstmLoopHandWritten.LossGradientSameValue", () => HandWrittenSameValueGradient());
    }
}
