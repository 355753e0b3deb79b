using System;
using System.Collections.Generic;
using Xunit;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Checks generated second-order derivatives in double precision. Along random directions v (zero on constant
/// arguments): the Hessian-vector product returns the function's value bit for bit, adds (never overwrites) H·v, and
/// H·v matches central finite differences of the (separately FD-checked) gradient, (∇f(x + h·v) − ∇f(x − h·v)) / 2h
/// with h = 1e-6 · max(1, ‖x‖∞), within tol · max(1, |fd|); a zero direction adds exactly zero. The dense Hessian is
/// symmetric (1e-9 relative), its product with v is the HVP's (1e-9 relative), the dense diagonal is its diagonal, and
/// the diagonal computed with a sparsity pattern made of the Hessian's nonzeros (so its colours group columns) is too.
/// </summary>
internal static class SecondOrderCheck
{
    public delegate double Product(double[] x, double[] v, double[] hv);

    public delegate double Matrix(double[] x, double[] into);

    public delegate double PatternDiagonal(double[] x, SparsityPattern pattern, double[] into);

    /// <summary><c>FGradientAndHessianVectorProduct</c>: adds the gradient into g and H·v into hv.</summary>
    public delegate double GradientAndProduct(double[] x, double[] v, double[] g, double[] hv);

    public const double DefaultTolerance = 1e-5;

    public static void Check(
        Func<double[], double> f,
        Func<double[], double[], double> gradient,
        Product hvp,
        Matrix? hessian,
        Matrix? diagonal,
        PatternDiagonal? sparseDiagonal,
        int dimension,
        bool[]? differentiated = null,
        Func<Random, int, double>? sample = null,
        double tolerance = DefaultTolerance,
        int points = 6,
        int seed = 12345,
        GradientAndProduct? both = null)
    {
        var random = new Random(seed ^ 0x4e55);
        sample ??= (r, _) => (r.NextDouble() * 3) - 1.5;
        var columns = new List<int>();
        for (int i = 0; i < dimension; i++)
        {
            if (differentiated is null || differentiated[i])
            {
                columns.Add(i);
            }
        }

        int n = columns.Count;
        for (int point = 0; point < points; point++)
        {
            double[] x = new double[dimension];
            double[] v = new double[dimension];
            double[] before = new double[dimension];
            for (int i = 0; i < dimension; i++)
            {
                x[i] = sample(random, i);
            }

            foreach (int i in columns)
            {
                v[i] = (random.NextDouble() * 2) - 1;
                before[i] = random.NextDouble() - 0.5;
            }

            double[] hv = (double[])before.Clone();
            double value = hvp(x, v, hv);
            double expected = f(x);
            Assert.True(BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(expected), $"value {value:R} != f(x) {expected:R} at point {point}");
            double[] product = new double[dimension];
            for (int i = 0; i < dimension; i++)
            {
                product[i] = hv[i] - before[i];
            }

            double norm = 0;
            foreach (double xi in x)
            {
                norm = Math.Max(norm, Math.Abs(xi));
            }

            double h = 1e-6 * Math.Max(1, norm);
            double[] up = (double[])x.Clone(), down = (double[])x.Clone();
            for (int i = 0; i < dimension; i++)
            {
                up[i] += h * v[i];
                down[i] -= h * v[i];
            }

            double[] gUp = new double[dimension], gDown = new double[dimension];
            gradient(up, gUp);
            gradient(down, gDown);
            foreach (int i in columns)
            {
                double fd = (gUp[i] - gDown[i]) / (2 * h);
                Assert.True(Math.Abs(product[i] - fd) <= tolerance * Math.Max(1, Math.Abs(fd)), $"(H·v)[{i}] at point {point}: generated {product[i]:R}, finite difference of the gradient {fd:R} (x = [{string.Join(", ", x)}])");
            }

            if (both is not null)
            {
                // The form that keeps the gradient: the same value, adds the gradient and the same H·v (1e-12 relative:
                // the printed gradient may sum in blocks).
                double[] g = (double[])before.Clone(), hvBoth = (double[])before.Clone(), plain = new double[dimension];
                double bothValue = both(x, v, g, hvBoth);
                Assert.True(BitConverter.DoubleToInt64Bits(bothValue) == BitConverter.DoubleToInt64Bits(expected), $"GradientAndHessianVectorProduct's value {bothValue:R} != f(x) {expected:R}");
                gradient(x, plain);
                foreach (int i in columns)
                {
                    Assert.True(Math.Abs(g[i] - before[i] - plain[i]) <= 1e-12 * Math.Max(1, Math.Abs(plain[i])), $"gradient[{i}] added {g[i] - before[i]:R}, FGradient {plain[i]:R}");
                    Assert.True(Math.Abs(hvBoth[i] - before[i] - product[i]) <= 1e-12 * Math.Max(1, Math.Abs(product[i])), $"(H·v)[{i}] added {hvBoth[i] - before[i]:R}, FHessianVectorProduct {product[i]:R}");
                }
            }

            double[] zero = new double[dimension];
            hvp(x, new double[dimension], zero);
            Assert.True(Array.TrueForAll(zero, z => z == 0), $"a zero direction added [{string.Join(", ", zero)}] at point {point}");

            if (hessian is null)
            {
                continue;
            }

            double[] matrix = new double[n * n];
            Array.Fill(matrix, double.NaN);
            Assert.True(BitConverter.DoubleToInt64Bits(hessian(x, matrix)) == BitConverter.DoubleToInt64Bits(expected), "the Hessian's value differs from f(x)");
            for (int r = 0; r < n; r++)
            {
                double row = 0, scale = 1;
                for (int c = 0; c < n; c++)
                {
                    double entry = matrix[(r * n) + c];
                    Assert.True(Math.Abs(entry - matrix[(c * n) + r]) <= 1e-9 * Math.Max(1, Math.Abs(entry)), $"H[{r},{c}] = {entry:R} but H[{c},{r}] = {matrix[(c * n) + r]:R}");
                    row += entry * v[columns[c]];
                    scale += Math.Abs(entry * v[columns[c]]);
                }

                Assert.True(Math.Abs(row - product[columns[r]]) <= 1e-9 * scale, $"(H v)[{r}] from the dense Hessian {row:R} but the HVP gave {product[columns[r]]:R}");
            }

            double[] diag = new double[n];
            Assert.True(BitConverter.DoubleToInt64Bits(diagonal!(x, diag)) == BitConverter.DoubleToInt64Bits(expected), "the diagonal's value differs from f(x)");
            for (int k = 0; k < n; k++)
            {
                Assert.True(diag[k] == matrix[(k * n) + k], $"diagonal[{k}] = {diag[k]:R} but H[{k},{k}] = {matrix[(k * n) + k]:R}");
            }

            var rows = new List<int>();
            var cols = new List<int>();
            for (int r = 0; r < n; r++)
            {
                for (int c = 0; c < n; c++)
                {
                    if (r == c || matrix[(r * n) + c] != 0)
                    {
                        rows.Add(r);
                        cols.Add(c);
                    }
                }
            }

            SparsityPattern pattern = SparsityPattern.FromEntries(n, n, rows.ToArray(), cols.ToArray());
            double[] sparse = new double[n];
            sparseDiagonal!(x, pattern, sparse);
            for (int k = 0; k < n; k++)
            {
                Assert.True(Math.Abs(sparse[k] - diag[k]) <= 1e-9 * Math.Max(1, Math.Abs(diag[k])), $"diagonal[{k}] with {pattern.ColorCount} colours = {sparse[k]:R}, dense {diag[k]:R}");
            }
        }
    }
}
