using System;

namespace DiffGen.GradBench.Evals;

/// <summary>
/// gradbench's <c>ode</c> (cmpad's <c>an_ode</c>): y₀' = x₀, yᵢ' = xᵢ·yᵢ₋₁ (i &gt; 0), y(0) = 0, integrated to t = 2 by
/// classical Runge–Kutta (RK4) with s equal steps. <c>primal</c> is y(2); <c>gradient</c> the gradient of its last
/// element with respect to x.
/// </summary>
public static partial class Ode
{
    /// <summary>
    /// Integrates the ODE into <paramref name="y"/> (length n, overwritten; the solution on return) and returns its last
    /// element. <paramref name="k1"/>…<paramref name="k4"/> and <paramref name="stage"/> are the caller's scratch
    /// (length n each), so a call allocates nothing.
    /// </summary>
    [Differentiable(nameof(x))]
    public static double Last(
        ReadOnlySpan<double> x, int s, Span<double> y, Span<double> k1, Span<double> k2, Span<double> k3, Span<double> k4, Span<double> stage)
    {
        int n = x.Length;
        double h = 2.0 / s;
        for (int i = 0; i < n; i++)
        {
            y[i] = 0;
        }

        for (int step = 0; step < s; step++)
        {
            k1[0] = x[0];
            for (int i = 1; i < n; i++)
            {
                k1[i] = x[i] * y[i - 1];
            }

            for (int i = 0; i < n; i++)
            {
                stage[i] = y[i] + h * k1[i] / 2;
            }

            k2[0] = x[0];
            for (int i = 1; i < n; i++)
            {
                k2[i] = x[i] * stage[i - 1];
            }

            for (int i = 0; i < n; i++)
            {
                stage[i] = y[i] + h * k2[i] / 2;
            }

            k3[0] = x[0];
            for (int i = 1; i < n; i++)
            {
                k3[i] = x[i] * stage[i - 1];
            }

            for (int i = 0; i < n; i++)
            {
                stage[i] = y[i] + h * k3[i];
            }

            k4[0] = x[0];
            for (int i = 1; i < n; i++)
            {
                k4[i] = x[i] * stage[i - 1];
            }

            for (int i = 0; i < n; i++)
            {
                y[i] += h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6;
            }
        }

        return y[n - 1];
    }
}
