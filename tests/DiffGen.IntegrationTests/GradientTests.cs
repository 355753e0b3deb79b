using System;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;
using F = DiffGen.IntegrationTests.Functions;

namespace DiffGen.IntegrationTests;

/// <summary>Every generated gradient against central finite differences (tolerance in <see cref="GradientCheck"/>).</summary>
public class GradientTests
{
    [Fact]
    public void Rosenbrock() => Check(x => F.Rosenbrock(x[0], x[1]), (x, g) => F.RosenbrockGradient(x[0], x[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void RosenbrockClosedForm()
    {
        double dx = 0, dy = 0;
        double value = F.RosenbrockGradient(-1.5, 2, ref dx, ref dy);
        Assert.Equal(12.5, value, 12);
        Assert.Equal((-2 * (1 - -1.5)) - (400 * -1.5 * (2 - 2.25)), dx, 10);
        Assert.Equal(200 * (2 - 2.25), dy, 10);
    }

    [Fact]
    public void Polynomial() => Check(x => F.Polynomial(x[0]), (x, g) => F.PolynomialGradient(x[0], ref g[0]), 1);

    [Fact]
    public void Quotient() => Check(x => F.Quotient(x[0], x[1]), (x, g) => F.QuotientGradient(x[0], x[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void ExpLog() => Check(x => F.ExpLog(x[0]), (x, g) => F.ExpLogGradient(x[0], ref g[0]), 1);

    [Fact]
    public void Trig() => Check(x => F.Trig(x[0], x[1]), (x, g) => F.TrigGradient(x[0], x[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void Hyperbolic() => Check(x => F.Hyperbolic(x[0]), (x, g) => F.HyperbolicGradient(x[0], ref g[0]), 1);

    [Fact]
    public void Roots() => Check(x => F.Roots(x[0]), (x, g) => F.RootsGradient(x[0], ref g[0]), 1);

    [Fact]
    public void RepeatedFactors() => Check(x => F.RepeatedFactors(x[0], x[1], x[2]), (x, g) => F.RepeatedFactorsGradient(x[0], x[1], x[2], ref g[0], ref g[1], ref g[2]), 3);

    [Fact]
    public void InverseHyperbolic() => Check(x => F.InverseHyperbolic(x[0], x[1]), (x, g) => F.InverseHyperbolicGradient(x[0], x[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void Powers() => Check(x => F.Powers(x[0], x[1]), (x, g) => F.PowersGradient(x[0], x[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void InverseTrig() => Check(x => F.InverseTrig(x[0]), (x, g) => F.InverseTrigGradient(x[0], ref g[0]), 1);

    [Fact]
    public void Atan2Both() => Check(x => F.Atan2Both(x[0], x[1]), (x, g) => F.Atan2BothGradient(x[0], x[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void Logs() => Check(x => F.Logs(x[0]), (x, g) => F.LogsGradient(x[0], ref g[0]), 1);

    [Fact]
    public void NonSmoothAwayFromKinks() =>
        Check(x => F.NonSmooth(x[0], x[1]), (x, g) => F.NonSmoothGradient(x[0], x[1], ref g[0], ref g[1]), 2, points: 12);

    [Fact]
    public void NonSmoothConventionsAtKinks()
    {
        // Abs'(0) = 0; Max picks the first argument on ties; Clamp passes the gradient at its bounds; Floor' = 0.
        double dx = 0, dy = 0;
        F.NonSmoothGradient(0, 0, ref dx, ref dy);
        // Abs: 0, Max(x,y) tie: dx += 1, Min(x*y, 1) = x*y → -(y, x) = 0, Clamp(0) inside: dx += 1.
        Assert.Equal(2, dx);
        Assert.Equal(0, dy);
    }

    [Fact]
    public void Fma() => Check(x => F.Fma(x[0], x[1], x[2]), (x, g) => F.FmaGradient(x[0], x[1], x[2], ref g[0], ref g[1], ref g[2]), 3);

    [Fact]
    public void Ternary() => Check(x => F.Ternary(x[0], x[1]), (x, g) => F.TernaryGradient(x[0], x[1], ref g[0], ref g[1]), 2, points: 10);

    [Fact]
    public void IfElse() => Check(x => F.IfElse(x[0]), (x, g) => F.IfElseGradient(x[0], ref g[0]), 1, points: 10);

    [Fact]
    public void NestedIf() => Check(x => F.NestedIf(x[0], x[1]), (x, g) => F.NestedIfGradient(x[0], x[1], ref g[0], ref g[1]), 2, points: 16);

    [Fact]
    public void GenericMath() => Check(x => F.GenericMath(x[0]), (x, g) => F.GenericMathGradient(x[0], ref g[0]), 1);

    [Fact]
    public void FloatRosenbrock()
    {
        // float arithmetic: compared with the double closed form at float-representable points, tolerance 1e-4 relative.
        var random = new Random(7);
        for (int k = 0; k < 10; k++)
        {
            float x = (float)(random.NextDouble() * 3 - 1.5), y = (float)(random.NextDouble() * 3 - 1.5);
            float dx = 0, dy = 0;
            float value = F.RosenbrockFGradient(x, y, ref dx, ref dy);
            Assert.Equal(F.RosenbrockF(x, y), value);
            double ex = (-2 * (1 - (double)x)) - (400.0 * x * (y - ((double)x * x)));
            double ey = 200.0 * (y - ((double)x * x));
            Assert.True(Math.Abs(dx - ex) <= 1e-4 * Math.Max(1, Math.Abs(ex)), $"dx {dx} vs {ex}");
            Assert.True(Math.Abs(dy - ey) <= 1e-4 * Math.Max(1, Math.Abs(ey)), $"dy {dy} vs {ey}");
        }
    }

    [Fact]
    public void MixedPrecision()
    {
        // d/dx = 2x·y + cos(x) (x float), d/dy = x²; tolerance 1e-5 relative (float rounding of x·x and sin).
        var random = new Random(3);
        for (int k = 0; k < 10; k++)
        {
            float x = (float)(random.NextDouble() * 2 - 1);
            double y = random.NextDouble() * 2 - 1;
            float dx = 0;
            double dy = 0;
            F.MixedPrecisionGradient(x, y, ref dx, ref dy);
            Assert.True(Math.Abs(dx - ((2.0 * x * y) + Math.Cos(x))) < 1e-5, $"dx {dx}");
            Assert.True(Math.Abs(dy - ((double)(x * x))) < 1e-12, $"dy {dy}");
        }
    }

    [Fact]
    public void DotWithRespectToWeightsOnly() =>
        Check(x => F.Dot(x.AsSpan(0, 4), x.AsSpan(4, 4)), (x, g) => F.DotGradient(x.AsSpan(0, 4), x.AsSpan(4, 4), g.AsSpan(0, 4)), 8, Mask(8, 4, 5, 6, 7));

    [Fact]
    public void SumSquaresArray() => Check(x => F.SumSquares(x), (x, g) => F.SumSquaresGradient(x, g), 5);

    [Fact]
    public void Logistic()
    {
        foreach (int label in new[] { 0, 1 })
        {
            Check(x => F.Logistic(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label), (x, g) => F.LogisticGradient(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, g.AsSpan(0, 3), ref g[3]), 7, Mask(7, 4, 5, 6));
        }
    }

    [Fact]
    public void LogisticInputGradientFromSecondAttribute()
    {
        foreach (int label in new[] { 0, 1 })
        {
            Check(x => F.Logistic(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label), (x, g) => F.LogisticInputGradient(x.AsSpan(0, 3), x[3], x.AsSpan(4, 3), label, g.AsSpan(4, 3)), 7, Mask(7, 0, 1, 2, 3));
        }
    }

    [Fact]
    public void SoftmaxCrossEntropy() =>
        Check(x => F.SoftmaxCrossEntropy(x, 2), (x, g) => F.SoftmaxCrossEntropyGradient(x, 2, g), 5, points: 10);

    [Fact]
    public void HornerTapesTheAccumulator() =>
        Check(x => F.Horner(x.AsSpan(0, 5), x[5]), (x, g) => F.HornerGradient(x.AsSpan(0, 5), x[5], g.AsSpan(0, 5), ref g[5]), 6);

    [Fact]
    public void ProductOverForeach() => Check(x => F.Product(x), (x, g) => F.ProductGradient(x, g), 6);

    [Fact]
    public void WhileLoopWithDataDependentTrips() =>
        Check(x => F.WhileLoop(x[0]), (x, g) => F.WhileLoopGradient(x[0], ref g[0]), 1, sample: (r, _) => 0.2 + (r.NextDouble() * 5), points: 12);

    [Fact]
    public void BreakLoop() => Check(x => F.BreakLoop(x), (x, g) => F.BreakLoopGradient(x, g), 6, points: 12);

    [Fact]
    public void ContinueLoop() => Check(x => F.ContinueLoop(x), (x, g) => F.ContinueLoopGradient(x, g), 6, points: 12);

    [Fact]
    public void EarlyReturn() =>
        Check(x => F.EarlyReturn(x[0], x.AsSpan(1, 4)), (x, g) => F.EarlyReturnGradient(x[0], x.AsSpan(1, 4), ref g[0], g.AsSpan(1, 4)), 5, points: 20);

    [Fact]
    public void Foreach() => Check(x => F.Foreach(x), (x, g) => F.ForeachGradient(x, g), 5);

    [Fact]
    public void QuadraticFormNestedLoops() =>
        Check(x => F.QuadraticForm(x.AsSpan(0, 9), x.AsSpan(9, 3), 3), (x, g) => F.QuadraticFormGradient(x.AsSpan(0, 9), x.AsSpan(9, 3), 3, g.AsSpan(0, 9), g.AsSpan(9, 3)), 12);

    [Fact]
    public void LocalArray() => Check(x => F.LocalArray(x), (x, g) => F.LocalArrayGradient(x, g), 5);

    [Fact]
    public void StackallocPrefixSums() => Check(x => F.PrefixSums(x), (x, g) => F.PrefixSumsGradient(x, g), 6);

    [Fact]
    public void ElementOverwrittenTwice() => Check(x => F.ElementOverwrite(x), (x, g) => F.ElementOverwriteGradient(x, g), 2);

    [Fact]
    public void LocalFunction() => Check(x => F.LocalFunction(x[0], x[1]), (x, g) => F.LocalFunctionGradient(x[0], x[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void LocalFunctionWithLoop() =>
        Check(x => F.LocalFunctionWithLoop(x.AsSpan(0, 4), x[4]), (x, g) => F.LocalFunctionWithLoopGradient(x.AsSpan(0, 4), x[4], g.AsSpan(0, 4), ref g[4]), 5);

    [Fact]
    public void CallsAnotherDifferentiableMethod() =>
        Check(x => F.CallsOther(x[0], x[1]), (x, g) => F.CallsOtherGradient(x[0], x[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void CallsWithSpans() =>
        Check(x => F.CallsWithSpans(x.AsSpan(0, 3), x.AsSpan(3, 3)), (x, g) => F.CallsWithSpansGradient(x.AsSpan(0, 3), x.AsSpan(3, 3), g.AsSpan(0, 3), g.AsSpan(3, 3)), 6);

    [Fact]
    public void CallInLoop() => Check(x => F.CallInLoop(x), (x, g) => F.CallInLoopGradient(x, g), 5);

    [Fact]
    public void WrtSubset() =>
        Check(x => F.WrtSubset(x[0], x[1], x[2]), (x, g) => F.WrtSubsetGradient(x[0], x[1], x[2], ref g[0], ref g[2]), 3, Mask(3, 1));

    [Fact]
    public void ConstantIntAndBoolParameters()
    {
        Check(x => F.ConstantParameters(x[0], 4, true), (x, g) => F.ConstantParametersGradient(x[0], 4, true, ref g[0]), 1);
        Check(x => F.ConstantParameters(x[0], 4, false), (x, g) => F.ConstantParametersGradient(x[0], 4, false, ref g[0]), 1);
    }

    [Fact]
    public void CompoundAssignments() => Check(x => F.CompoundAssignments(x[0]), (x, g) => F.CompoundAssignmentsGradient(x[0], ref g[0]), 1);

    [Fact]
    public void ReassignedConstantParameter() =>
        Check(x => F.ReassignedConstantParameter(x[0], x[1]), (x, g) => F.ReassignedConstantParameterGradient(x[0], x[1], ref g[0]), 2, Mask(2, 1));

    [Fact]
    public void Mse() => Check(x => F.Mse(x.AsSpan(0, 4), x.AsSpan(4, 4)), (x, g) => F.MseGradient(x.AsSpan(0, 4), x.AsSpan(4, 4), g.AsSpan(0, 4), g.AsSpan(4, 4)), 8);

    [Fact]
    public void TinyMlp() =>
        Check(
            x => F.TinyMlp(x.AsSpan(0, 6), x.AsSpan(6, 3), x.AsSpan(9, 3), x[12], x.AsSpan(13, 2), x[15]),
            (x, g) => F.TinyMlpGradient(x.AsSpan(0, 6), x.AsSpan(6, 3), x.AsSpan(9, 3), x[12], x.AsSpan(13, 2), x[15], g.AsSpan(0, 6), g.AsSpan(6, 3), g.AsSpan(9, 3), ref g[12]),
            16,
            Mask(16, 13, 14, 15));

    [Fact]
    public void LogSumExp() => Check(x => F.LogSumExp(x), (x, g) => F.LogSumExpGradient(x, g), 5);

    [Fact]
    public void NestedBreakContinue() => Check(x => F.NestedBreakContinue(x), (x, g) => F.NestedBreakContinueGradient(x, g), 5, points: 12);

    [Fact]
    public void ReturnFromNestedLoop() => Check(x => F.ReturnFromNestedLoop(x), (x, g) => F.ReturnFromNestedLoopGradient(x, g), 4, points: 16);

    [Fact]
    public void FloatLoop()
    {
        // float primal; reference gradient from double finite differences of a double transcription; tolerance 1e-3 relative.
        static double Reference(double[] v, double x)
        {
            double s = 0;
            foreach (double e in v)
            {
                s = (s * x) + Math.Exp(-e * e);
            }

            return s;
        }

        var random = new Random(11);
        for (int k = 0; k < 6; k++)
        {
            float[] v = new float[5];
            for (int i = 0; i < v.Length; i++)
            {
                v[i] = (float)(random.NextDouble() * 2 - 1);
            }

            float x = (float)(random.NextDouble() * 2 - 1);
            float[] dv = new float[5];
            float dx = 0;
            float value = F.FloatLoopGradient(v, x, dv, ref dx);
            Assert.Equal(F.FloatLoop(v, x), value);
            double[] vd = Array.ConvertAll(v, e => (double)e);
            const double h = 1e-6;
            double fx = (Reference(vd, x + h) - Reference(vd, x - h)) / (2 * h);
            Assert.True(Math.Abs(dx - fx) <= 1e-3 * Math.Max(1, Math.Abs(fx)), $"dx {dx} vs {fx}");
            for (int i = 0; i < v.Length; i++)
            {
                double saved = vd[i];
                vd[i] = saved + h;
                double up = Reference(vd, x);
                vd[i] = saved - h;
                double down = Reference(vd, x);
                vd[i] = saved;
                double fd = (up - down) / (2 * h);
                Assert.True(Math.Abs(dv[i] - fd) <= 1e-3 * Math.Max(1, Math.Abs(fd)), $"dv[{i}] {dv[i]} vs {fd}");
            }
        }
    }

    [Fact]
    public void StopGradientTreatsValueAsConstant()
    {
        // d/dx [x · stop(x)] = stop(x) = x, not 2x.
        double dx = 0;
        F.StopGradientProductGradient(1.75, ref dx);
        Assert.Equal(1.75, dx);
    }

    [Fact]
    public void SoftplusWhileLoop() => Check(x => F.Softplus(x), (x, g) => F.SoftplusGradient(x, g), 6, sample: (r, _) => (r.NextDouble() * 8) - 4);

    [Fact]
    public void ConstantsAndCasts()
    {
        // f = (float)(πx/2)·y + (πx/2)·y + (int)(10x): the float cast rounds (finite differences would see the
        // rounding steps), the int cast is piecewise constant. Closed form d/dx = π·y, tolerance 1e-6 relative.
        var random = new Random(5);
        for (int k = 0; k < 8; k++)
        {
            double x = random.NextDouble() * 3 - 1.5;
            float y = (float)(random.NextDouble() * 3 - 1.5);
            double dx = 0;
            float dy = 0;
            double value = F.ConstantsAndCastsGradient(x, y, ref dx, ref dy);
            Assert.Equal(F.ConstantsAndCasts(x, y), value);
            Assert.True(Math.Abs(dx - (Math.PI * y)) <= 1e-6 * Math.Max(1, Math.Abs(Math.PI * y)), $"dx {dx}");
            double t = 0.5 * x * Math.PI;
            Assert.True(Math.Abs(dy - ((float)t + t)) <= 1e-5 * Math.Max(1, Math.Abs(t)), $"dy {dy}");
        }
    }

    [Fact]
    public void RecurrentState() =>
        Check(x => F.RecurrentState(x.AsSpan(0, 6), x[6], x[7]), (x, g) => F.RecurrentStateGradient(x.AsSpan(0, 6), x[6], x[7], g.AsSpan(0, 6), ref g[6], ref g[7]), 8);

    [Fact]
    public void NestedTypeInternalMethod() => Check(x => F.Nested.Inner(x[0]), (x, g) => F.Nested.InnerGradient(x[0], ref g[0]), 1);

    [Fact]
    public void PullbackScalesBySeed()
    {
        double dx = 0, dy = 0;
        F.RosenbrockPullback(0.3, 0.7, 2.5, ref dx, ref dy);
        double gx = 0, gy = 0;
        F.RosenbrockGradient(0.3, 0.7, ref gx, ref gy);
        Assert.Equal(2.5 * gx, dx, 12);
        Assert.Equal(2.5 * gy, dy, 12);
    }

    [Fact]
    public void GradientSpanLengthMismatchThrowsNamingTheArgument()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.SumSquaresGradient(new double[3], new double[2]));
        Assert.Equal("dv", ex.ParamName);
        Assert.Contains("length", ex.Message);
    }
}

public class CustomDerivativeTests
{
    [Fact]
    public void ScalarCustomPullback() =>
        GradientCheck.Check(x => Functions.UsesCustomScalar(x[0], x[1]), (x, g) => Functions.UsesCustomScalarGradient(x[0], x[1], ref g[0], ref g[1]), 2);

    [Fact]
    public void VectorCustomPullbackWithScratchOutput()
    {
        double[] scratch = new double[4];
        GradientCheck.Check(
            x => Functions.UsesCustomVector(x.AsSpan(0, 4), x[4], scratch),
            (x, g) => Functions.UsesCustomVectorGradient(x.AsSpan(0, 4), x[4], scratch, g.AsSpan(0, 4), ref g[4]),
            5);
    }

    [Fact]
    public void ScratchOutputWrittenTwiceIsSnapshotted()
    {
        double[] scratch = new double[4];
        GradientCheck.Check(
            x => Functions.ScratchReused(x.AsSpan(0, 4), x[4], scratch),
            (x, g) => Functions.ScratchReusedGradient(x.AsSpan(0, 4), x[4], scratch, g.AsSpan(0, 4), ref g[4]),
            5);
    }

    [Fact]
    public void RegisteredPullbackGetsEmptyAdjointForConstantInput()
    {
        double[] scratch = new double[4];
        GradientCheck.Check(
            x => Functions.UsesCustomVector(x.AsSpan(0, 4), x[4], scratch),
            (x, g) => Functions.UsesCustomVectorScaleGradient(x.AsSpan(0, 4), x[4], scratch, ref g[4]),
            5,
            GradientCheck.Mask(5, 0, 1, 2, 3));
    }
}

public class OverloadTests
{
    [Fact]
    public void DifferentiableOverloadsBothGenerate()
    {
        double dx = 0;
        float df = 0;
        Assert.Equal(9.0, Overloads.SquareGradient(3.0, ref dx));
        Assert.Equal(13.5f, Overloads.SquareGradient(3f, ref df));
        Assert.Equal(6.0, dx);
        Assert.Equal(9f, df);
    }
}
