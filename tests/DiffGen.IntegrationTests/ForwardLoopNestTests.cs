using System;
using Xunit;
using static DiffGen.IntegrationTests.TangentCheck;
using F = DiffGen.IntegrationTests.Functions;

namespace DiffGen.IntegrationTests;

/// <summary>The pushforwards of the functions in LoopNestTests along random directions: finite differences and the gradient (<see cref="TangentCheck"/>).</summary>
public class LoopNestForwardTests
{
    [Theory]
    [InlineData(6)]
    [InlineData(15)]
    public void PairPotential(int n) => Check(x => F.PairPotential(x), (x, g) => F.PairPotentialGradient(x, g), (x, v) => (F.PairPotentialPushforward(x, v, out double tangent), tangent), n);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void PairsBelow(int n) => Check(x => F.PairsBelow(x), (x, g) => F.PairsBelowGradient(x, g), (x, v) => (F.PairsBelowPushforward(x, v, out double tangent), tangent), n);

    [Fact]
    public void DenseTanh() =>
        Check(
            x => F.DenseTanh(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3)),
            (x, g) => F.DenseTanhGradient(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3), g.AsSpan(0, 12), g.AsSpan(12, 3)),
            (x, v) => (F.DenseTanhPushforward(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3), v.AsSpan(0, 12), v.AsSpan(12, 3), out double tangent), tangent),
            22,
            GradientCheck.Mask(22, 15, 16, 17, 18, 19, 20, 21));

    [Fact]
    public void SoftmaxNested()
    {
        foreach (int label in new[] { 0, 2 })
        {
            Check(
                x => F.SoftmaxNested(x.AsSpan(0, 15), x.AsSpan(15, 3), x.AsSpan(18, 5), label),
                (x, g) => F.SoftmaxNestedGradient(x.AsSpan(0, 15), x.AsSpan(15, 3), x.AsSpan(18, 5), label, g.AsSpan(0, 15), g.AsSpan(15, 3)),
                (x, v) => (F.SoftmaxNestedPushforward(x.AsSpan(0, 15), x.AsSpan(15, 3), x.AsSpan(18, 5), label, v.AsSpan(0, 15), v.AsSpan(15, 3), out double tangent), tangent),
                23,
                GradientCheck.Mask(23, 18, 19, 20, 21, 22));
        }
    }

    [Fact]
    public void TwoLayer() =>
        Check(
            x => F.TwoLayer(x.AsSpan(0, 12), x.AsSpan(12, 4), x.AsSpan(16, 8), x.AsSpan(24, 3), x.AsSpan(27, 2)),
            (x, g) => F.TwoLayerGradient(x.AsSpan(0, 12), x.AsSpan(12, 4), x.AsSpan(16, 8), x.AsSpan(24, 3), x.AsSpan(27, 2), g.AsSpan(0, 12), g.AsSpan(12, 4), g.AsSpan(16, 8), g.AsSpan(24, 3)),
            (x, v) => (F.TwoLayerPushforward(x.AsSpan(0, 12), x.AsSpan(12, 4), x.AsSpan(16, 8), x.AsSpan(24, 3), x.AsSpan(27, 2), v.AsSpan(0, 12), v.AsSpan(12, 4), v.AsSpan(16, 8), v.AsSpan(24, 3), out double tangent), tangent),
            29,
            GradientCheck.Mask(29, 27, 28));

    [Fact]
    public void Mixture() =>
        Check(
            x => F.Mixture(x.AsSpan(0, 3), x.AsSpan(3, 6), x.AsSpan(9, 9), x.AsSpan(18, 8)),
            (x, g) => F.MixtureGradient(x.AsSpan(0, 3), x.AsSpan(3, 6), x.AsSpan(9, 9), x.AsSpan(18, 8), g.AsSpan(0, 3), g.AsSpan(3, 6), g.AsSpan(9, 9)),
            (x, v) => (F.MixturePushforward(x.AsSpan(0, 3), x.AsSpan(3, 6), x.AsSpan(9, 9), x.AsSpan(18, 8), v.AsSpan(0, 3), v.AsSpan(3, 6), v.AsSpan(9, 9), out double tangent), tangent),
            26,
            GradientCheck.Mask(26, 18, 19, 20, 21, 22, 23, 24, 25));

    [Fact]
    public void LstmStep() =>
        Check(
            x => F.LstmStep(x.AsSpan(0, 24), x.AsSpan(24, 32), x.AsSpan(56, 8), x.AsSpan(64, 3), x.AsSpan(67, 2), x.AsSpan(69, 2), x.AsSpan(71, 2)),
            (x, g) => F.LstmStepGradient(
                x.AsSpan(0, 24), x.AsSpan(24, 32), x.AsSpan(56, 8), x.AsSpan(64, 3), x.AsSpan(67, 2), x.AsSpan(69, 2), x.AsSpan(71, 2),
                g.AsSpan(0, 24), g.AsSpan(24, 32), g.AsSpan(56, 8), g.AsSpan(64, 3)),
            (x, v) => (F.LstmStepPushforward(x.AsSpan(0, 24), x.AsSpan(24, 32), x.AsSpan(56, 8), x.AsSpan(64, 3), x.AsSpan(67, 2), x.AsSpan(69, 2), x.AsSpan(71, 2), v.AsSpan(0, 24), v.AsSpan(24, 32), v.AsSpan(56, 8), v.AsSpan(64, 3), out double tangent), tangent),
            73,
            GradientCheck.Mask(73, 67, 68, 69, 70, 71, 72));

    [Fact]
    public void Convolution() =>
        Check(
            x => F.Convolution(x.AsSpan(0, 3), x.AsSpan(3, 8), x.AsSpan(11, 6)),
            (x, g) => F.ConvolutionGradient(x.AsSpan(0, 3), x.AsSpan(3, 8), x.AsSpan(11, 6), g.AsSpan(0, 3), g.AsSpan(3, 8)),
            (x, v) => (F.ConvolutionPushforward(x.AsSpan(0, 3), x.AsSpan(3, 8), x.AsSpan(11, 6), v.AsSpan(0, 3), v.AsSpan(3, 8), out double tangent), tangent),
            17,
            GradientCheck.Mask(17, 11, 12, 13, 14, 15, 16));

    [Fact]
    public void Kepler() =>
        Check(
            x => F.Kepler(x.AsSpan(0, 5), x[5]),
            (x, g) => F.KeplerGradient(x.AsSpan(0, 5), x[5], g.AsSpan(0, 5), ref g[5]),
            (x, v) => (F.KeplerPushforward(x.AsSpan(0, 5), x[5], v.AsSpan(0, 5), v[5], out double tangent), tangent),
            6,
            sample: (r, i) => i == 5 ? 0.1 + 0.6 * r.NextDouble() : 3 * r.NextDouble());

    [Fact]
    public void InputOverwrittenAfterLoop() =>
        Check(x => F.InputOverwrittenAfterLoop(x.AsSpan(0, 4), x[4]), (x, g) => F.InputOverwrittenAfterLoopGradient(x.AsSpan(0, 4), x[4], g.AsSpan(0, 4), ref g[4]), (x, v) => (F.InputOverwrittenAfterLoopPushforward(x.AsSpan(0, 4), x[4], v.AsSpan(0, 4), v[4], out double tangent), tangent), 5);

    [Fact]
    public void LaterBranchOverwrites() =>
        Check(x => F.LaterBranchOverwrites(x[0], x[1]), (x, g) => F.LaterBranchOverwritesGradient(x[0], x[1], ref g[0], ref g[1]), (x, v) => (F.LaterBranchOverwritesPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent), 2, points: 20);

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    public void SteppedPairs(int n) => Check(x => F.SteppedPairs(x), (x, g) => F.SteppedPairsGradient(x, g), (x, v) => (F.SteppedPairsPushforward(x, v, out double tangent), tangent), n);

    /// <summary>
    /// AllowReassociation: the value equals the function's within 1e-12 relative (not bit for bit), the gradient matches
    /// finite differences of the function within the usual 1e-5.
    /// </summary>
}

