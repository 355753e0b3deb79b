using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DiffGen.Gemm;

internal static unsafe partial class GemmKernel
{
    /// <summary>Which narrow kernel ran (<see cref="TryMultiplyNarrow{T}"/>).</summary>
    internal enum NarrowPath
    {
        /// <summary>None: the shape, the hardware or a forced blocked kernel rules the narrow path out; nothing was written.</summary>
        None,

        /// <summary><see cref="RowKernel8x1{TLanes, TVector, T, TLayout}"/>: C exactly one vector wide, B not transposed.</summary>
        Rows,

        /// <summary>An <see cref="IOuterKernel{TVector, T}"/>: op(A) = Aᵀ.</summary>
        Outer,

        /// <summary>An <see cref="IDotKernel{TVector, T}"/>: row-major op(A).</summary>
        Dot,
    }

    /// <summary>
    /// Widest C (columns) that <see cref="TryMultiplyNarrow{T}"/> takes: measured faster than the blocked kernels for
    /// every n up to 31 (float and double, Vector512 and Vector256; m = 64, k = 784), level at n = 32 (whole panels).
    /// </summary>
    internal const int NarrowMaxColumns = 31;

    /// <summary>
    /// Longest stretch of k one dot-product pass covers (elements): keeps the packed columns of op(B) in L2 (31 columns
    /// of 2048 doubles are 0.5 MB) when k is huge. Shorter k is one pass.
    /// </summary>
    internal const int DotKC = 2048;

    /// <summary>
    /// The narrow path, for C at most <see cref="NarrowMaxColumns"/> columns wide: the blocked kernels' NR-wide panels
    /// (32 floats with Vector512) would compute mostly padding there (at n = 10, 22 of every 32 lanes). C exactly one
    /// vector wide runs a plain broadcast kernel (rows of C are whole vectors); otherwise row-major op(A) runs the
    /// dot-product kernels (vectors along k; op(B) packed column by column unless B is stored transposed) and
    /// op(A) = Aᵀ the outer-product kernels (vectors along the rows of C, which are contiguous in A; nothing packed).
    /// Needs x86 masked loads and stores (AVX-512, or AVX with FMA; elsewhere the blocked kernels serve every shape).
    /// Returns <see cref="NarrowPath.None"/>, having written nothing, when the shape or the hardware does not fit or a
    /// blocked kernel is forced. m, n and k must be positive.
    /// </summary>
    internal static NarrowPath TryMultiplyNarrow<T>(
        KernelChoice choice, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where T : unmanaged
    {
        if (n > NarrowMaxColumns)
        {
            return NarrowPath.None;
        }

        bool wide;
        if (choice == KernelChoice.Auto)
        {
            wide = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;
            if (!wide && !(Vector256.IsHardwareAccelerated && Avx.IsSupported && Fma.IsSupported))
            {
                return NarrowPath.None;
            }
        }
        else if (choice is KernelChoice.Vector512Narrow or KernelChoice.Vector256Narrow)
        {
            wide = choice == KernelChoice.Vector512Narrow;
            if (!(wide ? Avx512F.IsSupported : Avx.IsSupported && Fma.IsSupported))
            {
                return NarrowPath.None;
            }
        }
        else
        {
            return NarrowPath.None; // a blocked variant was forced
        }

        if (typeof(T) == typeof(float))
        {
            return NarrowWith<Lanes512Single, Lanes256Single, float>(wide, transposeA, transposeB, m, n, k, (float*)a, lda, (float*)b, ldb, (float*)c, ldc, accumulate);
        }

        if (typeof(T) == typeof(double))
        {
            return NarrowWith<Lanes512Double, Lanes256Double, double>(wide, transposeA, transposeB, m, n, k, (double*)a, lda, (double*)b, ldb, (double*)c, ldc, accumulate);
        }

        return NarrowPath.None;
    }

    /// <summary>The narrow multiply with Vector512 kernels (<paramref name="wide"/>) or Vector256 ones, over one element type's lanes.</summary>
    private static NarrowPath NarrowWith<TLanes512, TLanes256, T>(
        bool wide, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where TLanes512 : struct, IMaskedLanes<Vector512<T>, T>
        where TLanes256 : struct, IMaskedLanes<Vector256<T>, T>
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        wide
            ? Narrow<DotKernel4x5<TLanes512, Vector512<T>, T>, OuterKernel5x4<TLanes512, Vector512<T>, T>, TLanes512, Vector512<T>, T>(
                transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate)
            : Narrow<DotKernel2x5<TLanes256, Vector256<T>, T>, OuterKernel5x2<TLanes256, Vector256<T>, T>, TLanes256, Vector256<T>, T>(
                transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as the kernels: no slow first calls (tier 0)
    private static NarrowPath Narrow<TDot, TOuter, TLanes, TVector, T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where TDot : struct, IDotKernel<TVector, T>
        where TOuter : struct, IOuterKernel<TVector, T>
        where TLanes : struct, IMaskedLanes<TVector, T>
        where TVector : struct
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int w = TLanes.Count;

        // The row and outer kernels sum over k in the blocked driver's slices, so that every element is computed
        // exactly as there (see Blocked): the same results whichever path runs.
        int kSlices = (k + KC - 1) / KC;
        int kcMax = (k + kSlices - 1) / kSlices;
        if (n == w && !transposeB)
        {
            // Exactly one vector wide: rows of C are whole vectors, no lane is wasted by the plain broadcast kernel.
            if (transposeA)
            {
                NarrowRows<TLanes, TVector, T, TransposedA>(m, k, kcMax, a, lda, b, ldb, c, ldc, accumulate);
            }
            else
            {
                NarrowRows<TLanes, TVector, T, RowMajorA>(m, k, kcMax, a, lda, b, ldb, c, ldc, accumulate);
            }

            return NarrowPath.Rows;
        }
        else if (transposeA)
        {
            // C = Aᵀ·op(B), A stored k × m. B(i, j) = op(B)[i, j] is read in place: b[i·ldb + j], or b[j·ldb + i]
            // when B is stored transposed (n × k).
            nint bRow = transposeB ? 1 : ldb, bColumn = transposeB ? ldb : 1;
            int rowsPerBlock = TOuter.Vectors * w;
            int nb = BalancedBlock(n, TOuter.Columns);
            T* tile = PackingBuffers<T>.Get(0, 0, TOuter.Columns * rowsPerBlock).Tile;
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool add = accumulate || pc > 0;
                for (int ir = 0; ir < m; ir += rowsPerBlock)
                {
                    int count = Math.Min(rowsPerBlock, m - ir);
                    for (int jc = 0; jc < n; jc += nb)
                    {
                        TOuter.Run(kc, count, Math.Min(nb, n - jc), a + pc * lda + ir, lda, b + pc * bRow + jc * bColumn, bRow, bColumn, c + ir * ldc + jc, ldc, add, tile);
                    }
                }
            }

            return NarrowPath.Outer;
        }
        else
        {
            // C = A·op(B), A stored m × k: dot products of rows of A with columns of op(B), which are the rows of B
            // when it is stored transposed and otherwise are packed (n × kc, rows padded to whole vectors). Sums run
            // along k in lanes (not in the blocked order), so results differ from the blocked kernels' by rounding;
            // they do not depend on the row blocking. Very long k is cut into passes that add to C.
            int dotSlices = (k + DotKC - 1) / DotKC;
            int dotMax = RoundUp((k + dotSlices - 1) / dotSlices, w);
            T* packed = transposeB ? null : PackingBuffers<T>.Get(0, n * dotMax, 0).B;
            int nb = BalancedBlock(n, TDot.Columns);
            for (int pc = 0; pc < k; pc += dotMax)
            {
                int kc = Math.Min(dotMax, k - pc);
                bool add = accumulate || pc > 0;
                T* bt = b + pc;
                nint ldbt = ldb;
                if (!transposeB)
                {
                    Interleave.Rows(b + pc * ldb, ldb, kc, n, packed, dotMax);
                    bt = packed;
                    ldbt = dotMax;
                }

                TVector tail = TLanes.FirstLanes(kc % w);
                for (int ir = 0; ir < m; ir += TDot.Rows)
                {
                    int rows = Math.Min(TDot.Rows, m - ir);
                    for (int jc = 0; jc < n; jc += nb)
                    {
                        TDot.Run(kc, rows, Math.Min(nb, n - jc), a + ir * lda + pc, lda, bt + jc * ldbt, ldbt, tail, c + ir * ldc + jc, ldc, add);
                    }
                }
            }

            return NarrowPath.Dot;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowRows<TLanes, TVector, T, TLayout>(
        int m, int k, int kcMax, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where TLanes : struct, IMaskedLanes<TVector, T>
        where TVector : struct
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where TLayout : struct, IALayout
    {
        int mr = RowKernel8x1<TLanes, TVector, T, TLayout>.Rows;
        for (int pc = 0; pc < k; pc += kcMax)
        {
            int kc = Math.Min(kcMax, k - pc);
            bool add = accumulate || pc > 0;
            for (int ir = 0; ir < m; ir += mr)
            {
                T* aBlock = TLayout.Transposed ? a + pc * lda + ir : a + ir * lda + pc;
                RowKernel8x1<TLanes, TVector, T, TLayout>.Run(kc, Math.Min(mr, m - ir), aBlock, lda, b + pc * ldb, ldb, c + ir * ldc, ldc, add);
            }
        }
    }

    /// <summary>Columns per block when n is cut into blocks of at most <paramref name="most"/>, as evenly as possible (16 = 4 × 4, not 5 + 5 + 5 + 1).</summary>
    private static int BalancedBlock(int n, int most)
    {
        int blocks = (n + most - 1) / most;
        return (n + blocks - 1) / blocks;
    }
}

/// <summary>Helpers shared by the narrow kernels.</summary>
internal static unsafe class Narrow
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint Min(nint x, nint y) => x < y ? x : y;

    /// <summary>Stores one lane-summed accumulator: <c>*c = sum</c>, or <c>*c = *c + sum</c> when accumulating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Finish<TLanes, TVector, T>(T* c, TVector acc, bool accumulate)
        where TLanes : struct, IMaskedLanes<TVector, T>
        where TVector : struct
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T sum = TLanes.Sum(acc);
        *c = accumulate ? *c + sum : sum;
    }

    /// <summary>Stores the first <paramref name="cols"/> (1–5) lane-summed accumulators of one row of a dot kernel's tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Finish5<TLanes, TVector, T>(T* row, int cols, TVector a0, TVector a1, TVector a2, TVector a3, TVector a4, bool accumulate)
        where TLanes : struct, IMaskedLanes<TVector, T>
        where TVector : struct
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Finish<TLanes, TVector, T>(row, a0, accumulate);
        if (cols > 1)
        {
            Finish<TLanes, TVector, T>(row + 1, a1, accumulate);
        }

        if (cols > 2)
        {
            Finish<TLanes, TVector, T>(row + 2, a2, accumulate);
        }

        if (cols > 3)
        {
            Finish<TLanes, TVector, T>(row + 3, a3, accumulate);
        }

        if (cols > 4)
        {
            Finish<TLanes, TVector, T>(row + 4, a4, accumulate);
        }
    }


    /// <summary>
    /// <c>C[l, j] = tile[j·stride + l]</c> (or <c>C[l, j] + tile[…]</c> when accumulating) for l &lt; <paramref name="count"/>,
    /// j &lt; <paramref name="cols"/>: writes a block computed transposed. Whole 4 × 4 (float) or 2 × 2 (double) squares
    /// go through in-register transposes; the rest element by element (same sums either way).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called per block: its unoptimised (tier-0) code costs 4× the kernel
    public static void AddTransposed<T>(T* tile, int stride, int count, int cols, T* c, nint ldc, bool accumulate)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int l = 0, square = 16 / sizeof(T), whole = cols / square * square;
        if (whole > 0 && Sse2.IsSupported)
        {
            for (; l + square <= count; l += square)
            {
                for (int j = 0; j < whole; j += square)
                {
                    if (typeof(T) == typeof(float))
                    {
                        AddTransposed4x4((float*)tile + j * stride + l, stride, (float*)c + l * ldc + j, ldc, accumulate);
                    }
                    else
                    {
                        AddTransposed2x2((double*)tile + j * stride + l, stride, (double*)c + l * ldc + j, ldc, accumulate);
                    }
                }

                for (int i = l; i < l + square; i++)
                {
                    AddRow(tile, stride, i, whole, cols, c + i * ldc, accumulate);
                }
            }
        }

        for (; l < count; l++)
        {
            AddRow(tile, stride, l, 0, cols, c + l * ldc, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow<T>(T* tile, int stride, int l, int from, int cols, T* row, bool accumulate)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int j = from; j < cols; j++)
        {
            T value = tile[j * stride + l];
            row[j] = accumulate ? row[j] + value : value;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTransposed4x4(float* tile, int stride, float* c, nint ldc, bool accumulate)
    {
        Vector128<float> r0 = Sse.LoadVector128(tile), r1 = Sse.LoadVector128(tile + stride);
        Vector128<float> r2 = Sse.LoadVector128(tile + 2 * stride), r3 = Sse.LoadVector128(tile + 3 * stride);
        Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);
        Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);
        Vector128<float> v0 = Sse.MoveLowToHigh(t0, t1), v1 = Sse.MoveHighToLow(t1, t0);
        Vector128<float> v2 = Sse.MoveLowToHigh(t2, t3), v3 = Sse.MoveHighToLow(t3, t2);
        if (accumulate)
        {
            v0 = Sse.Add(Sse.LoadVector128(c), v0);
            v1 = Sse.Add(Sse.LoadVector128(c + ldc), v1);
            v2 = Sse.Add(Sse.LoadVector128(c + 2 * ldc), v2);
            v3 = Sse.Add(Sse.LoadVector128(c + 3 * ldc), v3);
        }

        Sse.Store(c, v0);
        Sse.Store(c + ldc, v1);
        Sse.Store(c + 2 * ldc, v2);
        Sse.Store(c + 3 * ldc, v3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTransposed2x2(double* tile, int stride, double* c, nint ldc, bool accumulate)
    {
        Vector128<double> r0 = Sse2.LoadVector128(tile), r1 = Sse2.LoadVector128(tile + stride);
        Vector128<double> v0 = Sse2.UnpackLow(r0, r1), v1 = Sse2.UnpackHigh(r0, r1);
        if (accumulate)
        {
            v0 = Sse2.Add(Sse2.LoadVector128(c), v0);
            v1 = Sse2.Add(Sse2.LoadVector128(c + ldc), v1);
        }

        Sse2.Store(c, v0);
        Sse2.Store(c + ldc, v1);
    }
}
