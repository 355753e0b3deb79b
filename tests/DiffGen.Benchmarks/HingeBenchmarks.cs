using System;
using BenchmarkDotNet.Attributes;

namespace DiffGen.Benchmarks;

/// <summary>
/// A loss whose loop branches (squared hinge over n = 1000 elements, gradient with respect to w): the primal, the
/// generated gradient (one fused sweep, the branch decision in a local) and a hand-written single pass. The gradient
/// accumulates into a buffer that is not zeroed per call.
/// </summary>
[MemoryDiagnoser]
public class HingeBenchmarks : ISmokeCheck
{
    public const int N = 1000;
    private double[] _w = [], _x = [], _y = [], _dw = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        _w = HandWritten.Fill<double>(random, N, -1.5, 1.5);
        _x = HandWritten.Fill<double>(random, N, -1.5, 1.5);
        _y = new double[N];
        for (int i = 0; i < N; i++)
        {
            _y[i] = random.Next(2) == 0 ? -1 : 1;
        }

        _dw = new double[N];
    }

    [Benchmark]
    public double Primal() => Functions.SquaredHinge(_w, _x, _y);

    [Benchmark]
    public double Generated() => Functions.SquaredHingeGradient(_w, _x, _y, _dw);

    [Benchmark(Baseline = true)]
    public double HandWrittenGradient() => HandWritten.SquaredHingeGradient(_w, _x, _y, _dw);

    public string? Check()
    {
        var generated = new double[N];
        var hand = new double[N];
        double value = Functions.SquaredHingeGradient(_w, _x, _y, generated);
        double expected = HandWritten.SquaredHingeGradient(_w, _x, _y, hand);
        return HandWritten.Agree<double>("SquaredHingeGradient value", [value], [expected], 1e-12)
            ?? HandWritten.Agree<double>("SquaredHingeGradient dw", generated, hand, 1e-12)
            ?? HandWritten.NoAllocation("SquaredHingeGradient", () => Generated());
    }
}
