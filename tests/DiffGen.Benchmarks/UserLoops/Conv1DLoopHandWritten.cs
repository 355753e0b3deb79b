using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// The careful person's gradient of <see cref="Conv1DLoop.Loss"/>, in blocks of outputs that stay in L1 (stack
/// scratch): the block's outputs as one vectorised axpy per kernel tap, tanh by TensorPrimitives, the error and the
/// outputs' adjoint 2e(1 − tanh²) in one Vector256 pass (scalar tail), then per tap a vectorised dot product into
/// dkernel and an axpy into dsignal.
/// </summary>
public static class Conv1DLoopHandWritten
{
    private const int Block = 512;

    /// <summary>Returns the loss and adds its gradient with respect to the kernel and the signal.</summary>
    public static double LossGradient(ReadOnlySpan<double> kernel, ReadOnlySpan<double> signal, ReadOnlySpan<double> target, Span<double> dkernel, Span<double> dsignal) =>
        Gradient(kernel, signal, target, dkernel, dsignal, sameValue: false);

    /// <summary>
    /// The same with tanh and the loss's sum element by element in the user's order (the per-tap axpys add in the user's
    /// order already): the loss is the user's bit for bit.
    /// </summary>
    public static double LossGradientSameValue(ReadOnlySpan<double> kernel, ReadOnlySpan<double> signal, ReadOnlySpan<double> target, Span<double> dkernel, Span<double> dsignal) =>
        Gradient(kernel, signal, target, dkernel, dsignal, sameValue: true);

    private static double Gradient(
        ReadOnlySpan<double> kernel, ReadOnlySpan<double> signal, ReadOnlySpan<double> target, Span<double> dkernel, Span<double> dsignal, bool sameValue)
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

            // The error and the outputs' adjoint 2e(1 − tanh²): vectorised, or element by element in the user's order.
            int i = 0;
            if (!sameValue && Vector256.IsHardwareAccelerated)
            {
                // Tanh over the whole vectors only: the scalar tail below takes its own.
                int whole = m - m % Vector256<double>.Count;
                TensorPrimitives.Tanh(a[..whole], a[..whole]);
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
                double y = Math.Tanh(a[i]);
                double e = y - t[i];
                loss += e * e;
                g[i] = 2 * e * (1 - y * y);
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
