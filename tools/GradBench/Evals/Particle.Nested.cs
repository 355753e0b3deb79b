using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// particle from generated derivatives. The inner derivative, the force −∇ₓp, is the generated reverse gradient of
/// <see cref="Potential"/>. The outer derivative d/dw of x₀(t_f)² carries tangents through the Euler steps (forward
/// mode, by hand: the generator cannot differentiate a generated gradient yet, issue #14 item 4); the force's tangent
/// is the generated gradient of <see cref="PotentialDirectional"/>, whose body (∇p·v) is written by hand where forward
/// mode would generate it. One computation stands for ff, fr, rf and rr until nested modes exist.
/// </summary>
public static partial class Particle
{
    /// <summary>
    /// ∇_{x,w}p · (dx0, dx1, dw), written out from ∂(1/‖u‖)/∂u = −u/‖u‖³ (a = x − (10, 10 − w) moves with w by (0, 1)).
    /// Its gradient with respect to x is ∇ₓp's tangent along (dx, dw): H_xx·dx + H_xw·dw.
    /// </summary>
    [Differentiable(nameof(x0), nameof(x1))]
    public static double PotentialDirectional(double x0, double x1, double w, double dx0, double dx1, double dw)
    {
        double a0 = x0 - 10;
        double a1 = x1 - (10 - w);
        double b0 = x0 - 10;
        double b1 = x1;
        double ra = Math.Sqrt(a0 * a0 + a1 * a1);
        double rb = Math.Sqrt(b0 * b0 + b1 * b1);
        return -(a0 * dx0 + a1 * (dx1 + dw)) / (ra * ra * ra) - (b0 * dx0 + b1 * dx1) / (rb * rb * rb);
    }

    /// <summary>
    /// x₀(t_f)² for control w and its derivative <paramref name="dw"/>: Euler steps of 0.1 under F = −∇ₓp from (0, 8)
    /// with velocity (0.75, 0), the position moving first; at the first step with x₁ ≤ 0 the crossing is interpolated
    /// along the velocity, t_f = −x₁/ẋ₁.
    /// </summary>
    public static double Objective(double w, out double dw)
    {
        double x0 = 0, x1 = 8, v0 = 0.75, v1 = 0;
        double dx0 = 0, dx1 = 0, dv0 = 0, dv1 = 0;
        const double dt = 0.1;
        while (true)
        {
            double g0 = 0, g1 = 0, h0 = 0, h1 = 0;
            PotentialGradient(x0, x1, w, ref g0, ref g1);
            PotentialDirectionalGradient(x0, x1, w, dx0, dx1, 1, ref h0, ref h1);
            x0 += dt * v0;
            x1 += dt * v1;
            dx0 += dt * dv0;
            dx1 += dt * dv1;
            if (x1 <= 0)
            {
                double tf = -x1 / v1;
                double dtf = -dx1 / v1 + x1 * dv1 / (v1 * v1);
                double crossing = x0 + tf * v0;
                dw = 2 * crossing * (dx0 + dtf * v0 + tf * dv0);
                return crossing * crossing;
            }

            v0 -= dt * g0;
            v1 -= dt * g1;
            dv0 -= dt * h0;
            dv1 -= dt * h1;
        }
    }

    /// <summary>The eval's result: the w that minimises x₀(t_f)², by <see cref="GradientDescent"/> from <paramref name="w0"/>.</summary>
    public static double Control(double w0)
    {
        Span<double> w = [w0];
        GradientDescent.ArgMin(new Outer(), w);
        return w[0];
    }

    private readonly struct Outer : IObjective
    {
        public double Value(ReadOnlySpan<double> w) => Objective(w[0], out _);

        public void Gradient(ReadOnlySpan<double> w, Span<double> gradient)
        {
            Objective(w[0], out double dw);
            gradient[0] = dw;
        }
    }
}
