using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Benchmarks.UserLoops;

namespace DiffGen.Benchmarks;

/// <summary>
/// Forward mode and second order on the extended Rosenbrock function (n = 1000, one fused loop): the primal, the
/// generated pushforward (target ≤ 1.5× the primal), the gradient and the Hessian-vector product (forward over
/// reverse, target ≤ 4× the gradient). Gradients and products accumulate; nothing is zeroed per call.
/// </summary>
[MemoryDiagnoser]
public class ExtendedRosenbrockSecondOrderBenchmarks : ISmokeCheck
{
    private const int N = 1000;
    private double[] _x = [], _v = [], _dx = [], _hv = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        _x = HandWritten.Fill<double>(random, N, -1.5, 1.5);
        _v = HandWritten.Fill<double>(random, N, -1, 1);
        _dx = new double[N];
        _hv = new double[N];
    }

    [Benchmark]
    public double Primal() => Functions.ExtendedRosenbrock(_x);

    [Benchmark]
    [PairedWith(nameof(Primal))]
    public double Pushforward() => Functions.ExtendedRosenbrockPushforward(_x, _v, out _);

    [Benchmark(Baseline = true)]
    public double Gradient() => Functions.ExtendedRosenbrockGradient(_x, _dx);

    [Benchmark]
    public double HessianVectorProduct() => Functions.ExtendedRosenbrockHessianVectorProduct(_x, _v, _hv);

    public string? Check() => SecondOrderChecks.Agree(
        "ExtendedRosenbrock",
        _x,
        _v,
        (x, g) => Functions.ExtendedRosenbrockGradient(x, g),
        (x, v) => (Functions.ExtendedRosenbrockPushforward(x, v, out double t), t),
        (x, v, hv) => Functions.ExtendedRosenbrockHessianVectorProduct(x, v, hv))
        ?? HandWritten.NoAllocation("ExtendedRosenbrockPushforward", () => Pushforward())
        ?? HandWritten.NoAllocation("ExtendedRosenbrockHessianVectorProduct", () => HessianVectorProduct());
}

/// <summary>
/// The same on a taped loop (1 000 Newton solves of Kepler's equation, <see cref="KeplerLoop.Loss"/>, with respect to
/// the mean anomalies only): the pullback records each Newton step, so the HVP pushes a tangent tape next to it.
/// </summary>
[MemoryDiagnoser]
public class KeplerSecondOrderBenchmarks : ISmokeCheck
{
    private const int N = 1000;
    private const double Eccentricity = 0.6;
    private double[] _m = [], _target = [], _v = [], _dm = [], _hv = [];
    private double _de, _hve;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _m = HandWritten.Fill<double>(random, N, 0, 2 * Math.PI);
        _target = HandWritten.Fill<double>(random, N);
        _v = HandWritten.Fill<double>(random, N, -1, 1);
        _dm = new double[N];
        _hv = new double[N];
    }

    [Benchmark]
    public double Primal() => KeplerLoop.Loss(_m, Eccentricity, _target);

    [Benchmark]
    [PairedWith(nameof(Primal))]
    public double Pushforward() => KeplerLoop.LossPushforward(_m, Eccentricity, _target, _v, 0.25, out _);

    [Benchmark(Baseline = true)]
    public double Gradient() => KeplerLoop.LossGradient(_m, Eccentricity, _target, _dm, ref _de);

    [Benchmark]
    public double HessianVectorProduct() => KeplerLoop.LossHessianVectorProduct(_m, Eccentricity, _target, _v, 0.25, _hv, ref _hve);

    public string? Check() => SecondOrderChecks.Agree(
        "KeplerLoop",
        _m,
        _v,
        (m, g) => KeplerLoop.LossGradient(m, Eccentricity, _target, g, ref _de),
        (m, v) => (KeplerLoop.LossPushforward(m, Eccentricity, _target, v, 0, out double t), t),
        (m, v, hv) => KeplerLoop.LossHessianVectorProduct(m, Eccentricity, _target, v, 0, hv, ref _hve))
        ?? HandWritten.NoAllocation("KeplerLoop.LossPushforward", () => Pushforward())
        ?? HandWritten.NoAllocation("KeplerLoop.LossHessianVectorProduct", () => HessianVectorProduct());
}

/// <summary>What the smoke run checks of forward mode and second order: the tangent is g·v, and H·v is the gradient's directional derivative.</summary>
internal static class SecondOrderChecks
{
    public static string? Agree(
        string what,
        double[] x,
        double[] v,
        Func<double[], double[], double> gradient,
        Func<double[], double[], (double Value, double Tangent)> pushforward,
        Func<double[], double[], double[], double> hvp)
    {
        double[] g = new double[x.Length];
        double value = gradient(x, g);
        (double forwardValue, double tangent) = pushforward(x, v);
        double dot = 0;
        for (int i = 0; i < x.Length; i++)
        {
            dot += g[i] * v[i];
        }

        double[] hv = new double[x.Length];
        double hvValue = hvp(x, v, hv);

        // Central differences of the gradient along v.
        double h = 1e-6;
        double[] up = (double[])x.Clone(), down = (double[])x.Clone();
        for (int i = 0; i < x.Length; i++)
        {
            up[i] += h * v[i];
            down[i] -= h * v[i];
        }

        double[] gUp = new double[x.Length], gDown = new double[x.Length];
        gradient(up, gUp);
        gradient(down, gDown);
        double[] fd = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            fd[i] = (gUp[i] - gDown[i]) / (2 * h);
        }

        return HandWritten.Agree<double>(what + " values", [forwardValue, hvValue], [value, value], 0)
            ?? HandWritten.Agree<double>(what + " tangent vs g·v", [tangent], [dot], 1e-9)
            ?? HandWritten.Agree<double>(what + " H·v vs FD of the gradient", hv, fd, 1e-4);
    }
}
