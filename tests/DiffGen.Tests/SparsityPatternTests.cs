using System;
using System.Collections.Generic;
using DiffGen.CompilerServices;
using Xunit;

namespace DiffGen.Tests;

/// <summary>SparsityPattern's colouring (what the sparse Jacobian and Hessian-diagonal drivers rely on) and its checks.</summary>
public class SparsityPatternTests
{
    [Fact]
    public void ColumnsThatShareARowGetDifferentColours()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 50; trial++)
        {
            int rowCount = 1 + random.Next(8), columnCount = 1 + random.Next(8);
            var rows = new List<int>();
            var columns = new List<int>();
            for (int r = 0; r < rowCount; r++)
            {
                for (int c = 0; c < columnCount; c++)
                {
                    if (random.NextDouble() < 0.3)
                    {
                        rows.Add(r);
                        columns.Add(c);
                    }
                }
            }

            SparsityPattern pattern = SparsityPattern.FromEntries(rowCount, columnCount, rows.ToArray(), columns.ToArray());
            Assert.Equal(rows.Count, pattern.EntryCount);
            for (int a = 0; a < rows.Count; a++)
            {
                Assert.Equal(rows[a], pattern.Rows[a]);
                Assert.Equal(columns[a], pattern.Columns[a]);
                for (int b = 0; b < rows.Count; b++)
                {
                    if (rows[a] == rows[b] && columns[a] != columns[b])
                    {
                        Assert.NotEqual(pattern.ColumnColors[columns[a]], pattern.ColumnColors[columns[b]]);
                    }
                }
            }

            // Every column is listed under its colour, every entry under its column's colour.
            int listedColumns = 0, listedEntries = 0;
            for (int color = 0; color < pattern.ColorCount; color++)
            {
                foreach (int column in pattern.ColumnsOfColor(color))
                {
                    Assert.Equal(color, pattern.ColumnColors[column]);
                    listedColumns++;
                }

                foreach (int entry in pattern.EntriesOfColor(color))
                {
                    Assert.Equal(color, pattern.ColumnColors[pattern.Columns[entry]]);
                    listedEntries++;
                }
            }

            Assert.Equal(rows.Count, listedEntries);
            Assert.True(listedColumns <= columnCount);
        }
    }

    [Fact]
    public void BlockPatternNeedsAsManyColoursAsABlockHasColumns()
    {
        // 10 residual pairs, each on its own 3 columns and one shared column: 4 colours whatever the count.
        var rows = new List<int>();
        var columns = new List<int>();
        for (int k = 0; k < 10; k++)
        {
            foreach (int row in new[] { 2 * k, (2 * k) + 1 })
            {
                foreach (int column in new[] { 3 * k, (3 * k) + 1, (3 * k) + 2, 30 })
                {
                    rows.Add(row);
                    columns.Add(column);
                }
            }
        }

        Assert.Equal(4, SparsityPattern.FromEntries(20, 31, rows.ToArray(), columns.ToArray()).ColorCount);
    }

    [Fact]
    public void FromRowsAndDiagonal()
    {
        SparsityPattern pattern = SparsityPattern.FromRows(2, 3, new[] { 0, 2, 3 }, new[] { 2, 0, 1 });
        Assert.Equal(new[] { 0, 0, 1 }, pattern.Rows.ToArray());
        Assert.Equal(new[] { 2, 0, 1 }, pattern.Columns.ToArray());
        Assert.Equal(1, SparsityPattern.Diagonal(5).ColorCount);
    }

    [Fact]
    public void InvalidPatternsThrow()
    {
        Assert.Throws<ArgumentException>(() => SparsityPattern.FromEntries(2, 2, new[] { 0, 0 }, new[] { 1, 1 }));
        Assert.Throws<ArgumentException>(() => SparsityPattern.FromEntries(2, 2, new[] { 2 }, new[] { 0 }));
        Assert.Throws<ArgumentException>(() => SparsityPattern.FromEntries(2, 2, new[] { 0 }, new[] { -1 }));
        Assert.Throws<ArgumentException>(() => SparsityPattern.FromEntries(2, 2, new[] { 0, 1 }, new[] { 0 }));
        Assert.Throws<ArgumentException>(() => SparsityPattern.FromRows(2, 2, new[] { 0, 2, 1 }, new[] { 0 }));
        Assert.Throws<ArgumentException>(() => DerivativeDrivers.CheckDiagonalPattern(SparsityPattern.FromEntries(2, 2, new[] { 0 }, new[] { 0 }), 2));
        Assert.Throws<ArgumentException>(() => DerivativeDrivers.CheckPattern(SparsityPattern.Diagonal(3), 3, 4, 3, "values"));
    }

    [Fact]
    public void EmptyTangentIsAPooledZero()
    {
        ReadOnlySpan<double> zero = DerivativeDrivers.TangentOrZero(ReadOnlySpan<double>.Empty, 4, "dx", out double[] buffer);
        Assert.Equal(4, zero.Length);
        Assert.True(buffer.Length >= 4);
        Assert.All(zero.ToArray(), v => Assert.Equal(0, v));
        DerivativeDrivers.ReturnZeroTangent(buffer);

        double[] given = { 1, 2, 3 };
        ReadOnlySpan<double> same = DerivativeDrivers.TangentOrZero(given, 3, "dx", out double[] none);
        Assert.Empty(none);
        Assert.Equal(2, same[1]);
        Assert.Throws<ArgumentException>(() => DerivativeDrivers.TangentOrZero(new double[2], 3, "dx", out _));
    }
}
