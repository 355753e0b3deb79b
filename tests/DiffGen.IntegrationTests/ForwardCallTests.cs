using System;
using Xunit;
using static DiffGen.IntegrationTests.TangentCheck;

namespace DiffGen.IntegrationTests;

/// <summary>Forward mode through registered pushforwards: the user's [DerivativeOf(Form = Pushforward)] methods and DiffGen.Ops.</summary>
public class ForwardCallTests
{
    [Fact]
    public void ScalarCustomPushforward() => Check(
        x => Functions.UsesCustomScalar(x[0], x[1]),
        (x, g) => Functions.UsesCustomScalarGradient(x[0], x[1], ref g[0], ref g[1]),
        (x, v) => (Functions.UsesCustomScalarPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent),
        2);

    [Fact]
    public void VectorCustomPushforwardWithScratchOutput()
    {
        double[] scratch = new double[4];
        Check(
            x => Functions.UsesCustomVector(x.AsSpan(0, 4), x[4], scratch),
            (x, g) => Functions.UsesCustomVectorGradient(x.AsSpan(0, 4), x[4], scratch, g.AsSpan(0, 4), ref g[4]),
            (x, v) => (Functions.UsesCustomVectorPushforward(x.AsSpan(0, 4), x[4], scratch, v.AsSpan(0, 4), v[4], out double tangent), tangent),
            5);
    }

    [Fact]
    public void LocalArrayWrittenByAKernelCarriesItsTangent() => Check(
        x => Functions.MatVecIntoLocalArray(x.AsSpan(0, 4), x.AsSpan(4, 2)),
        (x, g) => Functions.MatVecIntoLocalArrayGradient(x.AsSpan(0, 4), x.AsSpan(4, 2), g.AsSpan(0, 4), g.AsSpan(4, 2)),
        (x, v) => (Functions.MatVecIntoLocalArrayPushforward(x.AsSpan(0, 4), x.AsSpan(4, 2), v.AsSpan(0, 4), v.AsSpan(4, 2), out double tangent), tangent),
        6);

    [Fact]
    public void RegisteredPushforwardGetsEmptyTangentForConstantInput()
    {
        double[] scratch = new double[4];
        Check(
            x => Functions.UsesCustomVector(x.AsSpan(0, 4), x[4], scratch),
            (x, g) => Functions.UsesCustomVectorScaleGradient(x.AsSpan(0, 4), x[4], scratch, ref g[4]),
            (x, v) => (Functions.UsesCustomVectorScalePushforward(x.AsSpan(0, 4), x[4], scratch, v[4], out double tangent), tangent),
            5,
            GradientCheck.Mask(5, 0, 1, 2, 3));
    }

    [Fact]
    public void ScratchOutputWrittenTwice()
    {
        double[] scratch = new double[4];
        Check(
            x => Functions.ScratchReused(x.AsSpan(0, 4), x[4], scratch),
            (x, g) => Functions.ScratchReusedGradient(x.AsSpan(0, 4), x[4], scratch, g.AsSpan(0, 4), ref g[4]),
            (x, v) => (Functions.ScratchReusedPushforward(x.AsSpan(0, 4), x[4], scratch, v.AsSpan(0, 4), v[4], out double tangent), tangent),
            5);
    }

    [Fact]
    public void OpsPushforwards()
    {
        double[] hidden = new double[2];
        Check(
            x => OpsFunctions.Layer(x.AsSpan(0, 6), x.AsSpan(6, 3), hidden, 2, 3),
            (x, g) => OpsFunctions.LayerGradient(x.AsSpan(0, 6), x.AsSpan(6, 3), hidden, 2, 3, g.AsSpan(0, 6), g.AsSpan(6, 3)),
            (x, v) => (OpsFunctions.LayerPushforward(x.AsSpan(0, 6), x.AsSpan(6, 3), hidden, 2, 3, v.AsSpan(0, 6), v.AsSpan(6, 3), out double tangent), tangent),
            9,
            sample: (r, _) => r.NextDouble() - 0.5);
    }
}
