using System;
using System.Buffers;

namespace DiffGen.GradBench.HandWritten;

/// <summary>
/// The careful person's gradients of the scalar evals (hello, llsq, lse, ode, det), written without DiffGen: the
/// baselines the generated ones are benchmarked against and the oracles they are tested against. Like the generated
/// methods they return the value and ADD the gradient into the given buffer.
/// </summary>
public static class SimpleHandWritten
{
    /// <summary>d(x²)/dx = 2x.</summary>
    public static double SquareGradient(double x, ref double dx)
    {
        dx += 2 * x;
        return x * x;
    }

    /// <summary>llsq: y = ½Σᵢ rᵢ², rᵢ = sᵢ − Σⱼ xⱼtᵢʲ, so ∂y/∂xⱼ = −Σᵢ rᵢ tᵢʲ; one pass per point for rᵢ, one for its share.</summary>
    public static double LlsqGradient(ReadOnlySpan<double> x, int n, Span<double> dx)
    {
        if (dx.Length != x.Length)
        {
            throw new ArgumentException("dx must have the length of x.", nameof(dx));
        }

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double t = -1 + i * 2.0 / (n - 1);
            double residual = t > 0 ? 1.0 : t < 0 ? -1.0 : 0.0;
            double power = 1;
            for (int j = 0; j < x.Length; j++)
            {
                residual -= x[j] * power;
                power *= t;
            }

            sum += residual * residual;
            power = 1;
            for (int j = 0; j < x.Length; j++)
            {
                dx[j] -= residual * power;
                power *= t;
            }
        }

        return sum / 2;
    }

    /// <summary>LogSumExp and its gradient, the softmax exp(xᵢ − a)/Σ (the maximum's own terms cancel).</summary>
    public static double LseGradient(ReadOnlySpan<double> x, Span<double> dx)
    {
        if (dx.Length != x.Length)
        {
            throw new ArgumentException("dx must have the length of x.", nameof(dx));
        }

        double a = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            a = Math.Max(a, x[i]);
        }

        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - a);
        }

        double inverse = 1 / sum;
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] += Math.Exp(x[i] - a) * inverse;
        }

        return Math.Log(sum) + a;
    }

    /// <summary>
    /// The ODE's RK4 solution (<see cref="Evals.Ode.Last"/>'s arithmetic) into <paramref name="y"/>; returns its last
    /// element and adds that element's gradient with respect to x. The state at the start of every step is kept (s × n,
    /// pooled); the reverse sweep recomputes a step's stages from it and runs them backwards.
    /// </summary>
    public static double OdeGradient(ReadOnlySpan<double> x, int s, Span<double> y, Span<double> dx)
    {
        int n = x.Length;
        if (dx.Length != n || y.Length != n)
        {
            throw new ArgumentException("y and dx must have the length of x.");
        }

        double h = 2.0 / s;
        double[] states = ArrayPool<double>.Shared.Rent(s * n);
        double[] scratch = ArrayPool<double>.Shared.Rent(8 * n);
        Span<double> k1 = scratch.AsSpan(0, n), k2 = scratch.AsSpan(n, n), k3 = scratch.AsSpan(2 * n, n), k4 = scratch.AsSpan(3 * n, n);
        Span<double> s1 = scratch.AsSpan(4 * n, n), s2 = scratch.AsSpan(5 * n, n), s3 = scratch.AsSpan(6 * n, n), bar = scratch.AsSpan(7 * n, n);
        try
        {
            y.Clear();
            for (int step = 0; step < s; step++)
            {
                y.CopyTo(states.AsSpan(step * n, n));
                Stages(x, y, h, k1, k2, k3, k4, s1, s2, s3);
                for (int i = 0; i < n; i++)
                {
                    y[i] += h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6;
                }
            }

            // ȳ = e_{n−1}; each step backwards: y' = y + h/6·(k1 + 2k2 + 2k3 + k4), kⱼ[i] = xᵢ·stageⱼ[i − 1] (x₀ for i = 0).
            bar.Clear();
            bar[n - 1] = 1;
            for (int step = s - 1; step >= 0; step--)
            {
                ReadOnlySpan<double> start = states.AsSpan(step * n, n);
                Stages(x, start, h, k1, k2, k3, k4, s1, s2, s3);

                // k̄4 = h/6·ȳ flows into s3 (stage of k4); k̄3 = h/3·ȳ + h·s̄3 into s2; k̄2 = h/3·ȳ + h/2·s̄2 into s1;
                // k̄1 = h/6·ȳ + h/2·s̄1 into the start. Every stage also passes its adjoint straight to the start.
                double carry3 = 0, carry2 = 0, carry1 = 0, carry0 = 0;
                for (int i = n - 1; i >= 0; i--)
                {
                    double yb = bar[i];
                    double s3b = carry3;
                    double kb4 = h / 6 * yb;
                    double kb3 = h / 3 * yb + h * s3b;
                    double s2b = carry2;
                    double kb2 = h / 3 * yb + h / 2 * s2b;
                    double s1b = carry1;
                    double kb1 = h / 6 * yb + h / 2 * s1b;
                    double startBar = yb + s3b + s2b + s1b + carry0;
                    if (i > 0)
                    {
                        dx[i] += kb4 * s3[i - 1] + kb3 * s2[i - 1] + kb2 * s1[i - 1] + kb1 * start[i - 1];
                        carry3 = kb4 * x[i];
                        carry2 = kb3 * x[i];
                        carry1 = kb2 * x[i];
                        carry0 = kb1 * x[i];
                    }
                    else
                    {
                        dx[0] += kb4 + kb3 + kb2 + kb1;
                    }

                    bar[i] = startBar;
                }
            }

            return y[n - 1];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(states);
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    private static void Stages(
        ReadOnlySpan<double> x, ReadOnlySpan<double> y, double h,
        Span<double> k1, Span<double> k2, Span<double> k3, Span<double> k4, Span<double> s1, Span<double> s2, Span<double> s3)
    {
        int n = x.Length;
        k1[0] = x[0];
        for (int i = 1; i < n; i++)
        {
            k1[i] = x[i] * y[i - 1];
        }

        for (int i = 0; i < n; i++)
        {
            s1[i] = y[i] + h * k1[i] / 2;
        }

        k2[0] = x[0];
        for (int i = 1; i < n; i++)
        {
            k2[i] = x[i] * s1[i - 1];
        }

        for (int i = 0; i < n; i++)
        {
            s2[i] = y[i] + h * k2[i] / 2;
        }

        k3[0] = x[0];
        for (int i = 1; i < n; i++)
        {
            k3[i] = x[i] * s2[i - 1];
        }

        for (int i = 0; i < n; i++)
        {
            s3[i] = y[i] + h * k3[i];
        }

        k4[0] = x[0];
        for (int i = 1; i < n; i++)
        {
            k4[i] = x[i] * s3[i - 1];
        }
    }

    /// <summary>
    /// det A by recursive expansion by minors along each minor's first row, adding its gradient: for the term
    /// ±a(r, c)·det S, ∂/∂a(r, c) = ±det S and S's elements get ±a(r, c) as their seed, so one recursion gives both.
    /// </summary>
    public static double DetGradient(ReadOnlySpan<double> a, int ell, Span<double> da)
    {
        if (a.Length != ell * ell || da.Length != a.Length)
        {
            throw new ArgumentException("A must be ℓ × ℓ and dA like it.");
        }

        return Minor(a, ell, 0, 0, 1.0, da);
    }

    /// <summary>The determinant of rows row…ℓ−1 and the columns not in <paramref name="used"/>; adds seed·∂det into da.</summary>
    private static double Minor(ReadOnlySpan<double> a, int ell, int row, int used, double seed, Span<double> da)
    {
        if (row == ell - 1)
        {
            int last = 0;
            while ((used & (1 << last)) != 0)
            {
                last++;
            }

            da[row * ell + last] += seed;
            return a[row * ell + last];
        }

        double det = 0;
        double sign = 1;
        for (int c = 0; c < ell; c++)
        {
            if ((used & (1 << c)) != 0)
            {
                continue;
            }

            double element = a[row * ell + c];
            double sub = Minor(a, ell, row + 1, used | (1 << c), seed * sign * element, da);
            da[row * ell + c] += seed * sign * sub;
            det += sign * (element * sub);
            sign = -sign;
        }

        return det;
    }
}
