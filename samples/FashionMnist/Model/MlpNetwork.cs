using System;
using DiffGen.Distributed;
using DiffGen.Optimization;

namespace FashionMnist.Model;

/// <summary>The parameters θ of <see cref="Mlp"/> with their gradients and the scratch its loss writes.</summary>
public sealed class MlpNetwork : Network
{
    private const int A1 = 0, Z1 = 1, H1 = 2, A2 = 3, Z2 = 4, H2 = 5, Out = 6;
    private readonly Activations _scratch = new(Mlp.Hidden1, Mlp.Hidden1, Mlp.Hidden1, Mlp.Hidden2, Mlp.Hidden2, Mlp.Hidden2, Mlp.Classes);

    public MlpNetwork(int seed)
    {
        var random = new Random(seed);
        Parameters = new Parameters<float>();
        W1 = Parameters.Add("W1", Mlp.Inputs * Mlp.Hidden1).InitKaimingUniform(random, Mlp.Inputs);
        C = Parameters.Add("c", Mlp.Hidden1).InitZeros();
        W2 = Parameters.Add("W2", Mlp.Hidden1 * Mlp.Hidden2).InitKaimingUniform(random, Mlp.Hidden1);
        D = Parameters.Add("d", Mlp.Hidden2).InitZeros();
        W3 = Parameters.Add("W3", Mlp.Hidden2 * Mlp.Classes).InitXavierUniform(random, Mlp.Hidden2, Mlp.Classes);
    }

    public override string Name => "mlp";

    public override string Description => "MLP 784→256→128→10 (ReLU)";

    public override Parameters<float> Parameters { get; }

    public Parameter<float> W1 { get; }

    public Parameter<float> C { get; }

    public Parameter<float> W2 { get; }

    public Parameter<float> D { get; }

    public Parameter<float> W3 { get; }

    public override float AccumulateParameterGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels)
    {
        int n = labels.Length;
        _scratch.Ensure(n);
        return Mlp.LossGradient(
            x, labels, W1.Value, C.Value, W2.Value, D.Value, W3.Value,
            _scratch[A1, n], _scratch[Z1, n], _scratch[H1, n], _scratch[A2, n], _scratch[Z2, n], _scratch[H2, n], _scratch[Out, n],
            W1.Grad, C.Grad, W2.Grad, D.Grad, W3.Grad);
    }

    public override NetworkShard CreateShard(int rows) => new Shard(this, rows);

    public override float AccumulateInputGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, Span<float> gradient)
    {
        int n = labels.Length;
        _scratch.Ensure(n);
        return Mlp.LossInputGradient(
            x, labels, W1.Value, C.Value, W2.Value, D.Value, W3.Value,
            _scratch[A1, n], _scratch[Z1, n], _scratch[H1, n], _scratch[A2, n], _scratch[Z2, n], _scratch[H2, n], _scratch[Out, n],
            gradient);
    }

    public override void Logits(ReadOnlySpan<float> x, int rows, Span<float> logits)
    {
        _scratch.Ensure(rows);
        Mlp.Logits(
            x, rows, W1.Value, C.Value, W2.Value, D.Value, W3.Value,
            _scratch[A1, rows], _scratch[Z1, rows], _scratch[H1, rows], _scratch[A2, rows], _scratch[Z2, rows], _scratch[H2, rows], logits);
    }

    protected override Span<float> LogitsBuffer(int rows)
    {
        _scratch.Ensure(rows);
        return _scratch[Out, rows];
    }

    private sealed class Shard : NetworkShard
    {
        private readonly MlpNetwork _network;
        private readonly Activations _scratch = new(Mlp.Hidden1, Mlp.Hidden1, Mlp.Hidden1, Mlp.Hidden2, Mlp.Hidden2, Mlp.Hidden2, Mlp.Classes);

        public Shard(MlpNetwork network, int rows)
            : base(rows)
        {
            _network = network;
            _scratch.Ensure(rows);
        }

        public override float Gradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, ShardGradients<float> g)
        {
            MlpNetwork n = _network;
            int rows = labels.Length;
            return Mlp.LossGradient(
                x, labels, n.W1.Value, n.C.Value, n.W2.Value, n.D.Value, n.W3.Value,
                _scratch[A1, rows], _scratch[Z1, rows], _scratch[H1, rows], _scratch[A2, rows], _scratch[Z2, rows], _scratch[H2, rows], _scratch[Out, rows],
                g[n.W1], g[n.C], g[n.W2], g[n.D], g[n.W3]);
        }
    }
}
