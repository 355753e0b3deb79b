using System;

namespace DiffGen.GradBench.Evals;

/// <summary>A function of a few variables with its gradient, for <see cref="GradientDescent"/>.</summary>
public interface IObjective
{
    /// <summary>f(x).</summary>
    double Value(ReadOnlySpan<double> x);

    /// <summary>∇f(x) into <paramref name="gradient"/> (overwritten).</summary>
    void Gradient(ReadOnlySpan<double> x, Span<double> gradient);
}

/// <summary>
/// The gradient-descent solver particle and saddle prescribe: step size η starting at 1e-5, doubled after 10 accepted
/// steps in a row and halved after a rejected one (a step is accepted when it lowers f); stop when ‖∇f‖ ≤ 1e-5 or a step
/// would move x by at most 1e-5.
/// </summary>
public static class GradientDescent
{
    /// <summary>The argmin from <paramref name="x"/>, in place (length ≤ 8).</summary>
    public static void ArgMin<T>(T f, Span<double> x)
        where T : IObjective
    {
        int n = x.Length;
        Span<double> g = stackalloc double[n];
        Span<double> candidate = stackalloc double[n];
        double fx = f.Value(x);
        f.Gradient(x, g);
        int accepted = 0;
        double eta = 1e-5;
        while (true)
        {
            if (Norm(g) <= 1e-5)
            {
                return;
            }

            if (accepted == 10)
            {
                eta *= 2;
                accepted = 0;
                continue;
            }

            double moved = 0;
            for (int j = 0; j < n; j++)
            {
                candidate[j] = x[j] - eta * g[j];
                moved += (x[j] - candidate[j]) * (x[j] - candidate[j]);
            }

            if (Math.Sqrt(moved) <= 1e-5)
            {
                return;
            }

            double fCandidate = f.Value(candidate);
            if (fCandidate < fx)
            {
                candidate.CopyTo(x);
                fx = fCandidate;
                f.Gradient(x, g);
                accepted++;
            }
            else
            {
                eta /= 2;
                accepted = 0;
            }
        }
    }

    /// <summary>The argmax from <paramref name="x"/>, in place: the argmin of −f.</summary>
    public static void ArgMax<T>(T f, Span<double> x)
        where T : IObjective => ArgMin(new Negated<T>(f), x);

    private static double Norm(ReadOnlySpan<double> v)
    {
        double sum = 0;
        foreach (double e in v)
        {
            sum += e * e;
        }

        return Math.Sqrt(sum);
    }

    private readonly struct Negated<T>(T f) : IObjective
        where T : IObjective
    {
        public double Value(ReadOnlySpan<double> x) => -f.Value(x);

        public void Gradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            f.Gradient(x, gradient);
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] = -gradient[i];
            }
        }
    }
}
