using System;
using Xunit;

namespace DiffGen.IntegrationTests;

/// <summary>
/// The generated gradients of <see cref="TinyCnn.Loss"/> (with respect to θ, and with respect to x) against central
/// finite differences in double (<see cref="GradientCheck"/>: h = 1e-6·max(1,|x|), |g − fd| ≤ 1e-5·max(1,|fd|)), at six
/// random points, on a batch of three images: the whole chain of layer pullbacks as the generator composes them.
/// </summary>
public class TinyCnnGradientTests
{
    private const int Batch = 3;
    private static readonly int[] Labels = [2, 0, 1];
    private static readonly int[] Sizes =
    [
        Batch * TinyCnn.Conv1.InputSize, TinyCnn.Conv1.WeightLength, TinyCnn.Conv1.BiasLength, TinyCnn.Conv2.WeightLength,
        TinyCnn.Conv2.BiasLength, TinyCnn.Fc.WeightLength, TinyCnn.Fc.BiasLength,
    ];

    private static readonly int Dimension = Sizes[0] + Sizes[1] + Sizes[2] + Sizes[3] + Sizes[4] + Sizes[5] + Sizes[6];

    [Fact]
    public void ParameterGradient_MatchesFiniteDifferences()
    {
        bool[] differentiated = new bool[Dimension];
        Array.Fill(differentiated, true);
        Array.Fill(differentiated, false, 0, Sizes[0]); // the images are constants here
        GradientCheck.Check(Loss, (v, g) =>
        {
            var s = new Scratch();
            return TinyCnn.LossGradient(
                Part(v, 0), Labels, Part(v, 1), Part(v, 2), Part(v, 3), Part(v, 4), Part(v, 5), Part(v, 6),
                TinyCnn.Conv1, TinyCnn.Pool1, TinyCnn.Conv2, TinyCnn.Pool2, TinyCnn.Fc, s.C1, s.R1, s.P1, s.C2, s.T2, s.P2, s.Logits,
                Part(g, 1), Part(g, 2), Part(g, 3), Part(g, 4), Part(g, 5), Part(g, 6));
        }, Dimension, differentiated, points: 6);
    }

    [Fact]
    public void InputGradient_MatchesFiniteDifferences()
    {
        bool[] differentiated = new bool[Dimension];
        Array.Fill(differentiated, true, 0, Sizes[0]); // only the images
        GradientCheck.Check(Loss, (v, g) =>
        {
            var s = new Scratch();
            return TinyCnn.LossInputGradient(
                Part(v, 0), Labels, Part(v, 1), Part(v, 2), Part(v, 3), Part(v, 4), Part(v, 5), Part(v, 6),
                TinyCnn.Conv1, TinyCnn.Pool1, TinyCnn.Conv2, TinyCnn.Pool2, TinyCnn.Fc, s.C1, s.R1, s.P1, s.C2, s.T2, s.P2, s.Logits,
                Part(g, 0));
        }, Dimension, differentiated, points: 6);
    }

    private static double Loss(double[] v)
    {
        var s = new Scratch();
        return TinyCnn.Loss(
            Part(v, 0), Labels, Part(v, 1), Part(v, 2), Part(v, 3), Part(v, 4), Part(v, 5), Part(v, 6),
            TinyCnn.Conv1, TinyCnn.Pool1, TinyCnn.Conv2, TinyCnn.Pool2, TinyCnn.Fc, s.C1, s.R1, s.P1, s.C2, s.T2, s.P2, s.Logits);
    }

    /// <summary>Argument <paramref name="index"/> of the loss, as a slice of the flat vector.</summary>
    private static Span<double> Part(double[] v, int index)
    {
        int start = 0;
        for (int i = 0; i < index; i++)
        {
            start += Sizes[i];
        }

        return v.AsSpan(start, Sizes[index]);
    }

    private sealed class Scratch
    {
        public double[] C1 { get; } = new double[Batch * TinyCnn.Conv1.OutputSize];

        public double[] R1 { get; } = new double[Batch * TinyCnn.Conv1.OutputSize];

        public double[] P1 { get; } = new double[Batch * TinyCnn.Pool1.OutputSize];

        public double[] C2 { get; } = new double[Batch * TinyCnn.Conv2.OutputSize];

        public double[] T2 { get; } = new double[Batch * TinyCnn.Conv2.OutputSize];

        public double[] P2 { get; } = new double[Batch * TinyCnn.Pool2.OutputSize];

        public double[] Logits { get; } = new double[Batch * TinyCnn.Fc.OutFeatures];
    }
}
