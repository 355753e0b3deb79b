using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DiffGen.GradBench.Tests;

/// <summary>Small inputs shaped like gradbench's eval generators, as JSON text and as arrays.</summary>
public static class Inputs
{
    public static double[] Uniform(Random random, int n, double low = 0, double high = 1) =>
        [.. Enumerable.Range(0, n).Select(_ => low + (high - low) * random.NextDouble())];

    public static string Json(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Json(ReadOnlySpan<double> values)
    {
        var b = new StringBuilder("[");
        for (int i = 0; i < values.Length; i++)
        {
            b.Append(i == 0 ? "" : ",").Append(Json(values[i]));
        }

        return b.Append(']').ToString();
    }

    /// <summary>Rows of <paramref name="columns"/> values.</summary>
    public static string Rows(ReadOnlySpan<double> values, int columns)
    {
        var b = new StringBuilder("[");
        int rows = columns == 0 ? 0 : values.Length / columns;
        for (int r = 0; r < rows; r++)
        {
            b.Append(r == 0 ? "" : ",").Append(Json(values.Slice(r * columns, columns)));
        }

        return b.Append(']').ToString();
    }

    /// <summary>Rows given as a row count when they may be empty (l with d = 1).</summary>
    public static string Rows(ReadOnlySpan<double> values, int rows, int columns)
    {
        var b = new StringBuilder("[");
        for (int r = 0; r < rows; r++)
        {
            b.Append(r == 0 ? "" : ",").Append(Json(values.Slice(r * columns, columns)));
        }

        return b.Append(']').ToString();
    }

    /// <summary>A tiny hand: a chain of bones with a wrist root and five fingers, dense random weights.</summary>
    public static HandModel Hand(Random random, int vertices, bool mirrored)
    {
        int[] parents = [-1, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15, 0, 17, 18, 19, 0];
        int bones = parents.Length;
        double[] relatives = new double[16 * bones], inverses = new double[16 * bones];
        for (int b = 0; b < bones; b++)
        {
            // A rigid transform with a random small rotation and translation; the inverse base absolute random affine.
            FillRigid(random, relatives.AsSpan(16 * b, 16));
            FillRigid(random, inverses.AsSpan(16 * b, 16));
        }

        double[] positions = new double[4 * vertices];
        double[] weights = new double[vertices * bones];
        for (int v = 0; v < vertices; v++)
        {
            positions[4 * v] = random.NextDouble() - 0.5;
            positions[4 * v + 1] = random.NextDouble() - 0.5;
            positions[4 * v + 2] = random.NextDouble() - 0.5;
            positions[4 * v + 3] = 1;
            double total = 0;
            for (int b = 0; b < bones; b++)
            {
                double w = random.NextDouble() < 0.3 ? random.NextDouble() : 0;
                weights[v * bones + b] = w;
                total += w;
            }

            for (int b = 0; b < bones && total > 0; b++)
            {
                weights[v * bones + b] /= total;
            }
        }

        int[] triangles = new int[3 * vertices];
        for (int t = 0; t < vertices; t++)
        {
            triangles[3 * t] = t;
            triangles[3 * t + 1] = (t + 1) % vertices;
            triangles[3 * t + 2] = (t + 2) % vertices;
        }

        return new HandModel(parents, relatives, inverses, positions, weights, triangles, mirrored);
    }

    private static void FillRigid(Random random, Span<double> m)
    {
        double a = random.NextDouble() - 0.5, b = random.NextDouble() - 0.5, c = random.NextDouble() - 0.5;
        double ca = Math.Cos(a), sa = Math.Sin(a), cb = Math.Cos(b), sb = Math.Sin(b), cc = Math.Cos(c), sc = Math.Sin(c);
        double[] r = [cb * cc, -cb * sc, sb, sa * sb * cc + ca * sc, -sa * sb * sc + ca * cc, -sa * cb, -ca * sb * cc + sa * sc, ca * sb * sc + sa * cc, ca * cb];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                m[4 * i + j] = r[3 * i + j];
            }

            m[4 * i + 3] = random.NextDouble() - 0.5;
        }

        m[12] = m[13] = m[14] = 0;
        m[15] = 1;
    }

    /// <summary>A hand model as <see cref="Evals.Ht.Objective"/> takes it, and its JSON.</summary>
    public sealed record HandModel(int[] Parents, double[] BaseRelatives, double[] InverseBaseAbsolutes, double[] BasePositions, double[] Weights, int[] Triangles, bool IsMirrored)
    {
        public int Bones => Parents.Length;

        public int Vertices => BasePositions.Length / 4;

        public string ToJson()
        {
            var matrices = new StringBuilder();
            string Matrices(double[] all) =>
                "[" + string.Join(",", Enumerable.Range(0, Bones).Select(b => Rows(all.AsSpan(16 * b, 16), 4))) + "]";
            return $$"""
                {"bone_count":{{Bones}},"bone_names":[{{string.Join(",", Enumerable.Range(0, Bones).Select(b => $"\"b{b}\""))}}],
                "parents":[{{string.Join(",", Parents)}}],"base_relatives":{{Matrices(BaseRelatives)}},
                "inverse_base_absolutes":{{Matrices(InverseBaseAbsolutes)}},"base_positions":{{Rows(BasePositions, 4)}},
                "weights":{{Rows(Weights, Bones)}},"triangles":[{{string.Join(",", Enumerable.Range(0, Triangles.Length / 3).Select(t => $"[{Triangles[3 * t]},{Triangles[3 * t + 1]},{Triangles[3 * t + 2]}]"))}}],
                "is_mirrored":{{(IsMirrored ? "true" : "false")}}}
                """;
        }
    }
}
