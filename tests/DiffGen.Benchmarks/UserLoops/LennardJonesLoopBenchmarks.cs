using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// Lennard-Jones energy of 64 atoms (2 016 pairs), double, written as a pair loop with temporaries
/// (<see cref="LennardJonesLoop.Energy"/>): primal, generated gradient with respect to the positions, the hand-written
/// vectorised gradient (baseline) and the hand-written scalar one. Gradients accumulate (not zeroed per call).
/// </summary>
[MemoryDiagnoser]
public class LoopLennardJonesBenchmarks : ISmokeCheck
{
    /// <summary>Atoms on a 4×4×4 lattice at about the potential's minimum (2^(1/6) ≈ 1.12), jittered.</summary>
    public const int Side = 4, Atoms = Side * Side * Side;
    private double[] _x = [], _dx = [];

    [GlobalSetup]
    public void Setup()
    {
        _x = Lattice(Side, new Random(15));
        _dx = new double[_x.Length];
    }

    private static double[] Lattice(int side, Random random)
    {
        var x = new double[3 * side * side * side];
        for (int a = 0; a < x.Length / 3; a++)
        {
            x[3 * a] = 1.12 * (a % side) + 0.05 * (2 * random.NextDouble() - 1);
            x[3 * a + 1] = 1.12 * (a / side % side) + 0.05 * (2 * random.NextDouble() - 1);
            x[3 * a + 2] = 1.12 * (a / (side * side)) + 0.05 * (2 * random.NextDouble() - 1);
        }

        return x;
    }

    [Benchmark]
    public double Primal() => LennardJonesLoop.Energy(_x);

    [Benchmark]
    [PairedWith(nameof(HandWrittenScalarGradient))]
    public double Generated() => LennardJonesLoop.EnergyGradient(_x, _dx);

    [Benchmark(Baseline = true)]
    public double HandWrittenGradient() => LennardJonesLoopHandWritten.EnergyGradient(_x, _dx);

    /// <summary>The scalar hand-written gradient, whose energy is the user's bit for bit (the vectorised one sums in another order).</summary>
    [Benchmark]
    [PairedWith(nameof(Primal))]
    public double HandWrittenScalarGradient() => LennardJonesLoopHandWritten.EnergyGradientScalar(_x, _dx);

    /// <summary>
    /// The generated value equal to the user's (DESIGN.md §4: bit for bit); generated vs hand-written, both
    /// hand-written variants against each other (1e-10 relative to max(1, |·|)); the energy vs the user's (1e-12); the
    /// vectorised gradient vs central differences on the user's function (1e-6, every coordinate); the vectorised
    /// gradient's pooled path (343 atoms) vs the scalar one (1e-10); 0 B per call.
    /// </summary>
    public string? Check()
    {
        var generated = new double[_x.Length];
        var hand = new double[_x.Length];
        var scalar = new double[_x.Length];
        double value = LennardJonesLoop.EnergyGradient(_x, generated);
        double expected = LennardJonesLoopHandWritten.EnergyGradient(_x, hand);
        double scalarValue = LennardJonesLoopHandWritten.EnergyGradientScalar(_x, scalar);
        double[] x = (double[])_x.Clone();
        double[] large = Lattice(7, new Random(16));
        var largeHand = new double[large.Length];
        var largeScalar = new double[large.Length];
        double largeValue = LennardJonesLoopHandWritten.EnergyGradient(large, largeHand);
        double largeScalarValue = LennardJonesLoopHandWritten.EnergyGradientScalar(large, largeScalar);
        return HandWritten.Agree<double>("Lennard-Jones loop: energy", [value], [expected], 1e-10)
            ?? HandWritten.Agree<double>("Lennard-Jones loop: hand-written energy vs the user's", [expected], [Primal()], 1e-12)
            ?? HandWritten.Agree<double>("Lennard-Jones loop: generated and scalar hand-written energy vs the user's", [value, scalarValue], [Primal(), Primal()], 0)
            ?? HandWritten.Agree<double>("Lennard-Jones loop: dx", generated, hand, 1e-10)
            ?? HandWritten.Agree<double>("Lennard-Jones loop: scalar dx", scalar, hand, 1e-10)
            ?? FiniteDifferences.Agree("Lennard-Jones loop: dx", x, hand, () => LennardJonesLoop.Energy(x), 1e-6, x.Length)
            ?? HandWritten.Agree<double>("Lennard-Jones loop, 343 atoms: energy", [largeValue], [largeScalarValue], 1e-10)
            ?? HandWritten.Agree<double>("Lennard-Jones loop, 343 atoms: dx", largeHand, largeScalar, 1e-10)
            ?? HandWritten.NoAllocation("LennardJonesLoop.EnergyGradient", () => Generated())
            ?? HandWritten.NoAllocation("LennardJonesLoopHandWritten.EnergyGradient", () => HandWrittenGradient());
    }
}
