using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>
    /// Writes the index of the largest value of each row of length <paramref name="cols"/> (the first on ties) into
    /// <paramref name="result"/>, e.g. for accuracy. Not differentiable: gradients do not flow through it.
    /// </summary>
    /// <param name="x">Row-major values, length a multiple of <paramref name="cols"/>.</param>
    /// <param name="result">Receives one index per row.</param>
    /// <param name="cols">Row length (positive).</param>
    /// <exception cref="ArgumentException">The lengths do not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cols"/> is not positive.</exception>
    [NoDerivative]
    public static void ArgMaxRows(ReadOnlySpan<float> x, Span<int> result, int cols) => ArgMaxRowsCore(x, result, cols);

    /// <inheritdoc cref="ArgMaxRows(ReadOnlySpan{float}, Span{int}, int)"/>
    [NoDerivative]
    public static void ArgMaxRows(ReadOnlySpan<double> x, Span<int> result, int cols) => ArgMaxRowsCore(x, result, cols);

    private static void ArgMaxRowsCore<T>(ReadOnlySpan<T> x, Span<int> result, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = RowsOf(x.Length, nameof(x), cols, nameof(cols));
        CheckLength(result.Length, rows, nameof(result), "the row count x.Length / cols");
        for (int r = 0; r < rows; r++)
        {
            result[r] = TensorPrimitives.IndexOfMax(x.Slice(r * cols, cols));
        }
    }
}
