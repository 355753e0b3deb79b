using System;
using System.Collections.Generic;

namespace DiffGen;

/// <summary>
/// The nonzero structure of a Jacobian or Hessian, stated by the user (a superset of the true nonzeros), with the column
/// colouring the generated sparse <c>…Jacobian</c> and <c>…HessianDiagonal</c> use: two columns that have an entry in the
/// same row get different colours, so one forward sweep per colour recovers every entry. Built once (it allocates);
/// the generated methods that read it allocate nothing. See docs/forward-and-second-order.md.
/// </summary>
public sealed class SparsityPattern
{
    private readonly int[] _rows;
    private readonly int[] _columns;
    private readonly int[] _columnColors;
    private readonly int[] _colorColumnStarts;
    private readonly int[] _columnsByColor;
    private readonly int[] _colorEntryStarts;
    private readonly int[] _entriesByColor;

    private SparsityPattern(int rowCount, int columnCount, int[] rows, int[] columns)
    {
        RowCount = rowCount;
        ColumnCount = columnCount;
        _rows = rows;
        _columns = columns;
        _columnColors = Colour(rowCount, columnCount, rows, columns, out int colorCount);
        ColorCount = colorCount;
        _colorColumnStarts = new int[colorCount + 1];
        _columnsByColor = GroupBy(_columnColors, colorCount, _colorColumnStarts, j => j);
        _colorEntryStarts = new int[colorCount + 1];
        int[] entryColors = new int[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            entryColors[k] = _columnColors[columns[k]];
        }

        _entriesByColor = GroupBy(entryColors, colorCount, _colorEntryStarts, k => k);
    }

    /// <summary>Number of rows (outputs of a Jacobian; n of an n × n Hessian).</summary>
    public int RowCount { get; }

    /// <summary>Number of columns (the differentiated inputs' elements, in order).</summary>
    public int ColumnCount { get; }

    /// <summary>Number of entries; the generated sparse methods write <c>values[k]</c> for entry k.</summary>
    public int EntryCount => _rows.Length;

    /// <summary>The row of each entry, in the order the entries were given.</summary>
    public ReadOnlySpan<int> Rows => _rows;

    /// <summary>The column of each entry, in the order the entries were given.</summary>
    public ReadOnlySpan<int> Columns => _columns;

    /// <summary>Number of colours: the number of sweeps a generated sparse method runs.</summary>
    public int ColorCount { get; }

    /// <summary>The colour of each column (columns without entries get colour 0).</summary>
    public ReadOnlySpan<int> ColumnColors => _columnColors;

    /// <summary>A pattern from its entries (coordinate form), kept in the order given.</summary>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="columnCount">Number of columns.</param>
    /// <param name="rows">Row of each entry.</param>
    /// <param name="columns">Column of each entry, as many as <paramref name="rows"/>.</param>
    /// <exception cref="ArgumentException">Lengths differ, an index is out of range, or an entry is given twice.</exception>
    public static SparsityPattern FromEntries(int rowCount, int columnCount, ReadOnlySpan<int> rows, ReadOnlySpan<int> columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(columnCount);
        if (rows.Length != columns.Length)
        {
            throw new ArgumentException($"rows has {rows.Length} entries but columns has {columns.Length}.", nameof(columns));
        }

        var seen = new HashSet<long>();
        for (int k = 0; k < rows.Length; k++)
        {
            if ((uint)rows[k] >= (uint)rowCount)
            {
                throw new ArgumentException($"Entry {k} has row {rows[k]}, outside 0..{rowCount - 1}.", nameof(rows));
            }

            if ((uint)columns[k] >= (uint)columnCount)
            {
                throw new ArgumentException($"Entry {k} has column {columns[k]}, outside 0..{columnCount - 1}.", nameof(columns));
            }

            if (!seen.Add(((long)rows[k] * columnCount) + columns[k]))
            {
                throw new ArgumentException($"Entry ({rows[k]}, {columns[k]}) is given twice (entry {k}).", nameof(columns));
            }
        }

        return new SparsityPattern(rowCount, columnCount, rows.ToArray(), columns.ToArray());
    }

    /// <summary>
    /// A pattern in compressed-row form: row i's columns are <c>columns[rowStarts[i] .. rowStarts[i + 1]]</c>, entries
    /// numbered row by row in the order given.
    /// </summary>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="columnCount">Number of columns.</param>
    /// <param name="rowStarts">rowCount + 1 offsets into <paramref name="columns"/>, non-decreasing, from 0.</param>
    /// <param name="columns">The columns of all rows.</param>
    /// <exception cref="ArgumentException">The offsets are inconsistent, an index is out of range, or an entry is repeated.</exception>
    public static SparsityPattern FromRows(int rowCount, int columnCount, ReadOnlySpan<int> rowStarts, ReadOnlySpan<int> columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (rowStarts.Length != rowCount + 1 || rowStarts[0] != 0 || rowStarts[rowCount] != columns.Length)
        {
            throw new ArgumentException($"rowStarts must have rowCount + 1 = {rowCount + 1} offsets from 0 to columns.Length = {columns.Length}.", nameof(rowStarts));
        }

        for (int i = 0; i < rowCount; i++)
        {
            if (rowStarts[i + 1] < rowStarts[i])
            {
                throw new ArgumentException($"rowStarts decreases at row {i}.", nameof(rowStarts));
            }
        }

        int[] rows = new int[columns.Length];
        for (int i = 0; i < rowCount; i++)
        {
            rows.AsSpan(rowStarts[i], rowStarts[i + 1] - rowStarts[i]).Fill(i);
        }

        return FromEntries(rowCount, columnCount, rows, columns);
    }

    /// <summary>The diagonal of an n × n matrix (a Hessian known to be diagonal): one colour.</summary>
    /// <param name="n">The order.</param>
    public static SparsityPattern Diagonal(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        int[] indices = new int[n];
        for (int i = 0; i < n; i++)
        {
            indices[i] = i;
        }

        return new SparsityPattern(n, n, indices, (int[])indices.Clone());
    }

    /// <summary>The columns of one colour, ascending.</summary>
    /// <param name="color">A colour, 0 ≤ color &lt; <see cref="ColorCount"/>.</param>
    public ReadOnlySpan<int> ColumnsOfColor(int color) =>
        _columnsByColor.AsSpan(_colorColumnStarts[color], _colorColumnStarts[color + 1] - _colorColumnStarts[color]);

    /// <summary>The entries whose column has the colour, ascending.</summary>
    /// <param name="color">A colour, 0 ≤ color &lt; <see cref="ColorCount"/>.</param>
    public ReadOnlySpan<int> EntriesOfColor(int color) =>
        _entriesByColor.AsSpan(_colorEntryStarts[color], _colorEntryStarts[color + 1] - _colorEntryStarts[color]);

    private bool? _hasFullDiagonal;

    /// <summary>True when every diagonal entry (i, i) of a square pattern is present (computed once: drivers check it per call).</summary>
    internal bool HasFullDiagonal() => _hasFullDiagonal ??= ComputeHasFullDiagonal();

    private bool ComputeHasFullDiagonal()
    {
        if (RowCount != ColumnCount)
        {
            return false;
        }

        var present = new bool[RowCount];
        for (int k = 0; k < _rows.Length; k++)
        {
            if (_rows[k] == _columns[k])
            {
                present[_rows[k]] = true;
            }
        }

        return Array.TrueForAll(present, p => p);
    }

    /// <summary>Greedy distance-2 colouring in column order: a column takes the least colour no column sharing a row has.</summary>
    private static int[] Colour(int rowCount, int columnCount, int[] rows, int[] columns, out int colorCount)
    {
        // Entries by row and by column (compressed), to walk a column's rows and each row's columns.
        int[] rowStarts = new int[rowCount + 1];
        int[] rowColumns = GroupBy(rows, rowCount, rowStarts, k => columns[k]);
        int[] columnStarts = new int[columnCount + 1];
        int[] columnRows = GroupBy(columns, columnCount, columnStarts, k => rows[k]);

        int[] colors = new int[columnCount];
        Array.Fill(colors, -1);
        int[] forbiddenBy = new int[columnCount + 1];
        Array.Fill(forbiddenBy, -1);
        colorCount = 0;
        for (int j = 0; j < columnCount; j++)
        {
            for (int p = columnStarts[j]; p < columnStarts[j + 1]; p++)
            {
                int row = columnRows[p];
                for (int q = rowStarts[row]; q < rowStarts[row + 1]; q++)
                {
                    int other = colors[rowColumns[q]];
                    if (other >= 0)
                    {
                        forbiddenBy[other] = j;
                    }
                }
            }

            int color = 0;
            while (forbiddenBy[color] == j)
            {
                color++;
            }

            colors[j] = color;
            colorCount = Math.Max(colorCount, color + 1);
        }

        return colors;
    }

    /// <summary>Counting sort of the items 0..keys.Length-1 by key: fills starts (keyCount + 1) and returns map(item) in key order.</summary>
    private static int[] GroupBy(int[] keys, int keyCount, int[] starts, Func<int, int> map)
    {
        for (int k = 0; k < keys.Length; k++)
        {
            starts[keys[k] + 1]++;
        }

        for (int c = 0; c < keyCount; c++)
        {
            starts[c + 1] += starts[c];
        }

        int[] next = new int[keyCount];
        Array.Copy(starts, next, keyCount);
        int[] grouped = new int[keys.Length];
        for (int k = 0; k < keys.Length; k++)
        {
            grouped[next[keys[k]]++] = map(k);
        }

        return grouped;
    }
}
