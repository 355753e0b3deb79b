using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// The careful person's gradient of <see cref="Conv1DLoop.Loss"/>, in blocks of outputs that stay in L1 (stack
/// scratch): the block's outputs as one vectorised axpy per kernel tap, tanh by TensorPrimitives, the error and the
/// outputs' adjoint 2e(1 − tanh²) in one Vector256 pass, then per tap a vectorised dot product into dkernel and an axpy
/// into dsignal.
/// </summary>
public static class Conv1DLoopHandWritten
{
    private const int Block = 512;

    /// <summary>Returns the loss and adds its gradient with respect to the kernel and the signal.</summary>
    public static double LossGradient(ReadOnlySpan<double> kernel, ReadOnlySpan<double> signal, ReadOnlySpan<double> target, Span<double> dkernel, Span<double> dsignal)
    {
        int taps = kernel.Length, outputs = signal.Length - taps + 1;
        if (dkernel.Length != taps || dsignal.Length != signal.Length || taps < 1 || outputs < 1 || target.Length != outputs)
        {
            throw new ArgumentException("The kernel no longer than the signal, the target one per valid position, gradients like their parameters.");
        }

        Span<double> activation = stackalloc double[Block];
        Span<double> adjoint = stackalloc double[Block];
        double loss = 0;
        for (int start = 0; start < outputs; start += Block)
        {
            int m = Math.Min(Block, outputs - start);
            Span<double> a = activation[..m], g = adjoint[..m];
            ReadOnlySpan<double> t = target.Slice(start, m);
            a.Clear();
            for (int k = 0; k < taps; k++)
            {
                TensorPrimitives.MultiplyAdd(signal.Slice(start + k, m), kernel[k], a, a);
            }

            TensorPrimitives.Tanh(a, a);
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<double> sum = Vector256<double>.Zero, one = Vector256.Create(1.0);
                for (; i <= m - Vector256<double>.Count; i += Vector256<double>.Count)
                {
                    Vector256<double> av = Vector256.Create(a.Slice(i, Vector256<double>.Count));
                    Vector256<double> e = av - Vector256.Create(t.Slice(i, Vector256<double>.Count));
                    sum += e * e;
                    ((e + e) * (one - av * av)).CopyTo(g.Slice(i, Vector256<double>.Count));
                }

                loss += Vector256.Sum(sum);
            }

            for (; i < m; i++)
            {
                double e = a[i] - t[i];
                loss += e * e;
                g[i] = 2 * e * (1 - a[i] * a[i]);
            }

            for (int k = 0; k < taps; k++)
            {
                dkernel[k] += TensorPrimitives.Dot(g, signal.Slice(start + k, m));
                Span<double> ds = dsignal.Slice(start + k, m);
                TensorPrimitives.MultiplyAdd(g, kernel[k], ds, ds);
            }
        }

        return loss;
    }
}
