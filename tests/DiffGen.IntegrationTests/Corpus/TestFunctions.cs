using System;
using System.Linq;
using DiffGen;

namespace DiffGen.IntegrationTests.Corpus;

/// <summary>Optimisation test functions (Surjanovic and Bingham's library), written as they are usually transcribed.</summary>
public static partial class TestFunctions
{
    [Differentiable]
    public static double Rosenbrock(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            sum += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
        }

        return sum;
    }

    [Differentiable]
    public static double Rastrigin(double[] x)
    {
        const double A = 10;
        return A * x.Length + x.Sum(xi => xi * xi - A * Math.Cos(2 * Math.PI * xi));
    }

    [Differentiable]
    public static double Ackley(double[] x)
    {
        int d = x.Length;
        double sum1 = 0, sum2 = 0;
        foreach (var xi in x)
        {
            sum1 += xi * xi;
            sum2 += Math.Cos(2 * Math.PI * xi);
        }

        return -20 * Math.Exp(-0.2 * Math.Sqrt(sum1 / d)) - Math.Exp(sum2 / d) + 20 + Math.E;
    }

    [Differentiable]
    public static double Beale(double x, double y) =>
        Math.Pow(1.5 - x + x * y, 2) + Math.Pow(2.25 - x + x * y * y, 2) + Math.Pow(2.625 - x + x * y * y * y, 2);

    [Differentiable]
    public static double Himmelblau(double x, double y)
    {
        var a = x * x + y - 11;
        var b = x + y * y - 7;
        return a * a + b * b;
    }

    [Differentiable]
    public static double StyblinskiTang(double[] x) => x.Sum(v => Math.Pow(v, 4) - 16 * v * v + 5 * v) / 2;
}
