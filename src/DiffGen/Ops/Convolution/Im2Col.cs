using System;
using System.Numerics;
using System.Numerics.Tensors;
using DiffGen.Layers;

namespace DiffGen.Convolution;

/// <summary>
/// The lowering that turns a convolution into one matrix product: <see cref="Gather"/> copies every receptive field of
/// one image into a column of a K × P matrix (K = C·kH·kW taps, P = OH·OW output positions, row (c, i, j) holding tap
/// (i, j) of channel c at every position), and <see cref="ScatterAdd"/> is its transpose, adding such a matrix back
/// into the image. Padded taps are zero. Stride 1 with an output as wide as the input ("same" padding, the usual 3×3
/// padding 1) copies each tap row as one block: row r of tap (i, j) is input row r + i − p shifted by j − p, so
/// consecutive rows are consecutive in memory and only the few columns that wrap into the neighbouring row are zeroed
/// afterwards. Other geometries copy row runs. (One copy per output row cost more than the arithmetic on 14 × 14 maps.)
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>Fills <paramref name="cols"/> (K × P) from one image <paramref name="x"/> (C × H × W).</summary>
    public static void Gather<T>(T* x, in Conv2D g, T* cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OutputHeight, ow = g.OutputWidth, s = g.Stride;
        bool sameWidth = s == 1 && ow == g.InputWidth;
        T* row = cols;
        for (int c = 0; c < g.InChannels; c++)
        {
            T* plane = x + (nint)c * g.InputHeight * g.InputWidth;
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++, row += (nint)oh * ow)
                {
                    if (sameWidth)
                    {
                        GatherShiftedBlock(plane, g, i, j, row);
                        continue;
                    }

                    (int first, int end) = ValidColumns(g, j);
                    for (int r = 0; r < oh; r++)
                    {
                        Span<T> dst = new(row + (nint)r * ow, ow);
                        int ih = r * s - g.Padding + i;
                        if ((uint)ih >= (uint)g.InputHeight || first >= end)
                        {
                            dst.Clear();
                            continue;
                        }

                        dst[..first].Clear();
                        dst[end..].Clear();
                        T* src = plane + (nint)ih * g.InputWidth - g.Padding + j;
                        if (s == 1)
                        {
                            new ReadOnlySpan<T>(src + first, end - first).CopyTo(dst[first..end]);
                        }
                        else
                        {
                            for (int q = first; q < end; q++)
                            {
                                dst[q] = src[(nint)q * s];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Tap (i, j)'s row of the lowered matrix when the output is as wide as the input and the stride is 1: output rows
    /// [r0, r1) read input rows r + i − p at column offset j − p, one contiguous block; then each row's columns that fell
    /// outside the input row (they wrapped into the neighbouring row) are zeroed, as are the output rows above and below.
    /// </summary>
    private static void GatherShiftedBlock<T>(T* plane, in Conv2D g, int i, int j, T* row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = g.InputWidth, p = g.Padding, shift = j - p;
        // Output rows [r0, r1) read input rows inside the image (a tall kernel over a short, padded image can leave none).
        int r0 = Math.Min(g.OutputHeight, Math.Max(0, p - i)), r1 = Math.Max(r0, Math.Min(g.OutputHeight, g.InputHeight + p - i));
        new Span<T>(row, r0 * w).Clear();
        new Span<T>(row + (nint)r1 * w, (g.OutputHeight - r1) * w).Clear();
        nint start = (nint)(r0 + i - p) * w + shift, count = (nint)(r1 - r0) * w;
        nint skip = Math.Max(0, -start), end = Math.Min(start + count, (nint)g.InputHeight * w); // stay inside the plane
        if (end > start + skip)
        {
            new ReadOnlySpan<T>(plane + start + skip, (int)(end - start - skip)).CopyTo(new Span<T>(row + (nint)r0 * w + skip, (int)(end - start - skip)));
        }

        // Columns q with q + shift outside [0, w): the first −shift or the last shift of each row (and whatever the
        // clipping above left unwritten lies among them).
        int zeroCount = Math.Min(Math.Abs(shift), w), zeroFrom = shift < 0 ? 0 : w - zeroCount;
        for (int r = r0; r < r1 && zeroCount > 0; r++)
        {
            new Span<T>(row + (nint)r * w + zeroFrom, zeroCount).Clear();
        }
    }

    /// <summary>Adds <paramref name="cols"/> (K × P) into one image's adjoint <paramref name="dx"/> (C × H × W): the transpose of <see cref="Gather"/>.</summary>
    public static void ScatterAdd<T>(T* cols, in Conv2D g, T* dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OutputHeight, ow = g.OutputWidth, s = g.Stride;
        T* row = cols;
        for (int c = 0; c < g.InChannels; c++)
        {
            T* plane = dx + (nint)c * g.InputHeight * g.InputWidth;
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++, row += (nint)oh * ow)
                {
                    (int first, int end) = ValidColumns(g, j);
                    for (int r = 0; r < oh && first < end; r++)
                    {
                        int ih = r * s - g.Padding + i;
                        if ((uint)ih >= (uint)g.InputHeight)
                        {
                            continue;
                        }

                        T* src = row + (nint)r * ow;
                        T* dst = plane + (nint)ih * g.InputWidth - g.Padding + j;
                        if (s == 1)
                        {
                            // Runs are one output row (14–28 elements here): a plain loop beats a library call.
                            for (int q = first; q < end; q++)
                            {
                                dst[q] += src[q];
                            }
                        }
                        else
                        {
                            for (int q = first; q < end; q++)
                            {
                                dst[(nint)q * s] += src[q];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The output columns [first, end) whose tap <paramref name="j"/> falls inside the input row (q·s − pad + j ∈ [0, W)).</summary>
    private static (int First, int End) ValidColumns(in Conv2D g, int j)
    {
        int s = g.Stride;
        int low = g.Padding - j;                      // q·s ≥ pad − j
        int high = g.InputWidth - 1 + g.Padding - j;  // q·s ≤ W − 1 + pad − j
        int first = low <= 0 ? 0 : (low + s - 1) / s;
        int end = high < 0 ? 0 : Math.Min(g.OutputWidth, high / s + 1);
        return (first, Math.Max(first, end));
    }
}
