using System;
using System.Globalization;
using System.Linq;

namespace DiffGen.Generator.Tests.Property;

/// <summary>
/// Checks one generated gradient at <see cref="GradientPropertyTests.PointsPerProgram"/> random points: value bit for
/// bit, central finite differences with the stability rule, accumulation, inputs untouched. Returns null or the first
/// problem found.
/// </summary>
internal static class GradientChecker
{
    public static string? Check(
        GeneratedProgram program,
        Func<double[], double> value,
        Func<double[], double[], double> gradient,
        Func<double[], double, double[], double> pullback,
        Func<double[], bool> overflows,
        Stats stats)
    {
        var random = new SplitMix(program.Seed ^ 0x5DEECE66DUL);
        for (int point = 0; point < GradientPropertyTests.PointsPerProgram; point++)
        {
            // Vector lengths vary from point to point (3..6): a program must work for any length ≥ 3.
            int dimension = program.Shape == ProgramShape.TwoScalars ? 2 : 3 + random.Next(4) + 1;
            double[] z = new double[dimension];
            for (int j = 0; j < dimension; j++)
            {
                z[j] = (random.NextDouble() * 3) - 1.5;
            }

            string at = $"at z = [{string.Join(", ", z.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}] (point {point})";
            double f0 = value(z);
            if (!double.IsFinite(f0))
            {
                stats.AddPoint(skipped: true);
                continue;
            }

            if (overflows(z))
            {
                stats.AddOverflowPoint();
                stats.AddPoint(skipped: true);
                continue;
            }

            stats.AddPoint(skipped: false);
            double[] saved = (double[])z.Clone();
            double[] g = new double[dimension];
            double returned = gradient(z, g);
            if (!z.SequenceEqual(saved))
            {
                return $"the gradient modified its input {at}";
            }

            if (BitConverter.DoubleToInt64Bits(returned) != BitConverter.DoubleToInt64Bits(f0))
            {
                return $"value: the gradient returned {returned:R} but the method returns {f0:R} {at}";
            }

            for (int j = 0; j < dimension; j++)
            {
                if (!double.IsFinite(g[j]))
                {
                    return $"gradient entry {j} is {g[j]:R} where the value {f0:R} is finite {at}";
                }

                double h = 1e-6 * Math.Max(1, Math.Abs(z[j]));
                double fd = Central(value, z, j, h, out double magnitude);
                double fdHalf = Central(value, z, j, h / 2, out _);
                bool skip = !double.IsFinite(fd) || !double.IsFinite(fdHalf)
                    || Math.Abs(fd - fdHalf) > 0.5 * GradientPropertyTests.Tolerance * Math.Max(1, Math.Abs(fd))
                    || Math.ScaleB(magnitude, -52) / h > 0.25 * GradientPropertyTests.Tolerance * Math.Max(1, Math.Abs(fd));
                stats.AddCoordinate(skip);
                if (skip)
                {
                    continue;
                }

                if (Math.Abs(g[j] - fd) > GradientPropertyTests.Tolerance * Math.Max(1, Math.Abs(fd)))
                {
                    return $"f = {f0:R}; d/dz[{j}]: generated {g[j]:R}, central finite difference {fd:R} (h/2: {fdHalf:R}) {at}; "
                        + $"full gradient [{string.Join(", ", g.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}]";
                }
            }

            // Accumulation: a second call adds the same gradient on top of what the buffers hold.
            double[] buffer = Enumerable.Range(0, dimension).Select(j => 0.25 + j).ToArray();
            double again = gradient(z, buffer);
            if (BitConverter.DoubleToInt64Bits(again) != BitConverter.DoubleToInt64Bits(f0))
            {
                return $"value on the second call: {again:R} != {f0:R} {at}";
            }

            for (int j = 0; j < dimension; j++)
            {
                double added = buffer[j] - (0.25 + j);
                if (Math.Abs(added - g[j]) > 1e-10 * Math.Max(1, Math.Max(Math.Abs(g[j]), Math.Abs(buffer[j]))))
                {
                    return $"accumulation: entry {j} went from {0.25 + j:R} to {buffer[j]:R} (added {added:R}), the gradient is {g[j]:R} {at}";
                }
            }

            // The pullback scales by its seed (composition relies on it).
            const double Seed = -2.5;
            double[] scaled = new double[dimension];
            double pulled = pullback(z, Seed, scaled);
            if (BitConverter.DoubleToInt64Bits(pulled) != BitConverter.DoubleToInt64Bits(f0))
            {
                return $"pullback value: {pulled:R} != {f0:R} {at}";
            }

            for (int j = 0; j < dimension; j++)
            {
                if (Math.Abs(scaled[j] - (Seed * g[j])) > 1e-10 * Math.Max(1, Math.Abs(Seed * g[j])))
                {
                    return $"pullback with seed {Seed}: entry {j} is {scaled[j]:R}, expected {Seed * g[j]:R} {at}";
                }
            }
        }

        return null;
    }

    private static double Central(Func<double[], double> f, double[] z, int j, double h, out double magnitude)
    {
        double saved = z[j];
        z[j] = saved + h;
        double up = f(z);
        z[j] = saved - h;
        double down = f(z);
        z[j] = saved;
        magnitude = Math.Max(Math.Abs(up), Math.Abs(down));
        return (up - down) / (2 * h);
    }
}
