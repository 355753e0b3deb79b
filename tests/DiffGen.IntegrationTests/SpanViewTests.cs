using System;
using System.Linq;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests;

/// <summary>Spans viewing part of a vector: Slice, AsSpan, ranges (with ^), a view rebound in a loop, helpers taking views.</summary>
public static partial class SpanViewCode
{
    /// <summary>A matrix as rows: ReadOnlySpan row = w.Slice(i * n, n) inside the loop.</summary>
    [Differentiable]
    public static double Rows(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        int n = x.Length;
        int m = w.Length / n;
        double s = 0;
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> row = w.Slice(i * n, n);
            double z = 0;
            for (int j = 0; j < row.Length; j++)
            {
                z += row[j] * x[j];
            }

            s += Math.Tanh(z);
        }

        return s;
    }

    /// <summary>Ranges and index-from-end on an array and on spans, AsSpan, a whole-array span, helpers handed slices.</summary>
    [Differentiable]
    public static double Ranges(double[] x)
    {
        double first = x[0];
        double last = x[^1];
        double s = 0;
        foreach (double v in x.AsSpan()[1..^1])
        {
            s += v * v;
        }

        ReadOnlySpan<double> tail = x.AsSpan(2);
        s += Dot(tail, x.AsSpan(0, tail.Length));
        ReadOnlySpan<double> all = x;
        return (first * last) + s + (all[1] * Sum(x[..3])) + tail[^2];
    }

    /// <summary>A window declared once and moved each iteration (window = x.Slice(t, k)).</summary>
    [Differentiable]
    public static double Moving(ReadOnlySpan<double> x, int k)
    {
        double s = 0;
        ReadOnlySpan<double> window = x[..k];
        for (int t = 0; t + k <= x.Length; t++)
        {
            window = x.Slice(t, k);
            double m = 0;
            foreach (double v in window)
            {
                m += v;
            }

            s += Math.Sin(m / k);
        }

        return s;
    }

    /// <summary>Writes through a view of local scratch.</summary>
    [Differentiable]
    public static double PairsInScratch(ReadOnlySpan<double> x)
    {
        Span<double> h = stackalloc double[x.Length * 2];
        for (int i = 0; i < x.Length; i++)
        {
            Span<double> pair = h.Slice(2 * i, 2);
            pair[0] = Math.Exp(x[i]);
            pair[1] = pair[0] * x[i];
        }

        double s = 0;
        for (int i = 0; i < h.Length; i++)
        {
            s += h[i] * h[(i + 1) % h.Length];
        }

        return s;
    }

    /// <summary>Copies: ToArray and Clone into new arrays that are then edited, CopyTo, Array.Copy with offsets, a slice copied into scratch.</summary>
    [Differentiable]
    public static double Copies(double[] x)
    {
        double[] c = x.ToArray();
        c[0] *= 2;
        double[] d = (double[])x.Clone();
        d[1] = Math.Sin(d[1]);
        var e = new double[x.Length + 2];
        x.CopyTo(e, 1);
        var f = new double[x.Length];
        Array.Copy(e, 2, f, 0, x.Length - 1);
        Span<double> t = stackalloc double[3];
        x.AsSpan().Slice(1, 3).CopyTo(t);
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += (c[i] * d[i]) + (e[i + 1] * f[i] * (i + 1)) + (t[i % 3] * t[(i + 1) % 3]);
        }

        return s;
    }

    /// <summary>A batch loss as the mean of a [Differentiable] per-sample loss over rows of the data (xs.Slice(i * d, d)).</summary>
    [Differentiable(nameof(w))]
    public static double BatchLoss(ReadOnlySpan<double> w, ReadOnlySpan<double> xs, ReadOnlySpan<double> ys)
    {
        int d = w.Length;
        double total = 0;
        for (int i = 0; i < ys.Length; i++)
        {
            total += SampleLoss(w, xs.Slice(i * d, d), ys[i]);
        }

        return total / ys.Length;
    }

    [Differentiable(nameof(w))]
    public static double SampleLoss(ReadOnlySpan<double> w, ReadOnlySpan<double> x, double y)
    {
        double z = 0;
        for (int j = 0; j < x.Length; j++)
        {
            z += w[j] * x[j];
        }

        double e = Math.Tanh(z) - y;
        return e * e;
    }

    /// <summary>A [Differentiable] callee handed differentiated segments of the input.</summary>
    [Differentiable]
    public static double Segments(ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int k = 0; k + 2 <= v.Length; k += 2)
        {
            s += Norm2(v.Slice(k, 2)) * (k + 1);
        }

        return s;
    }

    [Differentiable]
    public static double Norm2(ReadOnlySpan<double> a) => Math.Sqrt((a[0] * a[0]) + (a[1] * a[1]));

    /// <summary>Rows and ranges handed to Ops.Dot (a registered derivative): its pullback adds into the same windows.</summary>
    [Differentiable]
    public static double RowsThroughOps(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        double s = 0;
        int n = x.Length;
        for (int i = 0; i < w.Length / n; i++)
        {
            ReadOnlySpan<double> row = w.Slice(i * n, n);
            s += Math.Tanh(Ops.Dot(row, x)) + Ops.Dot(w.Slice(i * n, 2), x[..2]);
        }

        return s;
    }

    /// <summary>A slice of scratch rewritten every iteration handed to Ops.Dot.</summary>
    [Differentiable]
    public static double ScratchThroughOps(ReadOnlySpan<double> x)
    {
        double[] h = new double[x.Length];
        double s = 0;
        for (int k = 0; k < 3; k++)
        {
            for (int i = 0; i < x.Length; i++)
            {
                h[i] = Math.Sin(x[i] * (k + 1));
            }

            s += Ops.Dot(h.AsSpan(1), x[1..]) * (k + 1);
        }

        return s;
    }

    /// <summary>Vectors written as their elements: { a, b }, new[] { … }, a collection expression, stackalloc[] { … }.</summary>
    [Differentiable]
    public static double Listed(double a, double b)
    {
        double[] v = { a, b, a * b };
        double[] u = new[] { 1.0, 2.0, 3.0 };
        double[] c = [a - b, 0.5, Math.Sin(b)];
        Span<double> t = stackalloc double[] { b * b, a };
        double s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            s += v[i] * u[i] * c[i];
        }

        return s + (t[0] * t[1]);
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    private static double Sum(ReadOnlySpan<double> a)
    {
        double s = 0;
        foreach (double v in a)
        {
            s += v;
        }

        return s;
    }
}

public class SpanViewTests
{
    [Fact]
    public void RowsSlicedInsideTheLoop() =>
        Check(x => SpanViewCode.Rows(x.AsSpan(0, 12), x.AsSpan(12)), (x, g) => SpanViewCode.RowsGradient(x.AsSpan(0, 12), x.AsSpan(12), g.AsSpan(0, 12), g.AsSpan(12)), 16);

    [Fact]
    public void RangesAsSpanAndIndexFromEnd() =>
        Check(SpanViewCode.Ranges, (x, g) => SpanViewCode.RangesGradient(x, g), 7);

    [Fact]
    public void WindowRebindEachIteration() =>
        Check(x => SpanViewCode.Moving(x, 3), (x, g) => SpanViewCode.MovingGradient(x, 3, g), 8);

    [Fact]
    public void WritesThroughAViewOfScratch() =>
        Check(x => SpanViewCode.PairsInScratch(x), (x, g) => SpanViewCode.PairsInScratchGradient(x, g), 5, sample: (r, _) => r.NextDouble() - 0.5);

    [Fact]
    public void DifferentiableCalleeOnRowsOfTheData()
    {
        var random = new Random(3);
        double[] xs = new double[12];
        double[] ys = new double[4];
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] = random.NextDouble() - 0.5;
        }

        for (int i = 0; i < ys.Length; i++)
        {
            ys[i] = random.NextDouble() - 0.5;
        }

        Check(w => SpanViewCode.BatchLoss(w, xs, ys), (w, g) => SpanViewCode.BatchLossGradient(w, xs, ys, g), 3);
    }

    [Fact]
    public void DifferentiableCalleeOnDifferentiatedSegments() =>
        Check(x => SpanViewCode.Segments(x), (x, g) => SpanViewCode.SegmentsGradient(x, g), 6);

    [Fact]
    public void SlicesIntoARegisteredDerivative() =>
        Check(x => SpanViewCode.RowsThroughOps(x.AsSpan(0, 12), x.AsSpan(12)), (x, g) => SpanViewCode.RowsThroughOpsGradient(x.AsSpan(0, 12), x.AsSpan(12), g.AsSpan(0, 12), g.AsSpan(12)), 16);

    [Fact]
    public void SliceOfRewrittenScratchIntoARegisteredDerivative() =>
        Check(x => SpanViewCode.ScratchThroughOps(x), (x, g) => SpanViewCode.ScratchThroughOpsGradient(x, g), 5);

    [Fact]
    public void VectorsWrittenAsTheirElements() =>
        Check(
            x => SpanViewCode.Listed(x[0], x[1]),
            (x, g) =>
            {
                double da = 0, db = 0;
                double value = SpanViewCode.ListedGradient(x[0], x[1], ref da, ref db);
                g[0] += da;
                g[1] += db;
                return value;
            },
            2);

    [Fact]
    public void CopiesCarryTheDerivativeToTheirSource() =>
        Check(SpanViewCode.Copies, (x, g) => SpanViewCode.CopiesGradient(x, g), 5);

    /// <summary>A copy into a destination too short throws where the method itself would (ArgumentException).</summary>
    [Fact]
    public void CopyIntoTooShortADestinationThrowsLikeTheMethod()
    {
        double[] x = new double[3];
        Assert.ThrowsAny<ArgumentException>(() => SpanViewCode.Copies(x));
        Assert.ThrowsAny<ArgumentException>(() => SpanViewCode.CopiesGradient(x, new double[3]));
    }

    /// <summary>A slice out of range throws where the method itself would, with the same exception type.</summary>
    [Fact]
    public void SliceOutOfRangeThrowsLikeTheMethod()
    {
        double[] x = new double[7];
        Assert.Throws<ArgumentOutOfRangeException>(() => SpanViewCode.Moving(x, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpanViewCode.MovingGradient(x, 9, new double[7]));
    }
}
