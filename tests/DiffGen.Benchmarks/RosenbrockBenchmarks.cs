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
    public double Generated() => Functions.ExtendedRosenbrockGradient(_x, _dx);

    [Benchmark(Baseline = true)]
    [CompareAs("ext_rosenbrock1000_grad", HandWritten = true)]
    public double HandWrittenGradient() => HandWritten.ExtendedRosenbrockGradient(_x, _dx);

    /// <summary>
    /// Diagnostic, not a baseline: the generated ExtendedRosenbrockPullback's reverse loop verbatim, except that t and u are
    /// recomputed from x instead of pushed on and popped off the tape (they are loop-body temporaries, dead at the top of
    /// every iteration, so the tape is not needed). The difference to <see cref="Generated"/> is the tape's cost.
    /// </summary>
    [Benchmark]
    public double GeneratedStatementsNoTape() => GeneratedShapeNoTape(_x, 1.0, _dx);

    private static double GeneratedShapeNoTape(ReadOnlySpan<double> x, double seed, Span<double> dx)
    {
        double sum = 0.0;
        int pairs = x.Length / 2;
        for (int i = 0; i < pairs; i++)
        {
            double t = x[2 * i + 1] - x[2 * i] * x[2 * i];
            double u = 1.0 - x[2 * i];
            sum = sum + (100.0 * t * t + u * u);
        }

        double result = sum;
        double dsum = seed;
        double dt = 0.0;
        double du = 0.0;
        for (int i = pairs - 1; i >= 0; i--)
        {
            double t = x[2 * i + 1] - x[2 * i] * x[2 * i];
            double u = 1.0 - x[2 * i];
            dt += 100.0 * (dsum * t);
            double v6 = 100.0 * t;
            dt += v6 * dsum;
            du += dsum * u;
            du += u * dsum;
            double g4 = du;
            du = 0.0;
            int v5 = 2 * i;
            dx[v5] -= g4;
            double g0 = dt;
            dt = 0.0;
            int v1 = 2 * i + 1;
            dx[v1] += g0;
            double v2 = x[2 * i];
            int v3 = 2 * i;
            dx[v3] -= g0 * v2;
            dx[v3] -= v2 * g0;
        }

        return result;
    }

    public string? Check()
    {
        var generated = new double[N];
        var hand = new double[N];
        double value = Functions.ExtendedRosenbrockGradient(_x, generated);
        double expected = HandWritten.ExtendedRosenbrockGradient(_x, hand);
        return HandWritten.Agree<double>("extended Rosenbrock value", [value], [expected], 1e-12)
            ?? HandWritten.Agree<double>("extended Rosenbrock dx", generated, hand, 1e-12)
            ?? HandWritten.NoAllocation("ExtendedRosenbrockGradient", () => Generated());
    }
}
