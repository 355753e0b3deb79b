using System;
using Xunit;
using static DiffGen.IntegrationTests.TangentCheck;
using F = DiffGen.IntegrationTests.Functions;

namespace DiffGen.IntegrationTests;

/// <summary>The pushforwards of the functions in FusedLoopTests along random directions: finite differences and the gradient (<see cref="TangentCheck"/>).</summary>
public class FusedLoopForwardTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(10)]
    public void ExtendedRosenbrock(int n) =>
        Check(x => F.ExtendedRosenbrock(x), (x, g) => F.ExtendedRosenbrockGradient(x, g), (x, v) => (F.ExtendedRosenbrockPushforward(x, v, out double tangent), tangent), n);

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(10)]
    public void ExtendedRosenbrockStepped(int n) =>
        Check(x => F.ExtendedRosenbrockStepped(x), (x, g) => F.ExtendedRosenbrockSteppedGradient(x, g), (x, v) => (F.ExtendedRosenbrockSteppedPushforward(x, v, out double tangent), tangent), n);

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(9)]
    public void WhileSteps(int n) =>
        Check(x => F.WhileSteps(x.AsSpan(0, n), x[n]), (x, g) => F.WhileStepsGradient(x.AsSpan(0, n), x[n], g.AsSpan(0, n), ref g[n]), (x, v) => (F.WhileStepsPushforward(x.AsSpan(0, n), x[n], v.AsSpan(0, n), v[n], out double tangent), tangent), n + 1);

    [Fact]
    public void MeanSquaredError() =>
        Check(x => F.MeanSquaredError(x.AsSpan(0, 5), x.AsSpan(5, 5), x.AsSpan(10, 5)), (x, g) => F.MeanSquaredErrorGradient(x.AsSpan(0, 5), x.AsSpan(5, 5), x.AsSpan(10, 5), g.AsSpan(0, 5)), (x, v) => (F.MeanSquaredErrorPushforward(x.AsSpan(0, 5), x.AsSpan(5, 5), x.AsSpan(10, 5), v.AsSpan(0, 5), out double tangent), tangent), 15, GradientCheck.Mask(15, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14));

    [Fact]
    public void TwoAccumulators() =>
        Check(x => F.TwoAccumulators(x.AsSpan(0, 6), x[6], x[7]), (x, g) => F.TwoAccumulatorsGradient(x.AsSpan(0, 6), x[6], x[7], g.AsSpan(0, 6), ref g[6], ref g[7]), (x, v) => (F.TwoAccumulatorsPushforward(x.AsSpan(0, 6), x[6], x[7], v.AsSpan(0, 6), v[6], v[7], out double tangent), tangent), 8);

    [Fact]
    public void Hinge() =>
        Check(x => F.Hinge(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6)), (x, g) => F.HingeGradient(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), g.AsSpan(0, 6)), (x, v) => (F.HingePushforward(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), v.AsSpan(0, 6), out double tangent), tangent), 18, GradientCheck.Mask(18, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17), points: 12);

    [Fact]
    public void RepeatedElement() => Check(x => F.RepeatedElement(x), (x, g) => F.RepeatedElementGradient(x, g), (x, v) => (F.RepeatedElementPushforward(x, v, out double tangent), tangent), 9);

    [Fact]
    public void LogOfSum() => Check(x => F.LogOfSum(x), (x, g) => F.LogOfSumGradient(x, g), (x, v) => (F.LogOfSumPushforward(x, v, out double tangent), tangent), 5);

    [Fact]
    public void ChainedLoops() =>
        Check(x => F.ChainedLoops(x.AsSpan(0, 6), x[6]), (x, g) => F.ChainedLoopsGradient(x.AsSpan(0, 6), x[6], g.AsSpan(0, 6), ref g[6]), (x, v) => (F.ChainedLoopsPushforward(x.AsSpan(0, 6), x[6], v.AsSpan(0, 6), v[6], out double tangent), tangent), 7);

    [Fact]
    public void RunningProductSum() => Check(x => F.RunningProductSum(x), (x, g) => F.RunningProductSumGradient(x, g), (x, v) => (F.RunningProductSumPushforward(x, v, out double tangent), tangent), 6);

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void SignFolds(int n) =>
        Check(x => F.SignFolds(x.AsSpan(0, n), x[n]), (x, g) => F.SignFoldsGradient(x.AsSpan(0, n), x[n], g.AsSpan(0, n), ref g[n]), (x, v) => (F.SignFoldsPushforward(x.AsSpan(0, n), x[n], v.AsSpan(0, n), v[n], out double tangent), tangent), n + 1);

    [Fact]
    public void SquaredHingeIf() =>
        Check(x => F.SquaredHingeIf(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6)), (x, g) => F.SquaredHingeIfGradient(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), g.AsSpan(0, 6), g.AsSpan(6, 6), g.AsSpan(12, 6)), (x, v) => (F.SquaredHingeIfPushforward(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), v.AsSpan(0, 6), v.AsSpan(6, 6), v.AsSpan(12, 6), out double tangent), tangent), 18, points: 20);

    [Fact]
    public void BranchyAccumulation() =>
        Check(x => F.BranchyAccumulation(x.AsSpan(0, 8), x[8]), (x, g) => F.BranchyAccumulationGradient(x.AsSpan(0, 8), x[8], g.AsSpan(0, 8), ref g[8]), (x, v) => (F.BranchyAccumulationPushforward(x.AsSpan(0, 8), x[8], v.AsSpan(0, 8), v[8], out double tangent), tangent), 9, points: 20);

    [Fact]
    public void CappedSum() => Check(x => F.CappedSum(x), (x, g) => F.CappedSumGradient(x, g), (x, v) => (F.CappedSumPushforward(x, v, out double tangent), tangent), 7, points: 20);

    [Fact]
    public void GatedSquares() =>
        Check(x => F.GatedSquares(x.AsSpan(0, 7), x.AsSpan(7, 7)), (x, g) => F.GatedSquaresGradient(x.AsSpan(0, 7), x.AsSpan(7, 7), g.AsSpan(0, 7), g.AsSpan(7, 7)), (x, v) => (F.GatedSquaresPushforward(x.AsSpan(0, 7), x.AsSpan(7, 7), v.AsSpan(0, 7), v.AsSpan(7, 7), out double tangent), tangent), 14, points: 12);

    // The user's own accesses keep their checks: a w shorter than x throws from w[i] as the function itself does, and
    // the unchecked dx[i] updates (proven by x[i]) never reach past dx.
}

