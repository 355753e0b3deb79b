using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// The careful person's gradient of <see cref="KeplerLoop.Loss"/>: the same Newton solve (sine and cosine from one
/// <see cref="Math.SinCos"/>; the smoke check requires the same value as the user's separate Sin and Cos), then the
/// implicit function theorem instead of differentiating the iterations: ∂E/∂M = 1/(1 − e·cos E),
/// ∂E/∂e = sin E/(1 − e·cos E). It agrees with the derivative of the iterations to about the solver's tolerance, since
/// Newton's map has zero slope at the root.
/// </summary>
public static class KeplerLoopHandWritten
{
    /// <summary>Returns the loss and adds its gradient with respect to the mean anomalies and the eccentricity.</summary>
    public static double LossGradient(ReadOnlySpan<double> meanAnomaly, double eccentricity, ReadOnlySpan<double> target, Span<double> dmeanAnomaly, ref double deccentricity) =>
        Gradient(meanAnomaly, eccentricity, target, dmeanAnomaly, ref deccentricity, throughIterations: false);

    /// <summary>
    /// The derivative of the iterations themselves, as the generated gradient takes it: forward mode through each Newton
    /// step, the tangents ∂E/∂M and ∂E/∂e carried along (Eₖ₊₁ = Eₖ − f/f′ with f = E − e·sin E − M, f′ = 1 − e·cos E).
    /// One pass, no tape: per element there are only two inputs.
    /// </summary>
    public static double LossGradientThroughIterations(
        ReadOnlySpan<double> meanAnomaly, double eccentricity, ReadOnlySpan<double> target, Span<double> dmeanAnomaly, ref double deccentricity) =>
        Gradient(meanAnomaly, eccentricity, target, dmeanAnomaly, ref deccentricity, throughIterations: true);

    private static double Gradient(
        ReadOnlySpan<double> meanAnomaly, double eccentricity, ReadOnlySpan<double> target, Span<double> dmeanAnomaly, ref double deccentricity, bool throughIterations)
    {
        if (dmeanAnomaly.Length != meanAnomaly.Length || target.Length != meanAnomaly.Length)
        {
            throw new ArgumentException("The target and dM must have the length of M.", nameof(dmeanAnomaly));
        }

        double loss = 0, de = 0;
        for (int i = 0; i < meanAnomaly.Length; i++)
        {
            double m = meanAnomaly[i];
            double anomaly = m;
            double byM = 1, byE = 0;
            double delta = 1;
            for (int iterations = 0; Math.Abs(delta) > 1e-12 && iterations < 50; iterations++)
            {
                (double sin, double cos) = Math.SinCos(anomaly);
                double f = anomaly - eccentricity * sin - m;
                double slope = 1 - eccentricity * cos;
                delta = f / slope;
                if (throughIterations)
                {
                    // ∂δ = (∂f − δ·∂f′)/f′ along each tangent; ∂f′/∂E = e·sin E, ∂f′/∂e = −cos E.
                    double fByM = slope * byM - 1, fByE = slope * byE - sin;
                    double slopeByM = eccentricity * sin * byM, slopeByE = eccentricity * sin * byE - cos;
                    byM -= (fByM - delta * slopeByM) / slope;
                    byE -= (fByE - delta * slopeByE) / slope;
                }

                anomaly -= delta;
            }

            (double sinE, double cosE) = Math.SinCos(anomaly);
            if (!throughIterations)
            {
                byM = 1 / (1 - eccentricity * cosE);
                byE = sinE * byM;
            }

            double r = cosE - eccentricity - target[i];
            loss += r * r;
            double dAnomaly = -2 * r * sinE;
            dmeanAnomaly[i] += dAnomaly * byM;
            de += dAnomaly * byE - 2 * r;
        }

        deccentricity += de;
        return loss;
    }
}
