using System;
using System.Numerics;
using System.Numerics.Tensors;
using DiffGen.Elementwise;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>Rectified linear unit <c>y[i] = max(x[i], 0)</c> (NaN stays NaN).</summary>
    /// <param name="x">The input.</param>
    /// <param name="y">Receives the result (overwritten), as long as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => ReluCore(x, y);

    /// <inheritdoc cref="Relu(ReadOnlySpan{float}, Span{float})"/>
    public static void Relu(ReadOnlySpan<double> x, Span<double> y) => ReluCore(x, y);

    /// <summary>
    /// Pullback of <see cref="Relu(ReadOnlySpan{float}, Span{float})"/>: <c>dx[i] += x[i] &gt; 0 ? dy[i] : 0</c>, i.e. the
    /// convention ReLU'(0) = 0.
    /// </summary>
    /// <param name="x">The primal's input.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(Relu))]
    public static void ReluPullback(ReadOnlySpan<float> x, Span<float> y, Span<float> dx, ReadOnlySpan<float> dy) =>
        ReluPullbackCore<float>(x, y, dx, dy);

    /// <inheritdoc cref="ReluPullback(ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(Relu))]
    public static void ReluPullback(ReadOnlySpan<double> x, Span<double> y, Span<double> dx, ReadOnlySpan<double> dy) =>
        ReluPullbackCore<double>(x, y, dx, dy);

    private static void ReluCore<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(x.Length, nameof(x), y.Length, nameof(y));
        TensorPrimitives.Max(x, T.Zero, y);
    }

    private static void ReluPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dx, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckElementwisePullback(x.Length, y.Length, dx.Length, dy.Length);
        VectorLoops.AddTo(default(ReluGrad<T>), x, dy, dx);
    }

    private static void CheckElementwisePullback(int xLength, int yLength, int dxLength, int dyLength)
    {
        CheckSameLength(xLength, "x", yLength, "y");
        CheckSameLength(xLength, "x", dxLength, "dx");
        CheckSameLength(xLength, "x", dyLength, "dy");
    }
}
