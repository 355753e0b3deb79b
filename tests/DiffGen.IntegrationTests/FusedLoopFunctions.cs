using System;
using DiffGen;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Loss shapes whose accumulation loop the generator runs as one fused forward-and-reverse sweep, and near misses
/// that must stay two sweeps (the suffix's adjoint reads the accumulator). Checked in FusedLoopTests.
/// </summary>
public static partial class Functions
{
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double ExtendedRosenbrock(ReadOnlySpan<double> x)
    {
        double sum = 0;
        int pairs = x.Length / 2;
        for (int i = 0; i < pairs; i++)
        {
            double t = x[2 * i + 1] - x[2 * i] * x[2 * i];
            double u = 1 - x[2 * i];
            sum += 100 * t * t + u * u;
        }

        return sum;
    }

    /// <summary>The same function stepping by two (not a counted loop): fused too.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double ExtendedRosenbrockStepped(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i + 1 < x.Length; i += 2)
        {
            double a = x[i];
            double t = x[i + 1] - a * a;
            double u = 1 - a;
            sum += 100 * t * t + u * u;
        }

        return sum;
    }

    /// <summary>A while loop whose temporaries read a variable the loop steps.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double WhileSteps(ReadOnlySpan<double> x, double scale)
    {
        double sum = 0;
        int k = x.Length - 1;
        while (k >= 0)
        {
            double weight = 1.0 / (k + 1);
            double v = scale * x[k] * weight;
            sum += Math.Sin(v) * v;
            k -= 2;
        }

        return sum * 0.5;
    }

    [Differentiable(nameof(w), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double MeanSquaredError(ReadOnlySpan<double> w, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double r = w[i] * x[i] - y[i];
            sum += r * r;
        }

        return sum / x.Length;
    }

    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double TwoAccumulators(ReadOnlySpan<double> x, double a, double b)
    {
        double s1 = a * a;
        double s2 = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s1 += a * x[i];
            s2 -= Math.Sin(x[i]) * b;
        }

        return 2 * s1 + s2 - a;
    }

    [Differentiable(nameof(w), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Hinge(ReadOnlySpan<double> w, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double m = y[i] * w[i] * x[i];
            sum += m < 1 ? 1 - m : 0;
        }

        return sum;
    }

    /// <summary>
    /// x[i] is read every iteration (so dx[i] needs no second bounds check); w[i] only when x[i] &gt; 0 (so dw[i] keeps its
    /// check, and a short w throws where this code throws).
    /// </summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double GatedSquares(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double g = x[i] > 0 ? w[i] * x[i] : 0.5 * x[i];
            sum += g * g;
        }

        return sum;
    }

    /// <summary>
    /// Several subtracted contributions per element (from b − a², 3 − b·k and − sin a), some through temporaries read
    /// twice: the sign-folding rewrite must only touch what it can negate exactly.
    /// </summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double SignFolds(ReadOnlySpan<double> x, double k)
    {
        double sum = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double a = x[i];
            double b = x[i + 1];
            double d = b - a * a;
            double e = 3.0 - b * k;
            sum += d * d + e * e - Math.Sin(a) + 0.5 * e;
        }

        return sum * 0.5;
    }

    /// <summary>A squared hinge written with if/else: fused, the branch decision kept in a local for the iteration.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double SquaredHingeIf(ReadOnlySpan<double> w, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double m = y[i] * w[i] * x[i];
            if (m < 1)
            {
                double slack = 1 - m;
                sum += slack * slack;
                if (slack > 1.5)
                {
                    sum += 0.25 * w[i];
                }
            }
            else
            {
                sum -= 0.1 * m;
            }
        }

        return sum / x.Length;
    }

    /// <summary>An else-if chain with a temporary declared in a branch and two accumulators: fused.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double BranchyAccumulation(ReadOnlySpan<double> x, double scale)
    {
        double sum = 0;
        double other = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i] * scale;
            if (v > 0.5)
            {
                sum += v * v;
            }
            else if (v < -0.5)
            {
                double q = Math.Exp(v);
                sum -= q * x[i];
                other += q;
            }
            else
            {
                other += Math.Sin(v) * scale;
            }
        }

        return sum + 2 * other;
    }

    /// <summary>The condition reads the accumulator, so its adjoint is not constant through the loop: two sweeps.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double CappedSum(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (sum < 2)
            {
                sum += x[i] * x[i];
            }
        }

        return sum;
    }

    /// <summary>Several contributions to the same element per iteration (merged into one update).</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double RepeatedElement(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = Math.Exp(x[i]);
            sum += x[i] * x[i] + 3 * x[i] - e * x[i];
        }

        return sum;
    }

    /// <summary>Not fused: the suffix's adjoint (1/(1+sum)) reads the accumulator.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double LogOfSum(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * x[i];
        }

        return Math.Log(1 + sum);
    }

    /// <summary>The first loop's result feeds the fused second loop, whose adjoint flows back into the first.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double ChainedLoops(ReadOnlySpan<double> x, double a)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Tanh(a * x[i]);
        }

        double t = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = x[i] - s;
            t += d * d;
        }

        return t / 2;
    }

    /// <summary>An accumulator read inside the loop makes its adjoint vary by iteration: not fused.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double RunningProductSum(ReadOnlySpan<double> x)
    {
        double sum = 1;
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i];
            total += sum * x[i];
        }

        return total;
    }

    /// <summary>A number without a derivative carried across iterations (an alternating sign, a geometric weight): the loop still fuses.</summary>
    [Differentiable(nameof(x))]
    public static double AlternatingWeighted(ReadOnlySpan<double> x, double ratio)
    {
        double s = 0;
        double sign = 1;
        double weight = 1;
        for (int i = 0; i < x.Length; i++)
        {
            s += sign * weight * Math.Exp(0.5 * x[i]);
            sign = -sign;
            weight *= ratio;
        }

        return s;
    }

    /// <summary>
    /// A branch that reads s, then s += f(x): the branch's share of ds belongs to s before the accumulation, so f's
    /// adjoint must not see it (the branch cannot run its reverse early).
    /// </summary>
    [Differentiable]
    public static double BranchThenAccumulate(double x, double y)
    {
        double s = x * y;
        double t = 0;
        if (y > -10)
        {
            t += Math.Sin(s);
        }

        s += Math.Exp(0.5 * x);
        s += y * y;
        return s + 0.5 * t;
    }
}
