using System;
using System.Text.Json;

namespace DiffGen.GradBench.Protocol;

/// <summary>Reading gradbench's inputs (numbers, vectors, matrices as arrays of rows) into flat arrays, and writing results.</summary>
public static class Json
{
    /// <summary>A JSON array of numbers.</summary>
    public static double[] Vector(JsonElement array)
    {
        var result = new double[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in array.EnumerateArray())
        {
            result[i++] = e.GetDouble();
        }

        return result;
    }

    /// <summary>A JSON array of integers.</summary>
    public static int[] Integers(JsonElement array)
    {
        var result = new int[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in array.EnumerateArray())
        {
            result[i++] = e.GetInt32();
        }

        return result;
    }

    /// <summary>A JSON array of rows, each an array of <paramref name="columns"/> numbers, flattened row by row.</summary>
    public static double[] Rows(JsonElement array, out int columns)
    {
        int rows = array.GetArrayLength();
        columns = rows == 0 ? 0 : array[0].GetArrayLength();
        var result = new double[rows * columns];
        int i = 0;
        foreach (JsonElement row in array.EnumerateArray())
        {
            if (row.GetArrayLength() != columns)
            {
                throw new FormatException($"ragged matrix: a row of {row.GetArrayLength()} numbers among rows of {columns}");
            }

            foreach (JsonElement e in row.EnumerateArray())
            {
                result[i++] = e.GetDouble();
            }
        }

        return result;
    }

    /// <summary>Nested arrays of numbers at any depth, flattened in order.</summary>
    public static double[] Flatten(JsonElement array)
    {
        var values = new System.Collections.Generic.List<double>();
        Add(array, values);
        return [.. values];

        static void Add(JsonElement e, System.Collections.Generic.List<double> values)
        {
            if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement child in e.EnumerateArray())
                {
                    Add(child, values);
                }
            }
            else
            {
                values.Add(e.GetDouble());
            }
        }
    }

    /// <summary>Writes numbers as a JSON array.</summary>
    public static void WriteVector(Utf8JsonWriter writer, ReadOnlySpan<double> values)
    {
        writer.WriteStartArray();
        foreach (double v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes a row-major matrix of <paramref name="rows"/> rows as an array of rows (rows may be empty).</summary>
    public static void WriteRows(Utf8JsonWriter writer, ReadOnlySpan<double> values, int rows)
    {
        int columns = rows == 0 ? 0 : values.Length / rows;
        writer.WriteStartArray();
        for (int r = 0; r < rows; r++)
        {
            WriteVector(writer, values.Slice(r * columns, columns));
        }

        writer.WriteEndArray();
    }
}
