using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Optimization;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// What an array of layers costs against the same layers as members (<see cref="LayerStackLoop"/>): the array form
/// packs the layers' parameters into pooled vectors on entry and adds the packed gradient back before returning.
/// </summary>
[MemoryDiagnoser]
public class LoopLayerStackBenchmarks : ISmokeCheck
{
    private LayerStackLoop _stack = null!;
    private LayerMembersLoop _members = null!;
    private Parameters<double> _parameters = null!;
    private double[] _x = [], _target = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(17);
        _parameters = new Parameters<double>();
        _stack = new LayerStackLoop(_parameters, random);
        _members = new LayerMembersLoop(_stack);
        _x = HandWritten.Fill<double>(random, LayerStackLoop.Width);
        _target = HandWritten.Fill<double>(random, LayerStackLoop.Classes, -0.5, 0.5);
    }

    [Benchmark]
    public double LayerArrayGradient() => LayerStackLoop.LossGradient(_stack, _x, _target, _stack);

    [Benchmark(Baseline = true)]
    public double LayerMembersGradient() => LayerMembersLoop.LossGradient(_members, _x, _target, _members);

    [Benchmark]
    public double Primal() => LayerStackLoop.Loss(_stack, _x, _target);

    /// <summary>Both forms: the same value bit for bit and the same gradient (1e-12 relative), 0 B per call.</summary>
    public string? Check()
    {
        _parameters.ZeroGrad();
        double array = LayerStackLoop.LossGradient(_stack, _x, _target, _stack);
        double[] fromArray = [.. _stack.Layers[0].W.Grad.ToArray(), .. _stack.Layers[2].B.Grad.ToArray()];
        _parameters.ZeroGrad();
        double members = LayerMembersLoop.LossGradient(_members, _x, _target, _members);
        double[] fromMembers = [.. _stack.Layers[0].W.Grad.ToArray(), .. _stack.Layers[2].B.Grad.ToArray()];
        double primal = LayerStackLoop.Loss(_stack, _x, _target);
        return HandWritten.Agree<double>("layer stack: loss", [array], [primal], 0)
            ?? HandWritten.Agree<double>("layer members: loss", [members], [primal], 0)
            ?? HandWritten.Agree<double>("layer stack: gradient", fromArray, fromMembers, 1e-12)
            ?? HandWritten.NoAllocation("LayerStackLoop.LossGradient", () => LayerArrayGradient())
            ?? HandWritten.NoAllocation("LayerMembersLoop.LossGradient", () => LayerMembersGradient());
    }
}
