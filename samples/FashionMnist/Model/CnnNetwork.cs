using System;
using DiffGen.Distributed;
using DiffGen.Optimization;

namespace FashionMnist.Model;

/// <summary>The parameters θ of <see cref="Cnn"/> (PyTorch's layouts and names) with their gradients and the scratch its loss writes.</summary>
public sealed class CnnNetwork : Network
{
    private const int C1 = 0, R1 = 1, P1 = 2, C2 = 3, R2 = 4, P2 = 5, F1 = 6, H1 = 7, Out = 8;
    private readonly Activations _scratch = new(
        Cnn.Conv1.OutputSize, Cnn.Conv1.OutputSize, Cnn.Pool1.OutputSize, Cnn.Conv2.OutputSize, Cnn.Conv2.OutputSize, Cnn.Pool2.OutputSize,
        Cnn.Fc1.OutFeatures, Cnn.Fc1.OutFeatures, Cnn.Fc2.OutFeatures);

    public CnnNetwork(int seed)
    {
        // Kaiming-uniform weights for the ReLU layers, Xavier for the output layer, zero biases (as MlpNetwork).
        var random = new Random(seed);
        Parameters = new Parameters<float>();
        Conv1W = Parameters.Add("conv1.weight", Cnn.Conv1.WeightLength).InitKaimingUniform(random, Cnn.Conv1.FanIn);
        Conv1B = Parameters.Add("conv1.bias", Cnn.Conv1.BiasLength).InitZeros();
        Conv2W = Parameters.Add("conv2.weight", Cnn.Conv2.WeightLength).InitKaimingUniform(random, Cnn.Conv2.FanIn);
        Conv2B = Parameters.Add("conv2.bias", Cnn.Conv2.BiasLength).InitZeros();
        Fc1W = Parameters.Add("fc1.weight", Cnn.Fc1.WeightLength).InitKaimingUniform(random, Cnn.Fc1.InFeatures);
        Fc1B = Parameters.Add("fc1.bias", Cnn.Fc1.BiasLength).InitZeros();
        Fc2W = Parameters.Add("fc2.weight", Cnn.Fc2.WeightLength).InitXavierUniform(random, Cnn.Fc2.InFeatures, Cnn.Fc2.OutFeatures);
        Fc2B = Parameters.Add("fc2.bias", Cnn.Fc2.BiasLength).InitZeros();
    }

    public override string Name => "cnn";

    public override string Description => "CNN conv3×3(32)→pool→conv3×3(64)→pool→3136→128→10 (ReLU)";

    public override Parameters<float> Parameters { get; }

    public Parameter<float> Conv1W { get; }

    public Parameter<float> Conv1B { get; }

    public Parameter<float> Conv2W { get; }

    public Parameter<float> Conv2B { get; }

    public Parameter<float> Fc1W { get; }

    public Parameter<float> Fc1B { get; }

    public Parameter<float> Fc2W { get; }

    public Parameter<float> Fc2B { get; }

    public override float AccumulateParameterGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels)
    {
        int n = labels.Length;
        _scratch.Ensure(n);
        return Cnn.LossGradient(
            x, labels, Conv1W.Value, Conv1B.Value, Conv2W.Value, Conv2B.Value, Fc1W.Value, Fc1B.Value, Fc2W.Value, Fc2B.Value,
            Cnn.Conv1, Cnn.Pool1, Cnn.Conv2, Cnn.Pool2, Cnn.Fc1, Cnn.Fc2,
            _scratch[C1, n], _scratch[R1, n], _scratch[P1, n], _scratch[C2, n], _scratch[R2, n], _scratch[P2, n], _scratch[F1, n], _scratch[H1, n], _scratch[Out, n],
            Conv1W.Grad, Conv1B.Grad, Conv2W.Grad, Conv2B.Grad, Fc1W.Grad, Fc1B.Grad, Fc2W.Grad, Fc2B.Grad);
    }

    public override NetworkShard CreateShard(int rows) => new Shard(this, rows);

    public override float AccumulateInputGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, Span<float> gradient)
    {
        int n = labels.Length;
        _scratch.Ensure(n);
        return Cnn.LossInputGradient(
            x, labels, Conv1W.Value, Conv1B.Value, Conv2W.Value, Conv2B.Value, Fc1W.Value, Fc1B.Value, Fc2W.Value, Fc2B.Value,
            Cnn.Conv1, Cnn.Pool1, Cnn.Conv2, Cnn.Pool2, Cnn.Fc1, Cnn.Fc2,
            _scratch[C1, n], _scratch[R1, n], _scratch[P1, n], _scratch[C2, n], _scratch[R2, n], _scratch[P2, n], _scratch[F1, n], _scratch[H1, n], _scratch[Out, n],
            gradient);
    }

    public override void Logits(ReadOnlySpan<float> x, int rows, Span<float> logits)
    {
        _scratch.Ensure(rows);
        Cnn.Logits(
            x, Conv1W.Value, Conv1B.Value, Conv2W.Value, Conv2B.Value, Fc1W.Value, Fc1B.Value, Fc2W.Value, Fc2B.Value,
            _scratch[C1, rows], _scratch[R1, rows], _scratch[P1, rows], _scratch[C2, rows], _scratch[R2, rows], _scratch[P2, rows], _scratch[F1, rows], _scratch[H1, rows], logits);
    }

    protected override Span<float> LogitsBuffer(int rows)
    {
        _scratch.Ensure(rows);
        return _scratch[Out, rows];
    }

    private sealed class Shard : NetworkShard
    {
        private readonly CnnNetwork _network;
        private readonly Activations _scratch = new(
            Cnn.Conv1.OutputSize, Cnn.Conv1.OutputSize, Cnn.Pool1.OutputSize, Cnn.Conv2.OutputSize, Cnn.Conv2.OutputSize, Cnn.Pool2.OutputSize,
            Cnn.Fc1.OutFeatures, Cnn.Fc1.OutFeatures, Cnn.Fc2.OutFeatures);

        public Shard(CnnNetwork network, int rows)
            : base(rows)
        {
            _network = network;
            _scratch.Ensure(rows);
        }

        public override float Gradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, ShardGradients<float> g)
        {
            CnnNetwork m = _network;
            int n = labels.Length;
            return Cnn.LossGradient(
                x, labels, m.Conv1W.Value, m.Conv1B.Value, m.Conv2W.Value, m.Conv2B.Value, m.Fc1W.Value, m.Fc1B.Value, m.Fc2W.Value, m.Fc2B.Value,
                Cnn.Conv1, Cnn.Pool1, Cnn.Conv2, Cnn.Pool2, Cnn.Fc1, Cnn.Fc2,
                _scratch[C1, n], _scratch[R1, n], _scratch[P1, n], _scratch[C2, n], _scratch[R2, n], _scratch[P2, n], _scratch[F1, n], _scratch[H1, n], _scratch[Out, n],
                g[m.Conv1W], g[m.Conv1B], g[m.Conv2W], g[m.Conv2B], g[m.Fc1W], g[m.Fc1B], g[m.Fc2W], g[m.Fc2B]);
        }
    }
}
