using System;
using DiffGen;

namespace FashionMnist.Model;

/// <summary>
/// The lecture's network θ = (W1, c, W2, d, W3): x ↦ W3ᵀ·relu(W2ᵀ·relu(W1ᵀ·x + c) + d), 784 → 256 → 128 → 10,
/// and its loss: the mean softmax cross-entropy over a minibatch. DiffGen generates two gradients of the same
/// function: with respect to θ (training moves θ) and with respect to x (an attack moves x).
/// </summary>
public static partial class Mlp
{
    public const int Inputs = 784;
    public const int Hidden1 = 256;
    public const int Hidden2 = 128;
    public const int Classes = 10;

    /// <summary>Mean cross-entropy of a batch (rows of x, one label each); the spans after w3 are scratch the caller owns.</summary>
    [Differentiable(nameof(w1), nameof(c), nameof(w2), nameof(d), nameof(w3))]
    [Differentiable(nameof(x), Name = "LossInputGradient")]
    public static float Loss(
        ReadOnlySpan<float> x, ReadOnlySpan<int> labels,
        ReadOnlySpan<float> w1, ReadOnlySpan<float> c, ReadOnlySpan<float> w2, ReadOnlySpan<float> d, ReadOnlySpan<float> w3,
        Span<float> a1, Span<float> z1, Span<float> h1, Span<float> a2, Span<float> z2, Span<float> h2, Span<float> logits)
    {
        int batch = labels.Length;
        Ops.MatMul(x, w1, a1, batch, Inputs, Hidden1);
        Ops.AddBias(a1, c, z1);
        Ops.Relu(z1, h1);
        Ops.MatMul(h1, w2, a2, batch, Hidden1, Hidden2);
        Ops.AddBias(a2, d, z2);
        Ops.Relu(z2, h2);
        Ops.MatMul(h2, w3, logits, batch, Hidden2, Classes);
        return Ops.SoftmaxCrossEntropy(logits, labels, Classes);
    }

    /// <summary>The same forward pass without the loss: logits for each row of x.</summary>
    public static void Logits(
        ReadOnlySpan<float> x, int batch,
        ReadOnlySpan<float> w1, ReadOnlySpan<float> c, ReadOnlySpan<float> w2, ReadOnlySpan<float> d, ReadOnlySpan<float> w3,
        Span<float> a1, Span<float> z1, Span<float> h1, Span<float> a2, Span<float> z2, Span<float> h2, Span<float> logits)
    {
        Ops.MatMul(x, w1, a1, batch, Inputs, Hidden1);
        Ops.AddBias(a1, c, z1);
        Ops.Relu(z1, h1);
        Ops.MatMul(h1, w2, a2, batch, Hidden1, Hidden2);
        Ops.AddBias(a2, d, z2);
        Ops.Relu(z2, h2);
        Ops.MatMul(h2, w3, logits, batch, Hidden2, Classes);
    }
}
