using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks;

/// <summary>
/// 2-D Rosenbrock (double): the primal, the generated <c>RosenbrockGradient</c> and the closed-form hand-written gradient.
/// The gradient accumulates into fields (the documented += semantics), nothing is zeroed per call.
/// </summary>
[MemoryDiagnoser]
public class RosenbrockBenchmarks : ISmokeCheck
{
    private double _x = -1.2, _y = 1.0, _dx, _dy;

    [Benchmark]
    [CompareAs("rosenbrock2d_value")]
    public double Primal() => Functions.Rosenbrock(_x, _y);

    [Benchmark]
    [CompareAs("rosenbrock2d_grad")]
    public double Generated() => Functions.RosenbrockGradient(_x, _y, ref _dx, ref _dy);

    [Benchmark(Baseline = true)]
    [CompareAs("rosenbrock2d_grad", HandWritten = true)]
    public double HandWrittenGradient() => HandWritten.RosenbrockGradient(_x, _y, ref _dx, ref _dy);

    /// <summary>
    /// Diagnostic, not a baseline: the generated RosenbrockPullback's statements verbatim, except that the adjoint updates go
    /// to two locals added into dx and dy once at the end. The difference to <see cref="Generated"/> is the cost of the
    /// generated code's eight read-modify-writes through the <c>ref</c> gradient arguments (docs/performance.md).
    /// </summary>
    [Benchmark]
    public double GeneratedStatementsLocalAdjoints() => GeneratedShapeLocalAdjoints(_x, _y, 1.0, ref _dx, ref _dy);

    private static double GeneratedShapeLocalAdjoints(double x, double y, double seed, ref double dxOut, ref double dyOut)
    {
        double dx = 0, dy = 0;
        double result = (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x);
        double dresult = seed;
        double v0 = 1.0 - x;
        dx -= dresult * v0;
        dx -= v0 * dresult;
        double v1 = y - x * x;
        double g2 = 100.0 * (dresult * v1);
        dy += g2;
        dx -= g2 * x;
        dx -= x * g2;
        double v3 = 100.0 * (y - x * x);
        double g4 = v3 * dresult;
        dy += g4;
        dx -= g4 * x;
        dx -= x * g4;
        dxOut += dx;
        dyOut += dy;
        return result;
    }

    public string? Check()
    {
        (_x, _y) = (-1.2, 1.0);
        double gx = 0, gy = 0, hx = 0, hy = 0;
        double value = Functions.RosenbrockGradient(_x, _y, ref gx, ref gy);
        double expected = HandWritten.RosenbrockGradient(_x, _y, ref hx, ref hy);
        return HandWritten.Agree<double>("Rosenbrock (value, dx, dy)", [value, gx, gy], [expected, hx, hy], 1e-12)
            ?? HandWritten.NoAllocation("RosenbrockGradient", () => Generated());
    }
}

/// <summary>
/// Extended Rosenbrock over a span of n = 1000 doubles: the primal, the generated gradient and a hand-written single-pass
/// loop. The gradient accumulates into a buffer that is not zeroed per call.
/// </summary>
[MemoryDiagnoser]
public class ExtendedRosenbrockBenchmarks : ISmokeCheck
{
    public const int N = 1000;
    private double[] _x = [], _dx = [];

    [GlobalSetup]
    public void Setup()
    {
        _x = HandWritten.Fill<double>(new Random(3), N, -1.5, 1.5);
        _dx = new double[N];
    }

    [Benchmark]
    [CompareAs("ext_rosenbrock1000_value")]
    public double Primal() => Functions.ExtendedRosenbrock(_x);

    [Benchmark]
    [CompareAs("ext_rosenbrock1000_grad")]
    [PairedWith(nameof(HandWrittenGradientRelocated))]
    public double Generated() => Functions.ExtendedRosenbrockGradient(_x, _dx);

    [Benchmark(Baseline = true)]
    [CompareAs("ext_rosenbrock1000_grad", HandWritten = true)]
    public double HandWrittenGradient() => HandWritten.ExtendedRosenbrockGradient(_x, _dx);

    /// <summary>
    /// The same hand-written method, called from a second benchmark method: the JIT inlines it again, into code at
    /// another address. On the Zen 4 VM of docs/performance.md the very same instructions run at 0.46 µs in one place and
    /// 0.65 µs in another, so comparing against both shows how much of a ratio is placement.
    /// </summary>
    [Benchmark]
    public double HandWrittenGradientRelocated() => HandWritten.ExtendedRosenbrockGradient(_x, _dx);

    /// <summary>
    /// The same function as the user would write it to mirror the hand-written loop (<c>i += 2</c> over the pairs, see
    /// <see cref="Functions.ExtendedRosenbrockStepped"/>): the difference to <see cref="Generated"/> is the cost of the
    /// <c>x[2 * i]</c> indexing (index arithmetic and bounds checks the JIT cannot remove).
    /// </summary>
    [Benchmark]
    [PairedWith(nameof(Generated))]
    [PairedWith(nameof(HandWrittenGradientRelocated))]
    public double GeneratedStepped() => Functions.ExtendedRosenbrockSteppedGradient(_x, _dx);

    public string? Check() =>
        AgreesWithHandWritten("ExtendedRosenbrockGradient", (x, dx) => Functions.ExtendedRosenbrockGradient(x, dx), () => Generated())
        ?? AgreesWithHandWritten("ExtendedRosenbrockSteppedGradient", (x, dx) => Functions.ExtendedRosenbrockSteppedGradient(x, dx), () => GeneratedStepped());

    private string? AgreesWithHandWritten(string name, Func<double[], double[], double> gradient, Action call)
    {
        var generated = new double[N];
        var hand = new double[N];
        double value = gradient(_x, generated);
        double expected = HandWritten.ExtendedRosenbrockGradient(_x, hand);
        return HandWritten.Agree<double>(name + " value", [value], [expected], 1e-12)
            ?? HandWritten.Agree<double>(name + " dx", generated, hand, 1e-12)
            ?? HandWritten.NoAllocation(name, call);
    }
}
