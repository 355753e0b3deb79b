using System;
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

    /// <summary>A slice out of range throws where the method itself would, with the same exception type.</summary>
    [Fact]
    public void SliceOutOfRangeThrowsLikeTheMethod()
    {
        double[] x = new double[7];
        Assert.Throws<ArgumentOutOfRangeException>(() => SpanViewCode.Moving(x, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpanViewCode.MovingGradient(x, 9, new double[7]));
    }
}
