using System;
using System.Numerics;
using System.Numerics.Tensors;
using DiffGen.Elementwise;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>
    /// GELU in its tanh form, <c>y = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c>: PyTorch's
    /// <c>nn.GELU(approximate='tanh')</c> (within 3·10⁻⁴ of the erf form <c>nn.GELU()</c>; .NET has no vectorised erf).
    /// </summary>
    /// <param name="x">The input.</param>
    /// <param name="y">Receives the result (overwritten), as long as <paramref name="x"/>; must not overlap it.</param>
    /// <exception cref="ArgumentException">The lengths differ, or <paramref name="y"/> overlaps <paramref name="x"/>.</exception>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y) => GeluCore(x, y);

    /// <inheritdoc cref="Gelu(ReadOnlySpan{float}, Span{float})"/>
    public static void Gelu(ReadOnlySpan<double> x, Span<double> y) => GeluCore(x, y);

    /// <summary>
    /// Pullback of <see cref="Gelu(ReadOnlySpan{float}, Span{float})"/>: with t = tanh(√(2/π)·(x + 0.044715·x³)) recomputed,
    /// <c>dx += dy·(½·(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²))</c>.
    /// </summary>
    /// <param name="x">The primal's input.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(Gelu))]
    public static void GeluPullback(ReadOnlySpan<float> x, Span<float> y, Span<float> dx, ReadOnlySpan<float> dy) =>
        GeluPullbackCore<float>(x, y, dx, dy);

    /// <inheritdoc cref="GeluPullback(ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(Gelu))]
    public static void GeluPullback(ReadOnlySpan<double> x, Span<double> y, Span<double> dx, ReadOnlySpan<double> dy) =>
        GeluPullbackCore<double>(x, y, dx, dy);

    /// <summary>√(2/π) and the cubic coefficient of the tanh form.</summary>
    private const double GeluScale = 0.7978845608028654, GeluCubic = 0.044715;

    private static void GeluCore<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(x.Length, nameof(x), y.Length, nameof(y));
        CheckNoOverlap<T>(y, nameof(y), x, nameof(x));
        GeluTanh(x, y);                                   // y = t
        TensorPrimitives.Add(y, T.One, y);                // 1 + t
        TensorPrimitives.Multiply(y, x, y);               // x·(1 + t)
        TensorPrimitives.Multiply(y, T.CreateTruncating(0.5), y);
    }

    private static void GeluPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dx, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckElementwisePullback(x.Length, y.Length, dx.Length, dy.Length);
        T half = T.CreateTruncating(0.5), slope = T.CreateTruncating(0.5 * GeluScale), cubic3 = T.CreateTruncating(3 * GeluCubic);
        Span<T> buffers = Scratch<T>.Get(3 * Math.Min(ActivationChunk, x.Length));
        for (int start = 0; start < x.Length; start += ActivationChunk)
        {
            int count = Math.Min(ActivationChunk, x.Length - start);
            ReadOnlySpan<T> xs = x.Slice(start, count);
            Span<T> t = buffers[..count], g = buffers.Slice(count, count), s = buffers.Slice(2 * count, count);
            GeluTanh(xs, t);
            TensorPrimitives.Multiply(xs, xs, g);                 // x²
            TensorPrimitives.Multiply(g, cubic3, g);
            TensorPrimitives.Add(g, T.One, g);                    // 1 + 3a·x²
            TensorPrimitives.Multiply(g, xs, g);
            TensorPrimitives.Multiply(g, slope, g);               // k = ½·√(2/π)·x·(1 + 3a·x²)
            TensorPrimitives.Multiply(t, t, s);
            TensorPrimitives.Subtract(T.One, s, s);               // 1 − t²
            TensorPrimitives.Multiply(g, s, g);                   // k·(1 − t²)
            TensorPrimitives.MultiplyAdd(t, half, g, g);          // + ½·t
            TensorPrimitives.Add(g, half, g);                     // + ½
            Span<T> d = dx.Slice(start, count);
            TensorPrimitives.MultiplyAdd(g, dy.Slice(start, count), d, d);
        }
    }

    /// <summary>t = tanh(√(2/π)·x·(1 + a·x²)), written into <paramref name="t"/>.</summary>
    private static void GeluTanh<T>(ReadOnlySpan<T> x, Span<T> t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply(x, x, t);
        TensorPrimitives.Multiply(t, T.CreateTruncating(GeluCubic), t);
        TensorPrimitives.Add(t, T.One, t);
        TensorPrimitives.Multiply(t, x, t);
        TensorPrimitives.Multiply(t, T.CreateTruncating(GeluScale), t);
        TensorPrimitives.Tanh(t, t);
    }
}
