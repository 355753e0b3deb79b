using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// ADBench's bundle-adjustment reprojection error (gradbench's <c>ba</c>), summed over the observations, written as one
/// loop over the observations with the camera model inlined: Rodrigues rotation of X − C (with ADBench's θ = 0 branch),
/// perspective division, radial distortion, focal length and principal point, weighted residual.
/// </summary>
public static partial class BundleAdjustmentLoop
{
    /// <summary>Camera parameters: rotation r (3, angle-axis), centre C (3), focal length f, principal point (2), distortion k1, k2.</summary>
    public const int CameraParameters = 11;

    /// <summary>
    /// Σₒ ‖wₒ·(project(camera cₒ, point pₒ) − featureₒ)‖² with (cₒ, pₒ) = (observations[2o], observations[2o + 1]);
    /// cameras n × 11, points m × 3, features 2 per observation.
    /// </summary>
    [Differentiable(nameof(cameras), nameof(points))]
    public static double ReprojectionError(
        ReadOnlySpan<double> cameras, ReadOnlySpan<double> points, ReadOnlySpan<double> weights, ReadOnlySpan<int> observations, ReadOnlySpan<double> features)
    {
        double sum = 0;
        for (int o = 0; o < weights.Length; o++)
        {
            int cam = observations[2 * o] * CameraParameters;
            int pt = observations[2 * o + 1] * 3;
            double x0 = points[pt] - cameras[cam + 3];
            double x1 = points[pt + 1] - cameras[cam + 4];
            double x2 = points[pt + 2] - cameras[cam + 5];

            double r0 = cameras[cam];
            double r1 = cameras[cam + 1];
            double r2 = cameras[cam + 2];
            double sqtheta = r0 * r0 + r1 * r1 + r2 * r2;
            double xc0, xc1, xc2;
            if (sqtheta != 0)
            {
                double theta = Math.Sqrt(sqtheta);
                double costheta = Math.Cos(theta);
                double sintheta = Math.Sin(theta);
                double w0 = r0 / theta;
                double w1 = r1 / theta;
                double w2 = r2 / theta;
                double tmp = (w0 * x0 + w1 * x1 + w2 * x2) * (1 - costheta);
                xc0 = x0 * costheta + (w1 * x2 - w2 * x1) * sintheta + w0 * tmp;
                xc1 = x1 * costheta + (w2 * x0 - w0 * x2) * sintheta + w1 * tmp;
                xc2 = x2 * costheta + (w0 * x1 - w1 * x0) * sintheta + w2 * tmp;
            }
            else
            {
                xc0 = x0 + (r1 * x2 - r2 * x1);
                xc1 = x1 + (r2 * x0 - r0 * x2);
                xc2 = x2 + (r0 * x1 - r1 * x0);
            }

            double p0 = xc0 / xc2;
            double p1 = xc1 / xc2;
            double rsq = p0 * p0 + p1 * p1;
            double distortion = 1 + cameras[cam + 9] * rsq + cameras[cam + 10] * rsq * rsq;
            double proj0 = p0 * distortion * cameras[cam + 6] + cameras[cam + 7];
            double proj1 = p1 * distortion * cameras[cam + 6] + cameras[cam + 8];
            double e0 = weights[o] * (proj0 - features[2 * o]);
            double e1 = weights[o] * (proj1 - features[2 * o + 1]);
            sum += e0 * e0 + e1 * e1;
        }

        return sum;
    }
}
