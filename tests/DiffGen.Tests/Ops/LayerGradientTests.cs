using System;
using System.Linq;
using System.Numerics;
using DiffGen.Layers;
using Xunit;
using static DiffGen.Tests.Ops.GradientChecker;

namespace DiffGen.Tests.Ops;

/// <summary>
/// The layer ops (Conv2D, MaxPool2D, AvgPool2D, Linear): primal values against direct loops in double, and pullbacks
/// against central finite differences (steps and tolerances in <see cref="GradientTolerance"/>: double h = 1e-6·max(1,|x|),
/// relative 1e-6; float h = 1e-2·max(1,|x|), relative 5e-3), on odd sizes, stride 2, padding 1, non-square kernels and
/// batches of 1 and 3, float and double, with pre-filled adjoints (accumulation) and guard elements around every span.
/// </summary>
public class LayerGradientTests
{
    /// <summary>batch, inC, outC, H, W, kH, kW, stride, padding.</summary>
    public static TheoryData<int, int, int, int, int, int, int, int, int> ConvShapes => new()
    {
        { 1, 1, 1, 1, 1, 1, 1, 1, 0 },   // one pixel (the 1×1 path that skips im2col)
        { 3, 3, 4, 5, 6, 1, 1, 1, 0 },   // 1×1 kernel over a batch
        { 1, 2, 3, 5, 7, 3, 3, 1, 1 },   // "same" padding, odd sizes
        { 3, 2, 2, 7, 5, 2, 3, 2, 1 },   // non-square kernel, stride 2, padding 1
        { 1, 1, 2, 6, 4, 3, 2, 3, 0 },   // stride 3, kernel wider than the stride in one direction
        { 3, 2, 3, 9, 8, 3, 1, 2, 2 },   // padding larger than the kernel's half
        { 3, 2, 3, 6, 5, 5, 5, 1, 2 },   // 5×5 "same": the shifted-block lowering with shifts of ±2
        { 1, 2, 2, 4, 6, 1, 3, 1, 1 },   // 1×3 with padding 1: same width, two more rows than the input
        { 3, 1, 2, 1, 5, 5, 5, 1, 2 },   // a 5×5 kernel over a one-row image: most taps see only padding
    };

    /// <summary>batch, C, H, W, kernel, stride, padding.</summary>
    public static TheoryData<int, int, int, int, int, int, int> PoolShapes => new()
    {
        { 1, 1, 1, 1, 1, 1, 0 },
        { 3, 2, 7, 5, 2, 2, 0 },   // odd H/W: the last row and column are dropped (floor)
        { 1, 2, 5, 7, 3, 2, 1 },   // overlapping windows with padding
        { 3, 1, 6, 6, 2, 2, 0 },
        { 1, 3, 7, 7, 3, 1, 1 },   // stride 1: every input in up to 9 windows
        { 3, 2, 8, 6, 2, 1, 1 },   // kernel 2 with padding 1
    };

    /// <summary>batch, in, out.</summary>
    public static TheoryData<int, int, int> LinearShapes => new() { { 1, 1, 1 }, { 3, 5, 7 }, { 2, 17, 3 }, { 1, 33, 1 }, { 3, 40, 33 } };

    [Theory, MemberData(nameof(ConvShapes))]
    public void Conv2D_Float(int n, int c, int o, int h, int w, int kh, int kw, int s, int p) => Conv<float>(n, new Conv2D(c, o, kh, kw, h, w, s, p));

    [Theory, MemberData(nameof(ConvShapes))]
    public void Conv2D_Double(int n, int c, int o, int h, int w, int kh, int kw, int s, int p) => Conv<double>(n, new Conv2D(c, o, kh, kw, h, w, s, p));

    [Theory, MemberData(nameof(PoolShapes))]
    public void MaxPool2D_Float(int n, int c, int h, int w, int k, int s, int p) => MaxPool<float>(n, new Pool2D(c, h, w, k, s, p));

    [Theory, MemberData(nameof(PoolShapes))]
    public void MaxPool2D_Double(int n, int c, int h, int w, int k, int s, int p) => MaxPool<double>(n, new Pool2D(c, h, w, k, s, p));

    [Theory, MemberData(nameof(PoolShapes))]
    public void AvgPool2D_Float(int n, int c, int h, int w, int k, int s, int p) => AvgPool<float>(n, new Pool2D(c, h, w, k, s, p));

    [Theory, MemberData(nameof(PoolShapes))]
    public void AvgPool2D_Double(int n, int c, int h, int w, int k, int s, int p) => AvgPool<double>(n, new Pool2D(c, h, w, k, s, p));

    /// <summary>Rows × features: one feature (variance 0, x̂ = 0), odd widths, a width past one vector, several rows.</summary>
    public static TheoryData<int, int> LayerNormShapes => new() { { 1, 1 }, { 3, 5 }, { 2, 17 }, { 1, 33 }, { 4, 64 } };

    [Theory, MemberData(nameof(LayerNormShapes))]
    public void LayerNorm_Float(int n, int features) => LayerNorm<float>(n, new LayerNorm(features));

    [Theory, MemberData(nameof(LayerNormShapes))]
    public void LayerNorm_Double(int n, int features) => LayerNorm<double>(n, new LayerNorm(features, epsilon: 1e-3));

    [Theory, MemberData(nameof(LinearShapes))]
    public void Linear_Float(int n, int i, int o) => Linear<float>(n, new Linear(i, o));

    [Theory, MemberData(nameof(LinearShapes))]
    public void Linear_Double(int n, int i, int o) => Linear<double>(n, new Linear(i, o));

    /// <summary>A batch large enough to be split over two threads gives the same values and gradients as image by image.</summary>
    [Fact]
    public void Conv2D_SplitBatch_EqualsOneImageAtATime()
    {
        var g = new Conv2D(3, 24, 3, 3, 12, 11, stride: 1, padding: 1);
        const int batch = 16; // 2·16·24·27·132 ≈ 2.7e6 flops: above the two-thread threshold (2e6)
        var rng = new Random(3);
        double[] x = Fill(rng, batch * g.InputSize), weight = Fill(rng, g.WeightLength), bias = Fill(rng, g.BiasLength), dy = Fill(rng, batch * g.OutputSize);
        double[] y = new double[dy.Length], dx = new double[x.Length], dw = new double[weight.Length], db = new double[bias.Length];
        DiffGen.Ops.Conv2D(x, weight, bias, y, g);
        DiffGen.Ops.Conv2DPullback(x, weight, bias, y, g, dx, dw, db, dy);

        double[] dwOne = new double[weight.Length], dbOne = new double[bias.Length];
        for (int i = 0; i < batch; i++)
        {
            var xi = x.AsSpan(i * g.InputSize, g.InputSize);
            var dyi = dy.AsSpan(i * g.OutputSize, g.OutputSize);
            double[] yi = new double[g.OutputSize], dxi = new double[g.InputSize];
            DiffGen.Ops.Conv2D(xi, weight, bias, yi, g);
            DiffGen.Ops.Conv2DPullback(xi, weight, bias, yi, g, dxi, dwOne, dbOne, dyi);
            Assert.Equal(yi, y.AsSpan(i * g.OutputSize, g.OutputSize).ToArray());
            Assert.Equal(dxi, dx.AsSpan(i * g.InputSize, g.InputSize).ToArray());
        }

        for (int i = 0; i < dw.Length; i++)
        {
            Assert.True(Math.Abs(dw[i] - dwOne[i]) <= 1e-12 * Math.Max(1, Math.Abs(dwOne[i])), $"dweight[{i}]: {dw[i]:R} vs {dwOne[i]:R}");
        }

        for (int i = 0; i < db.Length; i++)
        {
            Assert.True(Math.Abs(db[i] - dbOne[i]) <= 1e-12 * Math.Max(1, Math.Abs(dbOne[i])), $"dbias[{i}]: {db[i]:R} vs {dbOne[i]:R}");
        }
    }

    /// <summary>
    /// Float 2 × 2 max pooling runs eight columns per vector; double runs the scalar loop. On rows with many ties and a
    /// few NaNs both must pick the same element of every window (first maximum in row-major order, last NaN): the
    /// outputs and the routed adjoints agree exactly.
    /// </summary>
    [Fact]
    public void MaxPool2D_VectorPath_MatchesScalarPath_WithTiesAndNaN()
    {
        var g = new Pool2D(3, 6, 21, 2); // 20 columns used per row: two vectors of 8 and a scalar tail of 4
        const int batch = 2;
        var rng = new Random(8);
        float[] x = new float[batch * g.InputSize];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.Next(50) == 0 ? float.NaN : rng.Next(3);
        }

        float[] dy = Fill(rng, batch * g.OutputSize).Select(v => (float)v).ToArray();
        float[] y = new float[dy.Length], dx = new float[x.Length];
        double[] xd = Array.ConvertAll(x, v => (double)v), dyd = Array.ConvertAll(dy, v => (double)v);
        double[] yd = new double[dy.Length], dxd = new double[x.Length];
        DiffGen.Ops.MaxPool2D(x, y, g);
        DiffGen.Ops.MaxPool2DPullback(x, y, g, dx, dy);
        DiffGen.Ops.MaxPool2D(xd, yd, g);
        DiffGen.Ops.MaxPool2DPullback(xd, yd, g, dxd, dyd);
        Assert.Equal(yd, Array.ConvertAll(y, v => (double)v));
        Assert.Equal(dxd, Array.ConvertAll(dx, v => (double)v));
        Assert.Contains(y, float.IsNaN);
    }

    /// <summary>
    /// Two threads running split pullbacks of different sizes at once share the one helper thread: each caller must get
    /// exactly its own gradients every time (the second half's partial dW and db belong to the caller's work item, not to
    /// whichever thread computed it, so the helper's next job cannot clear or reallocate them).
    /// </summary>
    [Fact]
    public void Conv2D_ConcurrentCallers_GetTheirOwnGradients()
    {
        var small = new Conv2D(3, 24, 3, 3, 12, 11, stride: 1, padding: 1);
        var large = new Conv2D(4, 32, 3, 3, 16, 15, stride: 1, padding: 1);
        (Conv2D Layer, double[] X, double[] W, double[] B, double[] Dy, double[] Dw, double[] Db)[] cases = new[] { small, large }.Select((g, i) =>
        {
            var rng = new Random(20 + i);
            const int batch = 16;
            double[] x = Fill(rng, batch * g.InputSize), w = Fill(rng, g.WeightLength), b = Fill(rng, g.BiasLength), dy = Fill(rng, batch * g.OutputSize);
            double[] y = new double[dy.Length], dw = new double[w.Length], db = new double[b.Length];
            DiffGen.Ops.Conv2DPullback(x, w, b, y, g, default, dw, db, dy);
            return (g, x, w, b, dy, dw, db);
        }).ToArray();

        System.Threading.Tasks.Parallel.For(0, 2, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var c = cases[i];
            double[] y = new double[c.Dy.Length], dw = new double[c.W.Length], db = new double[c.B.Length];
            for (int round = 0; round < 150; round++)
            {
                Array.Clear(dw);
                Array.Clear(db);
                DiffGen.Ops.Conv2DPullback(c.X, c.W, c.B, y, c.Layer, default, dw, db, c.Dy);
                Assert.Equal(c.Dw, dw);
                Assert.Equal(c.Db, db);
            }
        });
    }

    /// <summary>Empty adjoints are skipped, and the others are the same as when every adjoint is requested.</summary>
    [Fact]
    public void Conv2D_EmptyAdjointsAreSkipped()
    {
        var g = new Conv2D(2, 3, 3, 3, 6, 5, stride: 2, padding: 1);
        var rng = new Random(4);
        float[] x = Fill(rng, 3 * g.InputSize).Select(v => (float)v).ToArray(), w = Fill(rng, g.WeightLength).Select(v => (float)v).ToArray();
        float[] b = new float[g.BiasLength], y = new float[3 * g.OutputSize], dy = Fill(rng, y.Length).Select(v => (float)v).ToArray();
        float[] dxAll = new float[x.Length], dwAll = new float[w.Length], dbAll = new float[b.Length];
        DiffGen.Ops.Conv2DPullback(x, w, b, y, g, dxAll, dwAll, dbAll, dy);
        float[] dxOnly = new float[x.Length], dwOnly = new float[w.Length], dbOnly = new float[b.Length];
        DiffGen.Ops.Conv2DPullback(x, w, b, y, g, dxOnly, default, default, dy);
        DiffGen.Ops.Conv2DPullback(x, w, b, y, g, default, dwOnly, default, dy);
        DiffGen.Ops.Conv2DPullback(x, w, b, y, g, default, default, dbOnly, dy);
        Assert.Equal(dxAll, dxOnly);
        Assert.Equal(dwAll, dwOnly);
        Assert.Equal(dbAll, dbOnly);
    }

    private static Random Rng(string op, params int[] shape) => new(HashCode.Combine(op, shape.Aggregate(17, (h, v) => h * 31 + v)));

    private static double[] Fill(Random rng, int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();

    private static void Conv<T>(int batch, Conv2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("Conv2D", batch, g.InChannels, g.OutChannels, g.InputHeight, g.InputWidth, g.KernelHeight, g.KernelWidth, g.Stride, g.Padding);
        TestBuffer<T> x = TestBuffer<T>.Random(rng, batch * g.InputSize), w = TestBuffer<T>.Random(rng, g.WeightLength), b = TestBuffer<T>.Random(rng, g.BiasLength);
        TestBuffer<T> y = new(batch * g.OutputSize), dy = TestBuffer<T>.Random(rng, y.Length), dyCopy = dy.Clone();
        TestBuffer<T> dx = TestBuffer<T>.Random(rng, x.Length), dw = TestBuffer<T>.Random(rng, w.Length), db = TestBuffer<T>.Random(rng, b.Length);
        string label = $"Conv2D n={batch} {g.InChannels}→{g.OutChannels} {g.InputHeight}×{g.InputWidth} k={g.KernelHeight}×{g.KernelWidth} s={g.Stride} p={g.Padding}";

        OpsOf<T>.Conv2D(x.Span, w.Span, b.Span, y.Span, g);
        double[] expected = DirectConv(x.ToDoubles(), w.ToDoubles(), b.ToDoubles(), batch, g);
        AssertClose(label, expected, y);

        Check(label, [x, w, b], [dx, dw, db],
            () =>
            {
                OpsOf<T>.Conv2D(x.Span, w.Span, b.Span, y.Span, g);
                return WeightedSum(y, dy);
            },
            () => OpsOf<T>.Conv2DPullback(x.Span, w.Span, b.Span, y.Span, g, dx.Span, dw.Span, db.Span, dy.Span));
        Assert.Equal(dyCopy.ToDoubles(), dy.ToDoubles());
        y.AssertGuardsIntact(label + ": y");
    }

    private static void MaxPool<T>(int batch, Pool2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("MaxPool2D", batch, g.Channels, g.InputHeight, g.InputWidth, g.KernelSize, g.Stride, g.Padding);
        TestBuffer<T> x = Distinct<T>(rng, batch * g.Channels, g.InputHeight * g.InputWidth);
        TestBuffer<T> y = new(batch * g.OutputSize), dy = TestBuffer<T>.Random(rng, y.Length), dx = TestBuffer<T>.Random(rng, x.Length);
        string label = $"MaxPool2D n={batch} c={g.Channels} {g.InputHeight}×{g.InputWidth} k={g.KernelSize} s={g.Stride} p={g.Padding}";

        OpsOf<T>.MaxPool2D(x.Span, y.Span, g);
        AssertClose(label, DirectPool(x.ToDoubles(), batch, g, max: true), y);
        Check(label, [x], [dx],
            () =>
            {
                OpsOf<T>.MaxPool2D(x.Span, y.Span, g);
                return WeightedSum(y, dy);
            },
            () => OpsOf<T>.MaxPool2DPullback(x.Span, y.Span, g, dx.Span, dy.Span));
        y.AssertGuardsIntact(label + ": y");
    }

    private static void AvgPool<T>(int batch, Pool2D g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("AvgPool2D", batch, g.Channels, g.InputHeight, g.InputWidth, g.KernelSize, g.Stride, g.Padding);
        TestBuffer<T> x = TestBuffer<T>.Random(rng, batch * g.InputSize), y = new(batch * g.OutputSize);
        TestBuffer<T> dy = TestBuffer<T>.Random(rng, y.Length), dx = TestBuffer<T>.Random(rng, x.Length);
        string label = $"AvgPool2D n={batch} c={g.Channels} {g.InputHeight}×{g.InputWidth} k={g.KernelSize} s={g.Stride} p={g.Padding}";

        OpsOf<T>.AvgPool2D(x.Span, y.Span, g);
        AssertClose(label, DirectPool(x.ToDoubles(), batch, g, max: false), y);
        Check(label, [x], [dx],
            () =>
            {
                OpsOf<T>.AvgPool2D(x.Span, y.Span, g);
                return WeightedSum(y, dy);
            },
            () => OpsOf<T>.AvgPool2DPullback(x.Span, y.Span, g, dx.Span, dy.Span));
        y.AssertGuardsIntact(label + ": y");
    }

    private static void LayerNorm<T>(int batch, LayerNorm g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("LayerNorm", batch, g.Features, 0);
        int n = g.Features;
        TestBuffer<T> x = TestBuffer<T>.Random(rng, batch * n), gamma = TestBuffer<T>.Random(rng, n), beta = TestBuffer<T>.Random(rng, n);
        TestBuffer<T> y = new(batch * n), dy = TestBuffer<T>.Random(rng, y.Length);
        TestBuffer<T> dx = TestBuffer<T>.Random(rng, x.Length), dgamma = TestBuffer<T>.Random(rng, n), dbeta = TestBuffer<T>.Random(rng, n);
        string label = $"LayerNorm n={batch} features={n} eps={g.Epsilon}";

        OpsOf<T>.LayerNorm(x.Span, gamma.Span, beta.Span, y.Span, g);
        double[] xs = x.ToDoubles(), gs = gamma.ToDoubles(), bs = beta.ToDoubles();
        double[] expected = new double[y.Length];
        for (int r = 0; r < batch; r++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < n; i++)
            {
                mean += xs[r * n + i] / n;
            }

            for (int i = 0; i < n; i++)
            {
                variance += (xs[r * n + i] - mean) * (xs[r * n + i] - mean) / n;
            }

            for (int i = 0; i < n; i++)
            {
                expected[r * n + i] = (xs[r * n + i] - mean) / Math.Sqrt(variance + g.Epsilon) * gs[i] + bs[i];
            }
        }

        AssertClose(label, expected, y);
        Check(label, [x, gamma, beta], [dx, dgamma, dbeta],
            () =>
            {
                OpsOf<T>.LayerNorm(x.Span, gamma.Span, beta.Span, y.Span, g);
                return WeightedSum(y, dy);
            },
            () => OpsOf<T>.LayerNormPullback(x.Span, gamma.Span, beta.Span, y.Span, g, dx.Span, dgamma.Span, dbeta.Span, dy.Span));
        y.AssertGuardsIntact(label + ": y");
    }

    private static void Linear<T>(int batch, Linear g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Random rng = Rng("Linear", batch, g.InFeatures, g.OutFeatures);
        TestBuffer<T> x = TestBuffer<T>.Random(rng, batch * g.InFeatures), w = TestBuffer<T>.Random(rng, g.WeightLength), b = TestBuffer<T>.Random(rng, g.BiasLength);
        TestBuffer<T> y = new(batch * g.OutFeatures), dy = TestBuffer<T>.Random(rng, y.Length);
        TestBuffer<T> dx = TestBuffer<T>.Random(rng, x.Length), dw = TestBuffer<T>.Random(rng, w.Length), db = TestBuffer<T>.Random(rng, b.Length);
        string label = $"Linear n={batch} {g.InFeatures}→{g.OutFeatures}";

        OpsOf<T>.Linear(x.Span, w.Span, b.Span, y.Span, g);
        double[] xs = x.ToDoubles(), ws = w.ToDoubles(), bs = b.ToDoubles();
        double[] expected = new double[y.Length];
        for (int r = 0; r < batch; r++)
        {
            for (int o = 0; o < g.OutFeatures; o++)
            {
                double sum = bs[o];
                for (int i = 0; i < g.InFeatures; i++)
                {
                    sum += xs[r * g.InFeatures + i] * ws[o * g.InFeatures + i]; // W is [out, in]
                }

                expected[r * g.OutFeatures + o] = sum;
            }
        }

        AssertClose(label, expected, y);
        Check(label, [x, w, b], [dx, dw, db],
            () =>
            {
                OpsOf<T>.Linear(x.Span, w.Span, b.Span, y.Span, g);
                return WeightedSum(y, dy);
            },
            () => OpsOf<T>.LinearPullback(x.Span, w.Span, b.Span, y.Span, g, dx.Span, dw.Span, db.Span, dy.Span));
    }

    /// <summary>
    /// Each plane a random permutation of values 0.05 apart: no ties within a window, and every gap between a window's
    /// two largest values exceeds twice the largest finite-difference step (0.01 for float here), so no step crosses a kink.
    /// </summary>
    private static TestBuffer<T> Distinct<T>(Random rng, int planes, int planeSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var buffer = new TestBuffer<T>(planes * planeSize);
        for (int p = 0; p < planes; p++)
        {
            int[] order = Enumerable.Range(0, planeSize).OrderBy(_ => rng.Next()).ToArray();
            for (int i = 0; i < planeSize; i++)
            {
                buffer[p * planeSize + i] = (order[i] - planeSize / 2) * 0.05;
            }
        }

        return buffer;
    }

    /// <summary>The convolution written as its definition, in double.</summary>
    private static double[] DirectConv(double[] x, double[] w, double[] b, int batch, Conv2D g)
    {
        var y = new double[batch * g.OutputSize];
        int index = 0;
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < g.OutChannels; o++)
            {
                for (int r = 0; r < g.OutputHeight; r++)
                {
                    for (int q = 0; q < g.OutputWidth; q++)
                    {
                        double sum = b[o];
                        for (int c = 0; c < g.InChannels; c++)
                        {
                            for (int i = 0; i < g.KernelHeight; i++)
                            {
                                for (int j = 0; j < g.KernelWidth; j++)
                                {
                                    int ih = r * g.Stride - g.Padding + i, iw = q * g.Stride - g.Padding + j;
                                    if (ih >= 0 && ih < g.InputHeight && iw >= 0 && iw < g.InputWidth)
                                    {
                                        sum += w[((o * g.InChannels + c) * g.KernelHeight + i) * g.KernelWidth + j]
                                            * x[((n * g.InChannels + c) * g.InputHeight + ih) * g.InputWidth + iw];
                                    }
                                }
                            }
                        }

                        y[index++] = sum;
                    }
                }
            }
        }

        return y;
    }

    /// <summary>Pooling by its definition: max over in-range positions, or sum over them divided by k².</summary>
    private static double[] DirectPool(double[] x, int batch, Pool2D g, bool max)
    {
        var y = new double[batch * g.OutputSize];
        int index = 0;
        for (int plane = 0; plane < batch * g.Channels; plane++)
        {
            for (int r = 0; r < g.OutputHeight; r++)
            {
                for (int q = 0; q < g.OutputWidth; q++)
                {
                    double value = max ? double.NegativeInfinity : 0;
                    for (int i = 0; i < g.KernelSize; i++)
                    {
                        for (int j = 0; j < g.KernelSize; j++)
                        {
                            int ih = r * g.Stride - g.Padding + i, iw = q * g.Stride - g.Padding + j;
                            if (ih >= 0 && ih < g.InputHeight && iw >= 0 && iw < g.InputWidth)
                            {
                                double v = x[(plane * g.InputHeight + ih) * g.InputWidth + iw];
                                value = max ? Math.Max(value, v) : value + v;
                            }
                        }
                    }

                    y[index++] = max ? value : value / (g.KernelSize * g.KernelSize);
                }
            }
        }

        return y;
    }

    /// <summary>Relative 1e-12 for double, 1e-5 for float (sums of up to 100 rounded products), of max(1, |reference|).</summary>
    private static void AssertClose<T>(string label, double[] expected, TestBuffer<T> actual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double tolerance = typeof(T) == typeof(float) ? 1e-5 : 1e-12;
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"{label} ({typeof(T).Name}): y[{i}] = {actual[i]:R}, direct loop {expected[i]:R}");
        }
    }
}
