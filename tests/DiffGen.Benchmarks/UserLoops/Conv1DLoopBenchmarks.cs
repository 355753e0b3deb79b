using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// A valid 1-D convolution, kernel 7 over a signal of 4 096, then tanh and a squared error, double, written with two
/// nested loops (<see cref="Conv1DLoop.Loss"/>): primal, generated gradient with respect to the kernel and the signal,
/// hand-written gradient (baseline) and the hand-written one with tanh and the loss's sum in the user's order (same
/// value bit for bit). Gradients accumulate (not zeroed per call).
/// </summary>
[MemoryDiagnoser]
public class LoopConv1DBenchmarks : ISmokeCheck
{
    public const int Taps = 7, Length = 4096;
    private double[] _kernel = [], _signal = [], _target = [], _dkernel = [], _dsignal = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(22);
        _kernel = HandWritten.Fill<double>(random, Taps, -0.5, 0.5);
        _signal = HandWritten.Fill<double>(random, Length);
        _target = HandWritten.Fill<double>(random, Length - Taps + 1, -0.5, 0.5);
        _dkernel = new double[Taps];
        _dsignal = new double[Length];
    }

    [Benchmark]
    public double Primal() => Conv1DLoop.Loss(_kernel, _signal, _target);

    [Benchmark]
    [PairedWith(nameof(HandWrittenSameValueGradient))]
    public double Generated() => Conv1DLoop.LossGradient(_kernel, _signal, _target, _dkernel, _dsignal);

    /// <summary>The generated gradient of the same loss with <c>AllowReassociation</c>: each output's dot product vectorised.</summary>
    [Benchmark]
    public double GeneratedReassociated() => Conv1DLoop.LossFastGradient(_kernel, _signal, _target, _dkernel, _dsignal);

    [Benchmark(Baseline = true)]
    public double HandWrittenGradient() => Conv1DLoopHandWritten.LossGradient(_kernel, _signal, _target, _dkernel, _dsignal);

    [Benchmark]
    [PairedWith(nameof(Primal))]
    public double HandWrittenSameValueGradient() => Conv1DLoopHandWritten.LossGradientSameValue(_kernel, _signal, _target, _dkernel, _dsignal);

    /// <summary>
    /// The generated value equal to the user's (DESIGN.md §4: bit for bit); generated vs hand-written (1e-10 relative
    /// to max(1, |·|)); the hand-written loss vs the user's (1e-12), the same-value variant's loss equal to the user's
    /// and its gradient vs the hand-written (1e-12); the hand-written gradient vs central differences on the user's
    /// function (1e-6; every tap, 48 signal entries including both ends, which fewer taps reach than the middle); 0 B
    /// per call.
    /// </summary>
    public string? Check()
    {
        double[] gk = new double[Taps], gs = new double[Length], hk = new double[Taps], hs = new double[Length];
        double value = Conv1DLoop.LossGradient(_kernel, _signal, _target, gk, gs);
        double expected = Conv1DLoopHandWritten.LossGradient(_kernel, _signal, _target, hk, hs);
        double[] sk = new double[Taps], ss = new double[Length];
        double same = Conv1DLoopHandWritten.LossGradientSameValue(_kernel, _signal, _target, sk, ss);
        double[] kernel = (double[])_kernel.Clone(), signal = (double[])_signal.Clone();
        double Loss() => Conv1DLoop.Loss(kernel, signal, _target);
        double[] fk = new double[Taps], fs = new double[Length];
        double fast = Conv1DLoop.LossFastGradient(_kernel, _signal, _target, fk, fs);
        return HandWritten.Agree<double>("conv1d loop: loss", [value], [expected], 1e-10)
            ?? HandWritten.Agree<double>("conv1d loop: reassociated loss", [fast], [expected], 1e-10)
            ?? HandWritten.Agree<double>("conv1d loop: reassociated dkernel", fk, hk, 1e-10)
            ?? HandWritten.Agree<double>("conv1d loop: reassociated dsignal", fs, hs, 1e-10)
            ?? HandWritten.NoAllocation("Conv1DLoop.LossFastGradient", () => GeneratedReassociated())
            ?? HandWritten.Agree<double>("conv1d loop: hand-written loss vs the user's", [expected], [Primal()], 1e-12)
            ?? HandWritten.Agree<double>("conv1d loop: generated loss vs the user's", [value], [Primal()], 0)
            ?? HandWritten.Agree<double>("conv1d loop: dkernel", gk, hk, 1e-10)
            ?? HandWritten.Agree<double>("conv1d loop: dsignal", gs, hs, 1e-10)
            ?? HandWritten.Agree<double>("conv1d loop: same-value loss vs the user's", [same], [Primal()], 0)
            ?? HandWritten.Agree<double>("conv1d loop: same-value dkernel", sk, hk, 1e-12)
            ?? HandWritten.Agree<double>("conv1d loop: same-value dsignal", ss, hs, 1e-12)
            ?? FiniteDifferences.Agree("conv1d loop: dkernel", kernel, hk, Loss, 1e-6)
            ?? FiniteDifferences.Agree("conv1d loop: dsignal", signal, hs, Loss, 1e-6)
            ?? HandWritten.NoAllocation("Conv1DLoop.LossGradient", () => Generated())
            ?? HandWritten.NoAllocation("Conv1DLoopHandWritten.LossGradient", () => HandWrittenGradient())
            ?? HandWritten.NoAllocation("Conv1DLoopHandWritten.LossGradientSameValue", () => HandWrittenSameValueGradient());
    }
}
