using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using DiffGen.Adversarial;

namespace DiffGen.Benchmarks;

/// <summary>
/// The attacks' own cost, without a network: the input gradient is a stored batch gradient added into the buffer (a
/// stand-in that costs the same on both sides), so the difference between the library attack and the hand-written loop is
/// the wrapper (validation, copies, buffer clearing, the sign step, projection and clamp passes). Batch 64 × 784 as in
/// <see cref="FgsmBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class FgsmWrapperBenchmarks : ISmokeCheck
{
    private const float Epsilon = 0.1f;
    private AttackFixture _data = null!;
    private Fgsm _fgsm = null!;
    private float[] _adversarial = [], _dx = [];

    [GlobalSetup]
    public void Setup()
    {
        _data = new AttackFixture(seed: 3);
        _fgsm = new Fgsm(_data.InputGradient, Functions.Inputs, new FgsmOptions { Epsilon = Epsilon });
        _adversarial = new float[_data.X.Length];
        _dx = new float[_data.X.Length];
    }

    [Benchmark]
    public void LibraryFgsm() => _fgsm.Perturb(_data.X, _data.Labels, _adversarial);

    [Benchmark(Baseline = true)]
    public void HandWrittenFgsm()
    {
        Array.Clear(_dx);
        _ = _data.InputGradient(_data.X, _data.Labels, _dx);
        HandWritten.SignStep(_data.X, _dx, Epsilon, 0f, 1f, _adversarial);
    }

    public string? Check()
    {
        LibraryFgsm();
        float[] library = [.. _adversarial];
        HandWrittenFgsm();
        return HandWritten.Agree<float>("FGSM over a stored gradient", library, _adversarial, 0)
            ?? HandWritten.NoAllocation("library FGSM over a stored gradient", LibraryFgsm);
    }
}

/// <summary>BIM, 10 steps of α = ε/4 in the ε = 0.1 ball, over the stored gradient of <see cref="AttackFixture"/>: library vs a hand-written loop.</summary>
[MemoryDiagnoser]
public class BimWrapperBenchmarks : ISmokeCheck
{
    private const float Epsilon = 0.1f, StepSize = 0.025f;
    private const int Steps = 10;
    private AttackFixture _data = null!;
    private Bim _bim = null!;
    private float[] _adversarial = [], _dx = [];

    [GlobalSetup]
    public void Setup()
    {
        _data = new AttackFixture(seed: 4);
        _bim = new Bim(_data.InputGradient, Functions.Inputs, new BimOptions { Epsilon = Epsilon, StepSize = StepSize, Steps = Steps });
        _adversarial = new float[_data.X.Length];
        _dx = new float[_data.X.Length];
    }

    [Benchmark]
    public void LibraryBim() => _bim.Perturb(_data.X, _data.Labels, _adversarial);

    [Benchmark(Baseline = true)]
    public void HandWrittenBim()
    {
        _data.X.CopyTo(_adversarial, 0);
        for (int step = 0; step < Steps; step++)
        {
            Array.Clear(_dx);
            _ = _data.InputGradient(_adversarial, _data.Labels, _dx);
            HandWritten.ProjectedSignStep(_adversarial, _dx, _data.X, StepSize, Epsilon, 0f, 1f);
        }
    }

    public string? Check()
    {
        LibraryBim();
        float[] library = [.. _adversarial];
        HandWrittenBim();
        return HandWritten.Agree<float>("BIM over a stored gradient", library, _adversarial, 0)
            ?? HandWritten.NoAllocation("library BIM over a stored gradient", LibraryBim);
    }
}

/// <summary>A batch of 64 × 784 inputs in [0, 1) and a stored gradient (both signs, some exact zeros) that the input gradient adds.</summary>
public sealed class AttackFixture
{
    private readonly float[] _gradient;

    public AttackFixture(int seed)
    {
        var random = new Random(seed);
        X = HandWritten.Fill<float>(random, MlpFixture.Batch * Functions.Inputs, 0, 1);
        _gradient = HandWritten.Fill<float>(random, X.Length, -1, 1);
        for (int i = 0; i < _gradient.Length; i += 13)
        {
            _gradient[i] = 0f;
        }

        Labels = new int[MlpFixture.Batch];
    }

    public float[] X { get; }

    public int[] Labels { get; }

    /// <summary>Adds the stored gradient (independent of x) into <paramref name="dx"/>.</summary>
    public float InputGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, Span<float> dx)
    {
        TensorPrimitives.Add(dx, _gradient, dx);
        return 0f;
    }
}
