using System.Linq;
using System;
using DiffGen;
using DiffGen.GradBench.Evals;
using DiffGen.GradBench.HandWritten;
using Xunit;
using static DiffGen.GradBench.Tests.FiniteDifferences;

namespace DiffGen.GradBench.Tests;

/// <summary>
/// Jacobians and second-order and nested results (ba, ht, kmeans' direction, particle, saddle) against central
/// differences of the user's functions (tolerances stated per test), generated against hand-written where both exist.
/// </summary>
public class JacobianEvalTests
{
    /// <summary>A bundle-adjustment camera: a rotation (zero or not), centre, focal length, principal point, distortion.</summary>
    private static double[] Camera(Random random, bool rotated) =>
    [
        rotated ? 0.1 * random.NextDouble() : 0, rotated ? -0.2 * random.NextDouble() : 0, rotated ? 0.15 : 0,
        0.3 * random.NextDouble(), -0.2 * random.NextDouble(), -3 - random.NextDouble(),
        400 + 50 * random.NextDouble(), 0.1, -0.05, -1e-3 * random.NextDouble(), 1e-5 * random.NextDouble(),
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BaResidualRows(bool rotated)
    {
        var random = new Random(rotated ? 1 : 2);
        double[] camera = Camera(random, rotated);
        double[] point = [random.NextDouble() - 0.5, random.NextDouble() - 0.5, 2 + random.NextDouble()];
        double w = 0.8, fx = 12.5, fy = -3.25;

        // The 15 inputs (camera, point, w) as one vector for central differences of both residuals.
        double[] all = [.. camera, .. point, w];
        double[] expected = Jacobian(all, 2, r => Ba.Reprojection(all.AsSpan(0, 11), all.AsSpan(11, 3), all[14], fx, fy, r));

        double[] residual = new double[2];
        Ba.Reprojection(camera, point, w, fx, fy, residual);
        double[] generated = new double[30], handWritten = new double[30], err = new double[2];
        Ba.ReprojectionJacobian(camera, point, w, fx, fy, err, generated);
        Assert.Equal(residual, err);

        BaHandWritten.ReprojectionJacobian(camera, point, w, fx, fy, err, handWritten);
        Assert.Equal(residual, err);

        // Central differences of a residual of size ~1e3 in parameters of size ~1e2: 1e-5 relative.
        AssertAgrees("ba generated", expected, generated, 1e-5);
        AssertClose("ba hand-written", generated, handWritten, 1e-9);

        double dw = 0;
        Assert.Equal(1 - 0.64, Ba.WeightErrorGradient(0.8, ref dw), 15);
        Assert.Equal(-1.6, dw, 15);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void HtJacobian(bool complicated, bool mirrored)
    {
        var random = new Random(complicated ? 7 : 8);
        Inputs.HandModel hand = Inputs.Hand(random, 12, mirrored);
        int points = 6;
        int[] correspondences = [0, 3, 5, 7, 11, 2];
        double[] theta = Inputs.Uniform(random, 26, -0.5, 0.5);
        double[] us = complicated ? Inputs.Uniform(random, 2 * points, 0, 0.5) : [];
        double[] data = Inputs.Uniform(random, 3 * points, -1, 1);
        int rows = 3 * points;
        int bones = hand.Bones, posedLength = 12 * bones + 9;
        double[] pose = new double[3 * (bones + 3)], relatives = new double[16 * bones], absolutes = new double[16 * bones];
        double[] transforms = new double[16 * bones], posed = new double[posedLength], positions = new double[3 * hand.Vertices];
        void Objective(double[] err) => Ht.Objective(
            theta, us, hand.Parents, hand.BaseRelatives, hand.InverseBaseAbsolutes, hand.BasePositions, hand.Weights, hand.Triangles,
            hand.IsMirrored, correspondences, data, pose, relatives, absolutes, transforms, posed, positions, err);

        double[] byTheta = Jacobian(theta, rows, Objective);
        double[] byUs = complicated ? Jacobian(us, rows, Objective) : [];
        int columns = (complicated ? 2 : 0) + 26;
        double[] jacobian = new double[rows * columns], err = new double[rows], value = new double[rows];
        HtHandWritten.Jacobian(
            theta, us, hand.Parents, hand.BaseRelatives, hand.InverseBaseAbsolutes, hand.BasePositions, hand.Weights, hand.Triangles,
            hand.IsMirrored, correspondences, data, err, jacobian);
        Objective(value);
        AssertClose("ht residuals", value, err, 1e-12);

        // The gradbench layout: row 3i + j; columns (∂/∂u_i0, ∂/∂u_i1) of the row's own point when complicated, then θ.
        double[] expected = new double[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            if (complicated)
            {
                expected[r * columns] = byUs[r * us.Length + 2 * (r / 3)];
                expected[r * columns + 1] = byUs[r * us.Length + 2 * (r / 3) + 1];
            }

            for (int t = 0; t < 26; t++)
            {
                expected[r * columns + columns - 26 + t] = byTheta[r * 26 + t];
            }
        }

        AssertAgrees("ht jacobian", expected, jacobian, 1e-6);

        // The generated two-stage Jacobian: the same residuals bit for bit, the same derivatives.
        double[] generated = new double[rows * columns], generatedErr = new double[rows];
        Ht.Jacobian(
            theta, us, hand.Parents, hand.BaseRelatives, hand.InverseBaseAbsolutes, hand.BasePositions, hand.Weights, hand.Triangles,
            hand.IsMirrored, correspondences, data, pose, relatives, absolutes, transforms, posed,
            new double[posedLength * 26], new double[posedLength], new double[26], new double[us.Length], new int[2 * posedLength],
            generatedErr, generated);
        Assert.Equal(value, generatedErr);
        AssertAgrees("ht jacobian generated", expected, generated, 1e-6);
        AssertClose("ht jacobian generated vs hand-written", jacobian, generated, 1e-9);

        // Nothing else in a row moves its residual: the other points' barycentric coordinates give zero columns.
        for (int r = 0; r < rows && complicated; r++)
        {
            for (int u = 0; u < us.Length; u++)
            {
                if (u / 2 != r / 3)
                {
                    Assert.True(Math.Abs(byUs[r * us.Length + u]) < 1e-9);
                }
            }
        }
    }

    [Theory]
    [InlineData(3, 30, 2)]
    [InlineData(4, 50, 3)]
    public void KmeansDirectionIsTheGradientOverTheHessianDiagonal(int k, int n, int d)
    {
        var random = new Random(k * 13 + d);
        double[] points = Inputs.Uniform(random, n * d);
        double[] centroids = points.AsSpan((n - k) * d).ToArray();
        double[] direction = new double[centroids.Length], hessian = new double[centroids.Length];
        double[] generated = new double[centroids.Length];
        KmeansHandWritten.Direction(points, centroids, d, direction, hessian);
        int[] assignment = new int[n];
        Kmeans.Direction(points, centroids, d, assignment, Enumerable.Repeat(1.0, centroids.Length).ToArray(), generated, hessian);

        // J by central differences of the cost; H's diagonal by central differences of the generated gradient.
        double[] j = Gradient(centroids, () => Kmeans.Cost(points, centroids, d));
        double[] g = new double[centroids.Length];
        var h = new double[centroids.Length];
        for (int e = 0; e < centroids.Length; e++)
        {
            int index = e;
            h[e] = Gradient(centroids, () =>
            {
                Array.Clear(g);
                Kmeans.CostGradient(points, centroids, d, g);
                return g[index];
            })[e];
        }

        double[] expected = new double[centroids.Length];
        for (int e = 0; e < expected.Length; e++)
        {
            expected[e] = j[e] / h[e];
        }

        AssertAgrees("kmeans dir", expected, direction, 1e-6);
        AssertAgrees("kmeans dir generated", expected, generated, 1e-6);

        // The generated Hessian diagonal (one HVP along 1 through the diagonal pattern) against the differences above.
        AssertAgrees("kmeans Hessian diagonal", h, hessian, 1e-6);
        Assert.Equal(Kmeans.Cost(points, centroids, d), Kmeans.AssignedCost(points, centroids, d, assignment));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(-0.3)]
    public void ParticleDerivativeAlongTheTrajectory(double w)
    {
        double value = NestedHandWritten.ParticleObjective(w, out double dw);
        double[] theta = [w];
        double[] expected = Gradient(theta, () => NestedHandWritten.ParticleObjective(theta[0], out _));
        AssertAgrees("particle d/dw", expected, [dw], 1e-5);

        // The force is minus the gradient of the generated potential's gradient at the start point.
        double dx0 = 0, dx1 = 0;
        Particle.PotentialGradient(0, 8, w, ref dx0, ref dx1);
        double[] x = [0, 8];
        AssertAgrees("potential", Gradient(x, () => Particle.Potential(x[0], x[1], w)), [dx0, dx1], 1e-6);
        Assert.True(value >= 0);
    }

    public static TheoryData<Nesting, double> NestingsAndControls()
    {
        var data = new TheoryData<Nesting, double>();
        foreach (Nesting nesting in Enum.GetValues<Nesting>())
        {
            foreach (double w in new[] { 0.0, 0.1, -0.3 })
            {
                data.Add(nesting, w);
            }
        }

        return data;
    }

    /// <summary>
    /// Each nesting's d/dw (an outer generated derivative through generated derivatives of the potential) against
    /// central differences of the objective (1e-5: the step's error grows along the trajectory) and against the
    /// hand-written tangents (1e-9); the value is the hand-written one to 12 digits.
    /// </summary>
    [Theory]
    [MemberData(nameof(NestingsAndControls))]
    public void ParticleGeneratedDerivativeAlongTheTrajectory(Nesting nesting, double w)
    {
        double value = Particle.Objective(nesting, w, out double dw);
        double[] theta = [w];
        Func<double> objective = nesting is Nesting.ForwardOverForward or Nesting.ReverseOverForward
            ? () => Particle.ObjectiveOfPushforward(theta[0])
            : () => Particle.ObjectiveOfGradient(theta[0]);
        Assert.Equal(objective(), value);
        AssertAgrees("particle generated d/dw " + nesting, Gradient(theta, objective), [dw], 1e-5);
        Assert.Equal(NestedHandWritten.ParticleObjective(w, out double handWritten), value, 12);
        AssertClose("particle d/dw generated vs hand-written " + nesting, [handWritten], [dw], 1e-9);
    }

    [Theory]
    [InlineData(0.0, 8.0, 0.0, 0.3, -0.2, 1.0)]
    [InlineData(2.5, 4.0, 0.2, -1.0, 0.5, 1.0)]
    [InlineData(9.0, 1.0, -0.3, 0.0, 0.0, 1.0)]
    public void ParticleForceTangentIsTheHessianAlongTheDirection(double x0, double x1, double w, double v0, double v1, double vw)
    {
        // The nesting helper's tangent of ∇ₓp along (v, vw), H_xx·v + H_xw·vw, against central differences of the
        // generated gradient ∇ₓp along (v, vw).
        double[] h = new double[2];
        for (int k = 0; k < 2; k++)
        {
            Particle.PotentialNestedPartialPushforward(x0, x1, w, k, v0, v1, vw, out h[k]);
        }

        double[] t = [0];
        double[] expected = new double[2];
        for (int c = 0; c < 2; c++)
        {
            int component = c;
            expected[c] = Gradient(t, () =>
            {
                double g0 = 0, g1 = 0;
                Particle.PotentialGradient(x0 + t[0] * v0, x1 + t[0] * v1, w + t[0] * vw, ref g0, ref g1);
                return component == 0 ? g0 : g1;
            })[0];
        }

        AssertAgrees("∇ₓp tangent", expected, h, 1e-6);
    }

    [Fact]
    public void ParticleFindsTheEvalsControl()
    {
        // gradbench's particle eval expects 0.2071918746486116 from w = 0 (its tolerance: 1e-4 relative to max(1, |·|)).
        Assert.Equal(0.2071918746486116, NestedHandWritten.Particle(0), 6);
        foreach (Nesting nesting in Enum.GetValues<Nesting>())
        {
            Assert.Equal(0.2071918746486116, Particle.Control(nesting, 0), 6);
        }
    }

    [Fact]
    public void SaddleFindsTheEvalsPoint()
    {
        // gradbench's saddle eval expects 8.246324826140356e-06 in all four coordinates from (1, 1).
        double[] result = new double[4];
        NestedHandWritten.Saddle([1.0, 1.0], result);
        foreach (double v in result)
        {
            Assert.Equal(8.246324826140356e-06, v, 9);
        }

        foreach (Nesting nesting in Enum.GetValues<Nesting>())
        {
            double[] generated = new double[4];
            Saddle.Solve(nesting, [1.0, 1.0], generated);
            Assert.Equal(result, generated);
        }
    }

    public static TheoryData<Nesting, double, double> NestingsAndPoints()
    {
        var data = new TheoryData<Nesting, double, double>();
        foreach (Nesting nesting in Enum.GetValues<Nesting>())
        {
            data.Add(nesting, 0.4, -0.7);
            data.Add(nesting, 1.0, 1.0);
        }

        return data;
    }

    /// <summary>Each nesting's gradient of max_y f(x, y) (through the whole inner ascent) against central differences (1e-6) and the hand-written 2x.</summary>
    [Theory]
    [MemberData(nameof(NestingsAndPoints))]
    public void SaddleGeneratedOuterGradient(Nesting nesting, double x1, double x2)
    {
        double[] x = [x1, x2];
        double[] gradient = new double[2];
        double value = Saddle.Max(nesting, x[0], x[1], 1, 1, gradient);
        double[] handWritten = new double[2];
        Assert.Equal(NestedHandWritten.SaddleMax(x1, x2, 1, 1, handWritten), value);
        AssertAgrees("saddle max generated " + nesting, Gradient(x, () => Saddle.Max(nesting, x[0], x[1], 1, 1, new double[2])), gradient, 1e-6);
        AssertClose("saddle max generated vs hand-written " + nesting, handWritten, gradient, 1e-9);
    }

    /// <summary>Every nesting's derivative of particle and saddle allocates nothing per call (tapes and helpers included).</summary>
    [Fact]
    public void NestedDerivativesAllocateNothing()
    {
        double[] gradient = new double[2];
        Nesting[] nestings = Enum.GetValues<Nesting>();
        double sink = 0;
        void Calls()
        {
            foreach (Nesting nesting in nestings)
            {
                sink += Particle.Objective(nesting, 0.1, out double dw) + dw;
                sink += Saddle.Max(nesting, 0.4, -0.7, 1, 1, gradient) + gradient[0];
            }
        }

        Calls();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            Calls();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(double.IsFinite(sink));
    }

    [Fact]
    public void SaddleInnerMaximumGradient()
    {
        double[] p1 = [0.4, -0.7];
        double[] gradient = new double[2];
        NestedHandWritten.SaddleMax(p1[0], p1[1], 1, 1, gradient);
        double[] expected = Gradient(p1, () => NestedHandWritten.SaddleMax(p1[0], p1[1], 1, 1, new double[2]));
        AssertAgrees("saddle max", expected, gradient, 1e-6);
    }
}
