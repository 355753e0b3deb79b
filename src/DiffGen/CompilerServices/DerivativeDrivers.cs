using System;
using System.Buffers;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace DiffGen.CompilerServices;

/// <summary>
/// Helpers of the generated Jacobian and Hessian drivers (seeding unit and coloured tangents, storing columns, rows and
/// coloured entries), so the generated loops stay short. Nothing here allocates.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DerivativeDrivers
{
    /// <summary>Throws unless a buffer of <paramref name="length"/> elements has <paramref name="expected"/>.</summary>
    /// <param name="length">The buffer's length.</param>
    /// <param name="expected">The length it must have.</param>
    /// <param name="name">The argument's name.</param>
    /// <param name="shape">How the expected length is made, for the message (for example "outputs × inputs").</param>
    public static void CheckLength(int length, int expected, string name, string shape)
    {
        if (length != expected)
        {
            ThrowLength(length, expected, name, shape);
        }
    }

    /// <summary>Throws unless the pattern is <paramref name="rows"/> × <paramref name="columns"/> and has one value per entry.</summary>
    /// <param name="pattern">The user's pattern.</param>
    /// <param name="rows">Rows the method has (outputs, or n for a Hessian).</param>
    /// <param name="columns">Columns the method has (its differentiated inputs' elements).</param>
    /// <param name="valuesLength">Length of the values buffer.</param>
    /// <param name="valuesName">Name of the values argument.</param>
    public static void CheckPattern(SparsityPattern pattern, int rows, int columns, int valuesLength, string valuesName)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.RowCount != rows || pattern.ColumnCount != columns)
        {
            throw new ArgumentException($"The sparsity pattern is {pattern.RowCount} × {pattern.ColumnCount} but the derivative is {rows} × {columns}.", nameof(pattern));
        }

        CheckLength(valuesLength, pattern.EntryCount, valuesName, "the pattern's entry count");
    }

    /// <summary>Throws unless the square pattern includes every diagonal entry (a Hessian-diagonal pattern).</summary>
    /// <param name="pattern">The user's pattern.</param>
    /// <param name="n">The number of differentiated elements.</param>
    public static void CheckDiagonalPattern(SparsityPattern pattern, int n)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.RowCount != n || pattern.ColumnCount != n || !pattern.HasFullDiagonal())
        {
            throw new ArgumentException($"A Hessian pattern must be {n} × {n} and include the diagonal; it is {pattern.RowCount} × {pattern.ColumnCount}.", nameof(pattern));
        }
    }

    /// <summary>Sets <c>tangent[j − offset] = value</c> for every column j of the colour in <c>[offset, offset + tangent.Length)</c>.</summary>
    public static void SeedColor<T>(SparsityPattern pattern, int color, int offset, Span<T> tangent, T value)
        where T : IFloatingPoint<T>
    {
        foreach (int column in pattern.ColumnsOfColor(color))
        {
            int local = column - offset;
            if ((uint)local < (uint)tangent.Length)
            {
                tangent[local] = value;
            }
        }
    }

    /// <summary>The seed of a scalar input at <paramref name="column"/>: 1 when its column has the colour, else 0.</summary>
    public static T ScalarSeed<T>(SparsityPattern pattern, int color, int column)
        where T : IFloatingPoint<T> =>
        pattern.ColumnColors[column] == color ? T.One : T.Zero;

    /// <summary>Writes <c>values[k] = outputTangent[row of k]</c> for every entry k whose column has the colour.</summary>
    public static void ScatterColor<T>(SparsityPattern pattern, int color, ReadOnlySpan<T> outputTangent, Span<T> values)
        where T : IFloatingPoint<T>
    {
        ReadOnlySpan<int> rows = pattern.Rows;
        foreach (int entry in pattern.EntriesOfColor(color))
        {
            values[entry] = outputTangent[rows[entry]];
        }
    }

    /// <summary>Writes <c>diagonal[j] = hv[j − offset]</c> for every column j of the colour in <c>[offset, offset + hv.Length)</c>.</summary>
    public static void GatherDiagonal<T>(SparsityPattern pattern, int color, int offset, ReadOnlySpan<T> hv, Span<T> diagonal)
        where T : IFloatingPoint<T>
    {
        foreach (int column in pattern.ColumnsOfColor(color))
        {
            int local = column - offset;
            if ((uint)local < (uint)hv.Length)
            {
                diagonal[column] = hv[local];
            }
        }
    }

    /// <summary>Writes <c>diagonal[column] = hv</c> when the scalar input's column has the colour.</summary>
    public static void GatherDiagonalScalar<T>(SparsityPattern pattern, int color, int column, T hv, Span<T> diagonal)
        where T : IFloatingPoint<T>
    {
        if (pattern.ColumnColors[column] == color)
        {
            diagonal[column] = hv;
        }
    }

    /// <summary>Stores <paramref name="values"/> as column <paramref name="column"/> of a row-major matrix with <paramref name="columns"/> columns.</summary>
    public static void StoreColumn<T>(ReadOnlySpan<T> values, Span<T> matrix, int column, int columns)
    {
        for (int i = 0; i < values.Length; i++)
        {
            matrix[(i * columns) + column] = values[i];
        }
    }

    /// <summary>Stores <paramref name="values"/> at <c>matrix[row · columns + offset …]</c> (part of one row).</summary>
    public static void StoreRow<T>(ReadOnlySpan<T> values, Span<T> matrix, int row, int columns, int offset) =>
        values.CopyTo(matrix.Slice((row * columns) + offset, values.Length));

    /// <summary>
    /// An input tangent is the primal's length, or empty for a zero tangent: returns the tangent to use, which for an
    /// empty one is a pooled zeroed buffer (<paramref name="zero"/>, to give to <see cref="ReturnZeroTangent{T}"/>;
    /// otherwise an empty array). Any other length throws. (A returned span, not a <c>ref</c> to the caller's: the
    /// generated loops keep it in registers.)
    /// </summary>
    /// <param name="tangent">The caller's tangent.</param>
    /// <param name="length">The primal's length.</param>
    /// <param name="name">The tangent argument's name.</param>
    /// <param name="zero">The pooled buffer, or an empty array.</param>
    /// <returns>The tangent, never empty unless the primal is.</returns>
    public static ReadOnlySpan<T> TangentOrZero<T>(ReadOnlySpan<T> tangent, int length, string name, out T[] zero)
    {
        zero = Array.Empty<T>();
        if (tangent.Length == length)
        {
            return tangent;
        }

        if (!tangent.IsEmpty)
        {
            ThrowLength(tangent.Length, length, name, "the primal's length, or empty for a zero tangent");
        }

        zero = ArrayPool<T>.Shared.Rent(length);
        Array.Clear(zero, 0, length);
        return new ReadOnlySpan<T>(zero, 0, length);
    }

    /// <summary>Returns a buffer <see cref="TangentOrZero{T}"/> rented (nothing for an empty array).</summary>
    /// <param name="buffer">What it returned.</param>
    public static void ReturnZeroTangent<T>(T[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    [DoesNotReturn]
    private static void ThrowLength(int length, int expected, string name, string shape) =>
        throw new ArgumentException($"{name} must have {expected} elements ({shape}) but has {length}.", name);
}
