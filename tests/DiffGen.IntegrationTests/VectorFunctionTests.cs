using System;
using Xunit;
using static DiffGen.IntegrationTests.JacobianCheck;
using V = DiffGen.IntegrationTests.VectorFunctions;

namespace DiffGen.IntegrationTests;

/// <summary>Vector-valued functions: Jacobians against finite differences, JVPs, VJPs and sparse Jacobians (<see cref="JacobianCheck"/>).</summary>
public class VectorFunctionTests
{
    private static readonly double[] Feature = { 0.3, -0.2 };

    [Fact]
    public void ProjectionRunsPullbacksPerRow() => Check(
        (x, y) => V.Projection(x.AsSpan(0, 6), x.AsSpan(6, 3), x[9], Feature, y),
        (x, v, y, dy) => V.ProjectionPushforward(x.AsSpan(0, 6), x.AsSpan(6, 3), x[9], Feature, y, v.AsSpan(0, 6), v.AsSpan(6, 3), dy),
        (x, y, dy, g) => V.ProjectionPullback(x.AsSpan(0, 6), x.AsSpan(6, 3), x[9], Feature, y, dy, g.AsSpan(0, 6), g.AsSpan(6, 3)),
        (x, y, j) => V.ProjectionJacobian(x.AsSpan(0, 6), x.AsSpan(6, 3), x[9], Feature, y, j),
        10,
        2,
        GradientCheck.Mask(10, 9),
        sample: (r, i) => i == 8 ? 4 + r.NextDouble() : (r.NextDouble() * 2) - 1);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void CurveRunsPushforwardsPerColumn(int m) => Check(
        (x, y) => V.Curve(x[0], x[1], y),
        (x, v, y, dy) => V.CurvePushforward(x[0], x[1], y, v[0], v[1], dy),
        (x, y, dy, g) => V.CurvePullback(x[0], x[1], y, dy, ref g[0], ref g[1]),
        (x, y, j) => V.CurveJacobian(x[0], x[1], y, j),
        2,
        m,
        points: 10);

    [Fact]
    public void SoftmaxWithScratchVector() => Check(
        (x, y) => V.Softmax(x, y),
        (x, v, y, dy) => V.SoftmaxPushforward(x, y, v, dy),
        (x, y, dy, g) => V.SoftmaxPullback(x, y, dy, g),
        (x, y, j) => V.SoftmaxJacobian(x, y, j),
        4,
        4);

    [Fact]
    public void PartialOutputAndEarlyReturn() => Check(
        (x, y) => V.Partial(x[0], x[1], y),
        (x, v, y, dy) => V.PartialPushforward(x[0], x[1], y, v[0], v[1], dy),
        (x, y, dy, g) => V.PartialPullback(x[0], x[1], y, dy, ref g[0], ref g[1]),
        (x, y, j) => V.PartialJacobian(x[0], x[1], y, j),
        2,
        3,
        sample: (r, _) => r.NextDouble() * 4,
        points: 12);

    [Fact]
    public void MomentsShareOneForwardSweep() => Check(
        (x, y) => V.Moments(x, y),
        (x, v, y, dy) => V.MomentsPushforward(x, y, v, dy),
        (x, y, dy, g) => V.MomentsPullback(x, y, dy, g),
        (x, y, j) => V.MomentsJacobian(x, y, j),
        5,
        2);

    [Fact]
    public void RotatedRestoresItsCoordinatesBeforeEachRow() => Check(
        (x, y) => V.Rotated(x.AsSpan(0, 4), x.AsSpan(4, 3), 1.5, y),
        (x, v, y, dy) => V.RotatedPushforward(x.AsSpan(0, 4), x.AsSpan(4, 3), 1.5, y, v.AsSpan(0, 4), v.AsSpan(4, 3), dy),
        (x, y, dy, g) => V.RotatedPullback(x.AsSpan(0, 4), x.AsSpan(4, 3), 1.5, y, dy, g.AsSpan(0, 4), g.AsSpan(4, 3)),
        (x, y, j) => V.RotatedJacobian(x.AsSpan(0, 4), x.AsSpan(4, 3), 1.5, y, j),
        7,
        3,
        sample: (r, i) => i == 6 ? 3 + r.NextDouble() : (r.NextDouble() * 2) - 1,
        points: 10);

    [Fact]
    public void RecurrenceRunsPullbacksPerRow() => Check(
        (x, y) => V.Recurrence(x, y),
        (x, v, y, dy) => V.RecurrencePushforward(x, y, v, dy),
        (x, y, dy, g) => V.RecurrencePullback(x, y, dy, g),
        (x, y, j) => V.RecurrenceJacobian(x, y, j),
        4,
        2,
        sample: (r, _) => r.NextDouble() - 0.5);

    /// <summary>
    /// Which Jacobians share one forward sweep between their rows (a private <c>…JacobianByRows</c>): those whose reverse
    /// sweep reads only what the forward sweep left; each of their rows equals the pullback of that row's unit vector
    /// to rounding (1e-14 relative: the rows multiply by reciprocals computed once where the pullback divides). A taped accumulator (Recurrence) keeps one pullback per row, and so does a loop whose forward and
    /// reverse sweeps run fused per iteration (Blocks: its adjoint code reads the row's seed during the forward sweep).
    /// </summary>
    [Theory]
    [InlineData(nameof(V.Projection), true)]
    [InlineData(nameof(V.Moments), true)]
    [InlineData(nameof(V.Rotated), true)]
    [InlineData(nameof(V.Blocks), false)]
    [InlineData(nameof(V.Recurrence), false)]
    public void RowsShareTheForwardSweepWhenTheReverseReadsOnly(string function, bool shared)
    {
        var method = typeof(V).GetMethod(function + "JacobianByRows", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static);
        Assert.Equal(shared, method is not null);
    }

    [Fact]
    public void RowsSharingTheForwardSweepEqualThePullbacks()
    {
        double[] camera = { 0.3, 0.1, -0.2, 4.5, 1.2, 0.05 };
        double[] point = { 0.4, -0.7, 0.9 };
        double[] x = { 0.3, -1.2, 0.8, 2.0, -0.4 };
        double[] y = new double[2];
        double[] jacobian = new double[2 * 9];
        V.ProjectionJacobian(camera, point, 0.7, Feature, y, jacobian);
        double[] moments = new double[2 * 5];
        V.MomentsJacobian(x, y, moments);
        double[] uv = new double[3];
        double[] rotated = new double[3 * 7];
        V.RotatedJacobian(camera.AsSpan(0, 4), point, 1.5, uv, rotated);
        for (int row = 0; row < 2; row++)
        {
            double[] seed = new double[2];
            seed[row] = 1;
            double[] dcamera = new double[6], dpoint = new double[3], dx = new double[5];
            V.ProjectionPullback(camera, point, 0.7, Feature, y, seed, dcamera, dpoint);
            V.MomentsPullback(x, y, seed, dx);
            AssertRounding(dcamera, jacobian.AsSpan(9 * row, 6));
            AssertRounding(dpoint, jacobian.AsSpan((9 * row) + 6, 3));
            AssertRounding(dx, moments.AsSpan(5 * row, 5));
        }

        for (int row = 0; row < 3; row++)
        {
            double[] seed = new double[3];
            seed[row] = 1;
            double[] dpose = new double[4], dpoint = new double[3];
            V.RotatedPullback(camera.AsSpan(0, 4), point, 1.5, uv, seed, dpose, dpoint);
            AssertRounding(dpose, rotated.AsSpan(7 * row, 4));
            AssertRounding(dpoint, rotated.AsSpan((7 * row) + 4, 3));
        }

        static void AssertRounding(double[] pullback, ReadOnlySpan<double> row)
        {
            for (int i = 0; i < pullback.Length; i++)
            {
                Assert.True(Math.Abs(pullback[i] - row[i]) <= 1e-14 * Math.Max(1, Math.Abs(pullback[i])), $"entry {i}: pullback {pullback[i]:R}, Jacobian row {row[i]:R}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void BlockSparseJacobianByColours(int count)
    {
        // Row 2k and 2k + 1 depend on camera k (3 columns), point k (2 columns) and the scale (the last column).
        int n = (5 * count) + 1;
        var rows = new System.Collections.Generic.List<int>();
        var columns = new System.Collections.Generic.List<int>();
        for (int k = 0; k < count; k++)
        {
            foreach (int row in new[] { 2 * k, (2 * k) + 1 })
            {
                foreach (int column in new[] { 3 * k, (3 * k) + 1, (3 * k) + 2, (3 * count) + (2 * k), (3 * count) + (2 * k) + 1, n - 1 })
                {
                    rows.Add(row);
                    columns.Add(column);
                }
            }
        }

        SparsityPattern pattern = SparsityPattern.FromEntries(2 * count, n, rows.ToArray(), columns.ToArray());
        Assert.Equal(6, pattern.ColorCount);
        Check(
            (x, y) => V.Blocks(x.AsSpan(0, 3 * count), x.AsSpan(3 * count, 2 * count), x[n - 1], y),
            (x, v, y, dy) => V.BlocksPushforward(x.AsSpan(0, 3 * count), x.AsSpan(3 * count, 2 * count), x[n - 1], y, v.AsSpan(0, 3 * count), v.AsSpan(3 * count, 2 * count), v[n - 1], dy),
            (x, y, dy, g) => V.BlocksPullback(x.AsSpan(0, 3 * count), x.AsSpan(3 * count, 2 * count), x[n - 1], y, dy, g.AsSpan(0, 3 * count), g.AsSpan(3 * count, 2 * count), ref g[n - 1]),
            (x, y, j) => V.BlocksJacobian(x.AsSpan(0, 3 * count), x.AsSpan(3 * count, 2 * count), x[n - 1], y, j),
            n,
            2 * count,
            sparse: (x, y, p, values) => V.BlocksJacobian(x.AsSpan(0, 3 * count), x.AsSpan(3 * count, 2 * count), x[n - 1], y, p, values),
            pattern: pattern);
    }

    [Fact]
    public void MismatchedShapesThrow()
    {
        double[] y = new double[3];
        Assert.Throws<ArgumentException>(() => V.CurveJacobian(0.5, 0.5, y, new double[5]));
        Assert.Throws<ArgumentException>(() => V.CurvePushforward(0.5, 0.5, y, 1, 0, new double[2]));
        Assert.Throws<ArgumentException>(() => V.SoftmaxPushforward(new double[3], y, new double[2], new double[3]));
        SparsityPattern wrongShape = SparsityPattern.Diagonal(3);
        Assert.Throws<ArgumentException>(() => V.CurveJacobian(0.5, 0.5, y, wrongShape, new double[3]));
    }

    [Fact]
    public void EmptyTangentIsZero()
    {
        double[] z = { 0.1, -0.4, 0.7 };
        double[] p = new double[3], dp = new double[3];
        V.SoftmaxPushforward(z, p, ReadOnlySpan<double>.Empty, dp);
        Assert.All(dp, d => Assert.Equal(0, d));
    }
}
