using System;
using DiffGen.Distributed;
using DiffGen.Optimization;

namespace FashionMnist.Model;

/// <summary>The <see cref="Mlp"/> θ in a parameter set (what the optimizers update and the checkpoints hold), trained and attacked.</summary>
public sealed class MlpNetwork : Network
{
    private const int A1 = 0, Z1 = 1, H1 = 2, A2 = 3, Z2 = 4, H2 = 5, Out = 6;
    private readonly Activations _scratch = NewScratch();

    public MlpNetwork(int seed)
    {
        Parameters = new Parameters<float>();
        Model = Mlp.Create(Parameters, new Random(seed));
    }

    public override string Name => "mlp";

    public override string Description => "MLP 784→256→128→10 (ReLU)";

    public override Parameters<float> Parameters { get; }

    /// <summary>θ; its parameters' Grad buffers are where its gradient goes (it is its own gradient argument).</summary>
    public Mlp Model { get; }

    public override float AccumulateParameterGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels) =>
        Mlp.LossGradient(Model, x, labels, Model);

    public override NetworkShard CreateShard(int rows) => new Shard(this, rows);

    public override float AccumulateInputGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, Span<float> gradient) =>
        Mlp.LossInputGradient(Model, x, labels, gradient);

    public override void Logits(ReadOnlySpan<float> x, int rows, Span<float> logits)
    {
        _scratch.Ensure(rows);
        Mlp.Logits(Model, x, rows, _scratch[A1, rows], _scratch[Z1, rows], _scratch[H1, rows], _scratch[A2, rows], _scratch[Z2, rows], _scratch[H2, rows], logits);
    }

    protected override Span<float> LogitsBuffer(int rows)
    {
        _scratch.Ensure(rows);
        return _scratch[Out, rows];
    }

    private static Activations NewScratch() => new(Mlp.Hidden1, Mlp.Hidden1, Mlp.Hidden1, Mlp.Hidden2, Mlp.Hidden2, Mlp.Hidden2, Mlp.Classes);

    private sealed class Shard : NetworkShard
    {
        private readonly MlpNetwork _network;

        // The gradient argument for each shard buffer set: θ's values with that shard's buffers as gradients, built once.
        private Mlp?[] _gradients = Array.Empty<Mlp?>();

        public Shard(MlpNetwork network, int rows)
            : base(rows) => _network = network;

        public override float Gradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, ShardGradients<float> g)
        {
            if (g.Shard >= _gradients.Length)
            {
                Array.Resize(ref _gradients, g.Shard + 1);
            }

            Mlp gradient = _gradients[g.Shard] ??= new Mlp(g.WithGradients(_network.Parameters));
            return Mlp.LossGradient(_network.Model, x, labels, gradient);
        }
    }
}
