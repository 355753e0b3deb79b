using System;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;
using F = DiffGen.IntegrationTests.Functions;

namespace DiffGen.IntegrationTests;

/// <summary>Fused and nearly-fused accumulation loops against central finite differences (tolerance in <see cref="GradientCheck"/>).</summary>
public class FusedLoopTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(10)]
    public void ExtendedRosenbrock(int n) =>
        Check(x => F.ExtendedRosenbrock(x), (x, g) => F.ExtendedRosenbrockGradient(x, g), n);

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(10)]
    public void ExtendedRosenbrockStepped(int n) =>
        Check(x => F.ExtendedRosenbrockStepped(x), (x, g) => F.ExtendedRosenbrockSteppedGradient(x, g), n);

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(9)]
    public void WhileSteps(int n) =>
        Check(x => F.WhileSteps(x.AsSpan(0, n), x[n]), (x, g) => F.WhileStepsGradient(x.AsSpan(0, n), x[n], g.AsSpan(0, n), ref g[n]), n + 1);

    [Fact]
    public void MeanSquaredError() =>
        Check(x => F.MeanSquaredError(x.AsSpan(0, 5), x.AsSpan(5, 5), x.AsSpan(10, 5)), (x, g) => F.MeanSquaredErrorGradient(x.AsSpan(0, 5), x.AsSpan(5, 5), x.AsSpan(10, 5), g.AsSpan(0, 5)), 15, Mask(15, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14));

    [Fact]
    public void InactiveNumbersCarriedAcrossIterations() =>
        Check(x => F.AlternatingWeighted(x.AsSpan(0, 7), 0.8), (x, g) => F.AlternatingWeightedGradient(x.AsSpan(0, 7), 0.8, g.AsSpan(0, 7)), 7);

    [Fact]
    public void BranchReadingAValueAccumulatedLater() =>
        Check(x => F.BranchThenAccumulate(x[0], x[1]), (x, g) => F.BranchThenAccumulateGradient(x[0], x[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void TwoAccumulators() =>
        Check(x => F.TwoAccumulators(x.AsSpan(0, 6), x[6], x[7]), (x, g) => F.TwoAccumulatorsGradient(x.AsSpan(0, 6), x[6], x[7], g.AsSpan(0, 6), ref g[6], ref g[7]), 8);

    [Fact]
    public void Hinge() =>
        Check(x => F.Hinge(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6)), (x, g) => F.HingeGradient(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), g.AsSpan(0, 6)), 18, Mask(18, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17), points: 12);

    [Fact]
    public void RepeatedElement() => Check(x => F.RepeatedElement(x), (x, g) => F.RepeatedElementGradient(x, g), 9);

    [Fact]
    public void LogOfSum() => Check(x => F.LogOfSum(x), (x, g) => F.LogOfSumGradient(x, g), 5);

    [Fact]
    public void ChainedLoops() =>
        Check(x => F.ChainedLoops(x.AsSpan(0, 6), x[6]), (x, g) => F.ChainedLoopsGradient(x.AsSpan(0, 6), x[6], g.AsSpan(0, 6), ref g[6]), 7);

    [Fact]
    public void RunningProductSum() => Check(x => F.RunningProductSum(x), (x, g) => F.RunningProductSumGradient(x, g), 6);

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void SignFolds(int n) =>
        Check(x => F.SignFolds(x.AsSpan(0, n), x[n]), (x, g) => F.SignFoldsGradient(x.AsSpan(0, n), x[n], g.AsSpan(0, n), ref g[n]), n + 1);

    [Fact]
    public void SquaredHingeIf() =>
        Check(x => F.SquaredHingeIf(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6)), (x, g) => F.SquaredHingeIfGradient(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), g.AsSpan(0, 6), g.AsSpan(6, 6), g.AsSpan(12, 6)), 18, points: 20);

    [Fact]
    public void BranchyAccumulation() =>
        Check(x => F.BranchyAccumulation(x.AsSpan(0, 8), x[8]), (x, g) => F.BranchyAccumulationGradient(x.AsSpan(0, 8), x[8], g.AsSpan(0, 8), ref g[8]), 9, points: 20);

    [Fact]
    public void CappedSum() => Check(x => F.CappedSum(x), (x, g) => F.CappedSumGradient(x, g), 7, points: 20);

    [Fact]
    public void GatedSquares() =>
        Check(x => F.GatedSquares(x.AsSpan(0, 7), x.AsSpan(7, 7)), (x, g) => F.GatedSquaresGradient(x.AsSpan(0, 7), x.AsSpan(7, 7), g.AsSpan(0, 7), g.AsSpan(7, 7)), 14, points: 12);

    // The user's own accesses keep their checks: a w shorter than x throws from w[i] as the function itself does, and
    // the unchecked dx[i] updates (proven by x[i]) never reach past dx.
    [Fact]
    public void ShortSpanThrowsWhereTheFunctionThrows()
    {
        double[] x = { -1.0, -0.5, 2.0, 3.0 };
        double[] w = { 0.1, 0.2 };
        Assert.Throws<IndexOutOfRangeException>(() => F.GatedSquares(x, w));
        var dx = new double[4];
        var dw = new double[2];
        Assert.Throws<IndexOutOfRangeException>(() => F.GatedSquaresGradient(x, w, dx, dw));

        // All x[i] <= 0: w is never read, so neither call throws and dw stays zero.
        double[] negative = { -1.0, -0.5, -2.0, -3.0 };
        Array.Clear(dx);
        Assert.Equal(F.GatedSquares(negative, w), F.GatedSquaresGradient(negative, w, dx, dw));
        Assert.Equal(new double[2], dw);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(0.5 * negative[i], dx[i], 14);
        }
    }

    // The generated loop folds signs into constants (dx[k] += c8·u − 2·v·g with c8 = −2·dsum) and puts the adjoint
    // last in 2·v·g. Both are claimed exact: the result must have the same bits as the unfolded order written here.
    [Fact]
    public void SignFoldingKeepsTheBits()
    {
        var random = new Random(17);
        foreach (double seed in new[] { 1.0, -2.5, 1e-3, 3.0e5 })
        {
            for (int trial = 0; trial < 50; trial++)
            {
                int n = 2 * random.Next(1, 40);
                double scale = Math.Pow(10, random.Next(-3, 4));
                var x = new double[n];
                for (int i = 0; i < n; i++)
                {
                    x[i] = scale * (2 * random.NextDouble() - 1);
                }

                var generated = new double[n];
                var reference = new double[n];
                for (int i = 0; i < n; i++)
                {
                    generated[i] = reference[i] = random.NextDouble() - 0.5;
                }

                F.ExtendedRosenbrockPullback(x, seed, generated);
                double c6 = 2.0 * 100.0 * seed, c7 = 2.0 * seed;
                for (int i = 0; i < n / 2; i++)
                {
                    double t = x[2 * i + 1] - x[2 * i] * x[2 * i];
                    double u = 1.0 - x[2 * i];
                    double g0 = c6 * t, g4 = c7 * u;
                    reference[2 * i + 1] += g0;
                    reference[2 * i] -= g4 + 2.0 * g0 * x[2 * i];
                }

                for (int i = 0; i < n; i++)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(reference[i]), BitConverter.DoubleToInt64Bits(generated[i]));
                }
            }
        }
    }

    [Fact]
    public void FusedGradientAccumulatesAndScalesBySeed()
    {
        double[] x = { 0.3, -1.2, 0.8, 0.5, -0.1, 2.0 };
        double[] once = new double[6];
        double[] twice = new double[6];
        F.ExtendedRosenbrockGradient(x, once);
        F.ExtendedRosenbrockGradient(x, twice);
        F.ExtendedRosenbrockGradient(x, twice);
        double[] seeded = new double[6];
        F.ExtendedRosenbrockPullback(x, -2.5, seeded);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(2 * once[i], twice[i], 12);
            Assert.Equal(-2.5 * once[i], seeded[i], 10);
        }
    }
}
