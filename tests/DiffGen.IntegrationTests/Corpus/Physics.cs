using System;
using DiffGen;

namespace DiffGen.IntegrationTests.Corpus;

/// <summary>A chain of springs between consecutive 2-D points, as an object holding its constants.</summary>
public sealed partial class SpringChain
{
    private readonly double _stiffness;
    private readonly double _restLength;

    public SpringChain(double stiffness, double restLength)
    {
        _stiffness = stiffness;
        _restLength = restLength;
    }

    /// <summary>Positions as x0, y0, x1, y1, …</summary>
    [Differentiable]
    public double Energy(double[] positions)
    {
        double energy = 0;
        int n = positions.Length / 2;
        for (int i = 0; i + 1 < n; i++)
        {
            double dx = positions[2 * (i + 1)] - positions[2 * i];
            double dy = positions[2 * (i + 1) + 1] - positions[2 * i + 1];
            energy += SpringEnergy(Math.Sqrt(dx * dx + dy * dy));
        }

        return energy;
    }

    private double SpringEnergy(double length)
    {
        double stretch = length - _restLength;
        return 0.5 * _stiffness * stretch * stretch;
    }
}

public sealed partial class NBody
{
    public NBody(double[] masses) => Masses = masses;

    public double[] Masses { get; }

    public double G { get; init; } = 1.0;

    /// <summary>Gravitational potential energy of bodies at x, y, z (3 per body), softened.</summary>
    [Differentiable]
    public double PotentialEnergy(double[] positions)
    {
        double energy = 0;
        for (int i = 0; i < Masses.Length; i++)
        {
            for (int j = i + 1; j < Masses.Length; j++)
            {
                double dx = positions[3 * i] - positions[3 * j];
                double dy = positions[3 * i + 1] - positions[3 * j + 1];
                double dz = positions[3 * i + 2] - positions[3 * j + 2];
                double r = Math.Sqrt(dx * dx + dy * dy + dz * dz + 1e-3);
                energy -= G * Masses[i] * Masses[j] / r;
            }
        }

        return energy;
    }
}

public static partial class Physics
{
    [Differentiable(nameof(positions))]
    public static double Morse(double[] positions, double depth, double width, double equilibrium)
    {
        double energy = 0;
        int n = positions.Length;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double r = Math.Abs(positions[i] - positions[j]);
                double e = 1 - Math.Exp(-width * (r - equilibrium));
                energy += depth * e * e;
            }
        }

        return energy;
    }

    /// <summary>Range of a projectile with quadratic drag, explicit Euler until it lands.</summary>
    [Differentiable(nameof(speed), nameof(angle))]
    public static double ProjectileRange(double speed, double angle, double drag, double dt)
    {
        double x = 0, y = 0;
        double vx = speed * Math.Cos(angle), vy = speed * Math.Sin(angle);
        int steps = 0;
        do
        {
            double v = Math.Sqrt(vx * vx + vy * vy);
            vx -= drag * v * vx * dt;
            vy -= (9.81 + drag * v * vy) * dt;
            x += vx * dt;
            y += vy * dt;
            steps++;
        }
        while (y > 0 && steps < 10_000);

        return x;
    }
}
