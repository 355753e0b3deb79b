using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// A data-dependent trip count: 1 000 Newton solves of Kepler's equation at eccentricity 0.6 (2–6 Newton steps each,
/// mostly 4–6), double (<see cref="KeplerLoop.Loss"/>): primal, generated gradient with respect to the mean anomalies
/// and the eccentricity, the hand-written gradient by the implicit function theorem (baseline), and the hand-written
/// derivative of the iterations themselves (forward mode through each step, what the generated code computes).
/// Gradients accumulate (not zeroed per call).
/// </summary>
[MemoryDiagnoser]
public class LoopKeplerBenchmarks : ISmokeCheck
{
    public const int N = 1000;
    public const double Eccentricity = 0.6;
    private double[] _m = [], _target = [], _dm = [];
    private double _de;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(23);
        _m = HandWritten.Fill<double>(random, N, 0, 2 * Math.PI);
        _target = HandWritten.Fill<double>(random, N);
        _dm = new double[N];
    }

    [Benchmark]
    public double Primal() => KeplerLoop.Loss(_m, Eccentricity, _target);

    [Benchmark]
    [PairedWith(nameof(HandWrittenThroughIterationsGradient))]
    public double Generated() => KeplerLoop.LossGradient(_m, Eccentricity, _target, _dm, ref _de);

    [Benchmark(Baseline = true)]
    public double HandWrittenGradient() => KeplerLoopHandWritten.LossGradient(_m, Eccentricity, _target, _dm, ref _de);

    [Benchmark]
    [PairedWith(nameof(Primal))]
    public double HandWrittenThroughIterationsGradient() => KeplerLoopHandWritten.LossGradientThroughIterations(_m, Eccentricity, _target, _dm, ref _de);

    /// <summary>
    /// The generated value equal to the user's (DESIGN.md §4: bit for bit); generated (differentiating the iterations)
    /// vs hand-written (implicit derivative), 1e-9 relative to max(1, |·|), and vs the hand-written derivative of the
    /// iterations (1e-12); both hand-written losses equal to the user's; the implicit gradient vs central differences on
    /// the user's function (1e-6; 48 anomalies and the eccentricity); 0 B per call.
    /// </summary>
    public string? Check()
    {
        double[] gm = new double[N], hm = new double[N];
        double ge = 0, he = 0;
        double value = KeplerLoop.LossGradient(_m, Eccentricity, _target, gm, ref ge);
        double expected = KeplerLoopHandWritten.LossGradient(_m, Eccentricity, _target, hm, ref he);
        double[] im = new double[N];
        double ie = 0;
        double throughIterations = KeplerLoopHandWritten.LossGradientThroughIterations(_m, Eccentricity, _target, im, ref ie);
        double[] m = (double[])_m.Clone();
        double[] eccentricity = [Eccentricity];
        double Loss() => KeplerLoop.Loss(m, eccentricity[0], _target);
        return HandWritten.Agree<double>("Kepler loop: loss", [value], [expected], 1e-12)
            ?? HandWritten.Agree<double>("Kepler loop: hand-written loss vs the user's", [expected], [Primal()], 0)
            ?? HandWritten.Agree<double>("Kepler loop: generated loss vs the user's", [value], [Primal()], 0)
            ?? HandWritten.Agree<double>("Kepler loop: dM", gm, hm, 1e-9)
            ?? HandWritten.Agree<double>("Kepler loop: de", [ge], [he], 1e-9)
            ?? HandWritten.Agree<double>("Kepler loop: loss through the iterations vs the user's", [throughIterations], [Primal()], 0)
            ?? HandWritten.Agree<double>("Kepler loop: generated dM vs through the iterations", gm, im, 1e-12)
            ?? HandWritten.Agree<double>("Kepler loop: generated de vs through the iterations", [ge], [ie], 1e-12)
            ?? FiniteDifferences.Agree("Kepler loop: dM", m, hm, Loss, 1e-6)
            ?? FiniteDifferences.Agree("Kepler loop: de", eccentricity, [he], Loss, 1e-6)
            ?? HandWritten.NoAllocation("KeplerLoop.LossGradient", () => Generated())
            ?? HandWritten.NoAllocation("KeplerLoopHandWritten.LossGradient", () => HandWrittenGradient())
            ?? HandWritten.NoAllocation("KeplerLoopHandWritten.LossGradientThroughIterations", () => HandWrittenThroughIterationsGradient());
    }
}
