using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>Matrix-vector product <c>y = A·x</c>, with A row-major <paramref name="rows"/> × <paramref name="cols"/>.</summary>
    /// <param name="a">The matrix, length rows·cols.</param>
    /// <param name="x">The vector, length cols.</param>
    /// <param name="y">Receives the product (overwritten), length rows; must not overlap the inputs.</param>
    /// <param name="rows">Rows of A.</param>
    /// <param name="cols">Columns of A.</param>
    /// <exception cref="ArgumentException">A length does not match the shape, or <paramref name="y"/> overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> or <paramref name="cols"/> is negative.</exception>
    public static void MatVec(ReadOnlySpan<float> a, ReadOnlySpan<float> x, Span<float> y, int rows, int cols) =>
        MatVecCore(a, x, y, rows, cols);

    /// <inheritdoc cref="MatVec(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int)"/>
    public static void MatVec(ReadOnlySpan<double> a, ReadOnlySpan<double> x, Span<double> y, int rows, int cols) =>
        MatVecCore(a, x, y, rows, cols);

    /// <summary>
    /// Pullback of <see cref="MatVec(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int)"/>:
    /// <c>da += dy·xᵀ</c>, <c>dx += Aᵀ·dy</c>.
    /// </summary>
    /// <param name="a">The primal's matrix.</param>
    /// <param name="x">The primal's vector.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="rows">Rows of A.</param>
    /// <param name="cols">Columns of A.</param>
    /// <param name="da">Adjoint of <paramref name="a"/>, accumulated into.</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(MatVec))]
    public static void MatVecPullback(ReadOnlySpan<float> a, ReadOnlySpan<float> x, Span<float> y, int rows, int cols, Span<float> da, Span<float> dx, ReadOnlySpan<float> dy) =>
        MatVecPullbackCore<float>(a, x, y, rows, cols, da, dx, dy);

    /// <inheritdoc cref="MatVecPullback(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, Span{float}, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(MatVec))]
    public static void MatVecPullback(ReadOnlySpan<double> a, ReadOnlySpan<double> x, Span<double> y, int rows, int cols, Span<double> da, Span<double> dx, ReadOnlySpan<double> dy) =>
        MatVecPullbackCore<double>(a, x, y, rows, cols, da, dx, dy);

    /// <summary>
    /// Pushforward of <see cref="MatVec(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int)"/>: writes
    /// <c>y = A·x</c> and <c>dy = dA·x + A·dx</c> (an empty input tangent is zero).
    /// </summary>
    /// <param name="a">The matrix.</param>
    /// <param name="x">The vector.</param>
    /// <param name="y">Receives the product.</param>
    /// <param name="rows">Rows of A.</param>
    /// <param name="cols">Columns of A.</param>
    /// <param name="da">Tangent of <paramref name="a"/>, or empty.</param>
    /// <param name="dx">Tangent of <paramref name="x"/>, or empty.</param>
    /// <param name="dy">Receives the tangent of <paramref name="y"/> (overwritten, as <paramref name="y"/> is).</param>
    [DerivativeOf(typeof(Ops), nameof(MatVec), Form = DerivativeForm.Pushforward)]
    public static void MatVecPushforward(ReadOnlySpan<float> a, ReadOnlySpan<float> x, Span<float> y, int rows, int cols, ReadOnlySpan<float> da, ReadOnlySpan<float> dx, Span<float> dy) =>
        MatVecPushforwardCore(a, x, y, rows, cols, da, dx, dy);

    /// <inheritdoc cref="MatVecPushforward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    [DerivativeOf(typeof(Ops), nameof(MatVec), Form = DerivativeForm.Pushforward)]
    public static void MatVecPushforward(ReadOnlySpan<double> a, ReadOnlySpan<double> x, Span<double> y, int rows, int cols, ReadOnlySpan<double> da, ReadOnlySpan<double> dx, Span<double> dy) =>
        MatVecPushforwardCore(a, x, y, rows, cols, da, dx, dy);

    private static void MatVecPushforwardCore<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> x, Span<T> y, int rows, int cols, ReadOnlySpan<T> da, ReadOnlySpan<T> dx, Span<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        MatVecCore(a, x, y, rows, cols);
        bool hasA = NeedsAdjoint(a.Length, nameof(a), da.Length, nameof(da));
        bool hasX = NeedsAdjoint(x.Length, nameof(x), dx.Length, nameof(dx));
        CheckSameLength(y.Length, nameof(y), dy.Length, nameof(dy));
        for (int i = 0; i < rows; i++)
        {
            T t = T.Zero;
            if (hasA)
            {
                t += TensorPrimitives.Dot(da.Slice(i * cols, cols), x);
            }

            if (hasX)
            {
                t += TensorPrimitives.Dot(a.Slice(i * cols, cols), dx);
            }

            dy[i] = t;
        }
    }

    private static void CheckMatVecShapes(int aLength, int xLength, int yLength, int rows, int cols)
    {
        CheckNonNegative(rows, nameof(rows));
        CheckNonNegative(cols, nameof(cols));
        CheckProductLength(aLength, "a", rows, "rows", cols, "cols");
        CheckLength(xLength, cols, "x", "cols");
        CheckLength(yLength, rows, "y", "rows");
    }

    private static void MatVecCore<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> x, Span<T> y, int rows, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatVecShapes(a.Length, x.Length, y.Length, rows, cols);
        CheckNoOverlap<T>(y, nameof(y), a, nameof(a));
        CheckNoOverlap<T>(y, nameof(y), x, nameof(x));
        for (int i = 0; i < rows; i++)
        {
            y[i] = TensorPrimitives.Dot(a.Slice(i * cols, cols), x);
        }
    }

    private static void MatVecPullbackCore<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> x, ReadOnlySpan<T> y, int rows, int cols, Span<T> da, Span<T> dx, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckMatVecShapes(a.Length, x.Length, y.Length, rows, cols);
        bool needA = NeedsAdjoint(a.Length, nameof(a), da.Length, nameof(da));
        bool needX = NeedsAdjoint(x.Length, nameof(x), dx.Length, nameof(dx));
        CheckSameLength(y.Length, nameof(y), dy.Length, nameof(dy));
        for (int i = 0; i < rows; i++)
        {
            T g = dy[i];
            if (needA)
            {
                Span<T> daRow = da.Slice(i * cols, cols);
                TensorPrimitives.MultiplyAdd(x, g, daRow, daRow);
            }

            if (needX)
            {
                TensorPrimitives.MultiplyAdd(a.Slice(i * cols, cols), g, dx, dx);
            }
        }
    }
}
