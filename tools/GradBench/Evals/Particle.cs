using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>particle</c> (Pearlmutter and Siskind): a unit charge starting at (0, 8) with velocity (0.75, 0) moves
/// under the force −∇ₓp(x; w) of the potential p(x; w) = 1/‖x − (10, 10 − w)‖ + 1/‖x − (10, 0)‖, integrated by Euler
/// steps of 0.1 until it crosses the x axis; the crossing point x₀(t_f) comes from linear interpolation, and w is chosen
/// by gradient descent to minimise x₀(t_f)².
/// </summary>
public static partial class Particle
{
    /// <summary>The potential p(x; w) at (x0, x1); nesting helpers, because the objective differentiates through its derivatives.</summary>
    [Differentiable(nameof(x0), nameof(x1), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Nested)]
    public static double Potential(double x0, double x1, double w)
    {
        double a0 = x0 - 10;
        double a1 = x1 - (10 - w);
        double b0 = x0 - 10;
        double b1 = x1;
        return 1 / Math.Sqrt(a0 * a0 + a1 * a1) + 1 / Math.Sqrt(b0 * b0 + b1 * b1);
    }
}
