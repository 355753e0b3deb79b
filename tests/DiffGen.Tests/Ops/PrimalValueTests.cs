using System;
using System.Linq;
using System.Numerics;
using Xunit;
using O = DiffGen.Ops;

namespace DiffGen.Tests.Ops;

/// <summary>
/// Primal values against straightforward double-precision references, and the numerically delicate cases (huge
/// logits, infinities, ties, the ReLU kink). Tolerances: relative 1e-13 for double, 2e-6 for float (≈ 32 ulps, to
/// allow for the vectorised exp/tanh approximations and summation order), measured against max(1, |reference|).
/// </summary>
public class PrimalValueTests
{
    public static TheoryData<int> Lengths => new() { 1, 7, 17, 1023 };

    [Theory, MemberData(nameof(Lengths))] public void Elementwise_Float(int n) => Elementwise<float>(n);

    [Theory, MemberData(nameof(Lengths))] public void Elementwise_Double(int n) => Elementwise<double>(n);

    [Theory, MemberData(nameof(Lengths))] public void Reductions_Float(int n) => Reductions<float>(n);

    [Theory, MemberData(nameof(Lengths))] public void Reductions_Double(int n) => Reductions<double>(n);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 17)]
    [InlineData(31, 33)]
    public void RowOps_Float(int rows, int cols) => RowOps<float>(rows, cols);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 17)]
    [InlineData(31, 33)]
    public void RowOps_Double(int rows, int cols) => RowOps<double>(rows, cols);

    [Fact]
    public void Softmax_IsStable_ForHugeLogits()
    {
        float[] x = [1000f, 1001f, 999f, -1000f, -1001f, -999f];
        float[] y = new float[6];
        O.Softmax(x, y, 3);
        // Row 0 shifted by its max 1001: [-1, 0, -2]; row 1 shifted by -999: [-1, -2, 0].
        double s = Math.Exp(-1) + 1 + Math.Exp(-2);
        double[] expected = [Math.Exp(-1) / s, 1 / s, Math.Exp(-2) / s, Math.Exp(-1) / s, Math.Exp(-2) / s, 1 / s];
        for (int j = 0; j < 6; j++)
        {
            Assert.Equal(expected[j], y[j], 6);
        }
    }

    [Fact]
    public void LogSumExp_SpecialValues()
    {
        Assert.Equal(1000 + Math.Log(2), O.LogSumExp([1000d, 1000d]), 12);
        Assert.Equal(-1000 + Math.Log(2), O.LogSumExp([-1000d, -1000d]), 12);
        Assert.Equal(88.5f + MathF.Log(2), O.LogSumExp([88.5f, 88.5f]), 4); // e^88.5 overflows float without the shift
        Assert.Equal(double.NegativeInfinity, O.LogSumExp(ReadOnlySpan<double>.Empty));
        Assert.Equal(double.PositiveInfinity, O.LogSumExp([1d, double.PositiveInfinity]));
        Assert.Equal(float.NegativeInfinity, O.LogSumExp([float.NegativeInfinity, float.NegativeInfinity]));
        Assert.True(double.IsNaN(O.LogSumExp([1d, double.NaN])));
    }

    [Fact]
    public void SoftmaxCrossEntropy_IsStable_ForHugeLogits()
    {
        float[] logits = [10000f, 0f, -10000f, 5f, 5f, 5f];
        int[] labels = [1, 2];

        // Row 0: logsumexp = 10000 (e^-10000 vanishes), minus logit 0 → 10000. Row 1: ln 3.
        double expected = (10000 + Math.Log(3)) / 2;
        Assert.Equal(expected, O.SoftmaxCrossEntropy(logits, labels, 3), 2);

        float[] grad = new float[6];
        O.SoftmaxCrossEntropyPullback(logits, labels, 3, 1f, grad);
        float[] expectedGrad = [0.5f, -0.5f, 0f, 1f / 6, 1f / 6, 1f / 6 - 0.5f];
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(expectedGrad[i], grad[i], 6);
        }
    }

    [Fact]
    public void Relu_KinkAtZero_HasZeroDerivative()
    {
        double[] x = [0d, -0d, 1e-300, -1e-300, double.NaN];
        double[] y = new double[5];
        O.Relu(x, y);
        Assert.Equal(new[] { 0d, 0d, 1e-300, 0d }, y.Take(4));
        double[] dx = new double[5];
        O.ReluPullback(x, y, dx, [1d, 1d, 1d, 1d, 1d]);
        Assert.Equal(new[] { 0d, 0d, 1d, 0d, 0d }, dx);
    }

    [Fact]
    public void ArgMaxRows_PicksFirstOnTies()
    {
        float[] x = [1, 3, 3, 0, /**/ -5, -6, -7, -5, /**/ 2, 2, 2, 2];
        int[] result = new int[3];
        O.ArgMaxRows(x, result, 4);
        Assert.Equal(new[] { 1, 0, 0 }, result);
        double[] xd = [0.5, 0.25, 0.75];
        int[] single = new int[1];
        O.ArgMaxRows(xd, single, 3);
        Assert.Equal(2, single[0]);
    }

    private static void Elementwise<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(n);
        TestBuffer<T> x = TestBuffer<T>.Random(rng, n, -6, 6), y = new(n);
        double[] xv = x.ToDoubles();

        OpsOf<T>.Relu(x.Span, y.Span);
        AssertClose<T>(xv.Select(v => Math.Max(v, 0)).ToArray(), y.ToDoubles(), "Relu");
        OpsOf<T>.Sigmoid(x.Span, y.Span);
        AssertClose<T>(xv.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(), y.ToDoubles(), "Sigmoid");
        OpsOf<T>.Tanh(x.Span, y.Span);
        AssertClose<T>(xv.Select(Math.Tanh).ToArray(), y.ToDoubles(), "Tanh");
        y.AssertGuardsIntact("y");
    }

    private static void Reductions<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(100 + n);
        TestBuffer<T> x = TestBuffer<T>.Random(rng, n, -3, 3), z = TestBuffer<T>.Random(rng, n, -3, 3);
        double[] xv = x.ToDoubles(), zv = z.ToDoubles();

        AssertClose<T>([xv.Zip(zv, (a, b) => a * b).Sum()], [double.CreateTruncating(OpsOf<T>.Dot(x.Span, z.Span))], "Dot", scale: xv.Zip(zv, (a, b) => Math.Abs(a * b)).Sum());
        AssertClose<T>([xv.Sum()], [double.CreateTruncating(OpsOf<T>.Sum(x.Span))], "Sum", scale: xv.Sum(Math.Abs));
        AssertClose<T>([xv.Zip(zv, (a, b) => (a - b) * (a - b)).Average()], [double.CreateTruncating(OpsOf<T>.Mse(x.Span, z.Span))], "Mse");
        double max = xv.Max();
        AssertClose<T>([max + Math.Log(xv.Sum(v => Math.Exp(v - max)))], [double.CreateTruncating(OpsOf<T>.LogSumExp(x.Span))], "LogSumExp");
    }

    private static void RowOps<T>(int rows, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(rows * 1000 + cols);
        int n = rows * cols;
        TestBuffer<T> x = TestBuffer<T>.Random(rng, n, -4, 4), bias = TestBuffer<T>.Random(rng, cols), y = new(n);
        TestBuffer<T> vec = TestBuffer<T>.Random(rng, cols), mv = new(rows);
        double[] xv = x.ToDoubles(), bv = bias.ToDoubles(), vv = vec.ToDoubles();
        int[] labels = Enumerable.Range(0, rows).Select(_ => rng.Next(cols)).ToArray();

        var softmax = new double[n];
        var addBias = new double[n];
        var matVec = new double[rows];
        double loss = 0;
        for (int r = 0; r < rows; r++)
        {
            double[] row = xv.Skip(r * cols).Take(cols).ToArray();
            double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
            for (int j = 0; j < cols; j++)
            {
                softmax[r * cols + j] = Math.Exp(row[j] - max) / sum;
                addBias[r * cols + j] = row[j] + bv[j];
                matVec[r] += row[j] * vv[j];
            }

            loss += max + Math.Log(sum) - row[labels[r]];
        }

        OpsOf<T>.Softmax(x.Span, y.Span, cols);
        AssertClose<T>(softmax, y.ToDoubles(), "Softmax");
        OpsOf<T>.AddBias(x.Span, bias.Span, y.Span);
        AssertClose<T>(addBias, y.ToDoubles(), "AddBias");
        OpsOf<T>.MatVec(x.Span, vec.Span, mv.Span, rows, cols);
        AssertClose<T>(matVec, mv.ToDoubles(), "MatVec", scale: 4 * 2 * cols);
        AssertClose<T>([loss / rows], [double.CreateTruncating(OpsOf<T>.SoftmaxCrossEntropy(x.Span, labels, cols))], "SoftmaxCrossEntropy");
        y.AssertGuardsIntact("y");
        mv.AssertGuardsIntact("mv");
    }

    /// <param name="scale">Magnitude the error is relative to, for sums with cancellation (default: max(1, |reference|)).</param>
    private static void AssertClose<T>(double[] expected, double[] actual, string what, double scale = 0)
    {
        double tolerance = typeof(T) == typeof(float) ? 2e-6 : 1e-13;
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double allowed = tolerance * Math.Max(scale, Math.Max(1, Math.Abs(expected[i])));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= allowed, $"{what} ({typeof(T).Name}) [{i}]: {actual[i]:R}, expected {expected[i]:R} ± {allowed:E2}");
        }
    }
}
