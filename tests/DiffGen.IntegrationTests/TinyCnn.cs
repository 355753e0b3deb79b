using System;
using DiffGen.Layers;

namespace DiffGen.IntegrationTests;

/// <summary>
/// A tiny CNN in double, every layer op in one [Differentiable] loss: conv 3×3 (1→2, padding 1) → ReLU → max-pool 2 →
/// conv 2×2 (2→3, padding 1) → tanh → avg-pool 2 → linear 6→3 → softmax cross-entropy; on 6 × 5 images.
/// </summary>
public static partial class TinyCnn
{
    public static readonly Conv2D Conv1 = new(1, 2, 3, 3, inputHeight: 6, inputWidth: 5, padding: 1);   // → 2×6×5
    public static readonly Pool2D Pool1 = new(2, 6, 5, kernelSize: 2);                                   // → 2×3×2
    public static readonly Conv2D Conv2 = new(2, 3, 2, 2, inputHeight: 3, inputWidth: 2, padding: 1);   // → 3×4×3
    public static readonly Pool2D Pool2 = new(3, 4, 3, kernelSize: 2);                                   // → 3×2×1
    public static readonly Linear Fc = new(Pool2.OutputSize, 3);

    [Differentiable(nameof(w1), nameof(b1), nameof(w2), nameof(b2), nameof(fw), nameof(fb))]
    [Differentiable(nameof(x), Name = "LossInputGradient")]
    public static double Loss(
        ReadOnlySpan<double> x, ReadOnlySpan<int> labels,
        ReadOnlySpan<double> w1, ReadOnlySpan<double> b1, ReadOnlySpan<double> w2, ReadOnlySpan<double> b2, ReadOnlySpan<double> fw, ReadOnlySpan<double> fb,
        Conv2D conv1, Pool2D pool1, Conv2D conv2, Pool2D pool2, Linear fc,
        Span<double> c1, Span<double> r1, Span<double> p1, Span<double> c2, Span<double> t2, Span<double> p2, Span<double> logits)
    {
        Ops.Conv2D(x, w1, b1, c1, conv1);
        Ops.Relu(c1, r1);
        Ops.MaxPool2D(r1, p1, pool1);
        Ops.Conv2D(p1, w2, b2, c2, conv2);
        Ops.Tanh(c2, t2);
        Ops.AvgPool2D(t2, p2, pool2);
        Ops.Linear(p2, fw, fb, logits, fc);
        return Ops.SoftmaxCrossEntropy(logits, labels, 3);
    }
}
