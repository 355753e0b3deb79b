using System;
using DiffGen.Layers;

namespace DiffGen.Benchmarks;

public static partial class Functions
{
    public static readonly Conv2D Conv1 = new(1, 32, 3, 3, inputHeight: 28, inputWidth: 28, padding: 1);
    public static readonly Pool2D Pool1 = new(32, 28, 28, kernelSize: 2);
    public static readonly Conv2D Conv2 = new(32, 64, 3, 3, inputHeight: 14, inputWidth: 14, padding: 1);
    public static readonly Pool2D Pool2 = new(64, 14, 14, kernelSize: 2);
    public static readonly Linear Fc1 = new(Pool2.OutputSize, 128);
    public static readonly Linear Fc2 = new(128, Classes);

    /// <summary>The main job's CNN (samples/FashionMnist/Model/Cnn.cs), the same layers and the same Ops calls.</summary>
    [Differentiable(nameof(conv1W), nameof(conv1B), nameof(conv2W), nameof(conv2B), nameof(fc1W), nameof(fc1B), nameof(fc2W), nameof(fc2B))]
    public static float CnnLoss(
        ReadOnlySpan<float> x, ReadOnlySpan<int> labels,
        ReadOnlySpan<float> conv1W, ReadOnlySpan<float> conv1B, ReadOnlySpan<float> conv2W, ReadOnlySpan<float> conv2B,
        ReadOnlySpan<float> fc1W, ReadOnlySpan<float> fc1B, ReadOnlySpan<float> fc2W, ReadOnlySpan<float> fc2B,
        Conv2D conv1, Pool2D pool1, Conv2D conv2, Pool2D pool2, Linear fc1, Linear fc2,
        Span<float> c1, Span<float> r1, Span<float> p1, Span<float> c2, Span<float> r2, Span<float> p2, Span<float> f1, Span<float> h1, Span<float> logits)
    {
        Ops.Conv2D(x, conv1W, conv1B, c1, conv1);
        Ops.Relu(c1, r1);
        Ops.MaxPool2D(r1, p1, pool1);
        Ops.Conv2D(p1, conv2W, conv2B, c2, conv2);
        Ops.Relu(c2, r2);
        Ops.MaxPool2D(r2, p2, pool2);
        Ops.Linear(p2, fc1W, fc1B, f1, fc1);
        Ops.Relu(f1, h1);
        Ops.Linear(h1, fc2W, fc2B, logits, fc2);
        return Ops.SoftmaxCrossEntropy(logits, labels, Classes);
    }
}
