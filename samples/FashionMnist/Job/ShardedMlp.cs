using System;
using DiffGen.Distributed;
using FashionMnist.Model;

namespace FashionMnist.Job;

/// <summary>One worker's share of a data-parallel step: the MLP's parameter gradient on a fixed number of rows, with its own activations.</summary>
internal sealed class ShardedMlp(Network network, int rows)
{
    private readonly float[] _a1 = new float[rows * Mlp.Hidden1], _z1 = new float[rows * Mlp.Hidden1], _h1 = new float[rows * Mlp.Hidden1];
    private readonly float[] _a2 = new float[rows * Mlp.Hidden2], _z2 = new float[rows * Mlp.Hidden2], _h2 = new float[rows * Mlp.Hidden2];
    private readonly float[] _logits = new float[rows * Mlp.Classes];

    public int Rows => rows;

    /// <summary>Adds ∇θ of the mean loss of <paramref name="x"/>'s rows into the shard's buffers; returns the loss.</summary>
    public float Gradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, ShardGradients<float> g) =>
        Mlp.LossGradient(
            x, labels, network.W1.Value, network.C.Value, network.W2.Value, network.D.Value, network.W3.Value,
            _a1, _z1, _h1, _a2, _z2, _h2, _logits,
            g[network.W1], g[network.C], g[network.W2], g[network.D], g[network.W3]);
}
