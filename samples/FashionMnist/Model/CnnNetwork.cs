using System;
using DiffGen.Distributed;
using DiffGen.Optimization;

namespace FashionMnist.Model;

/// <summary>The <see cref="Cnn"/> θ in a parameter set (PyTorch's layouts and names), trained and attacked.</summary>
public sealed class CnnNetwork : Network
{
    private const int C1 = 0, R1 = 1, P1 = 2, C2 = 3, R2 = 4, P2 = 5, F1 = 6, H1 = 7, Out = 8;
    private readonly Activations _scratch = new(
        Cnn.Conv1.OutputSize, Cnn.Conv1.OutputSize, Cnn.Pool1.OutputSize, Cnn.Conv2.OutputSize, Cnn.Conv2.OutputSize, Cnn.Pool2.OutputSize,
        Cnn.Fc1.OutFeatures, Cnn.Fc1.OutFeatures, Cnn.Fc2.OutFeatures);

    public CnnNetwork(int seed)
    {
        Parameters = new Parameters<float>();
        Model = Cnn.Create(Parameters, new Random(seed));
    }

    public override string Name => "cnn";

    public override string Description => "CNN conv3×3(32)→pool→conv3×3(64)→pool→3136→128→10 (ReLU)";

    public override Parameters<float> Parameters { get; }

    /// <summary>θ; its parameters' Grad buffers are where its gradient goes (it is its own gradient argument).</summary>
    public Cnn Model { get; }

    public override float AccumulateParameterGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels) =>
        Cnn.LossGradient(Model, x, labels, Model);

    public override NetworkShard CreateShard(int rows) => new Shard(this, rows);

    public override float AccumulateInputGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, Span<float> gradient) =>
        Cnn.LossInputGradient(Model, x, labels, gradient);

    public override void Logits(ReadOnlySpan<float> x, int rows, Span<float> logits)
    {
        _scratch.Ensure(rows);
        Cnn.Logits(
            Model, x,
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

        // The gradient argument for each shard buffer set: θ's values with that shard's buffers as gradients, built once.
        private Cnn?[] _gradients = Array.Empty<Cnn?>();

        public Shard(CnnNetwork network, int rows)
            : base(rows) => _network = network;

        public override float Gradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, ShardGradients<float> g)
        {
            if (g.Shard >= _gradients.Length)
            {
                Array.Resize(ref _gradients, g.Shard + 1);
            }

            Cnn gradient = _gradients[g.Shard] ??= new Cnn(g.WithGradients(_network.Parameters));
            return Cnn.LossGradient(_network.Model, x, labels, gradient);
        }
    }
}
