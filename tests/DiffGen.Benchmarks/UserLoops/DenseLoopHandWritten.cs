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
            T y = T.Tanh(b[i] + TensorPrimitives.Dot(w.Slice(i * inputs, inputs), x));
            T e = y - target[i];
            loss += e * e;
            T g = two * e * (T.One - y * y);
            db[i] += g;
            Span<T> row = dw.Slice(i * inputs, inputs);
            TensorPrimitives.MultiplyAdd(x, g, row, row);
        }

        return loss;
    }
}
