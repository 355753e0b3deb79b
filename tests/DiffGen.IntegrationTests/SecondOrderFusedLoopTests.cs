using System;
using Xunit;
using static DiffGen.IntegrationTests.SecondOrderCheck;
using F = DiffGen.IntegrationTests.Functions;

namespace DiffGen.IntegrationTests;

/// <summary>Hessian-vector products, dense Hessians and diagonals of the functions in FusedLoopTests (<see cref="SecondOrderCheck"/>).</summary>
public class FusedLoopSecondOrderTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(10)]
    public void ExtendedRosenbrock(int n) =>
        Check(x => F.ExtendedRosenbrock(x), (x, g) => F.ExtendedRosenbrockGradient(x, g), (x, v, hv) => F.ExtendedRosenbrockHessianVectorProduct(x, v, hv), (x, h) => F.ExtendedRosenbrockHessian(x, h), (x, d) => F.ExtendedRosenbrockHessianDiagonal(x, d), (x, p, d) => F.ExtendedRosenbrockHessianDiagonal(x, p, d), n);

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(10)]
    public void ExtendedRosenbrockStepped(int n) =>
        Check(x => F.ExtendedRosenbrockStepped(x), (x, g) => F.ExtendedRosenbrockSteppedGradient(x, g), (x, v, hv) => F.ExtendedRosenbrockSteppedHessianVectorProduct(x, v, hv), (x, h) => F.ExtendedRosenbrockSteppedHessian(x, h), (x, d) => F.ExtendedRosenbrockSteppedHessianDiagonal(x, d), (x, p, d) => F.ExtendedRosenbrockSteppedHessianDiagonal(x, p, d), n);

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(9)]
    public void WhileSteps(int n) =>
        Check(x => F.WhileSteps(x.AsSpan(0, n), x[n]), (x, g) => F.WhileStepsGradient(x.AsSpan(0, n), x[n], g.AsSpan(0, n), ref g[n]), (x, v, hv) => F.WhileStepsHessianVectorProduct(x.AsSpan(0, n), x[n], v.AsSpan(0, n), v[n], hv.AsSpan(0, n), ref hv[n]), (x, h) => F.WhileStepsHessian(x.AsSpan(0, n), x[n], h), (x, d) => F.WhileStepsHessianDiagonal(x.AsSpan(0, n), x[n], d), (x, p, d) => F.WhileStepsHessianDiagonal(x.AsSpan(0, n), x[n], p, d), n + 1);

    [Fact]
    public void MeanSquaredError() =>
        Check(x => F.MeanSquaredError(x.AsSpan(0, 5), x.AsSpan(5, 5), x.AsSpan(10, 5)), (x, g) => F.MeanSquaredErrorGradient(x.AsSpan(0, 5), x.AsSpan(5, 5), x.AsSpan(10, 5), g.AsSpan(0, 5)), (x, v, hv) => F.MeanSquaredErrorHessianVectorProduct(x.AsSpan(0, 5), x.AsSpan(5, 5), x.AsSpan(10, 5), v.AsSpan(0, 5), hv.AsSpan(0, 5)), (x, h) => F.MeanSquaredErrorHessian(x.AsSpan(0, 5), x.AsSpan(5, 5), x.AsSpan(10, 5), h), (x, d) => F.MeanSquaredErrorHessianDiagonal(x.AsSpan(0, 5), x.AsSpan(5, 5), x.AsSpan(10, 5), d), (x, p, d) => F.MeanSquaredErrorHessianDiagonal(x.AsSpan(0, 5), x.AsSpan(5, 5), x.AsSpan(10, 5), p, d), 15, GradientCheck.Mask(15, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14));

    [Fact]
    public void TwoAccumulators() =>
        Check(x => F.TwoAccumulators(x.AsSpan(0, 6), x[6], x[7]), (x, g) => F.TwoAccumulatorsGradient(x.AsSpan(0, 6), x[6], x[7], g.AsSpan(0, 6), ref g[6], ref g[7]), (x, v, hv) => F.TwoAccumulatorsHessianVectorProduct(x.AsSpan(0, 6), x[6], x[7], v.AsSpan(0, 6), v[6], v[7], hv.AsSpan(0, 6), ref hv[6], ref hv[7]), (x, h) => F.TwoAccumulatorsHessian(x.AsSpan(0, 6), x[6], x[7], h), (x, d) => F.TwoAccumulatorsHessianDiagonal(x.AsSpan(0, 6), x[6], x[7], d), (x, p, d) => F.TwoAccumulatorsHessianDiagonal(x.AsSpan(0, 6), x[6], x[7], p, d), 8);

    [Fact]
    public void Hinge() =>
        Check(x => F.Hinge(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6)), (x, g) => F.HingeGradient(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), g.AsSpan(0, 6)), (x, v, hv) => F.HingeHessianVectorProduct(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), v.AsSpan(0, 6), hv.AsSpan(0, 6)), (x, h) => F.HingeHessian(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), h), (x, d) => F.HingeHessianDiagonal(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), d), (x, p, d) => F.HingeHessianDiagonal(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), p, d), 18, GradientCheck.Mask(18, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17), points: 12);

    [Fact]
    public void RepeatedElement() => Check(x => F.RepeatedElement(x), (x, g) => F.RepeatedElementGradient(x, g), (x, v, hv) => F.RepeatedElementHessianVectorProduct(x, v, hv), (x, h) => F.RepeatedElementHessian(x, h), (x, d) => F.RepeatedElementHessianDiagonal(x, d), (x, p, d) => F.RepeatedElementHessianDiagonal(x, p, d), 9);

    [Fact]
    public void LogOfSum() => Check(x => F.LogOfSum(x), (x, g) => F.LogOfSumGradient(x, g), (x, v, hv) => F.LogOfSumHessianVectorProduct(x, v, hv), (x, h) => F.LogOfSumHessian(x, h), (x, d) => F.LogOfSumHessianDiagonal(x, d), (x, p, d) => F.LogOfSumHessianDiagonal(x, p, d), 5);

    [Fact]
    public void ChainedLoops() =>
        Check(x => F.ChainedLoops(x.AsSpan(0, 6), x[6]), (x, g) => F.ChainedLoopsGradient(x.AsSpan(0, 6), x[6], g.AsSpan(0, 6), ref g[6]), (x, v, hv) => F.ChainedLoopsHessianVectorProduct(x.AsSpan(0, 6), x[6], v.AsSpan(0, 6), v[6], hv.AsSpan(0, 6), ref hv[6]), (x, h) => F.ChainedLoopsHessian(x.AsSpan(0, 6), x[6], h), (x, d) => F.ChainedLoopsHessianDiagonal(x.AsSpan(0, 6), x[6], d), (x, p, d) => F.ChainedLoopsHessianDiagonal(x.AsSpan(0, 6), x[6], p, d), 7);

    [Fact]
    public void RunningProductSum() => Check(x => F.RunningProductSum(x), (x, g) => F.RunningProductSumGradient(x, g), (x, v, hv) => F.RunningProductSumHessianVectorProduct(x, v, hv), (x, h) => F.RunningProductSumHessian(x, h), (x, d) => F.RunningProductSumHessianDiagonal(x, d), (x, p, d) => F.RunningProductSumHessianDiagonal(x, p, d), 6);

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void SignFolds(int n) =>
        Check(x => F.SignFolds(x.AsSpan(0, n), x[n]), (x, g) => F.SignFoldsGradient(x.AsSpan(0, n), x[n], g.AsSpan(0, n), ref g[n]), (x, v, hv) => F.SignFoldsHessianVectorProduct(x.AsSpan(0, n), x[n], v.AsSpan(0, n), v[n], hv.AsSpan(0, n), ref hv[n]), (x, h) => F.SignFoldsHessian(x.AsSpan(0, n), x[n], h), (x, d) => F.SignFoldsHessianDiagonal(x.AsSpan(0, n), x[n], d), (x, p, d) => F.SignFoldsHessianDiagonal(x.AsSpan(0, n), x[n], p, d), n + 1);

    [Fact]
    public void SquaredHingeIf() =>
        Check(x => F.SquaredHingeIf(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6)), (x, g) => F.SquaredHingeIfGradient(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), g.AsSpan(0, 6), g.AsSpan(6, 6), g.AsSpan(12, 6)), (x, v, hv) => F.SquaredHingeIfHessianVectorProduct(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), v.AsSpan(0, 6), v.AsSpan(6, 6), v.AsSpan(12, 6), hv.AsSpan(0, 6), hv.AsSpan(6, 6), hv.AsSpan(12, 6)), (x, h) => F.SquaredHingeIfHessian(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), h), (x, d) => F.SquaredHingeIfHessianDiagonal(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), d), (x, p, d) => F.SquaredHingeIfHessianDiagonal(x.AsSpan(0, 6), x.AsSpan(6, 6), x.AsSpan(12, 6), p, d), 18, points: 20);

    [Fact]
    public void BranchyAccumulation() =>
        Check(x => F.BranchyAccumulation(x.AsSpan(0, 8), x[8]), (x, g) => F.BranchyAccumulationGradient(x.AsSpan(0, 8), x[8], g.AsSpan(0, 8), ref g[8]), (x, v, hv) => F.BranchyAccumulationHessianVectorProduct(x.AsSpan(0, 8), x[8], v.AsSpan(0, 8), v[8], hv.AsSpan(0, 8), ref hv[8]), (x, h) => F.BranchyAccumulationHessian(x.AsSpan(0, 8), x[8], h), (x, d) => F.BranchyAccumulationHessianDiagonal(x.AsSpan(0, 8), x[8], d), (x, p, d) => F.BranchyAccumulationHessianDiagonal(x.AsSpan(0, 8), x[8], p, d), 9, points: 20);

    [Fact]
    public void CappedSum() => Check(x => F.CappedSum(x), (x, g) => F.CappedSumGradient(x, g), (x, v, hv) => F.CappedSumHessianVectorProduct(x, v, hv), (x, h) => F.CappedSumHessian(x, h), (x, d) => F.CappedSumHessianDiagonal(x, d), (x, p, d) => F.CappedSumHessianDiagonal(x, p, d), 7, points: 20);

    [Fact]
    public void GatedSquares() =>
        Check(x => F.GatedSquares(x.AsSpan(0, 7), x.AsSpan(7, 7)), (x, g) => F.GatedSquaresGradient(x.AsSpan(0, 7), x.AsSpan(7, 7), g.AsSpan(0, 7), g.AsSpan(7, 7)), (x, v, hv) => F.GatedSquaresHessianVectorProduct(x.AsSpan(0, 7), x.AsSpan(7, 7), v.AsSpan(0, 7), v.AsSpan(7, 7), hv.AsSpan(0, 7), hv.AsSpan(7, 7)), (x, h) => F.GatedSquaresHessian(x.AsSpan(0, 7), x.AsSpan(7, 7), h), (x, d) => F.GatedSquaresHessianDiagonal(x.AsSpan(0, 7), x.AsSpan(7, 7), d), (x, p, d) => F.GatedSquaresHessianDiagonal(x.AsSpan(0, 7), x.AsSpan(7, 7), p, d), 14, points: 12);

    // The user's own accesses keep their checks: a w shorter than x throws from w[i] as the function itself does, and
    // the unchecked dx[i] updates (proven by x[i]) never reach past dx.
}

