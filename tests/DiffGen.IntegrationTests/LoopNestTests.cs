using System;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;
using F = DiffGen.IntegrationTests.Functions;

namespace DiffGen.IntegrationTests;

/// <summary>Loops as people write them, against central finite differences (tolerance in <see cref="GradientCheck"/>).</summary>
public class LoopNestTests
{
    [Theory]
    [InlineData(6)]
    [InlineData(15)]
    public void PairPotential(int n) => Check(x => F.PairPotential(x), (x, g) => F.PairPotentialGradient(x, g), n);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void PairsBelow(int n) => Check(x => F.PairsBelow(x), (x, g) => F.PairsBelowGradient(x, g), n);

    [Fact]
    public void DenseTanh() =>
        Check(
            x => F.DenseTanh(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3)),
            (x, g) => F.DenseTanhGradient(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3), g.AsSpan(0, 12), g.AsSpan(12, 3)),
            22,
            Mask(22, 15, 16, 17, 18, 19, 20, 21));

    [Fact]
    public void SoftmaxNested()
    {
        foreach (int label in new[] { 0, 2 })
        {
            Check(
                x => F.SoftmaxNested(x.AsSpan(0, 15), x.AsSpan(15, 3), x.AsSpan(18, 5), label),
                (x, g) => F.SoftmaxNestedGradient(x.AsSpan(0, 15), x.AsSpan(15, 3), x.AsSpan(18, 5), label, g.AsSpan(0, 15), g.AsSpan(15, 3)),
                23,
                Mask(23, 18, 19, 20, 21, 22));
        }
    }

    [Fact]
    public void TwoLayer() =>
        Check(
            x => F.TwoLayer(x.AsSpan(0, 12), x.AsSpan(12, 4), x.AsSpan(16, 8), x.AsSpan(24, 3), x.AsSpan(27, 2)),
            (x, g) => F.TwoLayerGradient(x.AsSpan(0, 12), x.AsSpan(12, 4), x.AsSpan(16, 8), x.AsSpan(24, 3), x.AsSpan(27, 2), g.AsSpan(0, 12), g.AsSpan(12, 4), g.AsSpan(16, 8), g.AsSpan(24, 3)),
            29,
            Mask(29, 27, 28));

    [Fact]
    public void Mixture() =>
        Check(
            x => F.Mixture(x.AsSpan(0, 3), x.AsSpan(3, 6), x.AsSpan(9, 9), x.AsSpan(18, 8)),
            (x, g) => F.MixtureGradient(x.AsSpan(0, 3), x.AsSpan(3, 6), x.AsSpan(9, 9), x.AsSpan(18, 8), g.AsSpan(0, 3), g.AsSpan(3, 6), g.AsSpan(9, 9)),
            26,
            Mask(26, 18, 19, 20, 21, 22, 23, 24, 25));

    [Fact]
    public void LstmStep() =>
        Check(
            x => F.LstmStep(x.AsSpan(0, 24), x.AsSpan(24, 32), x.AsSpan(56, 8), x.AsSpan(64, 3), x.AsSpan(67, 2), x.AsSpan(69, 2), x.AsSpan(71, 2)),
            (x, g) => F.LstmStepGradient(
                x.AsSpan(0, 24), x.AsSpan(24, 32), x.AsSpan(56, 8), x.AsSpan(64, 3), x.AsSpan(67, 2), x.AsSpan(69, 2), x.AsSpan(71, 2),
                g.AsSpan(0, 24), g.AsSpan(24, 32), g.AsSpan(56, 8), g.AsSpan(64, 3)),
            73,
            Mask(73, 67, 68, 69, 70, 71, 72));

    [Fact]
    public void Convolution() =>
        Check(
            x => F.Convolution(x.AsSpan(0, 3), x.AsSpan(3, 8), x.AsSpan(11, 6)),
            (x, g) => F.ConvolutionGradient(x.AsSpan(0, 3), x.AsSpan(3, 8), x.AsSpan(11, 6), g.AsSpan(0, 3), g.AsSpan(3, 8)),
            17,
            Mask(17, 11, 12, 13, 14, 15, 16));

    [Fact]
    public void Kepler() =>
        Check(
            x => F.Kepler(x.AsSpan(0, 5), x[5]),
            (x, g) => F.KeplerGradient(x.AsSpan(0, 5), x[5], g.AsSpan(0, 5), ref g[5]),
            6,
            sample: (r, i) => i == 5 ? 0.1 + 0.6 * r.NextDouble() : 3 * r.NextDouble());

    [Fact]
    public void InputOverwrittenAfterLoop() =>
        Check(x => F.InputOverwrittenAfterLoop(x.AsSpan(0, 4), x[4]), (x, g) => F.InputOverwrittenAfterLoopGradient(x.AsSpan(0, 4), x[4], g.AsSpan(0, 4), ref g[4]), 5);

    [Fact]
    public void LaterBranchOverwrites() =>
        Check(x => F.LaterBranchOverwrites(x[0], x[1]), (x, g) => F.LaterBranchOverwritesGradient(x[0], x[1], ref g[0], ref g[1]), 2, points: 20);

    /// <summary>The scratch is longer than the part used; its tails (7.0) must come back untouched.</summary>
    [Fact]
    public void MidpointSteps()
    {
        double[] y = new double[6];
        double[] stage = new double[5];
        Array.Fill(y, 7.0);
        Array.Fill(stage, 7.0);
        Check(
            p => F.MidpointSteps(p.AsSpan(0, 4), p.AsSpan(4, 4), 5, y, stage),
            (p, g) => F.MidpointStepsGradient(p.AsSpan(0, 4), p.AsSpan(4, 4), 5, y, stage, g.AsSpan(0, 4), g.AsSpan(4, 4)),
            8);
        Assert.Equal(new[] { 7.0, 7.0 }, y[4..]);
        Assert.Equal(new[] { 7.0 }, stage[4..]);
    }

    [Fact]
    public void BranchThenVector() =>
        Check(z => F.BranchThenVector(z.AsSpan(0, 3), z[3]), (z, g) => F.BranchThenVectorGradient(z.AsSpan(0, 3), z[3], g.AsSpan(0, 3), ref g[3]), 4);

    [Fact]
    public void ReassignedAfterUse() =>
        Check(z => F.ReassignedAfterUse(z.AsSpan(0, 5).ToArray(), z[5]), (z, g) => F.ReassignedAfterUseGradient(z.AsSpan(0, 5).ToArray(), z[5], g.AsSpan(0, 5), ref g[5]), 6);

    [Fact]
    public void ScaledInPlacePerPass() => Check(x => F.ScaledInPlacePerPass(x), (x, g) => F.ScaledInPlacePerPassGradient(x, g), 5);

    [Fact]
    public void SineBeforeAndAfter() =>
        Check(z => F.SineBeforeAndAfter(z[0], z[1]), (z, g) => F.SineBeforeAndAfterGradient(z[0], z[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void PolynomialFit()
    {
        double[] ts = { -0.9, -0.3, 0.2, 0.7, 1.1 };
        double[] ys = { 1.0, -0.5, 0.25, 0.8, -1.2 };
        Check(c => F.PolynomialFit(c, ts, ys), (c, g) => F.PolynomialFitGradient(c, ts, ys, g), 6);
    }

    [Fact]
    public void SineOfSeries() => Check(c => F.SineOfSeries(c, 0.8), (c, g) => F.SineOfSeriesGradient(c, 0.8, g), 5);

    [Fact]
    public void RunningProduct() => Check(c => F.RunningProduct(c, 0.3), (c, g) => F.RunningProductGradient(c, 0.3, g), 5);

    /// <summary>The caller's scratch spans are longer than the part used; their tails (7.0) must come back untouched.</summary>
    [Fact]
    public void ScratchMixture()
    {
        double[] x = { 0.3, -0.2, 0.5, 0.1 };
        double[] xc = new double[7];
        double[] terms = new double[5];
        Array.Fill(xc, 7.0);
        Array.Fill(terms, 7.0);
        Check(
            p => F.ScratchMixture(p.AsSpan(0, 12), p.AsSpan(12, 3), x, xc, terms),
            (p, g) => F.ScratchMixtureGradient(p.AsSpan(0, 12), p.AsSpan(12, 3), x, xc, terms, g.AsSpan(0, 12), g.AsSpan(12, 3)),
            15);
        Assert.Equal(new[] { 7.0, 7.0, 7.0 }, xc[4..]);
        Assert.Equal(new[] { 7.0, 7.0 }, terms[3..]);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void ScratchMixturePoints(int k)
    {
        double[] x = { 0.3, -0.2, 0.5, 0.1, -0.4, 0.6 };
        double[] xc = new double[5];
        double[] beta = new double[6];
        Array.Fill(xc, 7.0);
        Array.Fill(beta, 7.0);
        Check(
            p => F.ScratchMixturePoints(p.AsSpan(0, 2 * k), p.AsSpan(2 * k, k), x, 2, xc, beta),
            (p, g) => F.ScratchMixturePointsGradient(p.AsSpan(0, 2 * k), p.AsSpan(2 * k, k), x, 2, xc, beta, g.AsSpan(0, 2 * k), g.AsSpan(2 * k, k)),
            3 * k);
        Assert.Equal(new[] { 7.0, 7.0, 7.0 }, xc[2..]);
        Assert.Equal(new[] { 7.0, 7.0, 7.0 }, beta[3..]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void LaggedRows(int n) =>
        Check(x => F.LaggedRows(x.AsSpan(0, n - 1), x.AsSpan(n - 1, n)), (x, g) => F.LaggedRowsGradient(x.AsSpan(0, n - 1), x.AsSpan(n - 1, n), g.AsSpan(0, n - 1), g.AsSpan(n - 1, n)), 2 * n - 1);

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    public void SteppedPairs(int n) => Check(x => F.SteppedPairs(x), (x, g) => F.SteppedPairsGradient(x, g), n);

    /// <summary>
    /// AllowReassociation: the value equals the function's within 1e-12 relative (not bit for bit), the gradient matches
    /// finite differences of the function within the usual 1e-5.
    /// </summary>
    [Fact]
    public void ReassociatedDenseLayer()
    {
        var random = new Random(7);
        for (int point = 0; point < 6; point++)
        {
            double[] x = new double[22];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = (random.NextDouble() * 3) - 1.5;
            }

            double[] g = new double[22];
            double value = F.DenseTanhReassociatedGradient(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3), g.AsSpan(0, 12), g.AsSpan(12, 3));
            double expected = F.DenseTanhReassociated(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3));
            Assert.True(Math.Abs(value - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"value {value:R} vs {expected:R}");
            for (int i = 0; i < 15; i++)
            {
                double h = 1e-6 * Math.Max(1, Math.Abs(x[i]));
                double saved = x[i];
                x[i] = saved + h;
                double up = F.DenseTanhReassociated(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3));
                x[i] = saved - h;
                double down = F.DenseTanhReassociated(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3));
                x[i] = saved;
                double fd = (up - down) / (2 * h);
                Assert.True(Math.Abs(g[i] - fd) <= 1e-5 * Math.Max(1, Math.Abs(fd)), $"d/dx[{i}]: {g[i]:R} vs finite difference {fd:R}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(9)]
    public void RowsRunFourAtATime(int rows)
    {
        Check(
            x => Functions.JammedRows(x.AsSpan(0, rows * 3), x.AsSpan(rows * 3, 3), rows),
            (x, g) => Functions.JammedRowsGradient(x.AsSpan(0, rows * 3), x.AsSpan(rows * 3, 3), rows, g.AsSpan(0, rows * 3), g.AsSpan(rows * 3, 3)),
            (rows * 3) + 3);

        // The pushforward's value and tangent dot products run four rows at a time too.
        TangentCheck.Check(
            x => Functions.JammedRows(x.AsSpan(0, rows * 3), x.AsSpan(rows * 3, 3), rows),
            (x, g) => Functions.JammedRowsGradient(x.AsSpan(0, rows * 3), x.AsSpan(rows * 3, 3), rows, g.AsSpan(0, rows * 3), g.AsSpan(rows * 3, 3)),
            (x, v) => (Functions.JammedRowsPushforward(x.AsSpan(0, rows * 3), x.AsSpan(rows * 3, 3), rows, v.AsSpan(0, rows * 3), v.AsSpan(rows * 3, 3), out double tangent), tangent),
            (rows * 3) + 3);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(9)]
    public void TriangularRowsAreNotJammed(int n)
    {
        Check(
            x => Functions.TriangularRows(x.AsSpan(0, n * n), x.AsSpan(n * n)),
            (x, g) => Functions.TriangularRowsGradient(x.AsSpan(0, n * n), x.AsSpan(n * n), g.AsSpan(0, n * n), g.AsSpan(n * n)),
            (n * n) + n);
        TangentCheck.Check(
            x => Functions.TriangularRows(x.AsSpan(0, n * n), x.AsSpan(n * n)),
            (x, g) => Functions.TriangularRowsGradient(x.AsSpan(0, n * n), x.AsSpan(n * n), g.AsSpan(0, n * n), g.AsSpan(n * n)),
            (x, v) => (Functions.TriangularRowsPushforward(x.AsSpan(0, n * n), x.AsSpan(n * n), v.AsSpan(0, n * n), v.AsSpan(n * n), out double tangent), tangent),
            (n * n) + n);
    }

    /// <summary>Scratch written in place per component (slots) inside a two-sweep loop over points; and scratch read after its loop (copies kept).</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    public void ScratchSlots(int k, int n)
    {
        const int d = 3;
        double[] x = MixturePoints(n * d);

        Check(mu => F.RecurrentMixture(mu, x, d), (mu, g) => F.RecurrentMixtureGradient(mu, x, d, g), k * d);
        TangentCheck.Check(mu => F.RecurrentMixture(mu, x, d), (mu, g) => F.RecurrentMixtureGradient(mu, x, d, g), (mu, v) => (F.RecurrentMixturePushforward(mu, x, d, v, out double tangent), tangent), k * d);
        double[] point = x.AsSpan(0, d).ToArray();
        Check(mu => F.ScratchReadAfterTheLoop(mu, point), (mu, g) => F.ScratchReadAfterTheLoopGradient(mu, point, g), k * d);
    }

    /// <summary>Points for the mixtures' tests: n values spread over (−0.8, 0.8).</summary>
    internal static double[] MixturePoints(int n)
    {
        double[] x = new double[n];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = Math.Sin(1.3 * i) * 0.8;
        }

        return x;
    }
}
