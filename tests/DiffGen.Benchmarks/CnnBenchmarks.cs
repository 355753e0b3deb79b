using System.Linq;
using BenchmarkDotNet.Attributes;
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

    [GlobalSetup]
    public void Setup()
    {
        _net = new CnnFixture(seed: 5);
        _sgd = new Sgd<float>(_net.Parameters, learningRate: 0.01);
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
        net.Parameters.ZeroGrad();
        float value = net.GeneratedParameterGradient();
        float[][] generated = [.. net.Parameters.Select(p => p.Grad.ToArray())];
        net.Parameters.ZeroGrad();
        float expected = net.HandWrittenParameterGradient();
        string? problem = HandWritten.Agree<float>("CNN loss", [value], [expected], 1e-6);
        for (int i = 0; i < generated.Length && problem is null; i++)
        {
            problem = HandWritten.Agree<float>("CNN d" + net.Parameters[i].Name, generated[i], net.Parameters[i].Grad, 1e-5);
        }

        return problem
            ?? HandWritten.NoAllocation("CNN generated SGD step", () => GeneratedStep())
            ?? HandWritten.NoAllocation("CNN hand-written SGD step", () => HandWrittenStep());
    }
}
