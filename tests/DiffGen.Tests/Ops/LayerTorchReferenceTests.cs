using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using DiffGen.Layers;
using Xunit;

namespace DiffGen.Tests.Ops;

/// <summary>
/// The layer ops against PyTorch 1.13 (<c>torch_layers.py</c>, run with Debian's <c>/usr/bin/python3</c>): values and
/// gradients (autograd, <c>y.backward(dy)</c>) of <c>F.conv2d</c>, <c>F.max_pool2d</c>, <c>F.avg_pool2d</c> and
/// <c>F.linear</c>, <c>F.layer_norm</c> and <c>F.gelu(approximate='tanh')</c> on the same inputs and PyTorch's own weight layouts, in float32 and float64, on the shapes of
/// <see cref="LayerGradientTests"/> plus the main job's CNN layers. Agreement: every element within 1e-5 (float) or
/// 1e-12 (double) of the largest magnitude in that output or gradient; summation order differs between the two
/// libraries, so bitwise equality is not expected.
/// </summary>
public sealed class LayerTorchReferenceTests
{
    private static readonly Lazy<(List<Case> Cases, JsonDocument Torch)> Reference = new(Run);

    public static TheoryData<int> CaseIndices => new(Enumerable.Range(0, Cases().Count));

    [Theory, MemberData(nameof(CaseIndices))]
    public void MatchesPyTorch(int index)
    {
        (List<Case> cases, JsonDocument torch) = Reference.Value;
        Case c = cases[index];
        JsonElement expected = torch.RootElement.GetProperty("results")[index];
        Compare(c, "y", c.Y, expected);
        Compare(c, "dx", c.Dx, expected);
        if (c.Dw is not null)
        {
            Compare(c, "dweight", c.Dw, expected);
            Compare(c, "dbias", c.Db!, expected);
        }
    }

    private static void Compare(Case c, string name, double[] actual, JsonElement expected)
    {
        double[] reference = expected.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(reference.Length, actual.Length);
        double scale = Math.Max(1e-30, reference.Max(Math.Abs));
        double tolerance = (c.Double ? 1e-12 : 1e-5) * scale;
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - reference[i]) <= tolerance, $"{c.Label}: {name}[{i}] = {actual[i]:R}, torch {reference[i]:R} (tolerance {tolerance:E2})");
        }
    }

    /// <summary>One op call on seeded inputs, computed by DiffGen; <see cref="Spec"/> is what torch_layers.py receives.</summary>
    private sealed record Case(string Label, bool Double, Dictionary<string, object> Spec, double[] Y, double[] Dx, double[]? Dw, double[]? Db);

    private static (List<Case>, JsonDocument) Run()
    {
        List<Case> cases = Cases();
        return (cases, TorchScript.Run(Path.Combine("Ops", "torch_layers.py"), new { cases = cases.Select(c => c.Spec).ToArray() }));
    }

    private static List<Case> Cases()
    {
        var cases = new List<Case>();
        foreach (bool isDouble in new[] { false, true })
        {
            foreach (object?[] row in LayerGradientTests.ConvShapes.Concat([[2, 1, 32, 28, 28, 3, 3, 1, 1], [2, 32, 64, 14, 14, 3, 3, 1, 1]]))
            {
                int[] v = row.Cast<int>().ToArray();
                cases.Add(ConvCase(isDouble, v[0], new Conv2D(v[1], v[2], v[5], v[6], v[3], v[4], v[7], v[8])));
            }

            foreach (object?[] row in LayerGradientTests.PoolShapes.Concat([[2, 32, 28, 28, 2, 2, 0]]))
            {
                int[] v = row.Cast<int>().ToArray();
                var g = new Pool2D(v[1], v[2], v[3], v[4], v[5], v[6]);
                cases.Add(PoolCase(isDouble, v[0], g, max: true));
                cases.Add(PoolCase(isDouble, v[0], g, max: false));
            }

            foreach (int n in new[] { 1, 17, 1023 })
            {
                cases.Add(GeluCase(isDouble, n));
            }

            // One feature is left to LayerGradientTests: the exact gradient is 0 there, and PyTorch's is its rounding noise.
            foreach (object?[] row in LayerGradientTests.LayerNormShapes.Where(r => (int)r[1]! > 1).Concat([[8, 128]]))
            {
                int[] v = row.Cast<int>().ToArray();
                cases.Add(LayerNormCase(isDouble, v[0], new LayerNorm(v[1])));
            }

            foreach (object?[] row in LayerGradientTests.LinearShapes.Concat([[2, 3136, 128]]))
            {
                int[] v = row.Cast<int>().ToArray();
                cases.Add(LinearCase(isDouble, v[0], new Linear(v[1], v[2])));
            }
        }

        return cases;
    }

    private static Case ConvCase(bool isDouble, int batch, Conv2D g)
    {
        string label = $"conv2d {(isDouble ? "float64" : "float32")} n={batch} {g.InChannels}→{g.OutChannels} {g.InputHeight}×{g.InputWidth} k={g.KernelHeight}×{g.KernelWidth} s={g.Stride} p={g.Padding}";
        var rng = new Random(label.Length * 7919 + batch);
        double[] x = Values(rng, batch * g.InputSize, isDouble), w = Values(rng, g.WeightLength, isDouble), b = Values(rng, g.BiasLength, isDouble);
        double[] dy = Values(rng, batch * g.OutputSize, isDouble);
        (double[] y, double[] dx, double[] dw, double[] db) = isDouble
            ? WithWeights<double>(x, w, b, dy, (x, w, b, y) => OpsOf<double>.Conv2D(x, w, b, y, g), (x, w, b, y, dx, dw, db, dy) => OpsOf<double>.Conv2DPullback(x, w, b, y, g, dx, dw, db, dy))
            : WithWeights<float>(x, w, b, dy, (x, w, b, y) => OpsOf<float>.Conv2D(x, w, b, y, g), (x, w, b, y, dx, dw, db, dy) => OpsOf<float>.Conv2DPullback(x, w, b, y, g, dx, dw, db, dy));

        var spec = Spec("conv2d", isDouble, batch, x, dy);
        (spec["in_channels"], spec["out_channels"], spec["height"], spec["width"]) = (g.InChannels, g.OutChannels, g.InputHeight, g.InputWidth);
        (spec["kernel_height"], spec["kernel_width"], spec["stride"], spec["padding"], spec["weight"], spec["bias"]) = (g.KernelHeight, g.KernelWidth, g.Stride, g.Padding, w, b);
        return new Case(label, isDouble, spec, y, dx, dw, db);
    }

    private static Case PoolCase(bool isDouble, int batch, Pool2D g, bool max)
    {
        string op = max ? "max_pool2d" : "avg_pool2d";
        string label = $"{op} {(isDouble ? "float64" : "float32")} n={batch} c={g.Channels} {g.InputHeight}×{g.InputWidth} k={g.KernelSize} s={g.Stride} p={g.Padding}";
        var rng = new Random(label.Length * 7919 + batch);
        double[] x = Values(rng, batch * g.InputSize, isDouble), dy = Values(rng, batch * g.OutputSize, isDouble);
        (double[] y, double[] dx) = isDouble ? Pool<double>(x, dy, g, max) : Pool<float>(x, dy, g, max);

        var spec = Spec(op, isDouble, batch, x, dy);
        (spec["channels"], spec["height"], spec["width"], spec["kernel"], spec["stride"], spec["padding"]) = (g.Channels, g.InputHeight, g.InputWidth, g.KernelSize, g.Stride, g.Padding);
        return new Case(label, isDouble, spec, y, dx, null, null);
    }

    private static Case LinearCase(bool isDouble, int batch, Linear g)
    {
        string label = $"linear {(isDouble ? "float64" : "float32")} n={batch} {g.InFeatures}→{g.OutFeatures}";
        var rng = new Random(label.Length * 7919 + batch);
        double[] x = Values(rng, batch * g.InFeatures, isDouble), w = Values(rng, g.WeightLength, isDouble), b = Values(rng, g.BiasLength, isDouble);
        double[] dy = Values(rng, batch * g.OutFeatures, isDouble);
        (double[] y, double[] dx, double[] dw, double[] db) = isDouble
            ? WithWeights<double>(x, w, b, dy, (x, w, b, y) => OpsOf<double>.Linear(x, w, b, y, g), (x, w, b, y, dx, dw, db, dy) => OpsOf<double>.LinearPullback(x, w, b, y, g, dx, dw, db, dy))
            : WithWeights<float>(x, w, b, dy, (x, w, b, y) => OpsOf<float>.Linear(x, w, b, y, g), (x, w, b, y, dx, dw, db, dy) => OpsOf<float>.LinearPullback(x, w, b, y, g, dx, dw, db, dy));

        var spec = Spec("linear", isDouble, batch, x, dy);
        (spec["in_features"], spec["out_features"], spec["weight"], spec["bias"]) = (g.InFeatures, g.OutFeatures, w, b);
        return new Case(label, isDouble, spec, y, dx, dw, db);
    }

    private static Case LayerNormCase(bool isDouble, int batch, LayerNorm g)
    {
        string label = $"layer_norm {(isDouble ? "float64" : "float32")} n={batch} features={g.Features}";
        var rng = new Random(label.Length * 7919 + batch);
        double[] x = Values(rng, batch * g.Features, isDouble).Select(v => 3 * v + 0.5).ToArray(), w = Values(rng, g.Features, isDouble), b = Values(rng, g.Features, isDouble);
        double[] dy = Values(rng, batch * g.Features, isDouble);
        (double[] y, double[] dx, double[] dw, double[] db) = isDouble
            ? WithWeights<double>(x, w, b, dy, (x, w, b, y) => OpsOf<double>.LayerNorm(x, w, b, y, g), (x, w, b, y, dx, dw, db, dy) => OpsOf<double>.LayerNormPullback(x, w, b, y, g, dx, dw, db, dy))
            : WithWeights<float>(x, w, b, dy, (x, w, b, y) => OpsOf<float>.LayerNorm(x, w, b, y, g), (x, w, b, y, dx, dw, db, dy) => OpsOf<float>.LayerNormPullback(x, w, b, y, g, dx, dw, db, dy));

        var spec = Spec("layer_norm", isDouble, batch, x, dy);
        (spec["features"], spec["eps"], spec["weight"], spec["bias"]) = (g.Features, g.Epsilon, w, b);
        return new Case(label, isDouble, spec, y, dx, dw, db);
    }

    private static Case GeluCase(bool isDouble, int n)
    {
        string label = $"gelu(tanh) {(isDouble ? "float64" : "float32")} n={n}";
        var rng = new Random(label.Length * 7919 + n);
        double[] x = Values(rng, n, isDouble).Select(v => 4 * v).ToArray(), dy = Values(rng, n, isDouble);
        (double[] y, double[] dx) = isDouble ? Unary<double>(x, dy, OpsOf<double>.Gelu, OpsOf<double>.GeluPullback) : Unary<float>(x, dy, OpsOf<float>.Gelu, OpsOf<float>.GeluPullback);
        return new Case(label, isDouble, Spec("gelu", isDouble, 1, x, dy), y, dx, null, null);
    }

    private static (double[] Y, double[] Dx) Unary<T>(double[] x, double[] dy, Action<ReadOnlySpan<T>, Span<T>> forward, Action<ReadOnlySpan<T>, Span<T>, Span<T>, ReadOnlySpan<T>> pullback)
        where T : unmanaged, INumberBase<T>
    {
        T[] xt = Of<T>(x), dyt = Of<T>(dy), y = new T[dy.Length], dx = new T[x.Length];
        forward(xt, y);
        pullback(xt, y, dx, dyt);
        return (Doubles(y), Doubles(dx));
    }

    /// <summary>Runs an op with weights and its pullback in <typeparamref name="T"/> on (rounded) copies; returns y, dx, dweight, dbias.</summary>
    private static (double[] Y, double[] Dx, double[] Dw, double[] Db) WithWeights<T>(
        double[] x, double[] w, double[] b, double[] dy, Action<T[], T[], T[], T[]> forward, Action<T[], T[], T[], T[], T[], T[], T[], T[]> pullback)
        where T : unmanaged, INumberBase<T>
    {
        T[] xt = Of<T>(x), wt = Of<T>(w), bt = Of<T>(b), dyt = Of<T>(dy), y = new T[dy.Length], dx = new T[x.Length], dw = new T[w.Length], db = new T[b.Length];
        forward(xt, wt, bt, y);
        pullback(xt, wt, bt, y, dx, dw, db, dyt);
        return (Doubles(y), Doubles(dx), Doubles(dw), Doubles(db));
    }

    private static (double[] Y, double[] Dx) Pool<T>(double[] x, double[] dy, Pool2D g, bool max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] xt = Of<T>(x), dyt = Of<T>(dy), y = new T[dy.Length], dx = new T[x.Length];
        (max ? OpsOf<T>.MaxPool2D : OpsOf<T>.AvgPool2D)(xt, y, g);
        (max ? OpsOf<T>.MaxPool2DPullback : OpsOf<T>.AvgPool2DPullback)(xt, y, g, dx, dyt);
        return (Doubles(y), Doubles(dx));
    }

    private static Dictionary<string, object> Spec(string op, bool isDouble, int batch, double[] x, double[] dy) => new()
    {
        ["op"] = op,
        ["dtype"] = isDouble ? "float64" : "float32",
        ["batch"] = batch,
        ["x"] = x,
        ["dy"] = dy,
    };

    /// <summary>Uniform in [−1, 1); for float cases rounded to float32 first, so both sides read the very same numbers.</summary>
    private static double[] Values(Random rng, int n, bool isDouble) =>
        Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).Select(v => isDouble ? v : (float)v).ToArray();

    private static T[] Of<T>(double[] values)
        where T : INumberBase<T> => Array.ConvertAll(values, T.CreateTruncating);

    private static double[] Doubles<T>(T[] values)
        where T : INumberBase<T> => Array.ConvertAll(values, double.CreateTruncating);
}
