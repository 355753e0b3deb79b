using System;
using DiffGen.GradBench.Evals;

namespace DiffGen.GradBench.HandWritten;

/// <summary>
/// The careful person's particle and saddle: the same solver and the same programs, with every derivative worked out
/// by hand (a hand-written derivative has no mode, so this one version stands for all four of ff, fr, rf, rr).
/// </summary>
public static class NestedHandWritten
{
    /// <summary>
    /// x₀(t_f)² for control w, and its derivative with respect to w by tangents carried through the Euler steps: the
    /// force F = Σ (x − c)/r³ has dF = Σ (I/r³ − 3uuᵀ/r⁵)(dx − dc) with u = x − c, and only c = (10, 10 − w) moves with w.
    /// </summary>
    public static double ParticleObjective(double w, out double dw)
    {
        double x0 = 0, x1 = 8, v0 = 0.75, v1 = 0;
        double dx0 = 0, dx1 = 0, dv0 = 0, dv1 = 0;
        const double dt = 0.1;
        while (true)
        {
            double f0 = 0, f1 = 0, df0 = 0, df1 = 0;
            Charge(x0, x1, dx0, dx1, 10, 10 - w, 0, -1, ref f0, ref f1, ref df0, ref df1);
            Charge(x0, x1, dx0, dx1, 10, 0, 0, 0, ref f0, ref f1, ref df0, ref df1);

            // ẍ = −∇p = F; x moves first, and the crossing is interpolated along the velocity.
            x0 += dt * v0;
            x1 += dt * v1;
            dx0 += dt * dv0;
            dx1 += dt * dv1;
            if (x1 <= 0)
            {
                double tf = -x1 / v1;
                double dtf = -dx1 / v1 + x1 * dv1 / (v1 * v1);
                double crossing = x0 + tf * v0;
                double dcrossing = dx0 + dtf * v0 + tf * dv0;
                dw = 2 * crossing * dcrossing;
                return crossing * crossing;
            }

            v0 += dt * f0;
            v1 += dt * f1;
            dv0 += dt * df0;
            dv1 += dt * df1;
        }
    }

    /// <summary>One charge at c (moving by dc per unit dw): its force (x − c)/r³ and the force's tangent.</summary>
    private static void Charge(
        double x0, double x1, double dx0, double dx1, double c0, double c1, double dc0, double dc1,
        ref double f0, ref double f1, ref double df0, ref double df1)
    {
        double u0 = x0 - c0, u1 = x1 - c1;
        double du0 = dx0 - dc0, du1 = dx1 - dc1;
        double r2 = u0 * u0 + u1 * u1;
        double r = Math.Sqrt(r2);
        double inverse3 = 1 / (r2 * r);
        double projection = 3 * (u0 * du0 + u1 * du1) / r2;
        f0 += u0 * inverse3;
        f1 += u1 * inverse3;
        df0 += (du0 - projection * u0) * inverse3;
        df1 += (du1 - projection * u1) * inverse3;
    }

    /// <summary>The particle eval: the w that minimises <see cref="ParticleObjective"/>, from <paramref name="w0"/>.</summary>
    public static double Particle(double w0)
    {
        Span<double> w = [w0];
        GradientDescent.ArgMin(new ParticleOuter(), w);
        return w[0];
    }

    /// <summary>The saddle eval: the outer argmin r1 and the inner argmax for it, from <paramref name="start"/>.</summary>
    public static void Saddle(ReadOnlySpan<double> start, Span<double> result)
    {
        Span<double> x = result[..2];
        Span<double> y = result.Slice(2, 2);
        start.CopyTo(x);
        GradientDescent.ArgMin(new SaddleOuter(start[0], start[1]), x);
        start.CopyTo(y);
        GradientDescent.ArgMax(new SaddleInner(x[0], x[1]), y);
    }

    /// <summary>
    /// max over p2 of f(p1, p2) by gradient descent from the start, and its gradient with respect to p1: the inner steps
    /// follow −∇_{p2} f = 2·p2 (x2, y2 components), which does not involve p1, so the iterates do not move with p1 and the
    /// gradient is ∂f/∂p1 = 2·p1 at the maximum found.
    /// </summary>
    public static double SaddleMax(double p10, double p11, double start0, double start1, Span<double> gradient)
    {
        Span<double> y = [start0, start1];
        GradientDescent.ArgMax(new SaddleInner(p10, p11), y);
        gradient[0] = 2 * p10;
        gradient[1] = 2 * p11;
        return Evals.Saddle.Objective(p10, p11, y[0], y[1]);
    }

    private readonly struct ParticleOuter : IObjective
    {
        public double Value(ReadOnlySpan<double> x) => ParticleObjective(x[0], out _);

        public void Gradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            ParticleObjective(x[0], out double dw);
            gradient[0] = dw;
        }
    }

    private readonly struct SaddleInner(double p10, double p11) : IObjective
    {
        public double Value(ReadOnlySpan<double> p2) => Evals.Saddle.Objective(p10, p11, p2[0], p2[1]);

        public void Gradient(ReadOnlySpan<double> p2, Span<double> gradient)
        {
            gradient[0] = -2 * p2[0];
            gradient[1] = -2 * p2[1];
        }
    }

    private readonly struct SaddleOuter(double start0, double start1) : IObjective
    {
        public double Value(ReadOnlySpan<double> p1)
        {
            Span<double> unused = stackalloc double[2];
            return SaddleMax(p1[0], p1[1], start0, start1, unused);
        }

        public void Gradient(ReadOnlySpan<double> p1, Span<double> gradient) => SaddleMax(p1[0], p1[1], start0, start1, gradient);
    }
}
