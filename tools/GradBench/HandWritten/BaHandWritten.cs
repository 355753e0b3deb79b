using System;

namespace DiffGen.GradBench.HandWritten;

/// <summary>
/// The careful person's Jacobian block of one bundle-adjustment observation (<see cref="Evals.Ba.Reprojection"/>):
/// the forward values stay in locals and the two residual rows are derived by hand, sharing the forward sweep.
/// </summary>
public static class BaHandWritten
{
    /// <summary>
    /// Writes the two residuals into <paramref name="err"/> and their 2 × 15 Jacobian into <paramref name="rows"/>:
    /// row r's 15 entries at 15r (11 camera parameters, 3 point coordinates, the weight), overwritten.
    /// </summary>
    public static void ReprojectionJacobian(
        ReadOnlySpan<double> camera, ReadOnlySpan<double> point, double w, double featureX, double featureY, Span<double> err, Span<double> rows)
    {
        double x0 = point[0] - camera[3], x1 = point[1] - camera[4], x2 = point[2] - camera[5];
        double r0 = camera[0], r1 = camera[1], r2 = camera[2];
        double squaredTheta = r0 * r0 + r1 * r1 + r2 * r2;
        double theta = 0, cos = 1, sin = 0, w0 = 0, w1 = 0, w2 = 0, dot = 0, along = 0;
        double c0, c1, c2;
        if (squaredTheta != 0)
        {
            theta = Math.Sqrt(squaredTheta);
            cos = Math.Cos(theta);
            sin = Math.Sin(theta);
            w0 = r0 / theta;
            w1 = r1 / theta;
            w2 = r2 / theta;
            dot = w0 * x0 + w1 * x1 + w2 * x2;
            along = dot * (1 - cos);
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

        double p0 = c0 / c2, p1 = c1 / c2;
        double squaredRadius = p0 * p0 + p1 * p1;
        double k1 = camera[9], k2 = camera[10], f = camera[6];
        double distortion = 1 + k1 * squaredRadius + k2 * squaredRadius * squaredRadius;
        double projection0 = p0 * distortion * f + camera[7] - featureX;
        double projection1 = p1 * distortion * f + camera[8] - featureY;
        err[0] = w * projection0;
        err[1] = w * projection1;

        for (int row = 0; row < 2; row++)
        {
            Span<double> g = rows.Slice(15 * row, 15);
            g.Clear();
            double dproj0 = row == 0 ? w : 0, dproj1 = row == 0 ? 0 : w;
            g[14] = row == 0 ? projection0 : projection1;
            g[6] = (dproj0 * p0 + dproj1 * p1) * distortion;
            g[7] = dproj0;
            g[8] = dproj1;
            double dq0 = dproj0 * f, dq1 = dproj1 * f;
            double ddistortion = dq0 * p0 + dq1 * p1;
            g[9] = ddistortion * squaredRadius;
            g[10] = ddistortion * squaredRadius * squaredRadius;
            double dradius2 = 2 * ddistortion * (k1 + 2 * k2 * squaredRadius);
            double dp0 = dq0 * distortion + dradius2 * p0, dp1 = dq1 * distortion + dradius2 * p1;
            double inverseZ = 1 / c2;
            double dc0 = dp0 * inverseZ, dc1 = dp1 * inverseZ, dc2 = -(dp0 * p0 + dp1 * p1) * inverseZ;

            double dx0, dx1, dx2;
            if (squaredTheta != 0)
            {
                double dalong = w0 * dc0 + w1 * dc1 + w2 * dc2;
                double ddot = dalong * (1 - cos);
                dx0 = cos * dc0 + sin * (dc1 * w2 - dc2 * w1) + ddot * w0;
                dx1 = cos * dc1 + sin * (dc2 * w0 - dc0 * w2) + ddot * w1;
                dx2 = cos * dc2 + sin * (dc0 * w1 - dc1 * w0) + ddot * w2;
                double dw0 = sin * (x1 * dc2 - x2 * dc1) + along * dc0 + ddot * x0;
                double dw1 = sin * (x2 * dc0 - x0 * dc2) + along * dc1 + ddot * x1;
                double dw2 = sin * (x0 * dc1 - x1 * dc0) + along * dc2 + ddot * x2;
                double dcos = x0 * dc0 + x1 * dc1 + x2 * dc2 - dalong * dot;
                double dsin = (w1 * x2 - w2 * x1) * dc0 + (w2 * x0 - w0 * x2) * dc1 + (w0 * x1 - w1 * x0) * dc2;
                double inverseTheta = 1 / theta;
                double dtheta = cos * dsin - sin * dcos - (dw0 * w0 + dw1 * w1 + dw2 * w2) * inverseTheta;
                g[0] = dw0 * inverseTheta + dtheta * w0;
                g[1] = dw1 * inverseTheta + dtheta * w1;
                g[2] = dw2 * inverseTheta + dtheta * w2;
            }
            else
            {
                dx0 = dc0 + (dc1 * r2 - dc2 * r1);
                dx1 = dc1 + (dc2 * r0 - dc0 * r2);
                dx2 = dc2 + (dc0 * r1 - dc1 * r0);
                g[0] = x1 * dc2 - x2 * dc1;
                g[1] = x2 * dc0 - x0 * dc2;
                g[2] = x0 * dc1 - x1 * dc0;
            }

            g[11] = dx0;
            g[12] = dx1;
            g[13] = dx2;
            g[3] = -dx0;
            g[4] = -dx1;
            g[5] = -dx2;
        }
    }
}
