using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// The careful person's gradient of <see cref="BundleAdjustmentLoop.ReprojectionError"/>: per observation the forward
/// values stay in locals and the adjoints of the 11 camera and 3 point parameters are derived by hand and added at
/// once. Scalar: the observations gather their cameras and points by index, so there is nothing contiguous to vectorise.
/// </summary>
public static class BundleAdjustmentLoopHandWritten
{
    private const int Cp = BundleAdjustmentLoop.CameraParameters;

    /// <summary>Returns the error and adds its gradient with respect to the cameras and the points.</summary>
    public static double ReprojectionErrorGradient(
        ReadOnlySpan<double> cameras, ReadOnlySpan<double> points, ReadOnlySpan<double> weights, ReadOnlySpan<int> observations, ReadOnlySpan<double> features,
        Span<double> dcameras, Span<double> dpoints)
    {
        if (dcameras.Length != cameras.Length || dpoints.Length != points.Length || observations.Length != 2 * weights.Length || features.Length != 2 * weights.Length)
        {
            throw new ArgumentException("Gradients like their parameters; two observation indices and two features per weight.");
        }

        double sum = 0;
        for (int o = 0; o < weights.Length; o++)
        {
            ReadOnlySpan<double> camera = cameras.Slice(observations[2 * o] * Cp, Cp);
            ReadOnlySpan<double> point = points.Slice(observations[2 * o + 1] * 3, 3);
            Span<double> dcamera = dcameras.Slice(observations[2 * o] * Cp, Cp);
            Span<double> dpoint = dpoints.Slice(observations[2 * o + 1] * 3, 3);
            double x0 = point[0] - camera[3], x1 = point[1] - camera[4], x2 = point[2] - camera[5];
            double r0 = camera[0], r1 = camera[1], r2 = camera[2];
            double sqtheta = r0 * r0 + r1 * r1 + r2 * r2;

            // Forward: Rodrigues, keeping what its adjoint needs.
            double theta = 0, cos = 1, sin = 0, w0 = 0, w1 = 0, w2 = 0, dot = 0, tmp = 0;
            double xc0, xc1, xc2;
            if (sqtheta != 0)
            {
                theta = Math.Sqrt(sqtheta);
                cos = Math.Cos(theta);
                sin = Math.Sin(theta);
                w0 = r0 / theta;
                w1 = r1 / theta;
                w2 = r2 / theta;
                dot = w0 * x0 + w1 * x1 + w2 * x2;
                tmp = dot * (1 - cos);
                xc0 = x0 * cos + (w1 * x2 - w2 * x1) * sin + w0 * tmp;
                xc1 = x1 * cos + (w2 * x0 - w0 * x2) * sin + w1 * tmp;
                xc2 = x2 * cos + (w0 * x1 - w1 * x0) * sin + w2 * tmp;
            }
            else
            {
                xc0 = x0 + (r1 * x2 - r2 * x1);
                xc1 = x1 + (r2 * x0 - r0 * x2);
                xc2 = x2 + (r0 * x1 - r1 * x0);
            }

            // Divisions, not a reciprocal: the value stays the user's bit for bit.
            double p0 = xc0 / xc2, p1 = xc1 / xc2;
            double rsq = p0 * p0 + p1 * p1;
            double k1 = camera[9], k2 = camera[10], f = camera[6];
            double distortion = 1 + k1 * rsq + k2 * rsq * rsq;
            double weight = weights[o];
            double e0 = weight * (p0 * distortion * f + camera[7] - features[2 * o]);
            double e1 = weight * (p1 * distortion * f + camera[8] - features[2 * o + 1]);
            sum += e0 * e0 + e1 * e1;

            // Backward: residuals → projection → distortion → perspective division.
            double dproj0 = 2 * weight * e0, dproj1 = 2 * weight * e1;
            dcamera[6] += (dproj0 * p0 + dproj1 * p1) * distortion;
            dcamera[7] += dproj0;
            dcamera[8] += dproj1;
            double dq0 = dproj0 * f, dq1 = dproj1 * f;
            double ddistortion = dq0 * p0 + dq1 * p1;
            dcamera[9] += ddistortion * rsq;
            dcamera[10] += ddistortion * rsq * rsq;
            double drsq2 = 2 * ddistortion * (k1 + 2 * k2 * rsq);
            double dp0 = dq0 * distortion + drsq2 * p0, dp1 = dq1 * distortion + drsq2 * p1;
            double inverseZ = 1 / xc2;
            double dxc0 = dp0 * inverseZ, dxc1 = dp1 * inverseZ, dxc2 = -(dp0 * p0 + dp1 * p1) * inverseZ;

            // Rodrigues: xc = x·cos + (w × x)·sin + w·(w·x)(1 − cos), w = r/θ, θ = |r|; or xc = x + r × x at θ = 0.
            double dx0, dx1, dx2;
            if (sqtheta != 0)
            {
                double oneMinusCos = 1 - cos;
                double dtmp = w0 * dxc0 + w1 * dxc1 + w2 * dxc2;
                double ddot = dtmp * oneMinusCos;
                dx0 = cos * dxc0 + sin * (dxc1 * w2 - dxc2 * w1) + ddot * w0;
                dx1 = cos * dxc1 + sin * (dxc2 * w0 - dxc0 * w2) + ddot * w1;
                dx2 = cos * dxc2 + sin * (dxc0 * w1 - dxc1 * w0) + ddot * w2;
                double dw0 = sin * (x1 * dxc2 - x2 * dxc1) + tmp * dxc0 + ddot * x0;
                double dw1 = sin * (x2 * dxc0 - x0 * dxc2) + tmp * dxc1 + ddot * x1;
                double dw2 = sin * (x0 * dxc1 - x1 * dxc0) + tmp * dxc2 + ddot * x2;
                double dcos = x0 * dxc0 + x1 * dxc1 + x2 * dxc2 - dtmp * dot;
                double dsin = (w1 * x2 - w2 * x1) * dxc0 + (w2 * x0 - w0 * x2) * dxc1 + (w0 * x1 - w1 * x0) * dxc2;
                double inverseTheta = 1 / theta;
                double dtheta = cos * dsin - sin * dcos - (dw0 * w0 + dw1 * w1 + dw2 * w2) * inverseTheta;
                dcamera[0] += dw0 * inverseTheta + dtheta * w0;
                dcamera[1] += dw1 * inverseTheta + dtheta * w1;
                dcamera[2] += dw2 * inverseTheta + dtheta * w2;
            }
            else
            {
                dx0 = dxc0 + (dxc1 * r2 - dxc2 * r1);
                dx1 = dxc1 + (dxc2 * r0 - dxc0 * r2);
                dx2 = dxc2 + (dxc0 * r1 - dxc1 * r0);
                dcamera[0] += x1 * dxc2 - x2 * dxc1;
                dcamera[1] += x2 * dxc0 - x0 * dxc2;
                dcamera[2] += x0 * dxc1 - x1 * dxc0;
            }

            dpoint[0] += dx0;
            dpoint[1] += dx1;
            dpoint[2] += dx2;
            dcamera[3] -= dx0;
            dcamera[4] -= dx1;
            dcamera[5] -= dx2;
        }

        return sum;
    }
}
