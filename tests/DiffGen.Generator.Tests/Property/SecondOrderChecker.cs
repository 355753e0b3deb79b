using System;
using System.Globalization;
using System.Linq;

namespace DiffGen.Generator.Tests.Property;

/// <summary>
/// Forward mode and second order on a random program, at <see cref="GradientPropertyTests.PointsPerProgram"/> random
/// points and random directions v: the pushforward returns the method's value bit for bit and its tangent is the
/// (finite-difference-checked) gradient's g·v to 1e-9 relative; the Hessian-vector product, when generated, returns
/// the value, adds (never overwrites), and matches central differences of the gradient along v,
/// (∇f(z + h·v) − ∇f(z − h·v)) / 2h with h = 1e-6·max(1, ‖z‖∞), within the property tolerance — an entry is skipped
/// (and counted) when that difference is unstable (h against h/2, as for the gradient: a branch switch or kink within
/// h) or not finite. Points the gradient check skips (f not finite, overflowing intermediates) are skipped here too.
/// </summary>
internal static class SecondOrderChecker
{
    public static string? Check(
        GeneratedProgram program,
        Func<double[], double> value,
        Func<double[], double[], double> gradient,
        Func<double[], double[], double[], double> pushforward,
        Func<double[], double[], double[], double>? hvp,
        Func<double[], bool> overflows,
        Stats stats)
    {
        var random = new SplitMix(program.Seed ^ 0x2545F4914F6CDD1DUL);
        for (int point = 0; point < GradientPropertyTests.PointsPerProgram; point++)
        {
            int dimension = program.Shape == ProgramShape.TwoScalars ? 2 : 3 + random.Next(4) + 1;
            double[] z = new double[dimension];
            double[] v = new double[dimension];
            for (int j = 0; j < dimension; j++)
            {
                z[j] = (random.NextDouble() * 3) - 1.5;
                v[j] = (random.NextDouble() * 2) - 1;
            }

            double f0 = value(z);
            if (!double.IsFinite(f0) || overflows(z))
            {
                continue;
            }

            string at = $"at z = [{Join(z)}], v = [{Join(v)}] (point {point})";
            double[] g = new double[dimension];
            gradient(z, g);
            double[] tangent = new double[1];
            double returned = pushforward(z, v, tangent);
            if (BitConverter.DoubleToInt64Bits(returned) != BitConverter.DoubleToInt64Bits(f0))
            {
                return $"pushforward value {returned:R} but the method returns {f0:R} {at}";
            }

            double dot = 0, scale = 1;
            for (int j = 0; j < dimension; j++)
            {
                dot += g[j] * v[j];
                scale += Math.Abs(g[j] * v[j]);
            }

            if (!(Math.Abs(tangent[0] - dot) <= 1e-9 * scale))
            {
                return $"pushforward tangent {tangent[0]:R} but the gradient gives g·v = {dot:R} {at}; gradient [{Join(g)}]";
            }

            if (hvp is null)
            {
                continue;
            }

            double[] hv = Enumerable.Range(0, dimension).Select(j => 0.5 - j).ToArray();
            double hvValue = hvp(z, v, hv);
            if (BitConverter.DoubleToInt64Bits(hvValue) != BitConverter.DoubleToInt64Bits(f0))
            {
                return $"Hessian-vector product value {hvValue:R} but the method returns {f0:R} {at}";
            }

            double norm = z.Max(Math.Abs);
            double h = 1e-6 * Math.Max(1, norm);
            double[] fd = AlongV(gradient, z, v, h);
            double[] fdHalf = AlongV(gradient, z, v, h / 2);
            for (int j = 0; j < dimension; j++)
            {
                double product = hv[j] - (0.5 - j);
                bool skip = !double.IsFinite(fd[j]) || !double.IsFinite(fdHalf[j])
                    || Math.Abs(fd[j] - fdHalf[j]) > 0.5 * GradientPropertyTests.Tolerance * Math.Max(1, Math.Abs(fd[j]));
                stats.AddCoordinate(skip);
                if (skip)
                {
                    continue;
                }

                if (!(Math.Abs(product - fd[j]) <= GradientPropertyTests.Tolerance * Math.Max(1, Math.Abs(fd[j]))))
                {
                    return $"(H·v)[{j}]: generated {product:R}, central difference of the gradient {fd[j]:R} (h/2: {fdHalf[j]:R}) {at}";
                }
            }
        }

        return null;
    }

    private static double[] AlongV(Func<double[], double[], double> gradient, double[] z, double[] v, double h)
    {
        double[] up = z.Select((x, j) => x + (h * v[j])).ToArray();
        double[] down = z.Select((x, j) => x - (h * v[j])).ToArray();
        double[] gUp = new double[z.Length], gDown = new double[z.Length];
        gradient(up, gUp);
        gradient(down, gDown);
        return gUp.Select((u, j) => (u - gDown[j]) / (2 * h)).ToArray();
    }

    private static string Join(double[] values) => string.Join(", ", values.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
}
