using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// The careful person's gradient of <see cref="MlpLoop.Loss"/>: forward by vectorised dot products (hidden units and
/// probabilities kept in stack buffers), backward by vectorised axpys (W2's rows, the hidden adjoint as a sum of W2's
/// rows, W1's rows). Generic so the same code runs in double for the finite-difference check.
/// </summary>
public static class MlpLoopHandWritten
{
    /// <summary>Returns the loss and adds its gradient with respect to W1, b1, W2, b2 into dw1, db1, dw2, db2.</summary>
    public static T LossGradient<T>(
        ReadOnlySpan<T> w1, ReadOnlySpan<T> b1, ReadOnlySpan<T> w2, ReadOnlySpan<T> b2, ReadOnlySpan<T> x, int label,
        Span<T> dw1, Span<T> db1, Span<T> dw2, Span<T> db2)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Gradient(w1, b1, w2, b2, x, label, dw1, db1, dw2, db2, sameValue: false);

    /// <summary>
    /// The same with the dot products summed in the user's order and tanh element by element (TensorPrimitives' tanh
    /// rounds differently): the loss is the user's bit for bit.
    /// </summary>
    public static T LossGradientSameValue<T>(
        ReadOnlySpan<T> w1, ReadOnlySpan<T> b1, ReadOnlySpan<T> w2, ReadOnlySpan<T> b2, ReadOnlySpan<T> x, int label,
        Span<T> dw1, Span<T> db1, Span<T> dw2, Span<T> db2)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Gradient(w1, b1, w2, b2, x, label, dw1, db1, dw2, db2, sameValue: true);

    private static T Gradient<T>(
        ReadOnlySpan<T> w1, ReadOnlySpan<T> b1, ReadOnlySpan<T> w2, ReadOnlySpan<T> b2, ReadOnlySpan<T> x, int label,
        Span<T> dw1, Span<T> db1, Span<T> dw2, Span<T> db2, bool sameValue)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int inputs = x.Length, hidden = b1.Length, classes = b2.Length;
        if (w1.Length != hidden * inputs || w2.Length != classes * hidden || dw1.Length != w1.Length || db1.Length != hidden
            || dw2.Length != w2.Length || db2.Length != classes || (uint)label >= (uint)classes || hidden + classes > 4096)
        {
            throw new ArgumentException("W1 must be [b1.Length × x.Length], W2 [b2.Length × b1.Length], gradients like their parameters, the label a class.");
        }

        Span<T> h = stackalloc T[hidden];
        for (int i = 0; i < hidden; i++)
        {
            ReadOnlySpan<T> row = w1.Slice(i * inputs, inputs);
            h[i] = sameValue ? T.Tanh(Sequential.Dot(b1[i], row, x)) : b1[i] + TensorPrimitives.Dot(row, x);
        }

        if (!sameValue)
        {
            TensorPrimitives.Tanh<T>(h, h);
        }

        Span<T> p = stackalloc T[classes];
        for (int k = 0; k < classes; k++)
        {
            ReadOnlySpan<T> row = w2.Slice(k * hidden, hidden);
            p[k] = sameValue ? Sequential.Dot(b2[k], row, h) : b2[k] + TensorPrimitives.Dot(row, h);
        }

        // Backward: dlogits = softmax − onehot(label); dh = W2ᵀ·dlogits; dz = dh·(1 − h²).
        T loss = HandWrittenSoftmax.CrossEntropy<T>(p, label);
        Span<T> dh = stackalloc T[hidden];
        dh.Clear();
        for (int k = 0; k < classes; k++)
        {
            T g = p[k];
            db2[k] += g;
            ReadOnlySpan<T> row = w2.Slice(k * hidden, hidden);
            Span<T> drow = dw2.Slice(k * hidden, hidden);
            TensorPrimitives.MultiplyAdd(h, g, drow, drow);
            TensorPrimitives.MultiplyAdd(row, g, dh, dh);
        }

        for (int i = 0; i < hidden; i++)
        {
            T dz = dh[i] * (T.One - h[i] * h[i]);
            db1[i] += dz;
            Span<T> drow = dw1.Slice(i * inputs, inputs);
            TensorPrimitives.MultiplyAdd(x, dz, drow, drow);
        }

        return loss;
    }
}
