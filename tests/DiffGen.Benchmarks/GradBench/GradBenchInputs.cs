using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DiffGen.Benchmarks.GradBench;

/// <summary>
/// Inputs for the gradbench tool's functions as gradbench sends them (JSON), at sizes where one evaluation takes
/// microseconds to a millisecond: small instances of each eval's generator, with a synthetic hand for ht.
/// </summary>
public static class GradBenchInputs
{
    /// <summary>The input of <paramref name="module"/>'s evaluate messages (all its functions take the same input).</summary>
    public static string For(string module)
    {
        var random = new Random(module.Length * 7919 + module[0]);
        return module switch
        {
            "hello" => "1.5",
            "llsq" => $$"""{"x":{{Vector(random, 64, -1, 1)}},"n":1024}""",
            "lse" => $$"""{"x":{{Vector(random, 1024, -5, 5)}}}""",
            "ode" => $$"""{"x":{{Vector(random, 64, 0.5, 1)}},"s":100}""",
            "det" => $$"""{"A":{{Vector(random, 49, -1, 1)}},"ell":7}""",
            "gmm" => Gmm(random, d: 10, k: 5, n: 200),
            "lstm" => Lstm(random, layers: 2, b: 14, c: 32),
            "ba" => """{"n":10,"m":100,"p":500,"cam":[0.01,-0.02,0.03,0.1,0.2,-3,400,0.1,0.2,-1e-3,1e-6],"x":[0.3,-0.1,2.5],"w":0.9,"feat":[10,-4]}""",
            "ht" => Ht(random, vertices: 200, correspondences: 100),
            "kmeans" => Kmeans(random, n: 1000, k: 10, d: 8),
            "particle" => """{"w":0}""",
            "saddle" => """{"start":[1,1]}""",
            _ => throw new ArgumentException($"no input for module '{module}'", nameof(module)),
        };
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Vector(Random random, int n, double low, double high) =>
        "[" + string.Join(",", Enumerable.Range(0, n).Select(_ => Number(low + (high - low) * random.NextDouble()))) + "]";

    private static string Rows(Random random, int rows, int columns, double low, double high) =>
        "[" + string.Join(",", Enumerable.Range(0, rows).Select(_ => Vector(random, columns, low, high))) + "]";

    private static string Gmm(Random random, int d, int k, int n) =>
        $$"""{"d":{{d}},"k":{{k}},"n":{{n}},"m":0,"gamma":1,"alpha":{{Vector(random, k, -1, 1)}},"mu":{{Rows(random, k, d, 0, 1)}},"q":{{Rows(random, k, d, -1, 1)}},"l":{{Rows(random, k, d * (d - 1) / 2, -1, 1)}},"x":{{Rows(random, n, d, 0, 1)}}}""";

    private static string Lstm(Random random, int layers, int b, int c)
    {
        string sequence = "[" + string.Join(",", Enumerable.Range(0, c).Select(_ => "[" + string.Join(",", Enumerable.Range(0, b).Select(_ => random.Next(2))) + "]")) + "]";
        return $$"""{"main_params":{{Rows(random, 2 * layers, 4 * b, -1, 1)}},"extra_params":{{Rows(random, 3, b, -1, 1)}},"state":{{Rows(random, 2 * layers, b, -1, 1)}},"sequence":{{sequence}}}""";
    }

    private static string Kmeans(Random random, int n, int k, int d)
    {
        // Centroids at k of the points: each has at least one nearest point, as the eval guarantees.
        double[][] points = [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => random.NextDouble()).ToArray())];
        string Row(double[] r) => "[" + string.Join(",", r.Select(Number)) + "]";
        return $$"""{"points":[{{string.Join(",", points.Select(Row))}}],"centroids":[{{string.Join(",", points.Take(k).Select(Row))}}]}""";
    }

    /// <summary>A hand of 22 bones (a wrist and five chains of four), random rigid bones, sparse random skinning weights.</summary>
    private static string Ht(Random random, int vertices, int correspondences)
    {
        int[] parents = [-1, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15, 0, 17, 18, 19, 0];
        int bones = parents.Length;
        string Matrices() => "[" + string.Join(",", Enumerable.Range(0, bones).Select(_ => Rigid(random))) + "]";
        var weights = new StringBuilder("[");
        for (int v = 0; v < vertices; v++)
        {
            double[] w = [.. Enumerable.Range(0, bones).Select(_ => random.NextDouble() < 0.2 ? random.NextDouble() : 0)];
            double total = w.Sum();
            weights.Append(v == 0 ? "" : ",").Append('[').Append(string.Join(",", w.Select(x => Number(total > 0 ? x / total : 0)))).Append(']');
        }

        weights.Append(']');
        string positions = "[" + string.Join(",", Enumerable.Range(0, vertices).Select(_ =>
            $"[{Number(random.NextDouble() - 0.5)},{Number(random.NextDouble() - 0.5)},{Number(random.NextDouble() - 0.5)},1]")) + "]";
        string triangles = "[" + string.Join(",", Enumerable.Range(0, vertices).Select(t => $"[{t},{(t + 1) % vertices},{(t + 2) % vertices}]")) + "]";
        string model = $$"""{"bone_count":{{bones}},"parents":[{{string.Join(",", parents)}}],"base_relatives":{{Matrices()}},"inverse_base_absolutes":{{Matrices()}},"base_positions":{{positions}},"weights":{{weights}},"triangles":{{triangles}},"is_mirrored":false}""";
        string chosen = "[" + string.Join(",", Enumerable.Range(0, correspondences).Select(_ => random.Next(vertices))) + "]";
        string data = $$"""{"model":{{model}},"correspondences":{{chosen}},"points":{{Rows(random, correspondences, 3, -1, 1)}}}""";
        return $$"""{"theta":{{Vector(random, 26, -0.5, 0.5)}},"us":{{Rows(random, correspondences, 2, 0, 0.5)}},"data":{{data}}}""";
    }

    /// <summary>A 4 × 4 rigid transform (rotation by three small random angles, small translation) as rows.</summary>
    private static string Rigid(Random random)
    {
        double a = random.NextDouble() - 0.5, b = random.NextDouble() - 0.5, c = random.NextDouble() - 0.5;
        double ca = Math.Cos(a), sa = Math.Sin(a), cb = Math.Cos(b), sb = Math.Sin(b), cc = Math.Cos(c), sc = Math.Sin(c);
        double[] r = [cb * cc, -cb * sc, sb, sa * sb * cc + ca * sc, -sa * sb * sc + ca * cc, -sa * cb, -ca * sb * cc + sa * sc, ca * sb * sc + sa * cc, ca * cb];
        string Row(int i) => $"[{Number(r[3 * i])},{Number(r[3 * i + 1])},{Number(r[3 * i + 2])},{Number(random.NextDouble() - 0.5)}]";
        return $"[{Row(0)},{Row(1)},{Row(2)},[0,0,0,1]]";
    }
}
