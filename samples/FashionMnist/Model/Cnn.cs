using System;
using DiffGen;
using DiffGen.Layers;

namespace FashionMnist.Model;

/// <summary>
/// A small convolutional network for 1 × 28 × 28 images, the PyTorch tutorial's shape:
/// conv 3×3 (32) → ReLU → max-pool 2 → conv 3×3 (64) → ReLU → max-pool 2 → flatten → linear 3136→128 → ReLU →
/// linear 128→10, and its loss, the mean softmax cross-entropy of a batch. As for <see cref="Mlp"/>, DiffGen generates
/// the gradient with respect to θ (training) and with respect to x (attacks) from the same function.
/// </summary>
public static partial class Cnn
{
    public static readonly Conv2D Conv1 = new(inChannels: 1, outChannels: 32, kernelHeight: 3, kernelWidth: 3, inputHeight: 28, inputWidth: 28, padding: 1);
    public static readonly Pool2D Pool1 = new(channels: 32, inputHeight: 28, inputWidth: 28, kernelSize: 2);
    public static readonly Conv2D Conv2 = new(inChannels: 32, outChannels: 64, kernelHeight: 3, kernelWidth: 3, inputHeight: 14, inputWidth: 14, padding: 1);
    public static readonly Pool2D Pool2 = new(channels: 64, inputHeight: 14, inputWidth: 14, kernelSize: 2);
    public static readonly Linear Fc1 = new(inFeatures: Pool2.OutputSize, outFeatures: 128);
    public static readonly Linear Fc2 = new(inFeatures: 128, outFeatures: Network.Classes);

    /// <summary>
    /// Mean cross-entropy of a batch (NCHW images, one label each). θ comes first, then each layer's geometry (the
    /// generator reads geometry only from parameters today), then the scratch the caller owns, one span per layer output.
    /// </summary>
    [Differentiable(nameof(conv1W), nameof(conv1B), nameof(conv2W), nameof(conv2B), nameof(fc1W), nameof(fc1B), nameof(fc2W), nameof(fc2B))]
    [Differentiable(nameof(x), Name = "LossInputGradient")]
    public static float Loss(
        ReadOnlySpan<float> x, ReadOnlySpan<int> labels,
        ReadOnlySpan<float> conv1W, ReadOnlySpan<float> conv1B, ReadOnlySpan<float> conv2W, ReadOnlySpan<float> conv2B,
        ReadOnlySpan<float> fc1W, ReadOnlySpan<float> fc1B, ReadOnlySpan<float> fc2W, ReadOnlySpan<float> fc2B,
        Conv2D conv1, Pool2D pool1, Conv2D conv2, Pool2D pool2, Linear fc1, Linear fc2,
        Span<float> c1, Span<float> r1, Span<float> p1, Span<float> c2, Span<float> r2, Span<float> p2, Span<float> f1, Span<float> h1, Span<float> logits)
    {
        Ops.Conv2D(x, conv1W, conv1B, c1, conv1);   // 1×28×28 → 32×28×28
        Ops.Relu(c1, r1);
        Ops.MaxPool2D(r1, p1, pool1);                // → 32×14×14
        Ops.Conv2D(p1, conv2W, conv2B, c2, conv2);  // → 64×14×14
        Ops.Relu(c2, r2);
        Ops.MaxPool2D(r2, p2, pool2);                // → 64×7×7; flattened (NCHW) it is the 3136-feature row fc1 reads
        Ops.Linear(p2, fc1W, fc1B, f1, fc1);         // → 128
        Ops.Relu(f1, h1);
        Ops.Linear(h1, fc2W, fc2B, logits, fc2);     // → 10
        return Ops.SoftmaxCrossEntropy(logits, labels, Network.Classes);
    }

    /// <summary>The same forward pass without the loss: logits for each image of x.</summary>
    public static void Logits(
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> conv1W, ReadOnlySpan<float> conv1B, ReadOnlySpan<float> conv2W, ReadOnlySpan<float> conv2B,
        ReadOnlySpan<float> fc1W, ReadOnlySpan<float> fc1B, ReadOnlySpan<float> fc2W, ReadOnlySpan<float> fc2B,
        Span<float> c1, Span<float> r1, Span<float> p1, Span<float> c2, Span<float> r2, Span<float> p2, Span<float> f1, Span<float> h1, Span<float> logits)
    {
        Ops.Conv2D(x, conv1W, conv1B, c1, Conv1);
        Ops.Relu(c1, r1);
        Ops.MaxPool2D(r1, p1, Pool1);
        Ops.Conv2D(p1, conv2W, conv2B, c2, Conv2);
        Ops.Relu(c2, r2);
        Ops.MaxPool2D(r2, p2, Pool2);
        Ops.Linear(p2, fc1W, fc1B, f1, Fc1);
        Ops.Relu(f1, h1);
        Ops.Linear(h1, fc2W, fc2B, logits, Fc2);
    }
}
