using System;
using System.Collections.Generic;
using System.Numerics;
using DiffGen.Gemm;
using Xunit;

namespace DiffGen.Tests.Ops;

/// <summary>
/// MatMul and its pullback against a naive triple loop in double. Tolerance per element of C = A·B (inner length k):
/// the standard bound for any summation order, |ĉ − c| ≤ γ · Σ_p |a_ip·b_pj| with γ = (k + 2)·u and u the unit
/// roundoff of T (2⁻²⁴ for float, 2⁻⁵³ for double), plus u·|c_old| when accumulating.
/// </summary>
public class MatMulTests
{
    public static IEnumerable<object[]> RandomShapes()
    {
        var rng = new Random(20251125);
        for (int i = 0; i < 40; i++)
        {
            yield return new object[] { rng.Next(1, 71), rng.Next(1, 71), rng.Next(1, 71) };
        }

        // Edge shapes: ones, exact block multiples and one past them.
        yield return new object[] { 1, 1, 1 };
        yield return new object[] { 1, 300, 1 };
        yield return new object[] { 70, 1, 70 };
        yield return new object[] { 12, 256, 32 };
        yield return new object[] { 13, 257, 33 };
        yield return new object[] { 145, 513, 1025 };
    }

    public static TheoryData<int, int, int> BigShapes => new() { { 64, 784, 256 }, { 256, 784, 64 }, { 512, 512, 512 } };

    [Theory, MemberData(nameof(RandomShapes))] public void MatMul_MatchesReference_Float(int m, int k, int n) => MatchesReference<float>(m, k, n);

    [Theory, MemberData(nameof(RandomShapes))] public void MatMul_MatchesReference_Double(int m, int k, int n) => MatchesReference<double>(m, k, n);

    [Theory, MemberData(nameof(BigShapes))] public void MatMul_BigShapes_MatchReference_Float(int m, int k, int n) => MatchesReference<float>(m, k, n);

    [Theory, MemberData(nameof(BigShapes))] public void MatMul_BigShapes_MatchReference_Double(int m, int k, int n) => MatchesReference<double>(m, k, n);

    [Theory, MemberData(nameof(RandomShapes))] public void MatMulPullback_MatchesReference_Float(int m, int k, int n) => PullbackMatchesReference<float>(m, k, n);

    [Theory, MemberData(nameof(RandomShapes))] public void MatMulPullback_MatchesReference_Double(int m, int k, int n) => PullbackMatchesReference<double>(m, k, n);

    [Theory, MemberData(nameof(BigShapes))] public void MatMulPullback_BigShapes_MatchReference_Float(int m, int k, int n) => PullbackMatchesReference<float>(m, k, n);

    [Fact]
    public void MatMul_WithZeroInnerDimension_WritesZeros()
    {
        float[] c = [1, 2, 3, 4, 5, 6];
        DiffGen.Ops.MatMul(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, c, 2, 0, 3);
        Assert.Equal(new float[6], c);
    }

    [Fact]
    public void MatMul_WithEmptyOutput_DoesNothing()
    {
        DiffGen.Ops.MatMul(ReadOnlySpan<double>.Empty, new double[5], Span<double>.Empty, 0, 1, 5);
        DiffGen.Ops.MatMul(new double[5], ReadOnlySpan<double>.Empty, Span<double>.Empty, 5, 1, 0);
    }

    /// <summary>All four transpose combinations, with and without accumulation, on strided (ld &gt; width) storage.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Kernel_Transposes_Accumulate_Strides(bool transposeA, bool transposeB)
    {
        var rng = new Random(transposeA ? 3 : 5 + (transposeB ? 7 : 11));
        foreach ((int m, int n, int k) in new[] { (1, 1, 1), (13, 35, 7), (37, 70, 300), (25, 33, 513) })
        {
            foreach (bool accumulate in new[] { false, true })
            {
                int aRows = transposeA ? k : m, aCols = transposeA ? m : k;
                int bRows = transposeB ? n : k, bCols = transposeB ? k : n;
                int lda = aCols + 3, ldb = bCols + 5, ldc = n + 2;
                double[] a = RandomArray(rng, aRows * lda), b = RandomArray(rng, bRows * ldb), c = RandomArray(rng, m * ldc);
                double[] expected = (double[])c.Clone();
                var error = new double[m * ldc];
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double sum = 0, magnitude = 0;
                        for (int p = 0; p < k; p++)
                        {
                            double av = transposeA ? a[p * lda + i] : a[i * lda + p];
                            double bv = transposeB ? b[j * ldb + p] : b[p * ldb + j];
                            sum += av * bv;
                            magnitude += Math.Abs(av * bv);
                        }

                        expected[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum;
                        error[i * ldc + j] = (k + 3) * Math.Pow(2, -53) * (magnitude + Math.Abs(c[i * ldc + j]));
                    }
                }

                GemmKernel.Multiply<double>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, allowParallel: false);

                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < ldc; j++)
                    {
                        int at = i * ldc + j;
                        if (j >= n)
                        {
                            Assert.Equal(expected[at], c[at]); // padding between rows is untouched
                        }
                        else
                        {
                            Assert.True(
                                Math.Abs(c[at] - expected[at]) <= error[at],
                                $"tA={transposeA} tB={transposeB} acc={accumulate} {m}x{n}x{k} C[{i},{j}] = {c[at]:R}, expected {expected[at]:R}");
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Shapes above the parallel threshold, split by rows and by columns: the two-thread result must be bit-for-bit the
    /// single-thread result (each element is computed by the same kernel in the same order) and match the reference.
    /// </summary>
    [Theory]
    [InlineData(300, 200, 400)] // split by rows
    [InlineData(60, 300, 700)] // split by columns
    [InlineData(3000, 784, 10)] // narrow: dot kernels forward; the pullback's dB (784 × 10) by outer-product kernels, split off-block
    public void ParallelPath_EqualsSerialBitForBit(int m, int k, int n)
    {
        if (Environment.ProcessorCount > 1)
        {
            Assert.True(GemmKernel.ShouldParallelize(m, n, k), "the shape must take the parallel path");
        }

        var rng = new Random(m + n + k);
        float[] a = RandomSingles(rng, m * k), b = RandomSingles(rng, k * n);
        float[] parallel = new float[m * n], serial = new float[m * n];
        DiffGen.Ops.MatMul(a, b, parallel, m, k, n);
        GemmKernel.Multiply<float>(false, false, m, n, k, a, k, b, n, serial, n, accumulate: false, allowParallel: false);

        Assert.Equal(serial, parallel);
        AssertMatchesReference(ToDoubles(a), ToDoubles(b), ToDoubles(parallel), m, k, n, Math.Pow(2, -24));

        // The pullback's two products take the parallel path too.
        float[] dc = RandomSingles(rng, m * n), da = new float[m * k], db = new float[k * n];
        DiffGen.Ops.MatMulPullback(a, b, parallel, m, k, n, da, db, dc);
        float[] daSerial = new float[m * k], dbSerial = new float[k * n];
        GemmKernel.Multiply<float>(false, true, m, k, n, dc, n, b, n, daSerial, k, accumulate: true, allowParallel: false);
        GemmKernel.Multiply<float>(true, false, k, n, m, a, k, dc, n, dbSerial, n, accumulate: true, allowParallel: false);

        Assert.Equal(daSerial, da);
        Assert.Equal(dbSerial, db);
    }

    /// <summary>
    /// Every blocked micro-kernel variant (including the AVX2 and 128-bit ones this machine would not pick) computes each
    /// element in the same order, so all must agree bit for bit with the one chosen for wide shapes (<see cref="GemmKernel.Choose"/>;
    /// checked against the reference above). Shapes cover every tail of 12, 8 and 6 rows and of every panel width. The
    /// narrow path, which Auto takes for n ≤ <see cref="GemmKernel.NarrowMaxColumns"/>, has its own tests (NarrowGemmTests).
    /// </summary>
    [Theory]
    [InlineData(nameof(GemmKernel.KernelChoice.Vector512Rows12))]
    [InlineData(nameof(GemmKernel.KernelChoice.Vector512Rows8))]
    [InlineData(nameof(GemmKernel.KernelChoice.Vector256Rows6))]
    [InlineData(nameof(GemmKernel.KernelChoice.Vector128Rows6))]
    public void EveryKernelVariant_AgreesBitForBit(string kernelName)
    {
        GemmKernel.KernelChoice kernel = Enum.Parse<GemmKernel.KernelChoice>(kernelName);
        var rng = new Random((int)kernel);
        for (int trial = 0; trial < 24; trial++)
        {
            int m = rng.Next(1, 40), n = rng.Next(1, 80), k = rng.Next(1, 300);
            bool transposeA = trial % 2 == 1, transposeB = trial % 4 >= 2, accumulate = trial % 3 == 0;
            float[] a = RandomSingles(rng, m * k), b = RandomSingles(rng, k * n), c0 = RandomSingles(rng, m * n);
            double[] ad = Array.ConvertAll(a, v => (double)v), bd = Array.ConvertAll(b, v => (double)v), cd0 = Array.ConvertAll(c0, v => (double)v);
            float[] expected = (float[])c0.Clone(), actual = (float[])c0.Clone();
            double[] expectedD = (double[])cd0.Clone(), actualD = (double[])cd0.Clone();
            int lda = transposeA ? m : k, ldb = transposeB ? k : n;

            try
            {
                GemmKernel.ForcedKernel = GemmKernel.Choose(m);
                GemmKernel.Multiply<float>(transposeA, transposeB, m, n, k, a, lda, b, ldb, expected, n, accumulate, allowParallel: false);
                GemmKernel.Multiply<double>(transposeA, transposeB, m, n, k, ad, lda, bd, ldb, expectedD, n, accumulate, allowParallel: false);
                GemmKernel.ForcedKernel = kernel;
                GemmKernel.Multiply<float>(transposeA, transposeB, m, n, k, a, lda, b, ldb, actual, n, accumulate, allowParallel: false);
                GemmKernel.Multiply<double>(transposeA, transposeB, m, n, k, ad, lda, bd, ldb, actualD, n, accumulate, allowParallel: false);
            }
            finally
            {
                GemmKernel.ForcedKernel = GemmKernel.KernelChoice.Auto;
            }

            Assert.Equal(expected, actual);
            Assert.Equal(expectedD, actualD);
        }
    }

    private static void MatchesReference<T>(int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(HashCode.Combine(m, k, n));
        TestBuffer<T> a = TestBuffer<T>.Random(rng, m * k), b = TestBuffer<T>.Random(rng, k * n);
        TestBuffer<T> c = TestBuffer<T>.Random(rng, m * n); // garbage that must be overwritten
        OpsOf<T>.MatMul(a.Span, b.Span, c.Span, m, k, n);
        c.AssertGuardsIntact("c");
        AssertMatchesReference(a.ToDoubles(), b.ToDoubles(), c.ToDoubles(), m, k, n, UnitRoundoff<T>());
    }

    private static void PullbackMatchesReference<T>(int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(HashCode.Combine(n, k, m));
        TestBuffer<T> a = TestBuffer<T>.Random(rng, m * k), b = TestBuffer<T>.Random(rng, k * n), c = new(m * n);
        TestBuffer<T> dc = TestBuffer<T>.Random(rng, m * n);
        TestBuffer<T> da = TestBuffer<T>.Random(rng, m * k), db = TestBuffer<T>.Random(rng, k * n);
        double[] daBefore = da.ToDoubles(), dbBefore = db.ToDoubles();
        OpsOf<T>.MatMulPullback(a.Span, b.Span, c.Span, m, k, n, da.Span, db.Span, dc.Span);
        da.AssertGuardsIntact("da");
        db.AssertGuardsIntact("db");

        double u = UnitRoundoff<T>();
        double[] av = a.ToDoubles(), bv = b.ToDoubles(), dcv = dc.ToDoubles();
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                // da[i, p] = before + Σ_j dc[i, j]·b[p, j]
                double sum = 0, magnitude = 0;
                for (int j = 0; j < n; j++)
                {
                    sum += dcv[i * n + j] * bv[p * n + j];
                    magnitude += Math.Abs(dcv[i * n + j] * bv[p * n + j]);
                }

                double expected = daBefore[i * k + p] + sum;
                double bound = (n + 3) * u * (magnitude + Math.Abs(daBefore[i * k + p]));
                Assert.True(Math.Abs(da[i * k + p] - expected) <= bound, $"da[{i},{p}] = {da[i * k + p]:R}, expected {expected:R} ± {bound:E2}");
            }
        }

        for (int p = 0; p < k; p++)
        {
            for (int j = 0; j < n; j++)
            {
                // db[p, j] = before + Σ_i a[i, p]·dc[i, j]
                double sum = 0, magnitude = 0;
                for (int i = 0; i < m; i++)
                {
                    sum += av[i * k + p] * dcv[i * n + j];
                    magnitude += Math.Abs(av[i * k + p] * dcv[i * n + j]);
                }

                double expected = dbBefore[p * n + j] + sum;
                double bound = (m + 3) * u * (magnitude + Math.Abs(dbBefore[p * n + j]));
                Assert.True(Math.Abs(db[p * n + j] - expected) <= bound, $"db[{p},{j}] = {db[p * n + j]:R}, expected {expected:R} ± {bound:E2}");
            }
        }
    }

    private static void AssertMatchesReference(double[] a, double[] b, double[] c, int m, int k, int n, double u)
    {
        var row = new double[n];
        var magnitude = new double[n];
        for (int i = 0; i < m; i++)
        {
            Array.Clear(row);
            Array.Clear(magnitude);
            for (int p = 0; p < k; p++)
            {
                double aip = a[i * k + p];
                for (int j = 0; j < n; j++)
                {
                    row[j] += aip * b[p * n + j];
                    magnitude[j] += Math.Abs(aip * b[p * n + j]);
                }
            }

            for (int j = 0; j < n; j++)
            {
                double bound = (k + 2) * u * magnitude[j];
                Assert.True(
                    Math.Abs(c[i * n + j] - row[j]) <= bound,
                    $"{m}x{k}x{n}: C[{i},{j}] = {c[i * n + j]:R}, expected {row[j]:R} ± {bound:E2}");
            }
        }
    }

    private static double UnitRoundoff<T>() => typeof(T) == typeof(float) ? Math.Pow(2, -24) : Math.Pow(2, -53);

    private static double[] RandomArray(Random rng, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = rng.NextDouble() * 4 - 2;
        }

        return values;
    }

    private static float[] RandomSingles(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(rng.NextDouble() * 4 - 2);
        }

        return values;
    }

    private static double[] ToDoubles(float[] values) => Array.ConvertAll(values, v => (double)v);
}
