using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// Lennard-Jones of 64 atoms written as object-oriented code (<see cref="LennardJonesModel"/>: instance method, struct
/// with an operator, helpers) against the same hand-written scalar gradient as <see cref="LoopLennardJonesBenchmarks"/>
/// and against the generated gradient of the plain loop version: what helpers, structs and instance members cost.
/// </summary>
[MemoryDiagnoser]
public class LoopLennardJonesRealCodeBenchmarks : ISmokeCheck
{
    private readonly LennardJonesModel _model = new(1.0, 1.0);
    private double[] _x = [], _dx = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(15);
        const int side = LoopLennardJonesBenchmarks.Side;
        _x = new double[3 * side * side * side];
        for (int a = 0; a < _x.Length / 3; a++)
        {
            _x[3 * a] = 1.12 * (a % side) + 0.05 * (2 * random.NextDouble() - 1);
            _x[3 * a + 1] = 1.12 * (a / side % side) + 0.05 * (2 * random.NextDouble() - 1);
            _x[3 * a + 2] = 1.12 * (a / (side * side)) + 0.05 * (2 * random.NextDouble() - 1);
        }

        _dx = new double[_x.Length];
    }

    [Benchmark]
    [PairedWith(nameof(GeneratedFromLoop))]
    public double Generated() => _model.EnergyGradient(_x, _dx);

    [Benchmark]
    [PairedWith(nameof(HandWrittenScalarGradient))]
    public double GeneratedFromLoop() => LennardJonesLoop.EnergyGradient(_x, _dx);

    [Benchmark(Baseline = true)]
    [PairedWith(nameof(Generated))]
    public double HandWrittenScalarGradient() => LennardJonesLoopHandWritten.EnergyGradientScalar(_x, _dx);

    /// <summary>The object-oriented value equals the loop's bit for bit; its gradient the hand-written one (1e-10); 0 B per call.</summary>
    public string? Check()
    {
        var generated = new double[_x.Length];
        var hand = new double[_x.Length];
        double value = _model.EnergyGradient(_x, generated);
        LennardJonesLoopHandWritten.EnergyGradientScalar(_x, hand);
        return HandWritten.Agree<double>("Lennard-Jones real code: energy vs the loop's", [value], [LennardJonesLoop.Energy(_x)], 0)
            ?? HandWritten.Agree<double>("Lennard-Jones real code: dx", generated, hand, 1e-10)
            ?? HandWritten.NoAllocation("LennardJonesModel.EnergyGradient", () => Generated());
    }
}
