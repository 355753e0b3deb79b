using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>
    /// Adds <paramref name="bias"/> to every row of <paramref name="x"/>: <c>y[r, j] = x[r, j] + bias[j]</c>, where rows
    /// have length <c>bias.Length</c>.
    /// </summary>
    /// <param name="x">Row-major matrix, length a multiple of <c>bias.Length</c>.</param>
    /// <param name="bias">The bias row (non-empty).</param>
    /// <param name="y">Receives the result (overwritten), as long as <paramref name="x"/>; must not overlap the inputs.</param>
    /// <exception cref="ArgumentException">The lengths do not match.</exception>
    public static void AddBias(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y) => AddBiasCore(x, bias, y);

    /// <inheritdoc cref="AddBias(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    public static void AddBias(ReadOnlySpan<double> x, ReadOnlySpan<double> bias, Span<double> y) => AddBiasCore(x, bias, y);

    /// <summary>
    /// Pullback of <see cref="AddBias(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>: <c>dx += dy</c>,
    /// <c>dbias += Σ_rows dy</c>.
    /// </summary>
    /// <param name="x">The primal's matrix.</param>
    /// <param name="bias">The primal's bias row.</param>
    /// <param name="y">The primal's output span (not read).</param>
    /// <param name="dx">Adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="dbias">Adjoint of <paramref name="bias"/>, accumulated into.</param>
    /// <param name="dy">Incoming adjoint of <paramref name="y"/> (read only).</param>
    [DerivativeOf(typeof(Ops), nameof(AddBias))]
    public static void AddBiasPullback(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, Span<float> dx, Span<float> dbias, ReadOnlySpan<float> dy) =>
        AddBiasPullbackCore<float>(x, bias, y, dx, dbias, dy);

    /// <inheritdoc cref="AddBiasPullback(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(AddBias))]
    public static void AddBiasPullback(ReadOnlySpan<double> x, ReadOnlySpan<double> bias, Span<double> y, Span<double> dx, Span<double> dbias, ReadOnlySpan<double> dy) =>
        AddBiasPullbackCore<double>(x, bias, y, dx, dbias, dy);

    private static int CheckAddBiasShapes(int xLength, int biasLength, int yLength)
    {
        if (biasLength == 0)
        {
            throw new ArgumentException("bias.Length is 0 but must be positive.", "bias");
        }

        if (xLength % biasLength != 0)
        {
            throw new ArgumentException($"x.Length is {xLength}, which is not a multiple of bias.Length = {biasLength}.", "x");
        }

        CheckSameLength(xLength, "x", yLength, "y");
        return xLength / biasLength;
    }

    private static void AddBiasCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> bias, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = CheckAddBiasShapes(x.Length, bias.Length, y.Length);
        int cols = bias.Length;
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(x.Slice(r * cols, cols), bias, y.Slice(r * cols, cols));
        }
    }

    private static void AddBiasPullbackCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> bias, ReadOnlySpan<T> y, Span<T> dx, Span<T> dbias, ReadOnlySpan<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = CheckAddBiasShapes(x.Length, bias.Length, y.Length);
        bool needX = NeedsAdjoint(x.Length, nameof(x), dx.Length, nameof(dx));
        bool needBias = NeedsAdjoint(bias.Length, nameof(bias), dbias.Length, nameof(dbias));
        CheckSameLength(y.Length, nameof(y), dy.Length, nameof(dy));
        if (needX)
        {
            TensorPrimitives.Add(dx, dy, dx);
        }

        int cols = bias.Length;
        for (int r = 0; needBias && r < rows; r++)
        {
            TensorPrimitives.Add(dbias, dy.Slice(r * cols, cols), dbias);
        }
    }
}
