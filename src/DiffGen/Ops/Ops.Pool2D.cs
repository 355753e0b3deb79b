using System;
using System.Numerics;
using DiffGen.Convolution;
using DiffGen.Layers;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>
    /// Max pooling of a batch of NCHW images (<c>torch.nn.functional.max_pool2d</c>): each output is the maximum of its
    /// <c>k × k</c> window, padded positions never chosen, NaN propagated. The batch is <c>x.Length / layer.InputSize</c>.
    /// </summary>
    /// <param name="x">The images, NCHW.</param>
    /// <param name="y">Receives the pooled images (overwritten), length batch·<see cref="Pool2D.OutputSize"/>; must not overlap <paramref name="x"/>.</param>
    /// <param name="layer">The geometry: channels, input size, kernel, stride, padding.</param>
    /// <exception cref="ArgumentException">A length does not match the geometry, <paramref name="y"/> overlaps <paramref name="x"/>, or <paramref name="layer"/> is <c>default</c>.</exception>
    public static void MaxPool2D(ReadOnlySpan<float> x, Span<float> y, Pool2D layer) => MaxPool2DCore(x, y, layer);

    /// <inheritdoc cref="MaxPool2D(ReadOnlySpan{float}, Span{float}, Pool2D)"/>
    public static void MaxPool2D(ReadOnlySpan<double> x, Span<double> y, Pool2D layer) => MaxPool2DCore(x, y, layer);

    /// <summary>
    /// Pullback of <see cref="MaxPool2D(ReadOnlySpan{float}, Span{float}, Pool2D)"/>: each <c>dy</c> goes to its window's
    /// maximum in x (recomputed; on ties the first in row-major order, as PyTorch's CPU kernel).
    /// </summary>
    /// <param name="x">The primal's images.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="layer">The primal's geometry.</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(MaxPool2D))]
    public static void MaxPool2DPullback(ReadOnlySpan<float> x, Span<float> y, Pool2D layer, Span<float> dx, ReadOnlySpan<float> dy) =>
        MaxPool2DPullbackCore<float>(x, y, layer, dx, dy);

    /// <inheritdoc cref="MaxPool2DPullback(ReadOnlySpan{float}, Span{float}, Pool2D, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(MaxPool2D))]
    public static void MaxPool2DPullback(ReadOnlySpan<double> x, Span<double> y, Pool2D layer, Span<double> dx, ReadOnlySpan<double> dy) =>
        MaxPool2DPullbackCore<double>(x, y, layer, dx, dy);

    /// <summary>
    /// Average pooling of a batch of NCHW images (<c>torch.nn.functional.avg_pool2d</c> with <c>count_include_pad=True</c>):
    /// each output is the sum of its window divided by <c>k²</c>. The batch is <c>x.Length / layer.InputSize</c>.
    /// </summary>
    /// <param name="x">The images, NCHW.</param>
    /// <param name="y">Receives the pooled images (overwritten), length batch·<see cref="Pool2D.OutputSize"/>; must not overlap <paramref name="x"/>.</param>
    /// <param name="layer">The geometry: channels, input size, kernel, stride, padding.</param>
    /// <exception cref="ArgumentException">A length does not match the geometry, <paramref name="y"/> overlaps <paramref name="x"/>, or <paramref name="layer"/> is <c>default</c>.</exception>
    public static void AvgPool2D(ReadOnlySpan<float> x, Span<float> y, Pool2D layer) => AvgPool2DCore(x, y, layer);

    /// <inheritdoc cref="AvgPool2D(ReadOnlySpan{float}, Span{float}, Pool2D)"/>
    public static void AvgPool2D(ReadOnlySpan<double> x, Span<double> y, Pool2D layer) => AvgPool2DCore(x, y, layer);

    /// <summary>Pullback of <see cref="AvgPool2D(ReadOnlySpan{float}, Span{float}, Pool2D)"/>: <c>dy / k²</c> added to every input of the window.</summary>
    /// <param name="x">The primal's images.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="layer">The primal's geometry.</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(AvgPool2D))]
    public static void AvgPool2DPullback(ReadOnlySpan<float> x, Span<float> y, Pool2D layer, Span<float> dx, ReadOnlySpan<float> dy) =>
        AvgPool2DPullbackCore<float>(x, y, layer, dx, dy);

    /// <inheritdoc cref="AvgPool2DPullback(ReadOnlySpan{float}, Span{float}, Pool2D, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(AvgPool2D))]
    public static void AvgPool2DPullback(ReadOnlySpan<double> x, Span<double> y, Pool2D layer, Span<double> dx, ReadOnlySpan<double> dy) =>
        AvgPool2DPullbackCore<double>(x, y, layer, dx, dy);

    /// <summary>Checks the lengths against the geometry and returns the batch size.</summary>
    private static int CheckPool2DShapes(in Pool2D layer, int xLength, int yLength)
    {
        if (layer.Channels == 0)
        {
            throw new ArgumentException("layer is default(Pool2D): construct it with its channels, input size and kernel.", nameof(layer));
        }

        int batch = RowsOf(xLength, "x", layer.InputSize, "layer.InputSize (C·H·W)");
        CheckProductLength(yLength, "y", batch, "batch", layer.OutputSize, "layer.OutputSize");
        return batch;
    }

    /// <summary>Checks the pullback's lengths and returns the number of planes (batch · channels).</summary>
    private static int CheckPool2DPullback(in Pool2D layer, int xLength, int yLength, int dxLength, int dyLength)
    {
        int batch = CheckPool2DShapes(layer, xLength, yLength);
        CheckSameLength(xLength, "x", dxLength, "dx");
        CheckSameLength(yLength, "y", dyLength, "dy");
        return batch * layer.Channels;
    }

    private static unsafe void MaxPool2DCore<T>(ReadOnlySpan<T> x, Span<T> y, in Pool2D layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = CheckPool2DShapes(layer, x.Length, y.Length) * layer.Channels;
        CheckNoOverlap<T>(y, nameof(y), x, nameof(x));
        fixed (T* px = x, py = y)
        {
            PoolKernel.MaxForward(px, py, planes, layer);
        }
    }

    private static unsafe void MaxPool2DPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, in Pool2D layer, Span<T> dx, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = CheckPool2DPullback(layer, x.Length, y.Length, dx.Length, dy.Length);
        fixed (T* px = x, pdx = dx, pdy = dy)
        {
            PoolKernel.MaxPullback(px, pdx, pdy, planes, layer);
        }
    }

    private static unsafe void AvgPool2DCore<T>(ReadOnlySpan<T> x, Span<T> y, in Pool2D layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = CheckPool2DShapes(layer, x.Length, y.Length) * layer.Channels;
        CheckNoOverlap<T>(y, nameof(y), x, nameof(x));
        fixed (T* px = x, py = y)
        {
            PoolKernel.AvgForward(px, py, planes, layer);
        }
    }

    private static unsafe void AvgPool2DPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, in Pool2D layer, Span<T> dx, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = CheckPool2DPullback(layer, x.Length, y.Length, dx.Length, dy.Length);
        fixed (T* pdx = dx, pdy = dy)
        {
            PoolKernel.AvgPullback(pdx, pdy, planes, layer);
        }
    }
}
