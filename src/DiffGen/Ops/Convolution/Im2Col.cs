using System;
using System.Numerics;
using System.Numerics.Tensors;
using DiffGen.Layers;

namespace DiffGen.Convolution;

/// <summary>
/// The lowering that turns a convolution into one matrix product: <see cref="Gather"/> copies every receptive field of
/// one image into a column of a K × P matrix (K = C·kH·kW taps, P = OH·OW output positions, row (c, i, j) holding tap
/// (i, j) of channel c at every position), and <see cref="ScatterAdd"/> is its transpose, adding such a matrix back
/// into the image. Padded taps are zero. Stride 1 copies whole row runs (vectorised memory copies and adds).
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>Fills <paramref name="cols"/> (K × P) from one image <paramref name="x"/> (C × H × W).</summary>
    public static void Gather<T>(T* x, in Conv2D g, T* cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OutputHeight, ow = g.OutputWidth, s = g.Stride;
        T* row = cols;
        for (int c = 0; c < g.InChannels; c++)
        {
            T* plane = x + (nint)c * g.InputHeight * g.InputWidth;
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++, row += (nint)oh * ow)
                {
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
                            Span<T> run = new(dst + first, end - first);
                            TensorPrimitives.Add(run, new ReadOnlySpan<T>(src + first, end - first), run);
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
