using System;
using DiffGen;

namespace DiffGen.IntegrationTests;

/// <summary>Vector-valued functions (a void method writing an [Output] span), checked in VectorFunctionTests.</summary>
public static partial class VectorFunctions
{
    /// <summary>A pinhole projection residual (2 outputs, 6 + 3 inputs: the Jacobian runs pullbacks, one per row).</summary>
    [Differentiable(nameof(camera), nameof(point), Generate = Derivatives.Jacobian)]
    public static void Projection(ReadOnlySpan<double> camera, ReadOnlySpan<double> point, double weight, ReadOnlySpan<double> feature, [Output] Span<double> residual)
    {
        // camera = (angle, tx, ty, tz, focal, k): a rotation about z, a translation, a focal length, radial distortion.
        double c = Math.Cos(camera[0]);
        double s = Math.Sin(camera[0]);
        double px = (c * point[0]) - (s * point[1]) + camera[1];
        double py = (s * point[0]) + (c * point[1]) + camera[2];
        double pz = point[2] + camera[3];
        double u = px / pz;
        double v = py / pz;
        double distortion = 1 + (camera[5] * ((u * u) + (v * v)));
        residual[0] = weight * ((camera[4] * distortion * u) - feature[0]);
        residual[1] = weight * ((camera[4] * distortion * v) - feature[1]);
    }

    /// <summary>A sampled curve (m outputs from 2 inputs, a loop and a branch: the Jacobian runs pushforwards).</summary>
    [Differentiable(Generate = Derivatives.Jacobian)]
    public static void Curve(double t, double s, [Output] Span<double> y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            double a = t * (i + 1);
            y[i] = a > 1 ? Math.Sin(a) * s : Math.Exp(a * s);
        }
    }

    /// <summary>Softmax into the output, with a scratch vector and two loops (m = n).</summary>
    [Differentiable(Generate = Derivatives.Jacobian)]
    public static void Softmax(ReadOnlySpan<double> z, [Output] Span<double> p)
    {
        double[] e = new double[z.Length];
        double max = double.NegativeInfinity;
        for (int i = 0; i < z.Length; i++)
        {
            max = Math.Max(max, z[i]);
        }

        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            e[i] = Math.Exp(z[i] - max);
            sum += e[i];
        }

        for (int i = 0; i < z.Length; i++)
        {
            p[i] = e[i] / sum;
        }
    }

    /// <summary>
    /// Block-sparse residuals (bundle-adjustment shaped): residual pair k depends on camera k (3 values) and point k
    /// (2 values) only, plus a shared scale; a sparse Jacobian needs 3 + 2 + 1 colours whatever the count.
    /// </summary>
    [Differentiable(Generate = Derivatives.Jacobian)]
    public static void Blocks(ReadOnlySpan<double> cameras, ReadOnlySpan<double> points, double scale, [Output] Span<double> r)
    {
        int count = points.Length / 2;
        for (int k = 0; k < count; k++)
        {
            double a = cameras[3 * k];
            double b = cameras[(3 * k) + 1];
            double f = cameras[(3 * k) + 2];
            double x = points[2 * k];
            double y = points[(2 * k) + 1];
            r[2 * k] = scale * f * ((a * x) - (b * y) + Math.Sin(x));
            r[(2 * k) + 1] = scale * f * ((b * x) + (a * y)) / (1 + (y * y));
        }
    }

    /// <summary>Writes only part of its output: the rest keeps its contents (constants, derivative 0), with an early return.</summary>
    [Differentiable(Generate = Derivatives.Jacobian)]
    public static void Partial(double x, double y, [Output] Span<double> r)
    {
        r[0] = x * y;
        if (x > 2)
        {
            return;
        }

        r[1] = Math.Tanh(x - y);
    }

    /// <summary>
    /// Two moments of exp(x/2) through a scratch array (n inputs, 2 outputs): the Jacobian runs one forward sweep and
    /// a reverse sweep per row, clearing the scratch array's adjoint between rows.
    /// </summary>
    [Differentiable(Generate = Derivatives.Jacobian)]
    public static void Moments(ReadOnlySpan<double> x, [Output] Span<double> r)
    {
        double[] e = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            e[i] = Math.Exp(x[i] / 2);
        }

        double sum = 0;
        double weighted = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += e[i];
            weighted += e[i] * x[i];
        }

        r[0] = Math.Log(sum);
        r[1] = weighted / sum;
    }

    /// <summary>An accumulator overwritten in a loop (its values are taped): the rows cannot share a forward sweep.</summary>
    [Differentiable(Generate = Derivatives.Jacobian)]
    public static void Recurrence(ReadOnlySpan<double> x, [Output] Span<double> r)
    {
        double acc = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            acc = (acc * x[i]) + Math.Sin(acc);
        }

        r[0] = acc;
        r[1] = (acc * acc) + x[1];
    }

    /// <summary>
    /// A projection that reassigns its coordinates in a branch (the reverse sweep restores them from registers): the
    /// Jacobian's rows share one forward sweep, the coordinates set back to their final values before each row.
    /// </summary>
    [Differentiable(nameof(pose), nameof(point), Generate = Derivatives.Jacobian)]
    public static void Rotated(ReadOnlySpan<double> pose, ReadOnlySpan<double> point, double focal, [Output] Span<double> uv)
    {
        double angle = pose[0];
        double x = point[0] - pose[1];
        double y = point[1] - pose[2];
        double z = point[2] - pose[3];
        if (angle > 0)
        {
            double c = Math.Cos(angle);
            double s = Math.Sin(angle);
            double rotated = (c * x) - (s * y);
            y = (s * x) + (c * y);
            x = rotated;
        }

        uv[0] = focal * x / z;
        uv[1] = focal * y / z;
        uv[2] = x * y;
    }
}
