using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// A loop whose trip count depends on the data: Kepler's equation E − e·sin E = M solved per element by Newton's
/// method until the step is below a tolerance, then the orbit's x = cos E − e compared with a target.
/// </summary>
public static partial class KeplerLoop
{
    /// <summary>Σᵢ (cos Eᵢ − e − targetᵢ)² where Eᵢ solves Eᵢ − e·sin Eᵢ = Mᵢ (Newton from Eᵢ = Mᵢ, |step| ≤ 1e-12 or 50 steps).</summary>
    [Differentiable(nameof(meanAnomaly), nameof(eccentricity), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.HessianVectorProduct)]
    public static double Loss(ReadOnlySpan<double> meanAnomaly, double eccentricity, ReadOnlySpan<double> target)
    {
        double loss = 0;
        for (int i = 0; i < meanAnomaly.Length; i++)
        {
            double m = meanAnomaly[i];
            double anomaly = m;
            double delta = 1;
            int iterations = 0;
            while (Math.Abs(delta) > 1e-12 && iterations < 50)
            {
                delta = (anomaly - eccentricity * Math.Sin(anomaly) - m) / (1 - eccentricity * Math.Cos(anomaly));
                anomaly -= delta;
                iterations++;
            }

            double r = Math.Cos(anomaly) - eccentricity - target[i];
            loss += r * r;
        }

        return loss;
    }
}
