using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using DiffGen.Adversarial;
using DiffGen.Optimization;
using FashionMnist.Model;

namespace DiffGen.Benchmarks;

/// <summary>
/// One SGD step of the MLP 784 → 256 → 128 → 10 on a batch of 64 — zero_grad, loss + ∇θ, <c>Sgd.Step</c> — with the
/// generated gradient and with the hand-written backward pass, and the forward pass (loss) alone. <c>Ops.MatMul</c>
/// splits the two largest products (64×784×256 and its pullback) over both cores.
/// </summary>
[MemoryDiagnoser]
public class MlpStepBenchmarks : ISmokeCheck
{
    private MlpFixture _net = null!;
    private Sgd<float> _sgd = null!;
    private Mlp _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        _net = new MlpFixture(seed: 5);
        _sgd = new Sgd<float>(_net.Parameters, learningRate: 0.01);
        _model = new Mlp(_net.Parameters);
    }

    [Benchmark]
    [CompareAs("mlp_forward")]
    public float Primal() => _net.Loss(_net.X);

    [Benchmark]
    [CompareAs("mlp_sgd_step")]
    public float GeneratedStep()
    {
        _sgd.ZeroGrad();
        float loss = _net.GeneratedParameterGradient();
        _sgd.Step();
        return loss;
    }

    /// <summary>The same step with the main job's MLP, written as a model type (one object, pooled scratch): docs/models.md.</summary>
    [Benchmark]
    public float ModelTypeStep()
    {
        _sgd.ZeroGrad();
        float loss = Mlp.LossGradient(_model, _net.X, _net.Labels, _model);
        _sgd.Step();
        return loss;
    }

    [Benchmark(Baseline = true)]
    [CompareAs("mlp_sgd_step", HandWritten = true)]
    public float HandWrittenStep()
    {
        _sgd.ZeroGrad();
        float loss = _net.HandWrittenParameterGradient();
        _sgd.Step();
        return loss;
    }

    public string? Check()
    {
        var net = new MlpFixture(seed: 6);
        return HandWritten.SameStep("MLP", net.Parameters, net.GeneratedParameterGradient, net.HandWrittenParameterGradient, () => GeneratedStep(), () => HandWrittenStep())
            ?? HandWritten.SameAsModelType("MLP", net.Parameters, net.GeneratedParameterGradient, new Mlp(net.Parameters), m => Mlp.LossGradient(m, net.X, net.Labels, m));
    }
}

/// <summary>
/// One FGSM step (ε = 0.1, range [0, 1]) on the MLP for a batch of 64: the library's <see cref="Fgsm"/> over the generated
/// <c>MlpLossInputGradient</c>; the generated input gradient followed by a hand-written sign step (no Fgsm wrapper); and
/// the hand-written backward pass to x with the same sign step.
/// </summary>
[MemoryDiagnoser]
public class FgsmBenchmarks : ISmokeCheck
{
    private const float Epsilon = 0.1f;
    private MlpFixture _net = null!;
    private Fgsm _fgsm = null!;
    private float[] _adversarial = [], _dx = [];

    [GlobalSetup]
    public void Setup()
    {
        _net = new MlpFixture(seed: 7);
        _fgsm = new Fgsm(_net.GeneratedInputGradient, Functions.Inputs, new FgsmOptions { Epsilon = Epsilon });
        _adversarial = new float[_net.X.Length];
        _dx = new float[_net.X.Length];
    }

    [Benchmark]
    [CompareAs("fgsm_step")]
    [PairedWith(nameof(GeneratedGradientSignStep))]
    public void GeneratedFgsm() => _fgsm.Perturb(_net.X, _net.Labels, _adversarial);

    [Benchmark]
    public void GeneratedGradientSignStep()
    {
        Array.Clear(_dx);
        _net.GeneratedInputGradient(_net.X, _net.Labels, _dx);
        HandWritten.SignStep(_net.X, _dx, Epsilon, 0f, 1f, _adversarial);
    }

    [Benchmark(Baseline = true)]
    [CompareAs("fgsm_step", HandWritten = true)]
    public void HandWrittenFgsm()
    {
        Array.Clear(_dx);
        _net.HandWrittenInputGradient(_net.X, _dx);
        HandWritten.SignStep(_net.X, _dx, Epsilon, 0f, 1f, _adversarial);
    }

    public string? Check()
    {
        var generated = new float[_dx.Length];
        _ = _net.GeneratedInputGradient(_net.X, _net.Labels, generated);
        Array.Clear(_dx);
        _ = _net.HandWrittenInputGradient(_net.X, _dx);
        string? problem = HandWritten.Agree<float>("MLP dx", generated, _dx, 1e-5);
        if (problem is not null)
        {
            return problem;
        }

        GeneratedFgsm();
        float[] library = [.. _adversarial];
        HandWrittenFgsm();
        return HandWritten.Agree<float>("FGSM adversarial batch", library, _adversarial, 1e-6)
            ?? HandWritten.NoAllocation("FGSM step (Fgsm over the generated input gradient)", GeneratedFgsm)
            ?? HandWritten.NoAllocation("FGSM step (hand-written)", HandWrittenFgsm);
    }
}
