using System;
using Xunit;
using static DiffGen.IntegrationTests.TangentCheck;
using F = DiffGen.IntegrationTests.Functions;

namespace DiffGen.IntegrationTests;

/// <summary>The pushforwards of the functions in GradientTests along random directions: finite differences and the gradient (<see cref="TangentCheck"/>).</summary>
public class GradientForwardTests
{
    [Fact]
    public void Rosenbrock() => Check(x => F.Rosenbrock(x[0], x[1]), (x, g) => F.RosenbrockGradient(x[0], x[1], ref g[0], ref g[1]), (x, v) => (F.RosenbrockPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent), 2);

    [Fact]
    public void Polynomial() => Check(x => F.Polynomial(x[0]), (x, g) => F.PolynomialGradient(x[0], ref g[0]), (x, v) => (F.PolynomialPushforward(x[0], v[0], out double tangent), tangent), 1);

    [Fact]
    public void Quotient() => Check(x => F.Quotient(x[0], x[1]), (x, g) => F.QuotientGradient(x[0], x[1], ref g[0], ref g[1]), (x, v) => (F.QuotientPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent), 2);

    [Fact]
    public void ExpLog() => Check(x => F.ExpLog(x[0]), (x, g) => F.ExpLogGradient(x[0], ref g[0]), (x, v) => (F.ExpLogPushforward(x[0], v[0], out double tangent), tangent), 1);

    [Fact]
    public void Trig() => Check(x => F.Trig(x[0], x[1]), (x, g) => F.TrigGradient(x[0], x[1], ref g[0], ref g[1]), (x, v) => (F.TrigPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent), 2);

    [Fact]
    public void Hyperbolic() => Check(x => F.Hyperbolic(x[0]), (x, g) => F.HyperbolicGradient(x[0], ref g[0]), (x, v) => (F.HyperbolicPushforward(x[0], v[0], out double tangent), tangent), 1);

    [Fact]
    public void Roots() => Check(x => F.Roots(x[0]), (x, g) => F.RootsGradient(x[0], ref g[0]), (x, v) => (F.RootsPushforward(x[0], v[0], out double tangent), tangent), 1);

    [Fact]
    public void RepeatedFactors() => Check(x => F.RepeatedFactors(x[0], x[1], x[2]), (x, g) => F.RepeatedFactorsGradient(x[0], x[1], x[2], ref g[0], ref g[1], ref g[2]), (x, v) => (F.RepeatedFactorsPushforward(x[0], x[1], x[2], v[0], v[1], v[2], out double tangent), tangent), 3);

    [Fact]
    public void InverseHyperbolic() => Check(x => F.InverseHyperbolic(x[0], x[1]), (x, g) => F.InverseHyperbolicGradient(x[0], x[1], ref g[0], ref g[1]), (x, v) => (F.InverseHyperbolicPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent), 2);

    [Fact]
    public void Powers() => Check(x => F.Powers(x[0], x[1]), (x, g) => F.PowersGradient(x[0], x[1], ref g[0], ref g[1]), (x, v) => (F.PowersPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent), 2);

    [Fact]
    public void InverseTrig() => Check(x => F.InverseTrig(x[0]), (x, g) => F.InverseTrigGradient(x[0], ref g[0]), (x, v) => (F.InverseTrigPushforward(x[0], v[0], out double tangent), tangent), 1);

    [Fact]
    public void Atan2Both() => Check(x => F.Atan2Both(x[0], x[1]), (x, g) => F.Atan2BothGradient(x[0], x[1], ref g[0], ref g[1]), (x, v) => (F.Atan2BothPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent), 2);

    [Fact]
    public void Logs() => Check(x => F.Logs(x[0]), (x, g) => F.LogsGradient(x[0], ref g[0]), (x, v) => (F.LogsPushforward(x[0], v[0], out double tangent), tangent), 1);

    [Fact]
    public void NonSmoothAwayFromKinks() =>
        Check(x => F.NonSmooth(x[0], x[1]), (x, g) => F.NonSmoothGradient(x[0], x[1], ref g[0], ref g[1]), (x, v) => (F.NonSmoothPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent), 2, points: 12);

    [Fact]
    public void Fma() => Check(x => F.Fma(x[0], x[1], x[2]), (x, g) => F.FmaGradient(x[0], x[1], x[2], ref g[0], ref g[1], ref g[2]), (x, v) => (F.FmaPushforward(x[0], x[1], x[2], v[0], v[1], v[2], out double tangent), tangent), 3);

    [Fact]
    public void Ternary() => Check(x => F.Ternary(x[0], x[1]), (x, g) => F.TernaryGradient(x[0], x[1], ref g[0], ref g[1]), (x, v) => (F.TernaryPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent), 2, points: 10);

    [Fact]
    public void IfElse() => Check(x => F.IfElse(x[0]), (x, g) => F.IfElseGradient(x[0], ref g[0]), (x, v) => (F.IfElsePushforward(x[0], v[0], out double tangent), tangent), 1, points: 10);

    [Fact]
    public void NestedIf() => Check(x => F.NestedIf(x[0], x[1]), (x, g) => F.NestedIfGradient(x[0], x[1], ref g[0], ref g[1]), (x, v) => (F.NestedIfPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent), 2, points: 16);

    [Fact]
    public void GenericMath() => Check(x => F.GenericMath(x[0]), (x, g) => F.GenericMathGradient(x[0], ref g[0]), (x, v) => (F.GenericMathPushforward(x[0], v[0], out double tangent), tangent), 1);

    [Fact]
    public void DotWithRespectToWeightsOnly() =>
        Check(x => F.Dot(x.AsSpan(0, 4), x.AsSpan(4, 4)), (x, g) => F.DotGradient(x.AsSpan(0, 4), x.AsSpan(4, 4), g.AsSpan(0, 4)), (x, v) => (F.DotPushforward(x.AsSpan(0, 4), x.AsSpan(4, 4), v.AsSpan(0, 4), out double tangent), tangent), 8, GradientCheck.Mask(8, 4, 5, 6, 7));

    [Fact]
    public void SumSquaresArray() => Check(x => F.SumSquares(x), (x, g) => F.SumSquaresGradient(x, g), (x, v) => (F.SumSquaresPushforward(x, v, out double tangent), tangent), 5);

    [Fact]
    public void Logistic()
    {
        foreach (int label in new[] { 0, 1 })
        {
            Check(x => F.Logistic(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label), (x, g) => F.LogisticGradient(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, g.AsSpan(0, 3), ref g[3]), (x, v) => (F.LogisticPushforward(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, v.AsSpan(0, 3), v[3], out double tangent), tangent), 7, GradientCheck.Mask(7, 4, 5, 6));
        }
    }

    [Fact]
    public void LogisticInputGradientFromSecondAttribute()
    {
        foreach (int label in new[] { 0, 1 })
        {
            Check(x => F.Logistic(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label), (x, g) => F.LogisticInputGradient(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, g.AsSpan(4, 3)), (x, v) => (F.LogisticInputPushforward(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, v.AsSpan(4, 3), out double tangent), tangent), 7, GradientCheck.Mask(7, 0, 1, 2, 3));
        }
    }

    [Fact]
    public void SoftmaxCrossEntropy() =>
        Check(x => F.SoftmaxCrossEntropy(x, 2), (x, g) => F.SoftmaxCrossEntropyGradient(x, 2, g), (x, v) => (F.SoftmaxCrossEntropyPushforward(x, 2, v, out double tangent), tangent), 5, points: 10);

    [Fact]
    public void HornerTapesTheAccumulator() =>
        Check(x => F.Horner(x.AsSpan(0, 5), x[5]), (x, g) => F.HornerGradient(x.AsSpan(0, 5), x[5], g.AsSpan(0, 5), ref g[5]), (x, v) => (F.HornerPushforward(x.AsSpan(0, 5), x[5], v.AsSpan(0, 5), v[5], out double tangent), tangent), 6);

    [Fact]
    public void ProductOverForeach() => Check(x => F.Product(x), (x, g) => F.ProductGradient(x, g), (x, v) => (F.ProductPushforward(x, v, out double tangent), tangent), 6);

    [Fact]
    public void WhileLoopWithDataDependentTrips() =>
        Check(x => F.WhileLoop(x[0]), (x, g) => F.WhileLoopGradient(x[0], ref g[0]), (x, v) => (F.WhileLoopPushforward(x[0], v[0], out double tangent), tangent), 1, sample: (r, _) => 0.2 + (r.NextDouble() * 5), points: 12);

    [Fact]
    public void BreakLoop() => Check(x => F.BreakLoop(x), (x, g) => F.BreakLoopGradient(x, g), (x, v) => (F.BreakLoopPushforward(x, v, out double tangent), tangent), 6, points: 12);

    [Fact]
    public void ContinueLoop() => Check(x => F.ContinueLoop(x), (x, g) => F.ContinueLoopGradient(x, g), (x, v) => (F.ContinueLoopPushforward(x, v, out double tangent), tangent), 6, points: 12);

    [Fact]
    public void EarlyReturn() =>
        Check(x => F.EarlyReturn(x[0], x.AsSpan(1, 4)), (x, g) => F.EarlyReturnGradient(x[0], x.AsSpan(1, 4), ref g[0], g.AsSpan(1, 4)), (x, v) => (F.EarlyReturnPushforward(x[0], x.AsSpan(1, 4), v[0], v.AsSpan(1, 4), out double tangent), tangent), 5, points: 20);

    [Fact]
    public void Foreach() => Check(x => F.Foreach(x), (x, g) => F.ForeachGradient(x, g), (x, v) => (F.ForeachPushforward(x, v, out double tangent), tangent), 5);

    [Fact]
    public void QuadraticFormNestedLoops() =>
        Check(x => F.QuadraticForm(x.AsSpan(0, 9), x.AsSpan(9, 3), 3), (x, g) => F.QuadraticFormGradient(x.AsSpan(0, 9), x.AsSpan(9, 3), 3, g.AsSpan(0, 9), g.AsSpan(9, 3)), (x, v) => (F.QuadraticFormPushforward(x.AsSpan(0, 9), x.AsSpan(9, 3), 3, v.AsSpan(0, 9), v.AsSpan(9, 3), out double tangent), tangent), 12);

    [Fact]
    public void LocalArray() => Check(x => F.LocalArray(x), (x, g) => F.LocalArrayGradient(x, g), (x, v) => (F.LocalArrayPushforward(x, v, out double tangent), tangent), 5);

    [Fact]
    public void StackallocPrefixSums() => Check(x => F.PrefixSums(x), (x, g) => F.PrefixSumsGradient(x, g), (x, v) => (F.PrefixSumsPushforward(x, v, out double tangent), tangent), 6);

    [Fact]
    public void ElementOverwrittenTwice() => Check(x => F.ElementOverwrite(x), (x, g) => F.ElementOverwriteGradient(x, g), (x, v) => (F.ElementOverwritePushforward(x, v, out double tangent), tangent), 2);

    [Fact]
    public void LocalFunction() => Check(x => F.LocalFunction(x[0], x[1]), (x, g) => F.LocalFunctionGradient(x[0], x[1], ref g[0], ref g[1]), (x, v) => (F.LocalFunctionPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent), 2);

    [Fact]
    public void LocalFunctionWithLoop() =>
        Check(x => F.LocalFunctionWithLoop(x.AsSpan(0, 4), x[4]), (x, g) => F.LocalFunctionWithLoopGradient(x.AsSpan(0, 4), x[4], g.AsSpan(0, 4), ref g[4]), (x, v) => (F.LocalFunctionWithLoopPushforward(x.AsSpan(0, 4), x[4], v.AsSpan(0, 4), v[4], out double tangent), tangent), 5);

    [Fact]
    public void CallsAnotherDifferentiableMethod() =>
        Check(x => F.CallsOther(x[0], x[1]), (x, g) => F.CallsOtherGradient(x[0], x[1], ref g[0], ref g[1]), (x, v) => (F.CallsOtherPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent), 2);

    [Fact]
    public void CallsWithSpans() =>
        Check(x => F.CallsWithSpans(x.AsSpan(0, 3), x.AsSpan(3, 3)), (x, g) => F.CallsWithSpansGradient(x.AsSpan(0, 3), x.AsSpan(3, 3), g.AsSpan(0, 3), g.AsSpan(3, 3)), (x, v) => (F.CallsWithSpansPushforward(x.AsSpan(0, 3), x.AsSpan(3, 3), v.AsSpan(0, 3), v.AsSpan(3, 3), out double tangent), tangent), 6);

    [Fact]
    public void CallInLoop() => Check(x => F.CallInLoop(x), (x, g) => F.CallInLoopGradient(x, g), (x, v) => (F.CallInLoopPushforward(x, v, out double tangent), tangent), 5);

    [Fact]
    public void WrtSubset() =>
        Check(x => F.WrtSubset(x[0], x[1], x[2]), (x, g) => F.WrtSubsetGradient(x[0], x[1], x[2], ref g[0], ref g[2]), (x, v) => (F.WrtSubsetPushforward(x[0], x[1], x[2], v[0], v[2], out double tangent), tangent), 3, GradientCheck.Mask(3, 1));

    [Fact]
    public void ConstantIntAndBoolParameters()
    {
        Check(x => F.ConstantParameters(x[0], 4, true), (x, g) => F.ConstantParametersGradient(x[0], 4, true, ref g[0]), (x, v) => (F.ConstantParametersPushforward(x[0], 4, true, v[0], out double tangent), tangent), 1);
        Check(x => F.ConstantParameters(x[0], 4, false), (x, g) => F.ConstantParametersGradient(x[0], 4, false, ref g[0]), (x, v) => (F.ConstantParametersPushforward(x[0], 4, false, v[0], out double tangent), tangent), 1);
    }

    [Fact]
    public void CompoundAssignments() => Check(x => F.CompoundAssignments(x[0]), (x, g) => F.CompoundAssignmentsGradient(x[0], ref g[0]), (x, v) => (F.CompoundAssignmentsPushforward(x[0], v[0], out double tangent), tangent), 1);

    [Fact]
    public void ReassignedConstantParameter() =>
        Check(x => F.ReassignedConstantParameter(x[0], x[1]), (x, g) => F.ReassignedConstantParameterGradient(x[0], x[1], ref g[0]), (x, v) => (F.ReassignedConstantParameterPushforward(x[0], x[1], v[0], out double tangent), tangent), 2, GradientCheck.Mask(2, 1));

    [Fact]
    public void Mse() => Check(x => F.Mse(x.AsSpan(0, 4), x.AsSpan(4, 4)), (x, g) => F.MseGradient(x.AsSpan(0, 4), x.AsSpan(4, 4), g.AsSpan(0, 4), g.AsSpan(4, 4)), (x, v) => (F.MsePushforward(x.AsSpan(0, 4), x.AsSpan(4, 4), v.AsSpan(0, 4), v.AsSpan(4, 4), out double tangent), tangent), 8);

    [Fact]
    public void TinyMlp() =>
        Check(
            x => F.TinyMlp(x.AsSpan(0, 6), x.AsSpan(6, 3), x.AsSpan(9, 3), x[12], x.AsSpan(13, 2), x[15]),
            (x, g) => F.TinyMlpGradient(x.AsSpan(0, 6), x.AsSpan(6, 3), x.AsSpan(9, 3), x[12], x.AsSpan(13, 2), x[15], g.AsSpan(0, 6), g.AsSpan(6, 3), g.AsSpan(9, 3), ref g[12]),
            (x, v) => (F.TinyMlpPushforward(x.AsSpan(0, 6), x.AsSpan(6, 3), x.AsSpan(9, 3), x[12], x.AsSpan(13, 2), x[15], v.AsSpan(0, 6), v.AsSpan(6, 3), v.AsSpan(9, 3), v[12], out double tangent), tangent),
            16,
            GradientCheck.Mask(16, 13, 14, 15));

    [Fact]
    public void LogSumExp() => Check(x => F.LogSumExp(x), (x, g) => F.LogSumExpGradient(x, g), (x, v) => (F.LogSumExpPushforward(x, v, out double tangent), tangent), 5);

    [Fact]
    public void NestedBreakContinue() => Check(x => F.NestedBreakContinue(x), (x, g) => F.NestedBreakContinueGradient(x, g), (x, v) => (F.NestedBreakContinuePushforward(x, v, out double tangent), tangent), 5, points: 12);

    [Fact]
    public void ReturnFromNestedLoop() => Check(x => F.ReturnFromNestedLoop(x), (x, g) => F.ReturnFromNestedLoopGradient(x, g), (x, v) => (F.ReturnFromNestedLoopPushforward(x, v, out double tangent), tangent), 4, points: 16);

    [Fact]
    public void SoftplusWhileLoop() => Check(x => F.Softplus(x), (x, g) => F.SoftplusGradient(x, g), (x, v) => (F.SoftplusPushforward(x, v, out double tangent), tangent), 6, sample: (r, _) => (r.NextDouble() * 8) - 4);

    [Fact]
    public void RecurrentState() =>
        Check(x => F.RecurrentState(x.AsSpan(0, 6), x[6], x[7]), (x, g) => F.RecurrentStateGradient(x.AsSpan(0, 6), x[6], x[7], g.AsSpan(0, 6), ref g[6], ref g[7]), (x, v) => (F.RecurrentStatePushforward(x.AsSpan(0, 6), x[6], x[7], v.AsSpan(0, 6), v[6], v[7], out double tangent), tangent), 8);

}

