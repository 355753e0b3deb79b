using System;
using DiffGen;

namespace Quickstart;

public static partial class Losses
{
    [Differentiable]
    public static double Rosenbrock(double x, double y)
        => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

    [Differentiable(nameof(w), nameof(b))]
    public static double CrossEntropy(double w, double b, ReadOnlySpan<double> xs, ReadOnlySpan<double> ys)
    {
        double loss = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double z = w * xs[i] + b;
            double p = 1 / (1 + Math.Exp(-z));
            loss -= ys[i] * Math.Log(p) + (1 - ys[i]) * Math.Log(1 - p);
        }

        return loss / xs.Length;
    }
}

public static class Program
{
    public static void Main()
    {
        double x = -1.5, y = 2;
        double dx = 0, dy = 0;
        double v = Losses.RosenbrockGradient(x, y, ref dx, ref dy);
        Console.WriteLine($"{v} {dx} {dy}");
    }
}
