using System;
using Xunit;
using static DiffGen.IntegrationTests.GradientCheck;

namespace DiffGen.IntegrationTests;

/// <summary>Multi-dimensional arrays (<c>double[,]</c>, <c>float[,,]</c>) as named parameters and as local scratch.</summary>
public static partial class RectangularArrayCode
{
    /// <summary>A tanh layer written with a matrix: rows from GetLength(0), columns from GetLength(1).</summary>
    [Differentiable(nameof(w), nameof(x), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double Layer(double[,] w, double[] x, double[] target)
    {
        double loss = 0;
        for (int i = 0; i < w.GetLength(0); i++)
        {
            double z = 0;
            for (int j = 0; j < w.GetLength(1); j++)
            {
                z += w[i, j] * x[j];
            }

            double e = Math.Tanh(z) - target[i];
            loss += e * e;
        }

        return loss;
    }

    /// <summary>A 3-D kernel, float, read with three indices and its Length; the vector v stays a constant.</summary>
    [Differentiable(nameof(k))]
    public static float Contract(float[,,] k, float[] v)
    {
        float s = 0;
        for (int a = 0; a < k.GetLength(0); a++)
        {
            for (int b = 0; b < k.GetLength(1); b++)
            {
                for (int c = 0; c < k.GetLength(2); c++)
                {
                    s += (k[a, b, c] * v[c] * (a + 1)) + (k[a, b, c] * k[a, b, c] / k.Length);
                }
            }
        }

        return s;
    }

    /// <summary>Scratch as a local matrix written row by row, then read back (pooled by the gradient).</summary>
    [Differentiable]
    public static double Scratch(double[] x, int rows)
    {
        int cols = x.Length;
        var h = new double[rows, cols];
        for (int i = 0; i < h.GetLength(0); i++)
        {
            for (int j = 0; j < h.GetLength(1); j++)
            {
                h[i, j] = Math.Sin(x[j] * (i + 1));
            }
        }

        double s = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 1; j < cols; j++)
            {
                s += h[i, j] * h[i, j - 1] * x[j];
            }
        }

        return s / h.Length;
    }

    /// <summary>A helper in source takes the matrix: it is inlined and reads the same elements.</summary>
    [Differentiable(nameof(w))]
    public static double Frobenius(double[,] w) => Math.Sqrt(SumOfSquares(w));

    private static double SumOfSquares(double[,] a)
    {
        double s = 0;
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                s += a[i, j] * a[i, j];
            }
        }

        return s;
    }

    /// <summary>Data as a jagged array, one row per sample, iterated with foreach (rows are constants).</summary>
    [Differentiable]
    public static double JaggedRows(double[][] rows, double[] w)
    {
        double s = 0;
        foreach (double[] row in rows)
        {
            double z = 0;
            for (int j = 0; j < w.Length; j++)
            {
                z += row[j] * w[j];
            }

            s += Math.Tanh(z) * z;
        }

        return s;
    }

    /// <summary>A matrix not named by the attribute is a constant, read element by element as before.</summary>
    [Differentiable]
    public static double ConstantMatrix(double[,] a, double[] x)
    {
        double s = 0;
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                s += a[i, j] * x[i] * x[j];
            }
        }

        return s;
    }
}

public class RectangularArrayTests
{
    private static double[,] Matrix(double[] x, int rows, int cols, int offset = 0)
    {
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                m[i, j] = x[offset + (i * cols) + j];
            }
        }

        return m;
    }

    private static void AddTo(double[,] m, double[] g, int offset = 0)
    {
        int cols = m.GetLength(1);
        for (int i = 0; i < m.GetLength(0); i++)
        {
            for (int j = 0; j < cols; j++)
            {
                g[offset + (i * cols) + j] += m[i, j];
            }
        }
    }

    private static readonly double[] Target = [0.3, -0.2, 0.5];

    [Fact]
    public void MatrixParameterAndVector() =>
        Check(
            x => RectangularArrayCode.Layer(Matrix(x, 3, 5), x[15..], Target),
            (x, g) =>
            {
                var dw = new double[3, 5];
                var dx = new double[5];
                double value = RectangularArrayCode.LayerGradient(Matrix(x, 3, 5), x[15..], Target, dw, dx);
                AddTo(dw, g);
                for (int j = 0; j < 5; j++)
                {
                    g[15 + j] += dx[j];
                }

                return value;
            },
            20);

    [Fact]
    public void PushforwardTakesATangentMatrix() =>
        TangentCheck.Check(
            x => RectangularArrayCode.Layer(Matrix(x, 3, 5), x[15..], Target),
            (x, g) =>
            {
                var dw = new double[3, 5];
                var dx = new double[5];
                double value = RectangularArrayCode.LayerGradient(Matrix(x, 3, 5), x[15..], Target, dw, dx);
                AddTo(dw, g);
                for (int j = 0; j < 5; j++)
                {
                    g[15 + j] += dx[j];
                }

                return value;
            },
            (x, v) =>
            {
                double value = RectangularArrayCode.LayerPushforward(Matrix(x, 3, 5), x[15..], Target, Matrix(v, 3, 5), v[15..], out double tangent);
                return (value, tangent);
            },
            20);

    /// <summary>float: central differences of the float function with h = 1e-2, within 1 %.</summary>
    [Fact]
    public void ThreeDimensionalFloatKernel()
    {
        var random = new Random(7);
        var k = new float[2, 3, 4];
        for (int a = 0; a < 2; a++)
        {
            for (int b = 0; b < 3; b++)
            {
                for (int c = 0; c < 4; c++)
                {
                    k[a, b, c] = (float)(random.NextDouble() - 0.5);
                }
            }
        }

        float[] v = [0.5f, -1.5f, 2f, 0.25f];
        var dk = new float[2, 3, 4];
        RectangularArrayCode.ContractGradient(k, v, dk);
        for (int a = 0; a < 2; a++)
        {
            for (int b = 0; b < 3; b++)
            {
                for (int c = 0; c < 4; c++)
                {
                    float saved = k[a, b, c];
                    k[a, b, c] = saved + 1e-2f;
                    float up = RectangularArrayCode.Contract(k, v);
                    k[a, b, c] = saved - 1e-2f;
                    float down = RectangularArrayCode.Contract(k, v);
                    k[a, b, c] = saved;
                    float fd = (up - down) / 2e-2f;
                    Assert.True(Math.Abs(dk[a, b, c] - fd) <= 1e-2 * Math.Max(1, Math.Abs(fd)), $"[{a}, {b}, {c}]: {dk[a, b, c]} vs {fd}");
                }
            }
        }
    }

    [Fact]
    public void HelperTakingTheMatrixIsInlined() =>
        Check(
            x => RectangularArrayCode.Frobenius(Matrix(x, 2, 3)),
            (x, g) =>
            {
                var dw = new double[2, 3];
                double value = RectangularArrayCode.FrobeniusGradient(Matrix(x, 2, 3), dw);
                AddTo(dw, g);
                return value;
            },
            6);

    [Fact]
    public void LocalMatrixScratch() =>
        Check(x => RectangularArrayCode.Scratch(x, 3), (x, g) => RectangularArrayCode.ScratchGradient(x, 3, g), 6);

    [Fact]
    public void ForeachOverJaggedDataRows()
    {
        double[][] rows = [[0.3, -0.2, 0.9], [0.5, 0.1, -0.4]];
        Check(w => RectangularArrayCode.JaggedRows(rows, w), (w, g) => RectangularArrayCode.JaggedRowsGradient(rows, w, g), 3);
    }

    [Fact]
    public void UnnamedMatrixIsAConstant()
    {
        double[,] a = { { 1, 2 }, { -0.5, 3 } };
        Check(x => RectangularArrayCode.ConstantMatrix(a, x), (x, g) => RectangularArrayCode.ConstantMatrixGradient(a, x, g), 2);
    }

    [Fact]
    public void GradientOfAnotherShapeIsRefusedNamingIt()
    {
        var w = new double[3, 5];
        var e = Assert.Throws<ArgumentException>(() => RectangularArrayCode.LayerGradient(w, new double[5], Target, new double[5, 3], new double[5]));
        Assert.Equal("dw", e.ParamName);
        Assert.Contains("shape of w (3×5)", e.Message, StringComparison.Ordinal);
        Assert.Contains("5×3", e.Message, StringComparison.Ordinal);
        Assert.Equal("w", Assert.Throws<ArgumentNullException>(() => RectangularArrayCode.LayerGradient(null!, new double[5], Target, w, new double[5])).ParamName);
        Assert.Equal("dw", Assert.Throws<ArgumentNullException>(() => RectangularArrayCode.LayerGradient(w, new double[5], Target, null!, new double[5])).ParamName);
    }
}
