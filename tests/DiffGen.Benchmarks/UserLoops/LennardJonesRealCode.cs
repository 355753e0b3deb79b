using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>A 3-vector as physics code writes it: a readonly struct with operators and a method.</summary>
public readonly struct Point3
{
    public Point3(double x, double y, double z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public double X { get; }

    public double Y { get; }

    public double Z { get; }

    public static Point3 operator -(Point3 a, Point3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    public double Dot(Point3 other) => X * other.X + Y * other.Y + Z * other.Z;
}

/// <summary>
/// The Lennard-Jones energy of <see cref="LennardJonesLoop"/> written the way object-oriented code is (issue #13): an
/// instance method of a model holding σ² and ε, a struct for positions with an operator, a private helper for the pair
/// term. With σ = ε = 1 its value is <see cref="LennardJonesLoop.Energy"/>'s bit for bit.
/// </summary>
public sealed partial class LennardJonesModel
{
    private readonly double _sigmaSquared;

    public LennardJonesModel(double sigma, double epsilon)
    {
        _sigmaSquared = sigma * sigma;
        Epsilon = epsilon;
    }

    public double Epsilon { get; }

    [Differentiable]
    public double Energy(ReadOnlySpan<double> x)
    {
        int n = x.Length / 3;
        double e = 0;
        for (int i = 0; i < n; i++)
        {
            Point3 a = At(x, i);
            for (int j = i + 1; j < n; j++)
            {
                Point3 d = a - At(x, j);
                e += PairEnergy(d.Dot(d));
            }
        }

        return e;
    }

    private static Point3 At(ReadOnlySpan<double> x, int atom) => new(x[3 * atom], x[3 * atom + 1], x[3 * atom + 2]);

    private double PairEnergy(double r2)
    {
        double inv2 = _sigmaSquared / r2;
        double inv6 = inv2 * inv2 * inv2;
        double inv12 = inv6 * inv6;
        return 4 * Epsilon * (inv12 - inv6);
    }
}
