using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>The Lennard-Jones energy of N atoms (σ = ε = 1) written as the textbook pair loop.</summary>
public static partial class LennardJonesLoop
{
    /// <summary>Σ over pairs i &lt; j of 4(r⁻¹² − r⁻⁶); atom i at (x[3i], x[3i + 1], x[3i + 2]).</summary>
    [Differentiable]
    public static double Energy(ReadOnlySpan<double> x)
    {
        int n = x.Length / 3;
        double e = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double dx = x[3 * i] - x[3 * j];
                double dy = x[3 * i + 1] - x[3 * j + 1];
                double dz = x[3 * i + 2] - x[3 * j + 2];
                double r2 = dx * dx + dy * dy + dz * dz;
                double inv2 = 1 / r2;
                double inv6 = inv2 * inv2 * inv2;
                double inv12 = inv6 * inv6;
                e += 4 * (inv12 - inv6);
            }
        }

        return e;
    }
}
