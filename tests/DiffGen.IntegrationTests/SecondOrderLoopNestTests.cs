using System;
using Xunit;
using static DiffGen.IntegrationTests.SecondOrderCheck;
using F = DiffGen.IntegrationTests.Functions;

namespace DiffGen.IntegrationTests;

/// <summary>Hessian-vector products, dense Hessians and diagonals of the functions in LoopNestTests (<see cref="SecondOrderCheck"/>).</summary>
public class LoopNestSecondOrderTests
{
    [Fact]
    public void SigmoidGates()
    {
        double[] x = { 1.2, 0.4, -0.9, 0.3 };
        Check(w => F.SigmoidGates(w, x), (w, g) => F.SigmoidGatesGradient(w, x, g), (w, v, hv) => F.SigmoidGatesHessianVectorProduct(w, x, v, hv), (w, h) => F.SigmoidGatesHessian(w, x, h), (w, d) => F.SigmoidGatesHessianDiagonal(w, x, d), (w, p, d) => F.SigmoidGatesHessianDiagonal(w, x, p, d), 4);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(15)]
    public void PairPotential(int n) => Check(x => F.PairPotential(x), (x, g) => F.PairPotentialGradient(x, g), (x, v, hv) => F.PairPotentialHessianVectorProduct(x, v, hv), (x, h) => F.PairPotentialHessian(x, h), (x, d) => F.PairPotentialHessianDiagonal(x, d), (x, p, d) => F.PairPotentialHessianDiagonal(x, p, d), n,
        both: (x, v, g, hv) => F.PairPotentialGradientAndHessianVectorProduct(x, v, g, hv));

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void PairsBelow(int n) => Check(x => F.PairsBelow(x), (x, g) => F.PairsBelowGradient(x, g), (x, v, hv) => F.PairsBelowHessianVectorProduct(x, v, hv), (x, h) => F.PairsBelowHessian(x, h), (x, d) => F.PairsBelowHessianDiagonal(x, d), (x, p, d) => F.PairsBelowHessianDiagonal(x, p, d), n);

    [Fact]
    public void DenseTanh() =>
        Check(
            x => F.DenseTanh(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3)),
            (x, g) => F.DenseTanhGradient(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3), g.AsSpan(0, 12), g.AsSpan(12, 3)),
            (x, v, hv) => F.DenseTanhHessianVectorProduct(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3), v.AsSpan(0, 12), v.AsSpan(12, 3), hv.AsSpan(0, 12), hv.AsSpan(12, 3)),
            (x, h) => F.DenseTanhHessian(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3), h),
            (x, d) => F.DenseTanhHessianDiagonal(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3), d),
            (x, p, d) => F.DenseTanhHessianDiagonal(x.AsSpan(0, 12), x.AsSpan(12, 3), x.AsSpan(15, 4), x.AsSpan(19, 3), p, d),
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
                (x, v, hv) => F.SoftmaxNestedHessianVectorProduct(x.AsSpan(0, 15), x.AsSpan(15, 3), x.AsSpan(18, 5), label, v.AsSpan(0, 15), v.AsSpan(15, 3), hv.AsSpan(0, 15), hv.AsSpan(15, 3)),
                (x, h) => F.SoftmaxNestedHessian(x.AsSpan(0, 15), x.AsSpan(15, 3), x.AsSpan(18, 5), label, h),
                (x, d) => F.SoftmaxNestedHessianDiagonal(x.AsSpan(0, 15), x.AsSpan(15, 3), x.AsSpan(18, 5), label, d),
                (x, p, d) => F.SoftmaxNestedHessianDiagonal(x.AsSpan(0, 15), x.AsSpan(15, 3), x.AsSpan(18, 5), label, p, d),
                23,
                GradientCheck.Mask(23, 18, 19, 20, 21, 22));
        }
    }

    [Fact]
    public void TwoLayer() =>
        Check(
            x => F.TwoLayer(x.AsSpan(0, 12), x.AsSpan(12, 4), x.AsSpan(16, 8), x.AsSpan(24, 3), x.AsSpan(27, 2)),
            (x, g) => F.TwoLayerGradient(x.AsSpan(0, 12), x.AsSpan(12, 4), x.AsSpan(16, 8), x.AsSpan(24, 3), x.AsSpan(27, 2), g.AsSpan(0, 12), g.AsSpan(12, 4), g.AsSpan(16, 8), g.AsSpan(24, 3)),
            (x, v, hv) => F.TwoLayerHessianVectorProduct(x.AsSpan(0, 12), x.AsSpan(12, 4), x.AsSpan(16, 8), x.AsSpan(24, 3), x.AsSpan(27, 2), v.AsSpan(0, 12), v.AsSpan(12, 4), v.AsSpan(16, 8), v.AsSpan(24, 3), hv.AsSpan(0, 12), hv.AsSpan(12, 4), hv.AsSpan(16, 8), hv.AsSpan(24, 3)),
            (x, h) => F.TwoLayerHessian(x.AsSpan(0, 12), x.AsSpan(12, 4), x.AsSpan(16, 8), x.AsSpan(24, 3), x.AsSpan(27, 2), h),
            (x, d) => F.TwoLayerHessianDiagonal(x.AsSpan(0, 12), x.AsSpan(12, 4), x.AsSpan(16, 8), x.AsSpan(24, 3), x.AsSpan(27, 2), d),
            (x, p, d) => F.TwoLayerHessianDiagonal(x.AsSpan(0, 12), x.AsSpan(12, 4), x.AsSpan(16, 8), x.AsSpan(24, 3), x.AsSpan(27, 2), p, d),
            29,
            GradientCheck.Mask(29, 27, 28));

    [Fact]
    public void Mixture() =>
        Check(
            x => F.Mixture(x.AsSpan(0, 3), x.AsSpan(3, 6), x.AsSpan(9, 9), x.AsSpan(18, 8)),
            (x, g) => F.MixtureGradient(x.AsSpan(0, 3), x.AsSpan(3, 6), x.AsSpan(9, 9), x.AsSpan(18, 8), g.AsSpan(0, 3), g.AsSpan(3, 6), g.AsSpan(9, 9)),
            (x, v, hv) => F.MixtureHessianVectorProduct(x.AsSpan(0, 3), x.AsSpan(3, 6), x.AsSpan(9, 9), x.AsSpan(18, 8), v.AsSpan(0, 3), v.AsSpan(3, 6), v.AsSpan(9, 9), hv.AsSpan(0, 3), hv.AsSpan(3, 6), hv.AsSpan(9, 9)),
            (x, h) => F.MixtureHessian(x.AsSpan(0, 3), x.AsSpan(3, 6), x.AsSpan(9, 9), x.AsSpan(18, 8), h),
            (x, d) => F.MixtureHessianDiagonal(x.AsSpan(0, 3), x.AsSpan(3, 6), x.AsSpan(9, 9), x.AsSpan(18, 8), d),
            (x, p, d) => F.MixtureHessianDiagonal(x.AsSpan(0, 3), x.AsSpan(3, 6), x.AsSpan(9, 9), x.AsSpan(18, 8), p, d),
            26,
            GradientCheck.Mask(26, 18, 19, 20, 21, 22, 23, 24, 25));

    [Fact]
    public void LstmStep() =>
        Check(
            x => F.LstmStep(x.AsSpan(0, 24), x.AsSpan(24, 32), x.AsSpan(56, 8), x.AsSpan(64, 3), x.AsSpan(67, 2), x.AsSpan(69, 2), x.AsSpan(71, 2)),
            (x, g) => F.LstmStepGradient(
                x.AsSpan(0, 24), x.AsSpan(24, 32), x.AsSpan(56, 8), x.AsSpan(64, 3), x.AsSpan(67, 2), x.AsSpan(69, 2), x.AsSpan(71, 2),
                g.AsSpan(0, 24), g.AsSpan(24, 32), g.AsSpan(56, 8), g.AsSpan(64, 3)),
            (x, v, hv) => F.LstmStepHessianVectorProduct(x.AsSpan(0, 24), x.AsSpan(24, 32), x.AsSpan(56, 8), x.AsSpan(64, 3), x.AsSpan(67, 2), x.AsSpan(69, 2), x.AsSpan(71, 2), v.AsSpan(0, 24), v.AsSpan(24, 32), v.AsSpan(56, 8), v.AsSpan(64, 3), hv.AsSpan(0, 24), hv.AsSpan(24, 32), hv.AsSpan(56, 8), hv.AsSpan(64, 3)),
            (x, h) => F.LstmStepHessian(x.AsSpan(0, 24), x.AsSpan(24, 32), x.AsSpan(56, 8), x.AsSpan(64, 3), x.AsSpan(67, 2), x.AsSpan(69, 2), x.AsSpan(71, 2), h),
            (x, d) => F.LstmStepHessianDiagonal(x.AsSpan(0, 24), x.AsSpan(24, 32), x.AsSpan(56, 8), x.AsSpan(64, 3), x.AsSpan(67, 2), x.AsSpan(69, 2), x.AsSpan(71, 2), d),
            (x, p, d) => F.LstmStepHessianDiagonal(x.AsSpan(0, 24), x.AsSpan(24, 32), x.AsSpan(56, 8), x.AsSpan(64, 3), x.AsSpan(67, 2), x.AsSpan(69, 2), x.AsSpan(71, 2), p, d),
            73,
            GradientCheck.Mask(73, 67, 68, 69, 70, 71, 72));

    [Fact]
    public void Convolution() =>
        Check(
            x => F.Convolution(x.AsSpan(0, 3), x.AsSpan(3, 8), x.AsSpan(11, 6)),
            (x, g) => F.ConvolutionGradient(x.AsSpan(0, 3), x.AsSpan(3, 8), x.AsSpan(11, 6), g.AsSpan(0, 3), g.AsSpan(3, 8)),
            (x, v, hv) => F.ConvolutionHessianVectorProduct(x.AsSpan(0, 3), x.AsSpan(3, 8), x.AsSpan(11, 6), v.AsSpan(0, 3), v.AsSpan(3, 8), hv.AsSpan(0, 3), hv.AsSpan(3, 8)),
            (x, h) => F.ConvolutionHessian(x.AsSpan(0, 3), x.AsSpan(3, 8), x.AsSpan(11, 6), h),
            (x, d) => F.ConvolutionHessianDiagonal(x.AsSpan(0, 3), x.AsSpan(3, 8), x.AsSpan(11, 6), d),
            (x, p, d) => F.ConvolutionHessianDiagonal(x.AsSpan(0, 3), x.AsSpan(3, 8), x.AsSpan(11, 6), p, d),
            17,
            GradientCheck.Mask(17, 11, 12, 13, 14, 15, 16));

    [Fact]
    public void Kepler() =>
        Check(
            x => F.Kepler(x.AsSpan(0, 5), x[5]),
            (x, g) => F.KeplerGradient(x.AsSpan(0, 5), x[5], g.AsSpan(0, 5), ref g[5]),
            (x, v, hv) => F.KeplerHessianVectorProduct(x.AsSpan(0, 5), x[5], v.AsSpan(0, 5), v[5], hv.AsSpan(0, 5), ref hv[5]),
            (x, h) => F.KeplerHessian(x.AsSpan(0, 5), x[5], h),
            (x, d) => F.KeplerHessianDiagonal(x.AsSpan(0, 5), x[5], d),
            (x, p, d) => F.KeplerHessianDiagonal(x.AsSpan(0, 5), x[5], p, d),
            6,
            sample: (r, i) => i == 5 ? 0.1 + 0.6 * r.NextDouble() : 3 * r.NextDouble());

    [Fact]
    public void InputOverwrittenAfterLoop() =>
        Check(x => F.InputOverwrittenAfterLoop(x.AsSpan(0, 4), x[4]), (x, g) => F.InputOverwrittenAfterLoopGradient(x.AsSpan(0, 4), x[4], g.AsSpan(0, 4), ref g[4]), (x, v, hv) => F.InputOverwrittenAfterLoopHessianVectorProduct(x.AsSpan(0, 4), x[4], v.AsSpan(0, 4), v[4], hv.AsSpan(0, 4), ref hv[4]), (x, h) => F.InputOverwrittenAfterLoopHessian(x.AsSpan(0, 4), x[4], h), (x, d) => F.InputOverwrittenAfterLoopHessianDiagonal(x.AsSpan(0, 4), x[4], d), (x, p, d) => F.InputOverwrittenAfterLoopHessianDiagonal(x.AsSpan(0, 4), x[4], p, d), 5);

    [Fact]
    public void LaterBranchOverwrites() =>
        Check(x => F.LaterBranchOverwrites(x[0], x[1]), (x, g) => F.LaterBranchOverwritesGradient(x[0], x[1], ref g[0], ref g[1]), (x, v, hv) => F.LaterBranchOverwritesHessianVectorProduct(x[0], x[1], v[0], v[1], ref hv[0], ref hv[1]), (x, h) => F.LaterBranchOverwritesHessian(x[0], x[1], h), (x, d) => F.LaterBranchOverwritesHessianDiagonal(x[0], x[1], d), (x, p, d) => F.LaterBranchOverwritesHessianDiagonal(x[0], x[1], p, d), 2, points: 20);

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    public void SteppedPairs(int n) => Check(x => F.SteppedPairs(x), (x, g) => F.SteppedPairsGradient(x, g), (x, v, hv) => F.SteppedPairsHessianVectorProduct(x, v, hv), (x, h) => F.SteppedPairsHessian(x, h), (x, d) => F.SteppedPairsHessianDiagonal(x, d), (x, p, d) => F.SteppedPairsHessianDiagonal(x, p, d), n);

    /// <summary>
    /// AllowReassociation: the value equals the function's within 1e-12 relative (not bit for bit), the gradient matches
    /// finite differences of the function within the usual 1e-5.
    /// </summary>

    /// <summary>The Hessian differentiates the pullback that keeps its copies; the printed gradient writes the scratch in place (slots): both agree.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    public void ScratchSlots(int k, int n)
    {
        const int d = 3;
        double[] x = LoopNestTests.MixturePoints(n * d);

        Check(mu => F.RecurrentMixture(mu, x, d), (mu, g) => F.RecurrentMixtureGradient(mu, x, d, g), (mu, v, hv) => F.RecurrentMixtureHessianVectorProduct(mu, x, d, v, hv), (mu, h) => F.RecurrentMixtureHessian(mu, x, d, h), (mu, g) => F.RecurrentMixtureHessianDiagonal(mu, x, d, g), (mu, p, g) => F.RecurrentMixtureHessianDiagonal(mu, x, d, p, g), k * d,
            both: (mu, v, g, hv) => F.RecurrentMixtureGradientAndHessianVectorProduct(mu, x, d, v, g, hv));
        double[] point = x.AsSpan(0, d).ToArray();
        Check(mu => F.ScratchReadAfterTheLoop(mu, point), (mu, g) => F.ScratchReadAfterTheLoopGradient(mu, point, g), (mu, v, hv) => F.ScratchReadAfterTheLoopHessianVectorProduct(mu, point, v, hv), (mu, h) => F.ScratchReadAfterTheLoopHessian(mu, point, h), (mu, g) => F.ScratchReadAfterTheLoopHessianDiagonal(mu, point, g), (mu, p, g) => F.ScratchReadAfterTheLoopHessianDiagonal(mu, point, p, g), k * d);
    }
}

