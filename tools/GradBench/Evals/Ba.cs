using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>ba</c> (ADBench's bundle adjustment): n cameras (11 parameters: Rodrigues rotation r, centre C, focal
/// length f, principal point u₀ v₀, radial distortion k₁ k₂), m points, p observations; each observation gives two
/// weighted reprojection residuals and one weight residual 1 − w².
/// </summary>
public static partial class Ba
{
    /// <summary>Camera parameters.</summary>
    public const int CameraParameters = 11;

    /// <summary>
    /// The two residuals of one observation into <paramref name="err"/>: w·(project(camera, point) − feature), with
    /// project(X) = distort((R(X − C))₀₁ / (R(X − C))₂)·f + (u₀, v₀), R by Rodrigues' formula (first order when r = 0)
    /// and distort(p) = p·(1 + k₁‖p‖² + k₂‖p‖⁴). Its generated Jacobian (2 × 15: camera, point, w) runs the projection
    /// once and one reverse sweep per residual.
    /// </summary>
    [Differentiable(nameof(camera), nameof(point), nameof(w), Generate = Derivatives.Jacobian)]
    public static void Reprojection(ReadOnlySpan<double> camera, ReadOnlySpan<double> point, double w, double featureX, double featureY, [Output] Span<double> err)
    {
        double x0 = point[0] - camera[3];
        double x1 = point[1] - camera[4];
        double x2 = point[2] - camera[5];
        double r0 = camera[0];
        double r1 = camera[1];
        double r2 = camera[2];
        double squaredTheta = r0 * r0 + r1 * r1 + r2 * r2;
        double c0, c1, c2;
        if (squaredTheta != 0)
        {
            double theta = Math.Sqrt(squaredTheta);
            double cos = Math.Cos(theta);
            double sin = Math.Sin(theta);
            double w0 = r0 / theta;
            double w1 = r1 / theta;
            double w2 = r2 / theta;
            double along = (w0 * x0 + w1 * x1 + w2 * x2) * (1 - cos);
            c0 = x0 * cos + (w1 * x2 - w2 * x1) * sin + w0 * along;
            c1 = x1 * cos + (w2 * x0 - w0 * x2) * sin + w1 * along;
            c2 = x2 * cos + (w0 * x1 - w1 * x0) * sin + w2 * along;
        }
        else
        {
            c0 = x0 + (r1 * x2 - r2 * x1);
            c1 = x1 + (r2 * x0 - r0 * x2);
            c2 = x2 + (r0 * x1 - r1 * x0);
        }

        double p0 = c0 / c2;
        double p1 = c1 / c2;
        double squaredRadius = p0 * p0 + p1 * p1;
        double distortion = 1 + camera[9] * squaredRadius + camera[10] * squaredRadius * squaredRadius;
        err[0] = w * (p0 * distortion * camera[6] + camera[7] - featureX);
        err[1] = w * (p1 * distortion * camera[6] + camera[8] - featureY);
    }

    /// <summary>The weight residual 1 − w².</summary>
    [Differentiable]
    public static double WeightError(double w) => 1 - w * w;
}
