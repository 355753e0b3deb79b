using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// saddle from nested generated derivatives: the inner gradient ascent runs inside a [Differentiable] method
/// (<see cref="MaxOfGradient"/> with the generated gradient of <see cref="Objective"/>, <see cref="MaxOfPushforward"/>
/// with two of its generated pushforwards), and the outer descent uses that method's generated pushforward or gradient
/// with respect to x: ff, fr, rf and rr are four different generated computations. The derivative through the ascent
/// is its true one: the iterates follow ∇_y f = −2y and the accept test compares ‖y‖², neither of which moves with x,
/// so the nested terms (H_yx) are zero and the result is ∂f/∂x at the maximum found.
/// </summary>
public static partial class Saddle
{
    /// <summary>max_y f(x, y) by the eval's gradient ascent from the start, the y gradient from <c>ObjectiveGradient</c> (inner reverse).</summary>
    [Differentiable(nameof(x1), nameof(x2), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double MaxOfGradient(double x1, double x2, double start1, double start2)
    {
        // GradientDescent.ArgMax written out (the argmin of −f), so that the outer derivative sees the whole ascent.
        double y1 = start1, y2 = start2;
        double fy = -Objective(x1, x2, y1, y2);
        double dx1 = 0, dx2 = 0, g1 = 0, g2 = 0;
        ObjectiveGradient(x1, x2, y1, y2, ref dx1, ref dx2, ref g1, ref g2);
        int accepted = 0;
        double eta = 1e-5;
        while (Math.Sqrt((g1 * g1) + (g2 * g2)) > 1e-5)
        {
            if (accepted == 10)
            {
                eta *= 2;
                accepted = 0;
                continue;
            }

            double c1 = y1 + (eta * g1), c2 = y2 + (eta * g2);
            if (Math.Sqrt(((y1 - c1) * (y1 - c1)) + ((y2 - c2) * (y2 - c2))) <= 1e-5)
            {
                break;
            }

            double fc = -Objective(x1, x2, c1, c2);
            if (fc < fy)
            {
                y1 = c1;
                y2 = c2;
                fy = fc;
                g1 = 0;
                g2 = 0;
                ObjectiveGradient(x1, x2, y1, y2, ref dx1, ref dx2, ref g1, ref g2);
                accepted++;
            }
            else
            {
                eta /= 2;
                accepted = 0;
            }
        }

        return Objective(x1, x2, y1, y2);
    }

    /// <summary>The same ascent with the y gradient from two generated pushforwards of <see cref="Objective"/> (inner forward).</summary>
    [Differentiable(nameof(x1), nameof(x2), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double MaxOfPushforward(double x1, double x2, double start1, double start2)
    {
        double y1 = start1, y2 = start2;
        double fy = -Objective(x1, x2, y1, y2);
        double g1, g2;
        ObjectivePushforward(x1, x2, y1, y2, 0, 0, 1, 0, out g1);
        ObjectivePushforward(x1, x2, y1, y2, 0, 0, 0, 1, out g2);
        int accepted = 0;
        double eta = 1e-5;
        while (Math.Sqrt((g1 * g1) + (g2 * g2)) > 1e-5)
        {
            if (accepted == 10)
            {
                eta *= 2;
                accepted = 0;
                continue;
            }

            double c1 = y1 + (eta * g1), c2 = y2 + (eta * g2);
            if (Math.Sqrt(((y1 - c1) * (y1 - c1)) + ((y2 - c2) * (y2 - c2))) <= 1e-5)
            {
                break;
            }

            double fc = -Objective(x1, x2, c1, c2);
            if (fc < fy)
            {
                y1 = c1;
                y2 = c2;
                fy = fc;
                ObjectivePushforward(x1, x2, y1, y2, 0, 0, 1, 0, out g1);
                ObjectivePushforward(x1, x2, y1, y2, 0, 0, 0, 1, out g2);
                accepted++;
            }
            else
            {
                eta /= 2;
                accepted = 0;
            }
        }

        return Objective(x1, x2, y1, y2);
    }

    /// <summary>The argmin x and then the argmax y for it, both from <paramref name="start"/>, into <paramref name="result"/> (x then y).</summary>
    public static void Solve(Nesting nesting, ReadOnlySpan<double> start, Span<double> result)
    {
        Span<double> x = result[..2];
        Span<double> y = result.Slice(2, 2);
        start.CopyTo(x);
        GradientDescent.ArgMin(new Outer(nesting, start[0], start[1]), x);
        start.CopyTo(y);
        GradientDescent.ArgMax(new Inner(x[0], x[1]), y);
    }

    /// <summary>max_y f(x, y) from the start, and its gradient with respect to x (the outer derivative in the mode <paramref name="nesting"/> names first).</summary>
    public static double Max(Nesting nesting, double x1, double x2, double start1, double start2, Span<double> gradient)
    {
        double d1 = 0, d2 = 0, value;
        switch (nesting)
        {
            case Nesting.ForwardOverForward:
                value = MaxOfPushforwardPushforward(x1, x2, start1, start2, 1, 0, out d1);
                MaxOfPushforwardPushforward(x1, x2, start1, start2, 0, 1, out d2);
                break;
            case Nesting.ForwardOverReverse:
                value = MaxOfGradientPushforward(x1, x2, start1, start2, 1, 0, out d1);
                MaxOfGradientPushforward(x1, x2, start1, start2, 0, 1, out d2);
                break;
            case Nesting.ReverseOverForward:
                value = MaxOfPushforwardGradient(x1, x2, start1, start2, ref d1, ref d2);
                break;
            default:
                value = MaxOfGradientGradient(x1, x2, start1, start2, ref d1, ref d2);
                break;
        }

        gradient[0] = d1;
        gradient[1] = d2;
        return value;
    }

    /// <summary>The inner ascent's objective for the final argmax: the y part of the generated gradient.</summary>
    private readonly struct Inner(double x1, double x2) : IObjective
    {
        public double Value(ReadOnlySpan<double> y) => Objective(x1, x2, y[0], y[1]);

        public void Gradient(ReadOnlySpan<double> y, Span<double> gradient)
        {
            double dx1 = 0, dx2 = 0, dy1 = 0, dy2 = 0;
            ObjectiveGradient(x1, x2, y[0], y[1], ref dx1, ref dx2, ref dy1, ref dy2);
            gradient[0] = dy1;
            gradient[1] = dy2;
        }
    }

    private readonly struct Outer(Nesting nesting, double start1, double start2) : IObjective
    {
        public double Value(ReadOnlySpan<double> x) => nesting is Nesting.ForwardOverForward or Nesting.ReverseOverForward
            ? MaxOfPushforward(x[0], x[1], start1, start2)
            : MaxOfGradient(x[0], x[1], start1, start2);

        public void Gradient(ReadOnlySpan<double> x, Span<double> gradient) => Max(nesting, x[0], x[1], start1, start2, gradient);
    }
}
