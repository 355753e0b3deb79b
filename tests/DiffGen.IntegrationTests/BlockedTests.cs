using System;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Sliding windows whose gradient additions run a block of 256 outputs at a time, against central differences (double,
/// 1e-5 relative; GradientCheck): output counts below, at and across the block size (partial last blocks, going up in
/// fused loops and down in reverse sweeps); float against the closed form computed in double (1e-4 relative).
/// </summary>
public class BlockedTests
{
    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 255)]
    [InlineData(5, 256)]
    [InlineData(7, 257)]
    [InlineData(2, 600)]
    public void ConvolutionInBlocks(int taps, int outputs)
    {
        int n = outputs + taps - 1;
        double[] target = Target(outputs);
        Check(
            x => BlockedFunctions.Convolution(x.AsSpan(0, taps), x.AsSpan(taps), target),
            (x, g) => BlockedFunctions.ConvolutionGradient(x.AsSpan(0, taps), x.AsSpan(taps), target, g.AsSpan(0, taps), g.AsSpan(taps)),
            taps + n,
            points: 2);
    }

    [Theory]
    [InlineData(3, 40)]
    [InlineData(4, 300)]
    public void ReassociatedConvolutionInBlocks(int taps, int outputs)
    {
        // The value's reductions are reassociated too: compared with the function's within 1e-12 instead of bit for bit.
        int n = outputs + taps - 1;
        double[] target = Target(outputs);
        var random = new Random(7);
        double[] x = new double[taps + n];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble() - 0.5;
        }

        double[] g = new double[x.Length], expected = new double[x.Length];
        double value = BlockedFunctions.ConvolutionReassociatedGradient(x.AsSpan(0, taps), x.AsSpan(taps), target, g.AsSpan(0, taps), g.AsSpan(taps));
        double reference = BlockedFunctions.ConvolutionGradient(x.AsSpan(0, taps), x.AsSpan(taps), target, expected.AsSpan(0, taps), expected.AsSpan(taps));
        Assert.Equal(reference, value, 1e-12);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(g[i] - expected[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"entry {i}: {g[i]} vs {expected[i]}");
        }
    }

    [Theory]
    [InlineData(3, 10)]
    [InlineData(4, 256)]
    [InlineData(6, 513)]
    public void TwoSweepsInBlocksGoingDown(int taps, int outputs) => Check(
        x => BlockedFunctions.LogLoss(x[..taps], x[taps..^1], x[^1]),
        (x, g) =>
        {
            double[] dk = new double[taps], ds = new double[outputs + taps - 1];
            double db = 0;
            double value = BlockedFunctions.LogLossGradient(x[..taps], x[taps..^1], x[^1], dk, ds, ref db);
            Add(g, 0, dk);
            Add(g, taps, ds);
            g[^1] += db;
            return value;
        },
        taps + outputs + taps,
        points: 2);

    [Theory]
    [InlineData(2, 30)]
    [InlineData(3, 300)]
    public void ScalarTimesTapPosition(int taps, int outputs) => Check(
        x => BlockedFunctions.ScaledTaps(x[0], x[1..], taps),
        (x, g) =>
        {
            double[] ds = new double[outputs + taps - 1];
            double dscale = 0;
            double value = BlockedFunctions.ScaledTapsGradient(x[0], x[1..], taps, ref dscale, ds);
            g[0] += dscale;
            Add(g, 1, ds);
            return value;
        },
        1 + outputs + taps - 1,
        points: 2);

    [Theory]
    [InlineData(3, 2, 20)]
    [InlineData(5, 4, 400)]
    public void TwoLayersOfConvolution(int taps1, int taps2, int n) => Check(
        x => BlockedFunctions.TwoLayers(x[..taps1], x[taps1..(taps1 + taps2)], x[(taps1 + taps2)..], new double[n]),
        (x, g) =>
        {
            double[] d1 = new double[taps1], d2 = new double[taps2], dx = new double[n];
            double value = BlockedFunctions.TwoLayersGradient(x[..taps1], x[taps1..(taps1 + taps2)], x[(taps1 + taps2)..], new double[n], d1, d2, dx);
            Add(g, 0, d1);
            Add(g, taps1, d2);
            Add(g, taps1 + taps2, dx);
            return value;
        },
        taps1 + taps2 + n,
        points: 2);

    [Theory]
    [InlineData(3, 12)]
    [InlineData(4, 270)]
    public void TwoFiltersKeepTwoScalars(int taps, int n) => Check(
        x => BlockedFunctions.TwoFilters(x[..taps], x[taps..(2 * taps)], x[(2 * taps)..]),
        (x, g) =>
        {
            double[] da = new double[taps], db = new double[taps], ds = new double[n];
            double value = BlockedFunctions.TwoFiltersGradient(x[..taps], x[taps..(2 * taps)], x[(2 * taps)..], da, db, ds);
            Add(g, 0, da);
            Add(g, taps, db);
            Add(g, 2 * taps, ds);
            return value;
        },
        (2 * taps) + n,
        points: 2);

    [Theory]
    [InlineData(2, 9)]
    [InlineData(3, 300)]
    public void SelfCorrelation(int taps, int n) => Check(
        x => BlockedFunctions.SelfCorrelation(x, taps),
        (x, g) => BlockedFunctions.SelfCorrelationGradient(x, taps, g),
        n,
        points: 2);

    [Theory]
    [InlineData(3, 50)]
    [InlineData(5, 700)]
    public void FloatConvolutionAgainstTheClosedForm(int taps, int outputs)
    {
        int n = outputs + taps - 1;
        var random = new Random(3);
        float[] kernel = RandomFloats(random, taps), signal = RandomFloats(random, n);

        float[] dk = new float[taps], ds = new float[n];
        BlockedFunctions.FloatConvolutionGradient(kernel, signal, dk, ds);

        // dL/dy_t = ½(1 − tanh² y_t); dk[k] = Σ_t dy_t·s[t + k]; ds[t + k] += k[k]·dy_t — in double.
        double[] ek = new double[taps], es = new double[n];
        for (int t = 0; t < outputs; t++)
        {
            double y = 0;
            for (int k = 0; k < taps; k++)
            {
                y += (double)kernel[k] * signal[t + k];
            }

            double dy = 0.5 * (1 - (Math.Tanh(y) * Math.Tanh(y)));
            for (int k = 0; k < taps; k++)
            {
                ek[k] += dy * signal[t + k];
                es[t + k] += dy * kernel[k];
            }
        }

        AssertClose(dk, ek, "dkernel");
        AssertClose(ds, es, "dsignal");
    }

    [Fact]
    public void ThreeFactorTapsInSinglePrecision()
    {
        // d/dk[k] = Σ_t (1 − tanh² y_t)·s[t + k]²; d/ds[j] = Σ 2·k[k]·s[j]·(1 − tanh² y_t) over t + k = j.
        var random = new Random(5);
        const int taps = 3, n = 300;
        float[] kernel = RandomFloats(random, taps), signal = RandomFloats(random, n);

        float[] dk = new float[taps], ds = new float[n];
        BlockedFunctions.SquaredTapsGradient(kernel, signal, dk, ds);
        double[] ek = new double[taps], es = new double[n];
        for (int t = 0; t + taps <= n; t++)
        {
            double y = 0;
            for (int k = 0; k < taps; k++)
            {
                y += (double)kernel[k] * signal[t + k] * signal[t + k];
            }

            double dy = 1 - (Math.Tanh(y) * Math.Tanh(y));
            for (int k = 0; k < taps; k++)
            {
                ek[k] += dy * signal[t + k] * signal[t + k];
                es[t + k] += dy * 2 * kernel[k] * signal[t + k];
            }
        }

        AssertClose(dk, ek, "dkernel");
        AssertClose(ds, es, "dsignal");
    }

    [Theory]
    [InlineData(3, 20)]
    [InlineData(2, 300)]
    public void JacobianRowsOfAConvolution(int taps, int outputs)
    {
        int n = outputs + taps - 1;
        JacobianCheck.Check(
            (x, y) => BlockedFunctions.Activations(x.AsSpan(0, taps), x.AsSpan(taps), y),
            (x, v, y, dy) => BlockedFunctions.ActivationsPushforward(x.AsSpan(0, taps), x.AsSpan(taps), y, v.AsSpan(0, taps), v.AsSpan(taps), dy),
            (x, y, dy, g) => BlockedFunctions.ActivationsPullback(x.AsSpan(0, taps), x.AsSpan(taps), y, dy, g.AsSpan(0, taps), g.AsSpan(taps)),
            (x, y, j) => BlockedFunctions.ActivationsJacobian(x.AsSpan(0, taps), x.AsSpan(taps), y, j),
            taps + n,
            outputs,
            points: 2);
    }

    private static float[] RandomFloats(Random random, int n)
    {
        float[] values = new float[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        return values;
    }

    /// <summary>Each float entry within 1e-4 relative of the closed form computed in double.</summary>
    private static void AssertClose(float[] actual, double[] expected, string name)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"{name}[{i}]: {actual[i]} vs {expected[i]}");
        }
    }

    private static double[] Target(int outputs)
    {
        double[] target = new double[outputs];
        for (int t = 0; t < outputs; t++)
        {
            target[t] = 0.3 * Math.Sin(t);
        }

        return target;
    }

    private static void Add(double[] g, int at, double[] part)
    {
        for (int i = 0; i < part.Length; i++)
        {
            g[at + i] += part[i];
        }
    }
}
