using System;
using System.Numerics;
using DiffGen.Elementwise;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>Size of the chunks in which activation pullbacks recompute the activation (keeps the scratch in L1).</summary>
    private const int ActivationChunk = 2048;

    /// <summary>An elementwise activation y = f(x), such as <c>TensorPrimitives.Tanh</c>.</summary>
    private delegate void Activation<T>(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>
    /// The pullback of an elementwise activation whose derivative is a function of its value:
    /// dx[i] += grad(f(x[i]), dy[i]), with f recomputed chunk by chunk into a small scratch buffer.
    /// </summary>
    private static void ActivationPullback<T, TGrad>(Activation<T> activation, TGrad grad, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dx, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TGrad : struct, IBinaryFunction<T>
    {
        CheckElementwisePullback(x.Length, y.Length, dx.Length, dy.Length);
        Span<T> values = Scratch<T>.Get(Math.Min(ActivationChunk, x.Length));
        for (int start = 0; start < x.Length; start += ActivationChunk)
        {
            int count = Math.Min(ActivationChunk, x.Length - start);
            Span<T> chunk = values.Slice(0, count);
            activation(x.Slice(start, count), chunk);
            VectorLoops.AddTo(grad, chunk, dy.Slice(start, count), dx.Slice(start, count));
        }
    }
}
