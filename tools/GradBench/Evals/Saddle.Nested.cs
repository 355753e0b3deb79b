using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// saddle from generated derivatives: both gradient descents use <c>ObjectiveGradient</c>, the inner one its y part,
/// the outer one its x part at the inner maximum. That x part is the whole derivative of x ↦ f(x, argmax_y f(x, y)) as
/// the inner descent computes it, because the inner iterates do not move with x: ∇_y f = −2y and the accept test
/// f(x, y′) &lt; f(x, y) ⇔ ‖y‖² &lt; ‖y′‖² do not involve x. One computation stands for ff, fr, rf and rr until the
/// generator can differentiate a generated gradient (issue #14 item 4).
/// </summary>
public static partial class Saddle
{
    /// <summary>The argmin x and then the argmax y for it, both from <paramref name="start"/>, into <paramref name="result"/> (x then y).</summary>
    public static void Solve(ReadOnlySpan<double> start, Span<double> result)
    {
        Span<double> x = result[..2];
        Span<double> y = result.Slice(2, 2);
        start.CopyTo(x);
        GradientDescent.ArgMin(new Outer(start[0], start[1]), x);
        start.CopyTo(y);
        GradientDescent.ArgMax(new Inner(x[0], x[1]), y);
    }

    /// <summary>max_y f(x, y) by gradient ascent from the start, and its gradient with respect to x into <paramref name="gradient"/>.</summary>
    public static double Max(double x1, double x2, double start1, double start2, Span<double> gradient)
    {
        Span<double> y = [start1, start2];
        GradientDescent.ArgMax(new Inner(x1, x2), y);
        double dx1 = 0, dx2 = 0, dy1 = 0, dy2 = 0;
        double value = ObjectiveGradient(x1, x2, y[0], y[1], ref dx1, ref dx2, ref dy1, ref dy2);
        gradient[0] = dx1;
        gradient[1] = dx2;
        return value;
    }

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

    private readonly struct Outer(double start1, double start2) : IObjective
    {
        public double Value(ReadOnlySpan<double> x)
        {
            Span<double> unused = stackalloc double[2];
            return Max(x[0], x[1], start1, start2, unused);
        }

        public void Gradient(ReadOnlySpan<double> x, Span<double> gradient) => Max(x[0], x[1], start1, start2, gradient);
    }
}
