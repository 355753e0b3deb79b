using System;
using System.Numerics;
using System.Numerics.Tensors;
using DiffGen.Layers;

namespace DiffGen.Convolution;

/// <summary>
/// Max and average pooling over one C × H × W plane stack at a time. Each output row reads the input rows its windows
/// cover; the common non-overlapping, unpadded case (kernel = stride, e.g. 2 × 2) first reduces the k input rows with
/// vector max/add over whole rows, then each window's k columns of that row. Max pooling's pullback recomputes each
/// window's argmax from x (the first maximum in row-major window order, or the last NaN, as PyTorch's CPU kernel).
/// </summary>
internal static class PoolKernel
{
    public static void MaxForward<T>(ReadOnlySpan<T> x, Span<T> y, in Pool2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = x.Length / (g.InputHeight * g.InputWidth);
        int inPlane = g.InputHeight * g.InputWidth, outPlane = g.OutputHeight * g.OutputWidth;
        bool tiled = g.Padding == 0 && g.Stride == g.KernelSize;
        Span<T> rowMax = tiled ? Elementwise.Scratch<T>.Get(g.InputWidth) : default;
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<T> xp = x.Slice(plane * inPlane, inPlane);
            Span<T> yp = y.Slice(plane * outPlane, outPlane);
            for (int r = 0; r < g.OutputHeight; r++)
            {
                Span<T> yr = yp.Slice(r * g.OutputWidth, g.OutputWidth);
                if (tiled)
                {
                    // Rows first (vectorised, NaN-propagating), then each window's k columns.
                    int k = g.KernelSize, w = g.InputWidth;
                    xp.Slice(r * k * w, w).CopyTo(rowMax);
                    for (int i = 1; i < k; i++)
                    {
                        TensorPrimitives.Max(rowMax, xp.Slice((r * k + i) * w, w), rowMax);
                    }

                    for (int q = 0; q < yr.Length; q++)
                    {
                        yr[q] = MaxOf(rowMax.Slice(q * k, k));
                    }

                    continue;
                }

                for (int q = 0; q < yr.Length; q++)
                {
                    yr[q] = xp[ArgMax(xp, g, r, q)];
                }
            }
        }
    }

    public static void MaxPullback<T>(ReadOnlySpan<T> x, Span<T> dx, ReadOnlySpan<T> dy, in Pool2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = x.Length / (g.InputHeight * g.InputWidth);
        int inPlane = g.InputHeight * g.InputWidth, outPlane = g.OutputHeight * g.OutputWidth;
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<T> xp = x.Slice(plane * inPlane, inPlane);
            Span<T> dxp = dx.Slice(plane * inPlane, inPlane);
            ReadOnlySpan<T> dyp = dy.Slice(plane * outPlane, outPlane);
            for (int r = 0; r < g.OutputHeight; r++)
            {
                for (int q = 0; q < g.OutputWidth; q++)
                {
                    dxp[ArgMax(xp, g, r, q)] += dyp[r * g.OutputWidth + q];
                }
            }
        }
    }

    public static void AvgForward<T>(ReadOnlySpan<T> x, Span<T> y, in Pool2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = x.Length / (g.InputHeight * g.InputWidth);
        int inPlane = g.InputHeight * g.InputWidth, outPlane = g.OutputHeight * g.OutputWidth;
        int k = g.KernelSize, w = g.InputWidth;
        T scale = T.One / T.CreateTruncating(k * k); // count_include_pad: the window's full area
        bool tiled = g.Padding == 0 && g.Stride == k;
        Span<T> rowSum = tiled ? Elementwise.Scratch<T>.Get(w) : default;
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<T> xp = x.Slice(plane * inPlane, inPlane);
            Span<T> yp = y.Slice(plane * outPlane, outPlane);
            for (int r = 0; r < g.OutputHeight; r++)
            {
                Span<T> yr = yp.Slice(r * g.OutputWidth, g.OutputWidth);
                if (tiled)
                {
                    xp.Slice(r * k * w, w).CopyTo(rowSum);
                    for (int i = 1; i < k; i++)
                    {
                        TensorPrimitives.Add(rowSum, xp.Slice((r * k + i) * w, w), rowSum);
                    }

                    for (int q = 0; q < yr.Length; q++)
                    {
                        yr[q] = TensorPrimitives.Sum<T>(rowSum.Slice(q * k, k)) * scale;
                    }

                    continue;
                }

                for (int q = 0; q < yr.Length; q++)
                {
                    (int h0, int h1, int w0, int w1) = Window(g, r, q);
                    T sum = T.Zero;
                    for (int ih = h0; ih < h1; ih++)
                    {
                        sum += TensorPrimitives.Sum<T>(xp.Slice(ih * w + w0, w1 - w0));
                    }

                    yr[q] = sum * scale;
                }
            }
        }
    }

    public static void AvgPullback<T>(Span<T> dx, ReadOnlySpan<T> dy, in Pool2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inPlane = g.InputHeight * g.InputWidth, outPlane = g.OutputHeight * g.OutputWidth;
        int planes = dx.Length / inPlane, w = g.InputWidth;
        T scale = T.One / T.CreateTruncating(g.KernelSize * g.KernelSize);
        for (int plane = 0; plane < planes; plane++)
        {
            Span<T> dxp = dx.Slice(plane * inPlane, inPlane);
            ReadOnlySpan<T> dyp = dy.Slice(plane * outPlane, outPlane);
            for (int r = 0; r < g.OutputHeight; r++)
            {
                for (int q = 0; q < g.OutputWidth; q++)
                {
                    T share = dyp[r * g.OutputWidth + q] * scale;
                    (int h0, int h1, int w0, int w1) = Window(g, r, q);
                    for (int ih = h0; ih < h1; ih++)
                    {
                        Span<T> run = dxp.Slice(ih * w + w0, w1 - w0);
                        TensorPrimitives.Add(run, share, run);
                    }
                }
            }
        }
    }

    /// <summary>The window of output (r, q) clipped to the input: rows [h0, h1), columns [w0, w1).</summary>
    private static (int H0, int H1, int W0, int W1) Window(in Pool2D g, int r, int q)
    {
        int top = r * g.Stride - g.Padding, left = q * g.Stride - g.Padding;
        return (Math.Max(top, 0), Math.Min(top + g.KernelSize, g.InputHeight), Math.Max(left, 0), Math.Min(left + g.KernelSize, g.InputWidth));
    }

    /// <summary>Index in the plane of the window's maximum: the first one in row-major order, or the last NaN.</summary>
    private static int ArgMax<T>(ReadOnlySpan<T> plane, in Pool2D g, int r, int q)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (int h0, int h1, int w0, int w1) = Window(g, r, q);
        int best = h0 * g.InputWidth + w0;
        T max = T.NegativeInfinity;
        for (int ih = h0; ih < h1; ih++)
        {
            for (int iw = w0; iw < w1; iw++)
            {
                T v = plane[ih * g.InputWidth + iw];
                if (v > max || T.IsNaN(v))
                {
                    max = v;
                    best = ih * g.InputWidth + iw;
                }
            }
        }

        return best;
    }

    /// <summary>Maximum of a short run, NaN if any element is NaN (the value <see cref="ArgMax"/> selects).</summary>
    private static T MaxOf<T>(ReadOnlySpan<T> run)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = T.NegativeInfinity;
        foreach (T v in run)
        {
            if (v > max || T.IsNaN(v))
            {
                max = v;
            }
        }

        return max;
    }
}
