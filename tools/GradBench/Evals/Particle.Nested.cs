using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// particle from nested generated derivatives: the force −∇ₓp is a generated derivative of <see cref="Potential"/>
/// called inside a [Differentiable] method (the gradient, or two pushforwards along the unit vectors), and the outer
/// derivative d/dw of x₀(t_f)² is that method's generated pushforward or gradient: ff, fr, rf and rr are four
/// different generated computations of the same number.
/// </summary>
public static partial class Particle
{
    /// <summary>x₀(t_f)² for control w, the force from the generated gradient of <see cref="Potential"/> (inner reverse).</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double ObjectiveOfGradient(double w)
    {
        double x0 = 0, x1 = 8, v0 = 0.75, v1 = 0;
        while (true)
        {
            double g0 = 0, g1 = 0;
            PotentialGradient(x0, x1, w, ref g0, ref g1);
            x0 += 0.1 * v0;
            x1 += 0.1 * v1;
            if (x1 <= 0)
            {
                double crossing = x0 + (-x1 / v1 * v0);
                return crossing * crossing;
            }

            v0 -= 0.1 * g0;
            v1 -= 0.1 * g1;
        }
    }

    /// <summary>x₀(t_f)² for control w, the force from two generated pushforwards of <see cref="Potential"/> (inner forward).</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double ObjectiveOfPushforward(double w)
    {
        double x0 = 0, x1 = 8, v0 = 0.75, v1 = 0;
        while (true)
        {
            double g0, g1;
            PotentialPushforward(x0, x1, w, 1, 0, out g0);
            PotentialPushforward(x0, x1, w, 0, 1, out g1);
            x0 += 0.1 * v0;
            x1 += 0.1 * v1;
            if (x1 <= 0)
            {
                double crossing = x0 + (-x1 / v1 * v0);
                return crossing * crossing;
            }

            v0 -= 0.1 * g0;
            v1 -= 0.1 * g1;
        }
    }

    /// <summary>
    /// x₀(t_f)² and its derivative <paramref name="dw"/>: Euler steps of 0.1 under F = −∇ₓp from (0, 8) with velocity
    /// (0.75, 0), the position moving first; at the first step with x₁ ≤ 0 the crossing is interpolated along the
    /// velocity, t_f = −x₁/ẋ₁. The outer derivative in the mode <paramref name="nesting"/> names first.
    /// </summary>
    public static double Objective(Nesting nesting, double w, out double dw)
    {
        dw = 0;
        return nesting switch
        {
            Nesting.ForwardOverForward => ObjectiveOfPushforwardPushforward(w, 1, out dw),
            Nesting.ForwardOverReverse => ObjectiveOfGradientPushforward(w, 1, out dw),
            Nesting.ReverseOverForward => ObjectiveOfPushforwardGradient(w, ref dw),
            _ => ObjectiveOfGradientGradient(w, ref dw),
        };
    }

    /// <summary>The eval's result: the w that minimises x₀(t_f)², by <see cref="GradientDescent"/> from <paramref name="w0"/>.</summary>
    public static double Control(Nesting nesting, double w0)
    {
        Span<double> w = [w0];
        GradientDescent.ArgMin(new Outer(nesting), w);
        return w[0];
    }

    private readonly struct Outer(Nesting nesting) : IObjective
    {
        public double Value(ReadOnlySpan<double> w) =>
            nesting is Nesting.ForwardOverForward or Nesting.ReverseOverForward ? ObjectiveOfPushforward(w[0]) : ObjectiveOfGradient(w[0]);

        public void Gradient(ReadOnlySpan<double> w, Span<double> gradient)
        {
            Objective(nesting, w[0], out double dw);
            gradient[0] = dw;
        }
    }
}
