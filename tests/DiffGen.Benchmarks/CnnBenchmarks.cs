using BenchmarkDotNet.Attributes;
using FashionMnist.Model;
using DiffGen.Optimization;

namespace DiffGen.Benchmarks;

/// <summary>
/// One SGD step of the main job's CNN on a batch of 64 — zero_grad, loss + ∇θ, <c>Sgd.Step</c> — with the generated
/// gradient and with the hand-written backward pass, and the forward pass (loss) alone. Each convolution splits its
/// batch over both cores; <c>DOTNET_PROCESSOR_COUNT=1</c> keeps everything on one (docs/performance.md).
/// </summary>
[MemoryDiagnoser]
public class CnnStepBenchmarks : ISmokeCheck
{
    private CnnFixture _net = null!;
    private Sgd<float> _sgd = null!;
    private Cnn _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        _net = new CnnFixture(seed: 5);
        _sgd = new Sgd<float>(_net.Parameters, learningRate: 0.01);
        _model = new Cnn(_net.Parameters);
    }

    [Benchmark]
    [CompareAs("cnn_forward")]
    public float Primal() => _net.Loss();

    [Benchmark]
    [CompareAs("cnn_sgd_step")]
    public float GeneratedStep()
    {
        _sgd.ZeroGrad();
        float loss = _net.GeneratedParameterGradient();
        _sgd.Step();
        return loss;
    }

    /// <summary>The same step with the main job's CNN, written as a model type (one object, pooled scratch): docs/models.md.</summary>
    [Benchmark]
    public float ModelTypeStep()
    {
        _sgd.ZeroGrad();
        float loss = Cnn.LossGradient(_model, _net.X, _net.Labels, _model);
        _sgd.Step();
        return loss;
    }

    [Benchmark(Baseline = true)]
    [CompareAs("cnn_sgd_step", HandWritten = true)]
    public float HandWrittenStep()
    {
        _sgd.ZeroGrad();
        float loss = _net.HandWrittenParameterGradient();
        _sgd.Step();
        return loss;
    }

    public string? Check()
    {
        var net = new CnnFixture(seed: 6);
        return HandWritten.SameStep("CNN", net.Parameters, net.GeneratedParameterGradient, net.HandWrittenParameterGradient, () => GeneratedStep(), () => HandWrittenStep())
            ?? HandWritten.NoAllocation("CNN forward", () => Primal())
            ?? HandWritten.SameAsModelType("CNN", net.Parameters, net.GeneratedParameterGradient, new Cnn(net.Parameters), m => Cnn.LossGradient(m, net.X, net.Labels, m));
    }
}
