using System;
using System.Linq;
using System.Numerics;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests;

/// <summary>Arrays and spans of structs of numbers as [Differentiable] parameters (<see cref="Vec3"/> is RealCodeFunctions').</summary>
public static partial class StructArrayCode
{
    /// <summary>Lennard-Jones over a pair loop, the positions an array of structs.</summary>
    [Differentiable(nameof(positions), nameof(epsilon))]
    public static double LennardJones(Vec3[] positions, double epsilon)
    {
        double energy = 0;
        for (int i = 0; i < positions.Length; i++)
        {
            for (int j = i + 1; j < positions.Length; j++)
            {
                Vec3 d = positions[i] - positions[j];
                double r2 = d.Dot(d);
                double s6 = 1 / (r2 * r2 * r2);
                energy += 4 * epsilon * ((s6 * s6) - s6);
            }
        }

        return energy;
    }

    /// <summary>foreach over the array inside a helper that takes it.</summary>
    [Differentiable(nameof(points))]
    public static double CentroidSpread(Vec3[] points) => Math.Sqrt(SumOfSquares(points) / points.Length);

    /// <summary>System.Numerics.Vector3 in a span, float; and the axis, a struct parameter, as a model (its gradient by ref).</summary>
    [Differentiable(nameof(points))]
    [Differentiable(nameof(axis), Name = "MomentAxisGradient")]
    public static float Moment(ReadOnlySpan<Vector3> points, Vector3 axis)
    {
        float m = 0;
        for (int i = 0; i < points.Length; i++)
        {
            float along = Vector3.Dot(points[i], axis);
            m += (points[i].LengthSquared() - (along * along)) * (i + 1);
        }

        return m;
    }

    private static double SumOfSquares(Vec3[] points)
    {
        double s = 0;
        foreach (Vec3 p in points)
        {
            s += p * p;
        }

        return s;
    }
}

public class StructArrayTests
{
    private static Vec3[] Points(double[] x) => Enumerable.Range(0, x.Length / 3).Select(i => new Vec3(x[3 * i], x[(3 * i) + 1], x[(3 * i) + 2])).ToArray();

    private static void AddTo(Vec3[] gradient, double[] g)
    {
        for (int i = 0; i < gradient.Length; i++)
        {
            g[3 * i] += gradient[i].X;
            g[(3 * i) + 1] += gradient[i].Y;
            g[(3 * i) + 2] += gradient[i].Z;
        }
    }

    // Four atoms near a tetrahedron (no pair closer than ~0.7) and epsilon: the gradient is the force field, and ∂E/∂ε = E/ε.
    private static double Atom(Random r, int i) => i == 12 ? 1.3 : (new[] { 0, 0, 0, 1.1, 0, 0, 0.5, 1, 0, 0.5, 0.4, 0.9 }[i] + ((r.NextDouble() - 0.5) * 0.1));

    [Fact]
    public void PairPotentialOverAnArrayOfStructs() =>
        Check(
            x => StructArrayCode.LennardJones(Points(x[..12]), x[12]),
            (x, g) =>
            {
                var d = new Vec3[4];
                double de = 0;
                double value = StructArrayCode.LennardJonesGradient(Points(x[..12]), x[12], d, ref de);
                AddTo(d, g);
                g[12] += de;
                return value;
            },
            13,
            sample: Atom);

    [Fact]
    public void ForeachInAHelperTakingTheArray() =>
        Check(
            x => StructArrayCode.CentroidSpread(Points(x)),
            (x, g) =>
            {
                var d = new Vec3[3];
                double value = StructArrayCode.CentroidSpreadGradient(Points(x), d);
                AddTo(d, g);
                return value;
            },
            9);

    /// <summary>Vector3 is float: the gradient against central differences of the float function, h = 1e-2, within 1 %.</summary>
    [Fact]
    public void SpanOfVector3()
    {
        var points = new[] { new Vector3(1, 2, 0.5f), new Vector3(-0.5f, 1, 2), new Vector3(0.3f, -1.2f, 0.7f) };
        var axis = Vector3.Normalize(new Vector3(1, 1, 0));
        var gradient = new Vector3[3];
        StructArrayCode.MomentGradient(points, axis, gradient);
        for (int i = 0; i < points.Length; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                Vector3[] up = (Vector3[])points.Clone(), down = (Vector3[])points.Clone();
                up[i][k] += 1e-2f;
                down[i][k] -= 1e-2f;
                float fd = (StructArrayCode.Moment(up, axis) - StructArrayCode.Moment(down, axis)) / 2e-2f;
                Assert.True(Math.Abs(gradient[i][k] - fd) <= 1e-2 * Math.Max(1, Math.Abs(fd)), $"point {i} component {k}: {gradient[i][k]} vs {fd}");
            }
        }
    }

    [Fact]
    public void StructParameterDifferentiatedByRef()
    {
        var points = new[] { new Vector3(1, 2, 0.5f), new Vector3(-0.5f, 1, 2) };
        var axis = new Vector3(0.6f, 0.8f, 0.1f);
        var daxis = default(Vector3);
        StructArrayCode.MomentAxisGradient(points, axis, ref daxis);
        for (int k = 0; k < 3; k++)
        {
            Vector3 up = axis, down = axis;
            up[k] += 1e-2f;
            down[k] -= 1e-2f;
            float fd = (StructArrayCode.Moment(points, up) - StructArrayCode.Moment(points, down)) / 2e-2f;
            Assert.True(Math.Abs(daxis[k] - fd) <= 1e-2 * Math.Max(1, Math.Abs(fd)), $"axis component {k}: {daxis[k]} vs {fd}");
        }
    }

    [Fact]
    public void GradientArrayOfTheWrongLengthIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => StructArrayCode.CentroidSpreadGradient(new Vec3[3], new Vec3[2]));
        Assert.Contains("dpoints", error.Message);
    }
}
