using System;
using System.Numerics;
using System.Numerics.Tensors;
using DiffGen.Elementwise;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>
    /// Row-wise softmax over rows of length <paramref name="cols"/>: <c>y[r, j] = e^(x[r, j] − m_r) / Σ_l e^(x[r, l] − m_r)</c>
    /// with m_r the row maximum, so large logits do not overflow.
    /// </summary>
    /// <param name="x">Row-major logits, length a multiple of <paramref name="cols"/>.</param>
    /// <param name="y">Receives the probabilities (overwritten), as long as <paramref name="x"/>.</param>
    /// <param name="cols">Row length (positive).</param>
    /// <exception cref="ArgumentException">The lengths do not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cols"/> is not positive.</exception>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int cols) => SoftmaxCore(x, y, cols);

    /// <inheritdoc cref="Softmax(ReadOnlySpan{float}, Span{float}, int)"/>
    public static void Softmax(ReadOnlySpan<double> x, Span<double> y, int cols) => SoftmaxCore(x, y, cols);

    /// <summary>
    /// Pullback of <see cref="Softmax(ReadOnlySpan{float}, Span{float}, int)"/>: per row, with s = softmax(x) recomputed,
    /// <c>dx += s ⊙ (dy − ⟨dy, s⟩)</c>.
    /// </summary>
    /// <param name="x">The primal's logits.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="cols">Row length.</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(Softmax))]
    public static void SoftmaxPullback(ReadOnlySpan<float> x, Span<float> y, int cols, Span<float> dx, ReadOnlySpan<float> dy) =>
        SoftmaxPullbackCore<float>(x, y, cols, dx, dy);

    /// <inheritdoc cref="SoftmaxPullback(ReadOnlySpan{float}, Span{float}, int, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(Softmax))]
    public static void SoftmaxPullback(ReadOnlySpan<double> x, Span<double> y, int cols, Span<double> dx, ReadOnlySpan<double> dy) =>
        SoftmaxPullbackCore<double>(x, y, cols, dx, dy);

    /// <summary>Writes <c>e^(row − max(row))</c> into <paramref name="destination"/> and returns its sum.</summary>
    private static T ExpShifted<T>(ReadOnlySpan<T> row, Span<T> destination, out T max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        max = TensorPrimitives.Max(row);
        TensorPrimitives.Subtract(row, max, destination);
        TensorPrimitives.Exp(destination, destination);
        return TensorPrimitives.Sum<T>(destination);
    }

    /// <summary>Writes the softmax of <paramref name="row"/> into <paramref name="destination"/>.</summary>
    private static void SoftmaxRow<T>(ReadOnlySpan<T> row, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = ExpShifted(row, destination, out _);
        TensorPrimitives.Divide(destination, sum, destination);
    }

    private static void SoftmaxCore<T>(ReadOnlySpan<T> x, Span<T> y, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = RowsOf(x.Length, nameof(x), cols, nameof(cols));
        CheckSameLength(x.Length, nameof(x), y.Length, nameof(y));
        for (int r = 0; r < rows; r++)
        {
            SoftmaxRow(x.Slice(r * cols, cols), y.Slice(r * cols, cols));
        }
    }

    private static void SoftmaxPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int cols, Span<T> dx, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = RowsOf(x.Length, nameof(x), cols, nameof(cols));
        CheckElementwisePullback(x.Length, y.Length, dx.Length, dy.Length);
        Span<T> s = Scratch<T>.Get(cols);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> dyRow = dy.Slice(r * cols, cols);
            Span<T> dxRow = dx.Slice(r * cols, cols);
            SoftmaxRow(x.Slice(r * cols, cols), s);
            T inner = TensorPrimitives.Dot<T>(dyRow, s);
            TensorPrimitives.MultiplyAdd(s, dyRow, dxRow, dxRow);
            TensorPrimitives.MultiplyAdd(s, -inner, dxRow, dxRow);
        }
    }
}
