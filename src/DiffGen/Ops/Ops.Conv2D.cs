using System;
using System.Numerics;
using DiffGen.Convolution;
using DiffGen.Layers;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>
    /// 2-D convolution (cross-correlation, as <c>torch.nn.functional.conv2d</c>) of a batch of NCHW images:
    /// <c>y[n, o, r, q] = bias[o] + Σ_{c,i,j} weight[o, c, i, j] · x[n, c, r·s − p + i, q·s − p + j]</c>, with zeros
    /// outside the image. The batch size is <c>x.Length / layer.InputSize</c>. Lowered to one matrix product per image
    /// (im2col) on the blocked GEMM; a batch is split over two threads.
    /// </summary>
    /// <param name="x">The images, NCHW, length batch·InChannels·InputHeight·InputWidth.</param>
    /// <param name="weight">The filters, <c>[OutChannels, InChannels, KernelHeight, KernelWidth]</c> (PyTorch's layout).</param>
    /// <param name="bias">One value per output channel.</param>
    /// <param name="y">Receives the output (overwritten), NCHW, length batch·<see cref="Conv2D.OutputSize"/>; must not overlap the inputs.</param>
    /// <param name="layer">The geometry: channels, kernel, input size, stride, padding.</param>
    /// <exception cref="ArgumentException">A length does not match the geometry, <paramref name="y"/> overlaps an input, or <paramref name="layer"/> is <c>default</c>.</exception>
    public static void Conv2D(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, Conv2D layer) =>
        Conv2DCore(x, weight, bias, y, layer);

    /// <inheritdoc cref="Conv2D(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Layers.Conv2D)"/>
    public static void Conv2D(ReadOnlySpan<double> x, ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, Span<double> y, Conv2D layer) =>
        Conv2DCore(x, weight, bias, y, layer);

    /// <summary>
    /// Pullback of <see cref="Conv2D(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Layers.Conv2D)"/>:
    /// <c>dweight += Σ_n dy_n · cols(x_n)ᵀ</c>, <c>dx_n += col2im(weightᵀ · dy_n)</c>, <c>dbias[o] += Σ dy[·, o, ·, ·]</c>.
    /// An empty adjoint is skipped (e.g. <paramref name="dx"/> of the first layer when only the weights are trained).
    /// </summary>
    /// <param name="x">The primal's images.</param>
    /// <param name="weight">The primal's filters.</param>
    /// <param name="bias">The primal's bias.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="layer">The primal's geometry.</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into (or empty).</param>
    /// <param name="dweight">Adjoint of <paramref name="weight"/>, accumulated into (or empty).</param>
    /// <param name="dbias">Adjoint of <paramref name="bias"/>, accumulated into (or empty).</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(Conv2D))]
    public static void Conv2DPullback(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, Conv2D layer, Span<float> dx, Span<float> dweight, Span<float> dbias, ReadOnlySpan<float> dy) =>
        Conv2DPullbackCore<float>(x, weight, bias, y, layer, dx, dweight, dbias, dy);

    /// <inheritdoc cref="Conv2DPullback(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Layers.Conv2D, Span{float}, Span{float}, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(Conv2D))]
    public static void Conv2DPullback(ReadOnlySpan<double> x, ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, Span<double> y, Conv2D layer, Span<double> dx, Span<double> dweight, Span<double> dbias, ReadOnlySpan<double> dy) =>
        Conv2DPullbackCore<double>(x, weight, bias, y, layer, dx, dweight, dbias, dy);

    /// <summary>Checks every length against the geometry and returns the batch size.</summary>
    private static int CheckConv2DShapes(in Conv2D layer, int xLength, int weightLength, int biasLength, int yLength)
    {
        if (layer.InChannels == 0)
        {
            throw new ArgumentException("layer is default(Conv2D): construct it with its channels, kernel and input size.", nameof(layer));
        }

        int batch = RowsOf(xLength, "x", layer.InputSize, "layer.InputSize (C·H·W)");
        CheckLength(weightLength, layer.WeightLength, "weight", "OutChannels·InChannels·KernelHeight·KernelWidth");
        CheckLength(biasLength, layer.BiasLength, "bias", "OutChannels");
        CheckProductLength(yLength, "y", batch, "batch", layer.OutputSize, "layer.OutputSize");
        return batch;
    }

    private static unsafe void Conv2DCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, in Conv2D layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = CheckConv2DShapes(layer, x.Length, weight.Length, bias.Length, y.Length);
        CheckNoOverlap<T>(y, nameof(y), x, nameof(x));
        CheckNoOverlap<T>(y, nameof(y), weight, nameof(weight));
        CheckNoOverlap<T>(y, nameof(y), bias, nameof(bias));
        fixed (T* px = x, pw = weight, pb = bias, py = y)
        {
            ConvKernel.Forward(px, pw, pb, py, layer, batch);
        }
    }

    private static unsafe void Conv2DPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, ReadOnlySpan<T> y, in Conv2D layer, Span<T> dx, Span<T> dweight, Span<T> dbias, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = CheckConv2DShapes(layer, x.Length, weight.Length, bias.Length, y.Length);
        bool needX = NeedsAdjoint(x.Length, nameof(x), dx.Length, nameof(dx));
        bool needWeight = NeedsAdjoint(weight.Length, nameof(weight), dweight.Length, nameof(dweight));
        bool needBias = NeedsAdjoint(bias.Length, nameof(bias), dbias.Length, nameof(dbias));
        CheckSameLength(y.Length, nameof(y), dy.Length, nameof(dy));
        CheckNoOverlap<T>(dx, nameof(dx), dy, nameof(dy));
        CheckNoOverlap<T>(dweight, nameof(dweight), dy, nameof(dy));
        CheckNoOverlap<T>(dweight, nameof(dweight), x, nameof(x));
        CheckNoOverlap<T>(dx, nameof(dx), weight, nameof(weight));
        fixed (T* px = x, pw = weight, pdy = dy, pdx = dx, pdw = dweight, pdb = dbias)
        {
            ConvKernel.Pullback(px, pw, pdy, needX ? pdx : null, needWeight ? pdw : null, needBias ? pdb : null, layer, batch);
        }
    }
}
