using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DiffGen.Gemm;
using Xunit;
using NarrowPath = DiffGen.Gemm.GemmKernel.NarrowPath;

namespace DiffGen.Tests.Ops;

/// <summary>
/// The narrow GEMM path (C at most <see cref="GemmKernel.NarrowMaxColumns"/> columns: row, outer-product and
/// dot-product kernels) against a naive double-precision reference, for every transpose combination, overwrite and
/// accumulate, strided storage, float and double, and each vector width this machine can run. Tolerance per element:
/// |ĉ − c| ≤ (k + 3)·u·(Σ_p |a_ip·b_pj| + |c_old|), u the unit roundoff of T (2⁻²⁴ float, 2⁻⁵³ double): the standard
/// bound for any summation order (the dot kernels sum in lanes, then across them), plus the final addition of c_old.
/// Each test also checks which kernel ran, so none of them passes by silently running the blocked kernels instead.
/// </summary>
public class NarrowGemmTests
{
    /// <summary>n covers 1, one and two below/at/above the 8- and 16-lane widths, and the widest narrow C.</summary>
    private static readonly int[] Columns = [1, 2, 7, 8, 9, 10, 15, 16, 17, 31];

    /// <summary>m covers 1, every row-block tail of 4 (3, 5) and of 8 (7, 13), 64 (one outer-kernel block of floats) and one past it.</summary>
    private static readonly int[] RowCounts = [1, 3, 4, 5, 7, 13, 64, 65];

    /// <summary>k covers 1, vector tails of 8 and 16, and 784 (softmax regression); combined with m and n in rotation.</summary>
    private static readonly int[] Depths = [1, 7, 16, 17, 64, 255, 784];

    public static TheoryData<string> Choices => new()
    {
        nameof(GemmKernel.KernelChoice.Auto),
        nameof(GemmKernel.KernelChoice.Vector512Narrow),
        nameof(GemmKernel.KernelChoice.Vector256Narrow),
    };

    /// <summary>Shapes m × k × n: every n with every m, k in rotation, plus k past the slice lengths (KC, DotKC).</summary>
    public static IEnumerable<(int M, int K, int N)> Shapes()
    {
        for (int jn = 0; jn < Columns.Length; jn++)
        {
            for (int im = 0; im < RowCounts.Length; im++)
            {
                yield return (RowCounts[im], Depths[(im + jn) % Depths.Length], Columns[jn]);
            }
        }

        yield return (6, 2100, 10); // two dot passes (k > DotKC)
        yield return (71, 600, 16); // three k slices (k > KC) through the row kernel (float, Vector512)
        yield return (70, 600, 8); // ... and through the row kernel (double with Vector512, float with Vector256)
        yield return (9, 2100, 4);
    }

    [Theory, MemberData(nameof(Choices))]
    public void Narrow_MatchesReference_Float(string choice) => MatchesReference<float>(Enum.Parse<GemmKernel.KernelChoice>(choice));

    [Theory, MemberData(nameof(Choices))]
    public void Narrow_MatchesReference_Double(string choice) => MatchesReference<double>(Enum.Parse<GemmKernel.KernelChoice>(choice));

    /// <summary>The blocked kernels forced on the same narrow shapes still match the reference (they remain the fallback).</summary>
    [Fact]
    public void Blocked_OnNarrowShapes_MatchesReference()
    {
        MatchesReference<float>(GemmKernel.Choose(64));
        MatchesReference<double>(GemmKernel.Choose(64));
    }

    /// <summary>
    /// The row and outer-product kernels sum every element exactly as the blocked kernels do (same k slices, same FMA
    /// order), so they agree bit for bit; the dot-product kernels sum in lanes and must differ from them somewhere,
    /// which also shows that they ran.
    /// </summary>
    [Theory, MemberData(nameof(Choices))]
    public void RowAndOuterKernels_AgreeBitForBit_WithBlocked_DotKernelsDoNot(string choiceName)
    {
        var choice = Enum.Parse<GemmKernel.KernelChoice>(choiceName);
        if (!Supported(choice))
        {
            Assert.Equal(NarrowPath.None, RunNarrow<float>(choice, false, false, 4, 3, 5, new float[20], new float[15], new float[12], false));
            return;
        }

        var rng = new Random(31);
        int dotShapes = 0, dotShapesDiffering = 0;
        foreach ((int m, int k, int n) in Shapes())
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    float[] a = RandomValues<float>(rng, m * k), b = RandomValues<float>(rng, k * n), c0 = RandomValues<float>(rng, m * n);
                    int lda = transposeA ? m : k, ldb = transposeB ? k : n;
                    float[] narrow = (float[])c0.Clone(), blocked = (float[])c0.Clone();
                    NarrowPath path = GemmKernel.MultiplyNarrow<float>(choice, transposeA, transposeB, m, n, k, a, lda, b, ldb, narrow, n, accumulate: true);
                    ForceBlocked(m, () => GemmKernel.Multiply<float>(transposeA, transposeB, m, n, k, a, lda, b, ldb, blocked, n, accumulate: true, allowParallel: false));

                    Assert.Equal(ExpectedPath<float>(choice, transposeA, transposeB, n), path);
                    if (path == NarrowPath.Dot)
                    {
                        dotShapes++;
                        dotShapesDiffering += narrow.AsSpan().SequenceEqual(blocked) ? 0 : 1;
                    }
                    else
                    {
                        Assert.True(narrow.AsSpan().SequenceEqual(blocked), $"{path} {m}x{k}x{n} tA={transposeA} tB={transposeB} differs from the blocked kernel");
                    }
                }
            }
        }

        Assert.True(dotShapes > 100, $"only {dotShapes} shapes ran the dot kernels");
        Assert.True(dotShapesDiffering > dotShapes / 4, $"the dot kernels agreed bit for bit with the blocked ones on {dotShapes - dotShapesDiffering} of {dotShapes} shapes");
    }

    /// <summary>
    /// Ops.MatMul and MatMulPullback take the narrow path for narrow outputs: softmax regression's forward product
    /// (dot kernels), its dW = Xᵀ·dY (outer-product kernels) and a narrow dA = dC·Bᵀ (dot kernels reading B in place).
    /// </summary>
    [Fact]
    public void MatMulAndPullback_UseTheNarrowPath()
    {
        var rng = new Random(8);
        const int m = 64, k = 784, n = 10;
        float[] x = RandomValues<float>(rng, m * k), w = RandomValues<float>(rng, k * n), y = new float[m * n], dy = RandomValues<float>(rng, m * n);
        float[] expectedY = new float[m * n];
        Assert.Equal(ExpectedPath<float>(GemmKernel.KernelChoice.Auto, false, false, n), GemmKernel.MultiplyNarrow<float>(GemmKernel.KernelChoice.Auto, false, false, m, n, k, x, k, w, n, expectedY, n, accumulate: false));
        DiffGen.Ops.MatMul(x, w, y, m, k, n);
        Assert.Equal(expectedY, y);

        float[] dw = RandomValues<float>(rng, k * n), expectedDw = (float[])dw.Clone();
        Assert.Equal(ExpectedPath<float>(GemmKernel.KernelChoice.Auto, true, false, n), GemmKernel.MultiplyNarrow<float>(GemmKernel.KernelChoice.Auto, true, false, k, n, m, x, k, dy, n, expectedDw, n, accumulate: true));
        DiffGen.Ops.MatMulPullback(x, w, y, m, k, n, default, dw, dy);
        Assert.Equal(expectedDw, dw);

        // A narrow input adjoint: B is 10 × 200, so dA = dC·Bᵀ is 64 × 10 with B read as stored (transposed).
        const int k2 = 10, n2 = 200;
        float[] a2 = RandomValues<float>(rng, m * k2), b2 = RandomValues<float>(rng, k2 * n2), dc2 = RandomValues<float>(rng, m * n2);
        float[] da2 = RandomValues<float>(rng, m * k2), expectedDa2 = (float[])da2.Clone();
        Assert.Equal(ExpectedPath<float>(GemmKernel.KernelChoice.Auto, false, true, k2), GemmKernel.MultiplyNarrow<float>(GemmKernel.KernelChoice.Auto, false, true, m, k2, n2, dc2, n2, b2, n2, expectedDa2, k2, accumulate: true));
        DiffGen.Ops.MatMulPullback(a2, b2, new float[m * n2], m, k2, n2, da2, default, dc2);
        Assert.Equal(expectedDa2, da2);
    }

    [Fact]
    public void WideOutputs_AndForcedBlockedKernels_DoNotTakeTheNarrowPath()
    {
        int n = GemmKernel.NarrowMaxColumns + 1;
        Assert.Equal(NarrowPath.None, RunNarrow<float>(GemmKernel.KernelChoice.Auto, false, false, 2, 3, n, new float[6], new float[3 * n], new float[2 * n], false));
        Assert.Equal(NarrowPath.None, RunNarrow<float>(GemmKernel.KernelChoice.Vector512Rows12, false, false, 2, 3, 4, new float[6], new float[12], new float[8], false));
        Assert.Equal(NarrowPath.None, RunNarrow<double>(GemmKernel.KernelChoice.Vector256Rows6, true, false, 2, 3, 4, new double[6], new double[12], new double[8], false));
    }

    private static void MatchesReference<T>(GemmKernel.KernelChoice choice)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool narrow = choice is GemmKernel.KernelChoice.Auto or GemmKernel.KernelChoice.Vector512Narrow or GemmKernel.KernelChoice.Vector256Narrow;
        double u = typeof(T) == typeof(float) ? Math.Pow(2, -24) : Math.Pow(2, -53);
        var rng = new Random((int)choice * 7 + Unsafe.SizeOf<T>());
        var paths = new HashSet<NarrowPath>();
        foreach ((int m, int k, int n) in Shapes())
        {
            for (int variant = 0; variant < 8; variant++)
            {
                bool transposeA = (variant & 1) != 0, transposeB = (variant & 2) != 0, accumulate = (variant & 4) != 0;
                int aRows = transposeA ? k : m, aCols = transposeA ? m : k;
                int bRows = transposeB ? n : k, bCols = transposeB ? k : n;
                int lda = aCols + 3, ldb = bCols + 1, ldc = n + 2;
                T[] a = RandomValues<T>(rng, aRows * lda), b = RandomValues<T>(rng, bRows * ldb);

                // C: old values when accumulating, NaN (which must be overwritten) when not; the row padding and one
                // guard row after C hold a sentinel that must survive.
                T padding = T.CreateTruncating(12345.5);
                T[] c = new T[(m + 1) * ldc];
                for (int i = 0; i < c.Length; i++)
                {
                    c[i] = i % ldc >= n || i >= m * ldc ? padding : accumulate ? T.CreateTruncating(rng.NextDouble() * 4 - 2) : T.NaN;
                }

                T[] before = (T[])c.Clone();
                string label = $"{choice} {typeof(T).Name} {m}x{k}x{n} tA={transposeA} tB={transposeB} acc={accumulate}";
                if (narrow)
                {
                    NarrowPath path = GemmKernel.MultiplyNarrow<T>(choice, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                    Assert.True(ExpectedPath<T>(choice, transposeA, transposeB, n) == path, $"{label}: ran {path}");
                    paths.Add(path);
                    if (path == NarrowPath.None)
                    {
                        Assert.Equal(before, c); // not supported here: nothing written
                        continue;
                    }
                }
                else
                {
                    ForceBlocked(m, () => GemmKernel.Multiply<T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, allowParallel: false), choice);
                }

                for (int i = 0; i <= m; i++)
                {
                    for (int j = 0; j < ldc; j++)
                    {
                        int at = i * ldc + j;
                        if (j >= n || i == m)
                        {
                            Assert.True(c[at] == padding, $"{label}: padding or guard C[{i},{j}] overwritten with {c[at]}");
                            continue;
                        }

                        double sum = 0, magnitude = 0;
                        for (int p = 0; p < k; p++)
                        {
                            double av = double.CreateTruncating(transposeA ? a[p * lda + i] : a[i * lda + p]);
                            double bv = double.CreateTruncating(transposeB ? b[j * ldb + p] : b[p * ldb + j]);
                            sum += av * bv;
                            magnitude += Math.Abs(av * bv);
                        }

                        double old = accumulate ? double.CreateTruncating(before[at]) : 0;
                        double expected = old + sum, actual = double.CreateTruncating(c[at]);
                        double bound = (k + 3) * u * (magnitude + Math.Abs(old));
                        Assert.True(Math.Abs(actual - expected) <= bound, $"{label}: C[{i},{j}] = {actual:R}, expected {expected:R} ± {bound:E2}");
                    }
                }
            }
        }

        if (narrow && Supported(choice))
        {
            Assert.Equal(new HashSet<NarrowPath> { NarrowPath.Rows, NarrowPath.Outer, NarrowPath.Dot }, paths);
        }
    }

    /// <summary>Whether this machine runs the narrow path for <paramref name="choice"/> (the hardware conditions of <see cref="GemmKernel.TryMultiplyNarrow{T}"/>).</summary>
    private static bool Supported(GemmKernel.KernelChoice choice) => choice switch
    {
        GemmKernel.KernelChoice.Auto => Vector512.IsHardwareAccelerated && Avx512F.IsSupported || Vector256.IsHardwareAccelerated && Avx.IsSupported && Fma.IsSupported,
        GemmKernel.KernelChoice.Vector512Narrow => Avx512F.IsSupported,
        GemmKernel.KernelChoice.Vector256Narrow => Avx.IsSupported && Fma.IsSupported,
        _ => false,
    };

    /// <summary>The kernel the narrow path must pick: rows for C exactly one vector wide (B not transposed), else outer for op(A) = Aᵀ, else dot.</summary>
    private static NarrowPath ExpectedPath<T>(GemmKernel.KernelChoice choice, bool transposeA, bool transposeB, int n)
        where T : unmanaged
    {
        if (!Supported(choice) || n > GemmKernel.NarrowMaxColumns)
        {
            return NarrowPath.None;
        }

        bool wide = choice == GemmKernel.KernelChoice.Vector512Narrow
            || (choice == GemmKernel.KernelChoice.Auto && Vector512.IsHardwareAccelerated && Avx512F.IsSupported);
        int lanes = (wide ? 64 : 32) / Unsafe.SizeOf<T>();
        return n == lanes && !transposeB ? NarrowPath.Rows : transposeA ? NarrowPath.Outer : NarrowPath.Dot;
    }

    private static NarrowPath RunNarrow<T>(GemmKernel.KernelChoice choice, bool transposeA, bool transposeB, int m, int k, int n, T[] a, T[] b, T[] c, bool accumulate)
        where T : unmanaged =>
        GemmKernel.MultiplyNarrow<T>(choice, transposeA, transposeB, m, n, k, a, transposeA ? m : k, b, transposeB ? k : n, c, n, accumulate);

    /// <summary>Runs <paramref name="run"/> with a blocked kernel forced (the wide-shape choice for m unless given).</summary>
    private static void ForceBlocked(int m, Action run, GemmKernel.KernelChoice? choice = null)
    {
        GemmKernel.ForcedKernel = choice ?? GemmKernel.Choose(m);
        try
        {
            run();
        }
        finally
        {
            GemmKernel.ForcedKernel = GemmKernel.KernelChoice.Auto;
        }
    }

    private static T[] RandomValues<T>(Random rng, int length)
        where T : IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateTruncating(rng.NextDouble() * 4 - 2);
        }

        return values;
    }
}
