using System;
using Xunit;
using static DiffGen.IntegrationTests.SecondOrderCheck;
using F = DiffGen.IntegrationTests.Functions;

namespace DiffGen.IntegrationTests;

/// <summary>Hessian-vector products, dense Hessians and diagonals of the functions in GradientTests (<see cref="SecondOrderCheck"/>).</summary>
public class GradientSecondOrderTests
{
    [Fact]
    public void Rosenbrock() => Check(x => F.Rosenbrock(x[0], x[1]), (x, g) => F.RosenbrockGradient(x[0], x[1], ref g[0], ref g[1]), (x, v, hv) => F.RosenbrockHessianVectorProduct(x[0], x[1], v[0], v[1], ref hv[0], ref hv[1]), (x, h) => F.RosenbrockHessian(x[0], x[1], h), (x, d) => F.RosenbrockHessianDiagonal(x[0], x[1], d), (x, p, d) => F.RosenbrockHessianDiagonal(x[0], x[1], p, d), 2,
        both: (x, v, g, hv) => F.RosenbrockGradientAndHessianVectorProduct(x[0], x[1], v[0], v[1], ref g[0], ref g[1], ref hv[0], ref hv[1]));

    [Fact]
    public void Polynomial() => Check(x => F.Polynomial(x[0]), (x, g) => F.PolynomialGradient(x[0], ref g[0]), (x, v, hv) => F.PolynomialHessianVectorProduct(x[0], v[0], ref hv[0]), (x, h) => F.PolynomialHessian(x[0], h), (x, d) => F.PolynomialHessianDiagonal(x[0], d), (x, p, d) => F.PolynomialHessianDiagonal(x[0], p, d), 1);

    [Fact]
    public void Quotient() => Check(x => F.Quotient(x[0], x[1]), (x, g) => F.QuotientGradient(x[0], x[1], ref g[0], ref g[1]), (x, v, hv) => F.QuotientHessianVectorProduct(x[0], x[1], v[0], v[1], ref hv[0], ref hv[1]), (x, h) => F.QuotientHessian(x[0], x[1], h), (x, d) => F.QuotientHessianDiagonal(x[0], x[1], d), (x, p, d) => F.QuotientHessianDiagonal(x[0], x[1], p, d), 2);

    [Fact]
    public void ExpLog() => Check(x => F.ExpLog(x[0]), (x, g) => F.ExpLogGradient(x[0], ref g[0]), (x, v, hv) => F.ExpLogHessianVectorProduct(x[0], v[0], ref hv[0]), (x, h) => F.ExpLogHessian(x[0], h), (x, d) => F.ExpLogHessianDiagonal(x[0], d), (x, p, d) => F.ExpLogHessianDiagonal(x[0], p, d), 1);

    [Fact]
    public void Trig() => Check(x => F.Trig(x[0], x[1]), (x, g) => F.TrigGradient(x[0], x[1], ref g[0], ref g[1]), (x, v, hv) => F.TrigHessianVectorProduct(x[0], x[1], v[0], v[1], ref hv[0], ref hv[1]), (x, h) => F.TrigHessian(x[0], x[1], h), (x, d) => F.TrigHessianDiagonal(x[0], x[1], d), (x, p, d) => F.TrigHessianDiagonal(x[0], x[1], p, d), 2);

    [Fact]
    public void Hyperbolic() => Check(x => F.Hyperbolic(x[0]), (x, g) => F.HyperbolicGradient(x[0], ref g[0]), (x, v, hv) => F.HyperbolicHessianVectorProduct(x[0], v[0], ref hv[0]), (x, h) => F.HyperbolicHessian(x[0], h), (x, d) => F.HyperbolicHessianDiagonal(x[0], d), (x, p, d) => F.HyperbolicHessianDiagonal(x[0], p, d), 1);

    [Fact]
    public void Roots() => Check(x => F.Roots(x[0]), (x, g) => F.RootsGradient(x[0], ref g[0]), (x, v, hv) => F.RootsHessianVectorProduct(x[0], v[0], ref hv[0]), (x, h) => F.RootsHessian(x[0], h), (x, d) => F.RootsHessianDiagonal(x[0], d), (x, p, d) => F.RootsHessianDiagonal(x[0], p, d), 1);

    [Fact]
    public void RepeatedFactors() => Check(x => F.RepeatedFactors(x[0], x[1], x[2]), (x, g) => F.RepeatedFactorsGradient(x[0], x[1], x[2], ref g[0], ref g[1], ref g[2]), (x, v, hv) => F.RepeatedFactorsHessianVectorProduct(x[0], x[1], x[2], v[0], v[1], v[2], ref hv[0], ref hv[1], ref hv[2]), (x, h) => F.RepeatedFactorsHessian(x[0], x[1], x[2], h), (x, d) => F.RepeatedFactorsHessianDiagonal(x[0], x[1], x[2], d), (x, p, d) => F.RepeatedFactorsHessianDiagonal(x[0], x[1], x[2], p, d), 3,
        both: (x, v, g, hv) => F.RepeatedFactorsGradientAndHessianVectorProduct(x[0], x[1], x[2], v[0], v[1], v[2], ref g[0], ref g[1], ref g[2], ref hv[0], ref hv[1], ref hv[2]));

    [Fact]
    public void InverseHyperbolic() => Check(x => F.InverseHyperbolic(x[0], x[1]), (x, g) => F.InverseHyperbolicGradient(x[0], x[1], ref g[0], ref g[1]), (x, v, hv) => F.InverseHyperbolicHessianVectorProduct(x[0], x[1], v[0], v[1], ref hv[0], ref hv[1]), (x, h) => F.InverseHyperbolicHessian(x[0], x[1], h), (x, d) => F.InverseHyperbolicHessianDiagonal(x[0], x[1], d), (x, p, d) => F.InverseHyperbolicHessianDiagonal(x[0], x[1], p, d), 2);

    [Fact]
    public void Powers() => Check(x => F.Powers(x[0], x[1]), (x, g) => F.PowersGradient(x[0], x[1], ref g[0], ref g[1]), (x, v, hv) => F.PowersHessianVectorProduct(x[0], x[1], v[0], v[1], ref hv[0], ref hv[1]), (x, h) => F.PowersHessian(x[0], x[1], h), (x, d) => F.PowersHessianDiagonal(x[0], x[1], d), (x, p, d) => F.PowersHessianDiagonal(x[0], x[1], p, d), 2);

    [Fact]
    public void InverseTrig() => Check(x => F.InverseTrig(x[0]), (x, g) => F.InverseTrigGradient(x[0], ref g[0]), (x, v, hv) => F.InverseTrigHessianVectorProduct(x[0], v[0], ref hv[0]), (x, h) => F.InverseTrigHessian(x[0], h), (x, d) => F.InverseTrigHessianDiagonal(x[0], d), (x, p, d) => F.InverseTrigHessianDiagonal(x[0], p, d), 1);

    [Fact]
    public void Atan2Both() => Check(x => F.Atan2Both(x[0], x[1]), (x, g) => F.Atan2BothGradient(x[0], x[1], ref g[0], ref g[1]), (x, v, hv) => F.Atan2BothHessianVectorProduct(x[0], x[1], v[0], v[1], ref hv[0], ref hv[1]), (x, h) => F.Atan2BothHessian(x[0], x[1], h), (x, d) => F.Atan2BothHessianDiagonal(x[0], x[1], d), (x, p, d) => F.Atan2BothHessianDiagonal(x[0], x[1], p, d), 2);

    [Fact]
    public void Logs() => Check(x => F.Logs(x[0]), (x, g) => F.LogsGradient(x[0], ref g[0]), (x, v, hv) => F.LogsHessianVectorProduct(x[0], v[0], ref hv[0]), (x, h) => F.LogsHessian(x[0], h), (x, d) => F.LogsHessianDiagonal(x[0], d), (x, p, d) => F.LogsHessianDiagonal(x[0], p, d), 1);

    [Fact]
    public void NonSmoothAwayFromKinks() =>
        Check(x => F.NonSmooth(x[0], x[1]), (x, g) => F.NonSmoothGradient(x[0], x[1], ref g[0], ref g[1]), (x, v, hv) => F.NonSmoothHessianVectorProduct(x[0], x[1], v[0], v[1], ref hv[0], ref hv[1]), (x, h) => F.NonSmoothHessian(x[0], x[1], h), (x, d) => F.NonSmoothHessianDiagonal(x[0], x[1], d), (x, p, d) => F.NonSmoothHessianDiagonal(x[0], x[1], p, d), 2, points: 12);

    [Fact]
    public void Fma() => Check(x => F.Fma(x[0], x[1], x[2]), (x, g) => F.FmaGradient(x[0], x[1], x[2], ref g[0], ref g[1], ref g[2]), (x, v, hv) => F.FmaHessianVectorProduct(x[0], x[1], x[2], v[0], v[1], v[2], ref hv[0], ref hv[1], ref hv[2]), (x, h) => F.FmaHessian(x[0], x[1], x[2], h), (x, d) => F.FmaHessianDiagonal(x[0], x[1], x[2], d), (x, p, d) => F.FmaHessianDiagonal(x[0], x[1], x[2], p, d), 3);

    [Fact]
    public void Ternary() => Check(x => F.Ternary(x[0], x[1]), (x, g) => F.TernaryGradient(x[0], x[1], ref g[0], ref g[1]), (x, v, hv) => F.TernaryHessianVectorProduct(x[0], x[1], v[0], v[1], ref hv[0], ref hv[1]), (x, h) => F.TernaryHessian(x[0], x[1], h), (x, d) => F.TernaryHessianDiagonal(x[0], x[1], d), (x, p, d) => F.TernaryHessianDiagonal(x[0], x[1], p, d), 2, points: 10);

    [Fact]
    public void IfElse() => Check(x => F.IfElse(x[0]), (x, g) => F.IfElseGradient(x[0], ref g[0]), (x, v, hv) => F.IfElseHessianVectorProduct(x[0], v[0], ref hv[0]), (x, h) => F.IfElseHessian(x[0], h), (x, d) => F.IfElseHessianDiagonal(x[0], d), (x, p, d) => F.IfElseHessianDiagonal(x[0], p, d), 1, points: 10);

    [Fact]
    public void NestedIf() => Check(x => F.NestedIf(x[0], x[1]), (x, g) => F.NestedIfGradient(x[0], x[1], ref g[0], ref g[1]), (x, v, hv) => F.NestedIfHessianVectorProduct(x[0], x[1], v[0], v[1], ref hv[0], ref hv[1]), (x, h) => F.NestedIfHessian(x[0], x[1], h), (x, d) => F.NestedIfHessianDiagonal(x[0], x[1], d), (x, p, d) => F.NestedIfHessianDiagonal(x[0], x[1], p, d), 2, points: 16);

    [Fact]
    public void GenericMath() => Check(x => F.GenericMath(x[0]), (x, g) => F.GenericMathGradient(x[0], ref g[0]), (x, v, hv) => F.GenericMathHessianVectorProduct(x[0], v[0], ref hv[0]), (x, h) => F.GenericMathHessian(x[0], h), (x, d) => F.GenericMathHessianDiagonal(x[0], d), (x, p, d) => F.GenericMathHessianDiagonal(x[0], p, d), 1);

    [Fact]
    public void DotWithRespectToWeightsOnly() =>
        Check(x => F.Dot(x.AsSpan(0, 4), x.AsSpan(4, 4)), (x, g) => F.DotGradient(x.AsSpan(0, 4), x.AsSpan(4, 4), g.AsSpan(0, 4)), (x, v, hv) => F.DotHessianVectorProduct(x.AsSpan(0, 4), x.AsSpan(4, 4), v.AsSpan(0, 4), hv.AsSpan(0, 4)), (x, h) => F.DotHessian(x.AsSpan(0, 4), x.AsSpan(4, 4), h), (x, d) => F.DotHessianDiagonal(x.AsSpan(0, 4), x.AsSpan(4, 4), d), (x, p, d) => F.DotHessianDiagonal(x.AsSpan(0, 4), x.AsSpan(4, 4), p, d), 8, GradientCheck.Mask(8, 4, 5, 6, 7));

    [Fact]
    public void SumSquaresArray() => Check(x => F.SumSquares(x), (x, g) => F.SumSquaresGradient(x, g), (x, v, hv) => F.SumSquaresHessianVectorProduct(x, v, hv), (x, h) => F.SumSquaresHessian(x, h), (x, d) => F.SumSquaresHessianDiagonal(x, d), (x, p, d) => F.SumSquaresHessianDiagonal(x, p, d), 5);

    [Fact]
    public void Logistic()
    {
        foreach (int label in new[] { 0, 1 })
        {
            Check(x => F.Logistic(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label), (x, g) => F.LogisticGradient(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, g.AsSpan(0, 3), ref g[3]), (x, v, hv) => F.LogisticHessianVectorProduct(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, v.AsSpan(0, 3), v[3], hv.AsSpan(0, 3), ref hv[3]), (x, h) => F.LogisticHessian(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, h), (x, d) => F.LogisticHessianDiagonal(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, d), (x, p, d) => F.LogisticHessianDiagonal(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, p, d), 7, GradientCheck.Mask(7, 4, 5, 6));
        }
    }

    [Fact]
    public void LogisticInputGradientFromSecondAttribute()
    {
        foreach (int label in new[] { 0, 1 })
        {
            Check(x => F.Logistic(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label), (x, g) => F.LogisticInputGradient(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, g.AsSpan(4, 3)), (x, v, hv) => F.LogisticInputHessianVectorProduct(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, v.AsSpan(4, 3), hv.AsSpan(4, 3)), (x, h) => F.LogisticInputHessian(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, h), (x, d) => F.LogisticInputHessianDiagonal(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, d), (x, p, d) => F.LogisticInputHessianDiagonal(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, p, d), 7, GradientCheck.Mask(7, 0, 1, 2, 3));
        }
    }

    [Fact]
    public void SoftmaxCrossEntropy() =>
        Check(x => F.SoftmaxCrossEntropy(x, 2), (x, g) => F.SoftmaxCrossEntropyGradient(x, 2, g), (x, v, hv) => F.SoftmaxCrossEntropyHessianVectorProduct(x, 2, v, hv), (x, h) => F.SoftmaxCrossEntropyHessian(x, 2, h), (x, d) => F.SoftmaxCrossEntropyHessianDiagonal(x, 2, d), (x, p, d) => F.SoftmaxCrossEntropyHessianDiagonal(x, 2, p, d), 5, points: 10);

    [Fact]
    public void HornerTapesTheAccumulator() =>
        Check(x => F.Horner(x.AsSpan(0, 5), x[5]), (x, g) => F.HornerGradient(x.AsSpan(0, 5), x[5], g.AsSpan(0, 5), ref g[5]), (x, v, hv) => F.HornerHessianVectorProduct(x.AsSpan(0, 5), x[5], v.AsSpan(0, 5), v[5], hv.AsSpan(0, 5), ref hv[5]), (x, h) => F.HornerHessian(x.AsSpan(0, 5), x[5], h), (x, d) => F.HornerHessianDiagonal(x.AsSpan(0, 5), x[5], d), (x, p, d) => F.HornerHessianDiagonal(x.AsSpan(0, 5), x[5], p, d), 6);

    [Fact]
    public void ProductOverForeach() => Check(x => F.Product(x), (x, g) => F.ProductGradient(x, g), (x, v, hv) => F.ProductHessianVectorProduct(x, v, hv), (x, h) => F.ProductHessian(x, h), (x, d) => F.ProductHessianDiagonal(x, d), (x, p, d) => F.ProductHessianDiagonal(x, p, d), 6);

    [Fact]
    public void WhileLoopWithDataDependentTrips() =>
        Check(x => F.WhileLoop(x[0]), (x, g) => F.WhileLoopGradient(x[0], ref g[0]), (x, v, hv) => F.WhileLoopHessianVectorProduct(x[0], v[0], ref hv[0]), (x, h) => F.WhileLoopHessian(x[0], h), (x, d) => F.WhileLoopHessianDiagonal(x[0], d), (x, p, d) => F.WhileLoopHessianDiagonal(x[0], p, d), 1, sample: (r, _) => 0.2 + (r.NextDouble() * 5), points: 12);

    [Fact]
    public void BreakLoop() => Check(x => F.BreakLoop(x), (x, g) => F.BreakLoopGradient(x, g), (x, v, hv) => F.BreakLoopHessianVectorProduct(x, v, hv), (x, h) => F.BreakLoopHessian(x, h), (x, d) => F.BreakLoopHessianDiagonal(x, d), (x, p, d) => F.BreakLoopHessianDiagonal(x, p, d), 6, points: 12);

    [Fact]
    public void ContinueLoop() => Check(x => F.ContinueLoop(x), (x, g) => F.ContinueLoopGradient(x, g), (x, v, hv) => F.ContinueLoopHessianVectorProduct(x, v, hv), (x, h) => F.ContinueLoopHessian(x, h), (x, d) => F.ContinueLoopHessianDiagonal(x, d), (x, p, d) => F.ContinueLoopHessianDiagonal(x, p, d), 6, points: 12);

    [Fact]
    public void EarlyReturn() =>
        Check(x => F.EarlyReturn(x[0], x.AsSpan(1, 4)), (x, g) => F.EarlyReturnGradient(x[0], x.AsSpan(1, 4), ref g[0], g.AsSpan(1, 4)), (x, v, hv) => F.EarlyReturnHessianVectorProduct(x[0], x.AsSpan(1, 4), v[0], v.AsSpan(1, 4), ref hv[0], hv.AsSpan(1, 4)), (x, h) => F.EarlyReturnHessian(x[0], x.AsSpan(1, 4), h), (x, d) => F.EarlyReturnHessianDiagonal(x[0], x.AsSpan(1, 4), d), (x, p, d) => F.EarlyReturnHessianDiagonal(x[0], x.AsSpan(1, 4), p, d), 5, points: 20);

    [Fact]
    public void Foreach() => Check(x => F.Foreach(x), (x, g) => F.ForeachGradient(x, g), (x, v, hv) => F.ForeachHessianVectorProduct(x, v, hv), (x, h) => F.ForeachHessian(x, h), (x, d) => F.ForeachHessianDiagonal(x, d), (x, p, d) => F.ForeachHessianDiagonal(x, p, d), 5);

    [Fact]
    public void QuadraticFormNestedLoops() =>
        Check(x => F.QuadraticForm(x.AsSpan(0, 9), x.AsSpan(9, 3), 3), (x, g) => F.QuadraticFormGradient(x.AsSpan(0, 9), x.AsSpan(9, 3), 3, g.AsSpan(0, 9), g.AsSpan(9, 3)), (x, v, hv) => F.QuadraticFormHessianVectorProduct(x.AsSpan(0, 9), x.AsSpan(9, 3), 3, v.AsSpan(0, 9), v.AsSpan(9, 3), hv.AsSpan(0, 9), hv.AsSpan(9, 3)), (x, h) => F.QuadraticFormHessian(x.AsSpan(0, 9), x.AsSpan(9, 3), 3, h), (x, d) => F.QuadraticFormHessianDiagonal(x.AsSpan(0, 9), x.AsSpan(9, 3), 3, d), (x, p, d) => F.QuadraticFormHessianDiagonal(x.AsSpan(0, 9), x.AsSpan(9, 3), 3, p, d), 12);

    [Fact]
    public void LocalArray() => Check(x => F.LocalArray(x), (x, g) => F.LocalArrayGradient(x, g), (x, v, hv) => F.LocalArrayHessianVectorProduct(x, v, hv), (x, h) => F.LocalArrayHessian(x, h), (x, d) => F.LocalArrayHessianDiagonal(x, d), (x, p, d) => F.LocalArrayHessianDiagonal(x, p, d), 5);

    [Fact]
    public void StackallocPrefixSums() => Check(x => F.PrefixSums(x), (x, g) => F.PrefixSumsGradient(x, g), (x, v, hv) => F.PrefixSumsHessianVectorProduct(x, v, hv), (x, h) => F.PrefixSumsHessian(x, h), (x, d) => F.PrefixSumsHessianDiagonal(x, d), (x, p, d) => F.PrefixSumsHessianDiagonal(x, p, d), 6);

    [Fact]
    public void ElementOverwrittenTwice() => Check(x => F.ElementOverwrite(x), (x, g) => F.ElementOverwriteGradient(x, g), (x, v, hv) => F.ElementOverwriteHessianVectorProduct(x, v, hv), (x, h) => F.ElementOverwriteHessian(x, h), (x, d) => F.ElementOverwriteHessianDiagonal(x, d), (x, p, d) => F.ElementOverwriteHessianDiagonal(x, p, d), 2);

    [Fact]
    public void LocalFunction() => Check(x => F.LocalFunction(x[0], x[1]), (x, g) => F.LocalFunctionGradient(x[0], x[1], ref g[0], ref g[1]), (x, v, hv) => F.LocalFunctionHessianVectorProduct(x[0], x[1], v[0], v[1], ref hv[0], ref hv[1]), (x, h) => F.LocalFunctionHessian(x[0], x[1], h), (x, d) => F.LocalFunctionHessianDiagonal(x[0], x[1], d), (x, p, d) => F.LocalFunctionHessianDiagonal(x[0], x[1], p, d), 2);

    [Fact]
    public void LocalFunctionWithLoop() =>
        Check(x => F.LocalFunctionWithLoop(x.AsSpan(0, 4), x[4]), (x, g) => F.LocalFunctionWithLoopGradient(x.AsSpan(0, 4), x[4], g.AsSpan(0, 4), ref g[4]), (x, v, hv) => F.LocalFunctionWithLoopHessianVectorProduct(x.AsSpan(0, 4), x[4], v.AsSpan(0, 4), v[4], hv.AsSpan(0, 4), ref hv[4]), (x, h) => F.LocalFunctionWithLoopHessian(x.AsSpan(0, 4), x[4], h), (x, d) => F.LocalFunctionWithLoopHessianDiagonal(x.AsSpan(0, 4), x[4], d), (x, p, d) => F.LocalFunctionWithLoopHessianDiagonal(x.AsSpan(0, 4), x[4], p, d), 5);

    [Fact]
    public void WrtSubset() =>
        Check(x => F.WrtSubset(x[0], x[1], x[2]), (x, g) => F.WrtSubsetGradient(x[0], x[1], x[2], ref g[0], ref g[2]), (x, v, hv) => F.WrtSubsetHessianVectorProduct(x[0], x[1], x[2], v[0], v[2], ref hv[0], ref hv[2]), (x, h) => F.WrtSubsetHessian(x[0], x[1], x[2], h), (x, d) => F.WrtSubsetHessianDiagonal(x[0], x[1], x[2], d), (x, p, d) => F.WrtSubsetHessianDiagonal(x[0], x[1], x[2], p, d), 3, GradientCheck.Mask(3, 1));

    [Fact]
    public void ConstantIntAndBoolParameters()
    {
        Check(x => F.ConstantParameters(x[0], 4, true), (x, g) => F.ConstantParametersGradient(x[0], 4, true, ref g[0]), (x, v, hv) => F.ConstantParametersHessianVectorProduct(x[0], 4, true, v[0], ref hv[0]), (x, h) => F.ConstantParametersHessian(x[0], 4, true, h), (x, d) => F.ConstantParametersHessianDiagonal(x[0], 4, true, d), (x, p, d) => F.ConstantParametersHessianDiagonal(x[0], 4, true, p, d), 1);
        Check(x => F.ConstantParameters(x[0], 4, false), (x, g) => F.ConstantParametersGradient(x[0], 4, false, ref g[0]), (x, v, hv) => F.ConstantParametersHessianVectorProduct(x[0], 4, false, v[0], ref hv[0]), (x, h) => F.ConstantParametersHessian(x[0], 4, false, h), (x, d) => F.ConstantParametersHessianDiagonal(x[0], 4, false, d), (x, p, d) => F.ConstantParametersHessianDiagonal(x[0], 4, false, p, d), 1);
    }

    [Fact]
    public void CompoundAssignments() => Check(x => F.CompoundAssignments(x[0]), (x, g) => F.CompoundAssignmentsGradient(x[0], ref g[0]), (x, v, hv) => F.CompoundAssignmentsHessianVectorProduct(x[0], v[0], ref hv[0]), (x, h) => F.CompoundAssignmentsHessian(x[0], h), (x, d) => F.CompoundAssignmentsHessianDiagonal(x[0], d), (x, p, d) => F.CompoundAssignmentsHessianDiagonal(x[0], p, d), 1);

    [Fact]
    public void ReassignedConstantParameter() =>
        Check(x => F.ReassignedConstantParameter(x[0], x[1]), (x, g) => F.ReassignedConstantParameterGradient(x[0], x[1], ref g[0]), (x, v, hv) => F.ReassignedConstantParameterHessianVectorProduct(x[0], x[1], v[0], ref hv[0]), (x, h) => F.ReassignedConstantParameterHessian(x[0], x[1], h), (x, d) => F.ReassignedConstantParameterHessianDiagonal(x[0], x[1], d), (x, p, d) => F.ReassignedConstantParameterHessianDiagonal(x[0], x[1], p, d), 2, GradientCheck.Mask(2, 1));

    [Fact]
    public void Mse() => Check(x => F.Mse(x.AsSpan(0, 4), x.AsSpan(4, 4)), (x, g) => F.MseGradient(x.AsSpan(0, 4), x.AsSpan(4, 4), g.AsSpan(0, 4), g.AsSpan(4, 4)), (x, v, hv) => F.MseHessianVectorProduct(x.AsSpan(0, 4), x.AsSpan(4, 4), v.AsSpan(0, 4), v.AsSpan(4, 4), hv.AsSpan(0, 4), hv.AsSpan(4, 4)), (x, h) => F.MseHessian(x.AsSpan(0, 4), x.AsSpan(4, 4), h), (x, d) => F.MseHessianDiagonal(x.AsSpan(0, 4), x.AsSpan(4, 4), d), (x, p, d) => F.MseHessianDiagonal(x.AsSpan(0, 4), x.AsSpan(4, 4), p, d), 8);

    [Fact]
    public void TinyMlp() =>
        Check(
            x => F.TinyMlp(x.AsSpan(0, 6), x.AsSpan(6, 3), x.AsSpan(9, 3), x[12], x.AsSpan(13, 2), x[15]),
            (x, g) => F.TinyMlpGradient(x.AsSpan(0, 6), x.AsSpan(6, 3), x.AsSpan(9, 3), x[12], x.AsSpan(13, 2), x[15], g.AsSpan(0, 6), g.AsSpan(6, 3), g.AsSpan(9, 3), ref g[12]),
            (x, v, hv) => F.TinyMlpHessianVectorProduct(x.AsSpan(0, 6), x.AsSpan(6, 3), x.AsSpan(9, 3), x[12], x.AsSpan(13, 2), x[15], v.AsSpan(0, 6), v.AsSpan(6, 3), v.AsSpan(9, 3), v[12], hv.AsSpan(0, 6), hv.AsSpan(6, 3), hv.AsSpan(9, 3), ref hv[12]),
            (x, h) => F.TinyMlpHessian(x.AsSpan(0, 6), x.AsSpan(6, 3), x.AsSpan(9, 3), x[12], x.AsSpan(13, 2), x[15], h),
            (x, d) => F.TinyMlpHessianDiagonal(x.AsSpan(0, 6), x.AsSpan(6, 3), x.AsSpan(9, 3), x[12], x.AsSpan(13, 2), x[15], d),
            (x, p, d) => F.TinyMlpHessianDiagonal(x.AsSpan(0, 6), x.AsSpan(6, 3), x.AsSpan(9, 3), x[12], x.AsSpan(13, 2), x[15], p, d),
            16,
            GradientCheck.Mask(16, 13, 14, 15));

    [Fact]
    public void LogSumExp() => Check(x => F.LogSumExp(x), (x, g) => F.LogSumExpGradient(x, g), (x, v, hv) => F.LogSumExpHessianVectorProduct(x, v, hv), (x, h) => F.LogSumExpHessian(x, h), (x, d) => F.LogSumExpHessianDiagonal(x, d), (x, p, d) => F.LogSumExpHessianDiagonal(x, p, d), 5);

    [Fact]
    public void NestedBreakContinue() => Check(x => F.NestedBreakContinue(x), (x, g) => F.NestedBreakContinueGradient(x, g), (x, v, hv) => F.NestedBreakContinueHessianVectorProduct(x, v, hv), (x, h) => F.NestedBreakContinueHessian(x, h), (x, d) => F.NestedBreakContinueHessianDiagonal(x, d), (x, p, d) => F.NestedBreakContinueHessianDiagonal(x, p, d), 5, points: 12);

    [Fact]
    public void ReturnFromNestedLoop() => Check(x => F.ReturnFromNestedLoop(x), (x, g) => F.ReturnFromNestedLoopGradient(x, g), (x, v, hv) => F.ReturnFromNestedLoopHessianVectorProduct(x, v, hv), (x, h) => F.ReturnFromNestedLoopHessian(x, h), (x, d) => F.ReturnFromNestedLoopHessianDiagonal(x, d), (x, p, d) => F.ReturnFromNestedLoopHessianDiagonal(x, p, d), 4, points: 16);

    [Fact]
    public void SoftplusWhileLoop() => Check(x => F.Softplus(x), (x, g) => F.SoftplusGradient(x, g), (x, v, hv) => F.SoftplusHessianVectorProduct(x, v, hv), (x, h) => F.SoftplusHessian(x, h), (x, d) => F.SoftplusHessianDiagonal(x, d), (x, p, d) => F.SoftplusHessianDiagonal(x, p, d), 6, sample: (r, _) => (r.NextDouble() * 8) - 4);

    [Fact]
    public void RecurrentState() =>
        Check(x => F.RecurrentState(x.AsSpan(0, 6), x[6], x[7]), (x, g) => F.RecurrentStateGradient(x.AsSpan(0, 6), x[6], x[7], g.AsSpan(0, 6), ref g[6], ref g[7]), (x, v, hv) => F.RecurrentStateHessianVectorProduct(x.AsSpan(0, 6), x[6], x[7], v.AsSpan(0, 6), v[6], v[7], hv.AsSpan(0, 6), ref hv[6], ref hv[7]), (x, h) => F.RecurrentStateHessian(x.AsSpan(0, 6), x[6], x[7], h), (x, d) => F.RecurrentStateHessianDiagonal(x.AsSpan(0, 6), x[6], x[7], d), (x, p, d) => F.RecurrentStateHessianDiagonal(x.AsSpan(0, 6), x[6], x[7], p, d), 8);

}

