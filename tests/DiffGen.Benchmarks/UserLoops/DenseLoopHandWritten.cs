using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// The careful person's gradient of <see cref="DenseLoop.Loss"/>: one pass over the rows, each a vectorised dot product
/// forward and a vectorised axpy into its gradient row. Generic so the same code runs in double for the finite-difference
/// check.
/// </summary>
public static class DenseLoopHandWritten
{
    /// <summary>Returns the loss and adds ∂/∂W into <paramref name="dw"/> and ∂/∂b into <paramref name="db"/>.</summary>
    public static T LossGradient<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> b, ReadOnlySpan<T> x, ReadOnlySpan<T> target, Span<T> dw, Span<T> db)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Gradient(w, b, x, target, dw, db, sameValue: false);

    /// <summary>The same with the dot products summed in the user's order: the loss is the user's bit for bit.</summary>
    public static T LossGradientSameValue<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> b, ReadOnlySpan<T> x, ReadOnlySpan<T> target, Span<T> dw, Span<T> db)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Gradient(w, b, x, target, dw, db, sameValue: true);

    private static T Gradient<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> b, ReadOnlySpan<T> x, ReadOnlySpan<T> target, Span<T> dw, Span<T> db, bool sameValue)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int outputs = b.Length, inputs = x.Length;
        if (w.Length != outputs * inputs || dw.Length != w.Length || db.Length != outputs || target.Length != outputs)
        {
            throw new ArgumentException("W must be [b.Length × x.Length], dW and db like W and b, the target like b.");
        }

        T two = T.One + T.One;
        T loss = T.Zero;
        for (int i = 0; i < outputs; i++)
        {
            ReadOnlySpan<T> row = w.Slice(i * inputs, inputs);
            T y = T.Tanh(sameValue ? Sequential.Dot(b[i], row, x) : b[i] + TensorPrimitives.Dot(row, x));
            T e = y - target[i];
            loss += e * e;
            T g = two * e * (T.One - y * y);
            db[i] += g;
            Span<T> drow = dw.Slice(i * inputs, inputs);
            TensorPrimitives.MultiplyAdd(x, g, drow, drow);
        }

        return loss;
    }
}
