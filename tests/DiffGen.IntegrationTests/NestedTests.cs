using System;
using Xunit;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Nested differentiation, each nesting checked against central differences in double precision (h = 1e-6·max(1,|x|),
/// tolerance 1e-5 relative to max(1, |fd|)): rr and rf are the outer gradients (<see cref="GradientCheck"/>), fr and ff
/// the outer pushforwards (<see cref="TangentCheck"/>, which also ties each pushforward to the gradient to 1e-9).
/// </summary>
public class NestedTests
{
    [Fact]
    public void ReverseOverGradient() => GradientCheck.Check(
        x => NestedFunctions.OfGradient(x[0], x[1]),
        (x, g) => NestedFunctions.OfGradientGradient(x[0], x[1], ref g[0], ref g[1]),
        2);

    [Fact]
    public void ForwardOverGradient() => TangentCheck.Check(
        x => NestedFunctions.OfGradient(x[0], x[1]),
        (x, g) => NestedFunctions.OfGradientGradient(x[0], x[1], ref g[0], ref g[1]),
        (x, v) => (NestedFunctions.OfGradientPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent),
        2);

    [Fact]
    public void ReverseOverPushforward() => GradientCheck.Check(
        x => NestedFunctions.OfPushforward(x[0], x[1]),
        (x, g) => NestedFunctions.OfPushforwardGradient(x[0], x[1], ref g[0], ref g[1]),
        2);

    [Fact]
    public void ForwardOverPushforward() => TangentCheck.Check(
        x => NestedFunctions.OfPushforward(x[0], x[1]),
        (x, g) => NestedFunctions.OfPushforwardGradient(x[0], x[1], ref g[0], ref g[1]),
        (x, v) => (NestedFunctions.OfPushforwardPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent),
        2);

    [Fact]
    public void ReverseOverPullback() => GradientCheck.Check(
        x => NestedFunctions.OfPullback(x[0], x[1]),
        (x, g) => NestedFunctions.OfPullbackGradient(x[0], x[1], ref g[0], ref g[1]),
        2);

    [Fact]
    public void ForwardOverPullback() => TangentCheck.Check(
        x => NestedFunctions.OfPullback(x[0], x[1]),
        (x, g) => NestedFunctions.OfPullbackGradient(x[0], x[1], ref g[0], ref g[1]),
        (x, v) => (NestedFunctions.OfPullbackPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent),
        2);

    [Fact]
    public void NamedAttributeWithIntParameterInBothModes()
    {
        GradientCheck.Check(
            x => NestedFunctions.OfNamed(x[0], x[1]),
            (x, g) => NestedFunctions.OfNamedGradient(x[0], x[1], ref g[0], ref g[1]),
            2);
        TangentCheck.Check(
            x => NestedFunctions.OfNamed(x[0], x[1]),
            (x, g) => NestedFunctions.OfNamedGradient(x[0], x[1], ref g[0], ref g[1]),
            (x, v) => (NestedFunctions.OfNamedPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent),
            2);
    }

    /// <summary>The inner gradient evaluated at every step of a loop with a data-dependent exit (taped in reverse mode).</summary>
    [Fact]
    public void ForceAsGradientInsideLoop()
    {
        // w ∈ [0.5, 1.5], v0 ∈ [1, 2]: about 10–20 steps, far from a step where the exit test changes under ±h.
        static double Sample(Random r, int i) => i == 0 ? 0.5 + r.NextDouble() : 1 + r.NextDouble();
        GradientCheck.Check(
            x => NestedFunctions.Trajectory(x[0], x[1]),
            (x, g) => NestedFunctions.TrajectoryGradient(x[0], x[1], ref g[0], ref g[1]),
            2,
            sample: Sample);
        TangentCheck.Check(
            x => NestedFunctions.Trajectory(x[0], x[1]),
            (x, g) => NestedFunctions.TrajectoryGradient(x[0], x[1], ref g[0], ref g[1]),
            (x, v) => (NestedFunctions.TrajectoryPushforward(x[0], x[1], v[0], v[1], out double tangent), tangent),
            2,
            sample: Sample);
    }

    /// <summary>
    /// The helpers themselves: ∂Bowl/∂p_k against central differences of Bowl, its pullback (seed·H·e_k) and pushforward
    /// ((H·v)_k, v over every real parameter) against central differences of the partial (1e-6 relative), and the ordinal
    /// of a parameter Bowl's gradient does not differentiate (a) refused.
    /// </summary>
    [Fact]
    public void PartialHelpersMatchFiniteDifferences()
    {
        var random = new Random(7);
        for (int point = 0; point < 5; point++)
        {
            double[] p = [random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1];
            double[] v = [random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5];
            for (int k = 0; k < 2; k++)
            {
                double partial = NestedFunctions.BowlNestedPartial(p[0], p[1], p[2], k);
                Assert.Equal(Central(q => NestedFunctions.Bowl(q[0], q[1], q[2]), p, Unit(k)), partial, 1e-6 * Math.Max(1, Math.Abs(partial)));

                double value = NestedFunctions.BowlNestedPartialPushforward(p[0], p[1], p[2], k, v[0], v[1], v[2], out double tangent);
                Assert.Equal(partial, value);
                double fd = Central(q => NestedFunctions.BowlNestedPartial(q[0], q[1], q[2], k), p, v);
                Assert.Equal(fd, tangent, 1e-6 * Math.Max(1, Math.Abs(fd)));

                double[] adjoint = [0.25, -0.5, 1];
                NestedFunctions.BowlNestedPartialPullback(p[0], p[1], p[2], k, 2, ref adjoint[0], ref adjoint[1], ref adjoint[2]);
                for (int j = 0; j < 3; j++)
                {
                    double expected = 2 * Central(q => NestedFunctions.BowlNestedPartial(q[0], q[1], q[2], k), p, Unit(j));
                    Assert.Equal(expected, adjoint[j] - (j == 0 ? 0.25 : j == 1 ? -0.5 : 1), 1e-6 * Math.Max(1, Math.Abs(expected)));
                }
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => NestedFunctions.BowlNestedPartial(0.1, 0.2, 0.3, 2));
    }

    private static double[] Unit(int k)
    {
        double[] e = new double[3];
        e[k] = 1;
        return e;
    }

    private static double Central(Func<double[], double> f, double[] x, double[] v)
    {
        const double h = 1e-6;
        double[] up = new double[x.Length], down = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            up[i] = x[i] + (h * v[i]);
            down[i] = x[i] - (h * v[i]);
        }

        return (f(up) - f(down)) / (2 * h);
    }
}
