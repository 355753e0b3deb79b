using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using DiffGen.Layers;

namespace DiffGen.Convolution;

/// <summary>
/// Max and average pooling, one H × W plane at a time, with pointer loops over each window clipped to the input (the
/// windows are a few elements wide: per-window span slicing cost more than the arithmetic). Max pooling's pullback
/// recomputes each window's choice from x: the first maximum in row-major window order, or the last NaN, exactly as
/// PyTorch's CPU kernel (<c>val &gt; max || isnan(val)</c>). Both are branch-free per element (IEEE maximum, then a
/// reverse scan with conditional selects): on real activations the maximum's position is random, and a compare-and-
/// branch loop mispredicted about once per window (measured 4× slower).
/// </summary>
internal static unsafe class PoolKernel
{
    public static void MaxForward<T>(T* x, T* y, int planes, in Pool2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsTwoByTwo(g))
        {
            MaxForward2x2(x, y, planes, g);
            return;
        }

        for (int plane = 0; plane < planes; plane++, x += (nint)g.InputHeight * g.InputWidth)
        {
            for (int r = 0; r < g.OutputHeight; r++)
            {
                (int h0, int h1) = Clip(r, g.InputHeight, g);
                for (int q = 0; q < g.OutputWidth; q++)
                {
                    (int w0, int w1) = Clip(q, g.InputWidth, g);
                    *y++ = Max(x, g.InputWidth, h0, h1, w0, w1);
                }
            }
        }
    }

    public static void MaxPullback<T>(T* x, T* dx, T* dy, int planes, in Pool2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsTwoByTwo(g))
        {
            MaxPullback2x2(x, dx, dy, planes, g);
            return;
        }

        nint plane = (nint)g.InputHeight * g.InputWidth;
        for (int p = 0; p < planes; p++, x += plane, dx += plane)
        {
            for (int r = 0; r < g.OutputHeight; r++)
            {
                for (int q = 0; q < g.OutputWidth; q++)
                {
                    dx[ArgMax(x, g, r, q)] += *dy++;
                }
            }
        }
    }

    /// <summary>Average over the window, divided by k² (count_include_pad: padded zeros count).</summary>
    public static void AvgForward<T>(T* x, T* y, int planes, in Pool2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.One / T.CreateTruncating(g.KernelSize * g.KernelSize);
        for (int plane = 0; plane < planes; plane++, x += (nint)g.InputHeight * g.InputWidth)
        {
            for (int r = 0; r < g.OutputHeight; r++)
            {
                (int h0, int h1) = Clip(r, g.InputHeight, g);
                for (int q = 0; q < g.OutputWidth; q++)
                {
                    (int w0, int w1) = Clip(q, g.InputWidth, g);
                    T sum = T.Zero;
                    for (int ih = h0; ih < h1; ih++)
                    {
                        T* row = x + (nint)ih * g.InputWidth;
                        for (int iw = w0; iw < w1; iw++)
                        {
                            sum += row[iw];
                        }
                    }

                    *y++ = sum * scale;
                }
            }
        }
    }

    public static void AvgPullback<T>(T* dx, T* dy, int planes, in Pool2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.One / T.CreateTruncating(g.KernelSize * g.KernelSize);
        for (int plane = 0; plane < planes; plane++, dx += (nint)g.InputHeight * g.InputWidth)
        {
            for (int r = 0; r < g.OutputHeight; r++)
            {
                (int h0, int h1) = Clip(r, g.InputHeight, g);
                for (int q = 0; q < g.OutputWidth; q++)
                {
                    (int w0, int w1) = Clip(q, g.InputWidth, g);
                    T share = *dy++ * scale;
                    for (int ih = h0; ih < h1; ih++)
                    {
                        T* row = dx + (nint)ih * g.InputWidth;
                        for (int iw = w0; iw < w1; iw++)
                        {
                            row[iw] += share;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The usual 2 × 2 windows with stride 2 and no padding: every window lies inside the input.</summary>
    private static bool IsTwoByTwo(in Pool2D g) => g.KernelSize == 2 && g.Stride == 2 && g.Padding == 0;

    private static void MaxForward2x2<T>(T* x, T* y, int planes, in Pool2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = g.InputWidth;
        for (int plane = 0; plane < planes; plane++, x += (nint)g.InputHeight * width)
        {
            for (int r = 0; r < g.OutputHeight; r++)
            {
                T* a = x + (nint)2 * r * width, b = a + width;
                int columns = 2 * g.OutputWidth;
                int j = typeof(T) == typeof(float) ? MaxPool2x2Vector.Forward((float*)a, (float*)b, (float*)y, columns) : 0;
                for (; j < columns; j += 2)
                {
                    y[j / 2] = T.Max(T.Max(a[j], a[j + 1]), T.Max(b[j], b[j + 1]));
                }

                y += g.OutputWidth;
            }
        }
    }

    private static void MaxPullback2x2<T>(T* x, T* dx, T* dy, int planes, in Pool2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = g.InputWidth;
        nint plane = (nint)g.InputHeight * width;
        for (int p = 0; p < planes; p++, x += plane, dx += plane)
        {
            for (int r = 0; r < g.OutputHeight; r++)
            {
                nint top = (nint)2 * r * width;
                T* a = x + top, b = a + width;
                int columns = 2 * g.OutputWidth;
                int j = typeof(T) == typeof(float)
                    ? MaxPool2x2Vector.Pullback((float*)a, (float*)b, (float*)(dx + top), (float*)(dx + top + width), (float*)dy, columns)
                    : 0;
                for (; j < columns; j += 2)
                {
                    T max = T.Max(T.Max(a[j], a[j + 1]), T.Max(b[j], b[j + 1]));
                    nint at;
                    if (T.IsNaN(max))
                    {
                        at = ArgMax(x, g, r, j / 2);
                    }
                    else
                    {
                        // First match in the order a[j], a[j+1], b[j], b[j+1], chosen with selects.
                        at = top + width + j + 1;
                        at = Select(b[j] == max, top + width + j, at);
                        at = Select(a[j + 1] == max, top + j + 1, at);
                        at = Select(a[j] == max, top + j, at);
                    }

                    dx[at] += dy[j / 2];
                }

                dy += g.OutputWidth;
            }
        }
    }

    /// <summary><paramref name="condition"/> ? <paramref name="ifTrue"/> : <paramref name="ifFalse"/> without a jump (setcc and a mask).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Select(bool condition, nint ifTrue, nint ifFalse) =>
        ifFalse + ((ifTrue - ifFalse) & -(nint)Unsafe.BitCast<bool, byte>(condition));

    /// <summary>The input range [start, end) that window <paramref name="index"/> covers along a side of <paramref name="size"/>.</summary>
    private static (int Start, int End) Clip(int index, int size, in Pool2D g)
    {
        int start = index * g.Stride - g.Padding;
        return (Math.Max(start, 0), Math.Min(start + g.KernelSize, size));
    }

    /// <summary>The window's maximum, NaN if it holds a NaN (the value at <see cref="ArgMax"/>).</summary>
    private static T Max<T>(T* plane, int width, int h0, int h1, int w0, int w1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = T.NegativeInfinity;
        for (int ih = h0; ih < h1; ih++)
        {
            T* row = plane + (nint)ih * width;
            for (int iw = w0; iw < w1; iw++)
            {
                max = T.Max(max, row[iw]);
            }
        }

        return max;
    }

    /// <summary>Offset in the plane of window (r, q)'s choice: the first maximum in row-major order, or the last NaN.</summary>
    private static nint ArgMax<T>(T* plane, in Pool2D g, int r, int q)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (int h0, int h1) = Clip(r, g.InputHeight, g);
        (int w0, int w1) = Clip(q, g.InputWidth, g);
        int width = g.InputWidth;
        T max = Max(plane, width, h0, h1, w0, w1);
        nint best = (nint)h0 * width + w0;
        if (T.IsNaN(max))
        {
            return LastNaN(plane, width, h0, h1, w0, w1);
        }

        // Backwards, so the last match written is the first in row-major order; selects, not branches.
        for (int ih = h1 - 1; ih >= h0; ih--)
        {
            T* row = plane + (nint)ih * width;
            for (int iw = w1 - 1; iw >= w0; iw--)
            {
                best = Select(row[iw] == max, (nint)ih * width + iw, best);
            }
        }

        return best;
    }

    private static nint LastNaN<T>(T* plane, int width, int h0, int h1, int w0, int w1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint last = 0;
        for (int ih = h0; ih < h1; ih++)
        {
            for (int iw = w0; iw < w1; iw++)
            {
                last = T.IsNaN(plane[(nint)ih * width + iw]) ? (nint)ih * width + iw : last;
            }
        }

        return last;
    }
}
