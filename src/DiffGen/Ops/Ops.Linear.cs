using System;
using System.Numerics;
using DiffGen.Gemm;
using DiffGen.Layers;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>
    /// Fully connected layer in PyTorch's layout (<c>torch.nn.functional.linear</c>): <c>y = x·Wᵀ + b</c> for every row
    /// of x, with W stored <c>[OutFeatures, InFeatures]</c>. The batch is <c>x.Length / layer.InFeatures</c>; a flattened
    /// NCHW feature map is such a batch as it lies in memory. Runs on the blocked GEMM (B transposed while packing).
    /// </summary>
    /// <param name="x">Input rows, row-major, length batch·InFeatures.</param>
    /// <param name="weight">W, <c>[OutFeatures, InFeatures]</c>.</param>
    /// <param name="bias">b, one value per output feature.</param>
    /// <param name="y">Receives the output rows (overwritten), length batch·OutFeatures; must not overlap the inputs.</param>
    /// <param name="layer">The geometry.</param>
    /// <exception cref="ArgumentException">A length does not match the geometry, <paramref name="y"/> overlaps an input, or <paramref name="layer"/> is <c>default</c>.</exception>
    public static void Linear(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, Linear layer) =>
        LinearCore(x, weight, bias, y, layer);

    /// <inheritdoc cref="Linear(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Layers.Linear)"/>
    public static void Linear(ReadOnlySpan<double> x, ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, Span<double> y, Linear layer) =>
        LinearCore(x, weight, bias, y, layer);

    /// <summary>
    /// Pullback of <see cref="Linear(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Layers.Linear)"/>:
    /// <c>dx += dy·W</c>, <c>dweight += dyᵀ·x</c>, <c>dbias += Σ_rows dy</c>; an empty adjoint is skipped.
    /// </summary>
    /// <param name="x">The primal's input rows.</param>
    /// <param name="weight">The primal's W.</param>
    /// <param name="bias">The primal's b.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="layer">The primal's geometry.</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into (or empty).</param>
    /// <param name="dweight">Adjoint of <paramref name="weight"/>, accumulated into (or empty).</param>
    /// <param name="dbias">Adjoint of <paramref name="bias"/>, accumulated into (or empty).</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(Linear))]
    public static void LinearPullback(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, Linear layer, Span<float> dx, Span<float> dweight, Span<float> dbias, ReadOnlySpan<float> dy) =>
        LinearPullbackCore<float>(x, weight, bias, y, layer, dx, dweight, dbias, dy);

    /// <inheritdoc cref="LinearPullback(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Layers.Linear, Span{float}, Span{float}, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(Linear))]
    public static void LinearPullback(ReadOnlySpan<double> x, ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, Span<double> y, Linear layer, Span<double> dx, Span<double> dweight, Span<double> dbias, ReadOnlySpan<double> dy) =>
        LinearPullbackCore<double>(x, weight, bias, y, layer, dx, dweight, dbias, dy);

    /// <summary>Checks every length against the geometry and returns the batch size.</summary>
    private static int CheckLinearShapes(in Linear layer, int xLength, int weightLength, int biasLength, int yLength)
    {
        if (layer.InFeatures == 0)
        {
            throw new ArgumentException("layer is default(Linear): construct it with its feature counts.", nameof(layer));
        }

        int batch = RowsOf(xLength, "x", layer.InFeatures, "layer.InFeatures");
        CheckLength(weightLength, layer.WeightLength, "weight", "OutFeatures·InFeatures");
        CheckLength(biasLength, layer.BiasLength, "bias", "OutFeatures");
        CheckProductLength(yLength, "y", batch, "batch", layer.OutFeatures, "layer.OutFeatures");
        return batch;
    }

    private static unsafe void LinearCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, in Linear layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = CheckLinearShapes(layer, x.Length, weight.Length, bias.Length, y.Length);
        CheckNoOverlap<T>(y, nameof(y), x, nameof(x));
        CheckNoOverlap<T>(y, nameof(y), weight, nameof(weight));
        CheckNoOverlap<T>(y, nameof(y), bias, nameof(bias));
        int nIn = layer.InFeatures, nOut = layer.OutFeatures;
        for (int r = 0; r < batch; r++)
        {
            bias.CopyTo(y.Slice(r * nOut, nOut));
        }

        fixed (T* px = x, pw = weight, py = y)
        {
            // y (batch × out) += x (batch × in) · Wᵀ, W stored out × in.
            GemmKernel.Multiply(false, true, batch, nOut, nIn, px, nIn, pw, nIn, py, nOut, accumulate: true, allowParallel: true);
        }
    }

    private static unsafe void LinearPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, ReadOnlySpan<T> y, in Linear layer, Span<T> dx, Span<T> dweight, Span<T> dbias, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = CheckLinearShapes(layer, x.Length, weight.Length, bias.Length, y.Length);
        bool needX = NeedsAdjoint(x.Length, nameof(x), dx.Length, nameof(dx));
        bool needWeight = NeedsAdjoint(weight.Length, nameof(weight), dweight.Length, nameof(dweight));
        CheckSameLength(y.Length, nameof(y), dy.Length, nameof(dy));
        CheckNoOverlap<T>(dx, nameof(dx), dy, nameof(dy));
        CheckNoOverlap<T>(dx, nameof(dx), weight, nameof(weight));
        CheckNoOverlap<T>(dweight, nameof(dweight), dy, nameof(dy));
        CheckNoOverlap<T>(dweight, nameof(dweight), x, nameof(x));
        int nIn = layer.InFeatures, nOut = layer.OutFeatures;
        fixed (T* px = x, pw = weight, pdx = dx, pdw = dweight, pdy = dy)
        {
            if (needX)
            {
                // dx (batch × in) += dy (batch × out) · W (out × in).
                GemmKernel.Multiply(false, false, batch, nIn, nOut, pdy, nOut, pw, nIn, pdx, nIn, accumulate: true, allowParallel: true);
            }

            if (needWeight)
            {
                // dW (out × in) += dyᵀ · x, dy stored batch × out.
                GemmKernel.Multiply(true, false, nOut, nIn, batch, pdy, nOut, px, nIn, pdw, nIn, accumulate: true, allowParallel: true);
            }
        }

        // dbias: the column sums of dy, exactly AddBias's pullback.
        AddBiasPullbackCore(dy, bias, dy, default, dbias, dy);
    }
}
