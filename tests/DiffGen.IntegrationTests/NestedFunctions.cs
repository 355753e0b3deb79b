using System;
using DiffGen;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Nested differentiation (docs/forward-and-second-order.md §5): methods that call a generated gradient, pullback or
/// pushforward of <see cref="Bowl"/>, each differentiated in both modes (ff, fr, rf, rr).
/// </summary>
public static partial class NestedFunctions
{
    /// <summary>The inner function: differentiated with respect to x and y; a is an input the outer derivative varies too.</summary>
    [Differentiable(nameof(x), nameof(y), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Nested)]
    public static double Bowl(double x, double y, double a) => (a * Math.Sin(x) * y * y) + Math.Exp(0.3 * x * y) + (a * a * x);

    /// <summary>Outer over the inner gradient (rr in reverse mode, fr in forward mode); the inner value is used too.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double OfGradient(double p, double q)
    {
        double gx = 0, gy = 0.5;
        double value = BowlGradient(p * q, q, p + 1, ref gx, ref gy);
        return (gx * gx) + (Math.Sin(gy) * p) + (value * q);
    }

    /// <summary>Outer over the inner pushforward (rf in reverse mode, ff in forward mode): tangents that depend on the inputs.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double OfPushforward(double p, double q)
    {
        double tangent;
        double value = BowlPushforward(p, q * p, 2 * q, q, Math.Cos(p), out tangent);
        return (tangent * tangent) + (value * p);
    }

    /// <summary>Outer over the inner pullback with a seed that depends on the inputs; its value unused.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double OfPullback(double p, double q)
    {
        double dx = 0, dy = 0;
        BowlPullback(q, p, p * p, q - p, ref dx, ref dy);
        return (dx * q) + (dy * dy);
    }

    /// <summary>
    /// A force computed as a gradient inside a loop with a data-dependent exit (particle's shape): Euler steps under
    /// −∇Bowl until the first coordinate passes 2, the inner gradient evaluated at every step (taped in reverse mode).
    /// </summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double Trajectory(double w, double v0)
    {
        double x = 0, y = 0.5, vx = v0, vy = 0;
        int steps = 0;
        while (x < 2 && steps < 100)
        {
            double fx = 0, fy = 0;
            BowlGradient(x, y, w, ref fx, ref fy);
            x += 0.1 * vx;
            y += 0.1 * vy;
            vx -= 0.01 * fx;
            vy -= 0.01 * fy;
            steps++;
        }

        return (x * y) + (vx * vx);
    }

    /// <summary>A named attribute (its gradient is exactly <c>PowerInX</c>), an int parameter and a loop in the inner body.</summary>
    [Differentiable(nameof(x), Name = "PowerInX", Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Nested)]
    public static double Power(double x, double c, int n)
    {
        double r = c;
        for (int i = 0; i < n; i++)
        {
            r *= x;
        }

        return r;
    }

    /// <summary>Both of the named attribute's derivatives nested, the int argument a computed one.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double OfNamed(double p, double q)
    {
        double d = 0;
        int n = 2 + 1;
        double value = PowerInX(q, p, n, ref d);
        double t;
        PowerInXPushforward(p, q, n - 1, d, out t);
        return (value * d) + t;
    }
}
