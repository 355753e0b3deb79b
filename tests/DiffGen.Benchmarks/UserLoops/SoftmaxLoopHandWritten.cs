using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// The careful person's gradient of <see cref="SoftmaxLoop.Loss"/>: the logits by vectorised dot products, softmax minus
/// the one-hot label as the logits' adjoint, then one vectorised axpy per row of W. Generic so the same code runs in
/// double for the finite-difference check.
/// </summary>
public static class SoftmaxLoopHandWritten
{
    /// <summary>Returns the loss and adds ∂/∂W into <paramref name="dw"/> and ∂/∂b into <paramref name="db"/>.</summary>
    public static T LossGradient<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> b, ReadOnlySpan<T> x, int label, Span<T> dw, Span<T> db)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Gradient(w, b, x, label, dw, db, sameValue: false);

    /// <summary>
    /// The same, but the logits summed in the user's order, so the loss is bit for bit the user's (as the generated
    /// gradient's must be); the backward pass, whose elements each take one rounding, stays vectorised.
    /// </summary>
    public static T LossGradientSameValue<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> b, ReadOnlySpan<T> x, int label, Span<T> dw, Span<T> db)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Gradient(w, b, x, label, dw, db, sameValue: true);

    private static T Gradient<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> b, ReadOnlySpan<T> x, int label, Span<T> dw, Span<T> db, bool sameValue)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int classes = b.Length, features = x.Length;
        if (w.Length != classes * features || dw.Length != w.Length || db.Length != classes || (uint)label >= (uint)classes || classes > 1024)
        {
            throw new ArgumentException("W must be [b.Length × x.Length], dW and db like W and b, the label a class, at most 1024 classes.");
        }

        Span<T> p = stackalloc T[classes];
        for (int k = 0; k < classes; k++)
        {
            ReadOnlySpan<T> row = w.Slice(k * features, features);
            p[k] = sameValue ? Sequential.Dot(b[k], row, x) : b[k] + TensorPrimitives.Dot(row, x);
        }

        T loss = HandWrittenSoftmax.CrossEntropy<T>(p, label);
        for (int k = 0; k < classes; k++)
        {
            db[k] += p[k];
            Span<T> row = dw.Slice(k * features, features);
            TensorPrimitives.MultiplyAdd(x, p[k], row, row);
        }

        return loss;
    }
}
