using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DiffGen.Gemm;

/// <summary>
/// Matrix multiply <c>C (+)= op(A) · op(B)</c> over row-major storage. C at most <see cref="NarrowMaxColumns"/> wide
/// goes to the narrow kernels (GemmKernel.Narrow.cs) where the hardware has masked loads; everything else is blocked,
/// in the BLIS/GotoBLAS structure:
/// loop over NC-wide column blocks of B and KC-deep slices of k, pack the B block into NR-wide micro-panels (stays in
/// L2/L3), then over MC-tall row blocks of A packed into MR-tall micro-panels (stays in L2), and run the
/// register-blocked micro-kernel over every MR × NR tile (its B micro-panel stays in L1). Edge tiles are computed in a
/// zero-padded scratch tile and copied out, so any m, n, k ≥ 0 is handled.
/// </summary>
internal static unsafe partial class GemmKernel
{
    /// <summary>Depth of one packed slice of k.</summary>
    internal const int KC = 256;

    /// <summary>Rows of A packed at once, in micro-panels (rounded to a multiple of MR at use).</summary>
    internal const int MCRows = 144;

    /// <summary>Columns of B packed at once (rounded to a multiple of NR at use).</summary>
    internal const int NCColumns = 1024;

    /// <summary>
    /// Computes <c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <paramref name="accumulate"/>, where op(A) is
    /// m × k and op(B) is k × n. <paramref name="transposeA"/> means A is stored k × m (row stride
    /// <paramref name="lda"/>) and op(A) = Aᵀ; likewise for B (stored n × k when transposed). C must not overlap A or B.
    /// Uses both cores when the work is large enough and <paramref name="allowParallel"/>.
    /// </summary>
    public static void Multiply<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate, bool allowParallel)
        where T : unmanaged
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    new Span<T>(c + i * ldc, n).Clear();
                }
            }

            return;
        }

        if (allowParallel && !SerialOnThisThread && ShouldParallelize(m, n, k))
        {
            MultiplyParallel(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        MultiplySerial(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    }

    /// <summary>The micro-kernel variants <see cref="MultiplySerial{T}"/> can run.</summary>
    internal enum KernelChoice
    {
        /// <summary>Pick by hardware and shape (see <see cref="Choose"/>).</summary>
        Auto,

        /// <summary>Vector512, 12 rows × 2 vectors (32 registers).</summary>
        Vector512Rows12,

        /// <summary>Vector512, 8 rows × 2 vectors.</summary>
        Vector512Rows8,

        /// <summary>Vector256, 6 rows × 2 vectors (16 registers, AVX2).</summary>
        Vector256Rows6,

        /// <summary>Vector128, 6 rows × 2 vectors (SSE / AdvSimd / software fallback).</summary>
        Vector128Rows6,

        /// <summary>The narrow path (n ≤ NarrowMaxColumns) with Vector512 and AVX-512 masks; wider shapes run the blocked default.</summary>
        Vector512Narrow,

        /// <summary>The narrow path (n ≤ NarrowMaxColumns) with Vector256 and AVX masks; wider shapes run the blocked default.</summary>
        Vector256Narrow,
    }

    /// <summary>
    /// Test hook: forces a kernel variant on the current thread. Every blocked variant computes each element in the
    /// same order, so their results are identical bit for bit; only speed differs (vector widths the hardware lacks are
    /// emulated by the runtime, correctly but slowly). A blocked variant also turns the narrow path off; a narrow
    /// variant forces its vector width there (if the hardware has it) and runs the blocked default on wider shapes.
    /// </summary>
    [ThreadStatic]
    internal static KernelChoice ForcedKernel;

    /// <summary>
    /// Set on the data-parallel workers of <see cref="Distributed.ParallelGradient{T}"/>: their shards already keep the
    /// cores busy, so a product is not split again onto the helper thread. Splitting never changes the result (each half
    /// computes its elements exactly as the whole would), only who computes it.
    /// </summary>
    [ThreadStatic]
    internal static bool SerialOnThisThread;

    /// <summary>
    /// Vector512 when accelerated, with 12 rows per tile (more FMAs per load: measured 108 vs 95 GFLOP/s at 512³) unless
    /// 8 rows would save more than 2.5% of the rows computed as padding of the last tile (m = 64: 72 → 64 rows, 88 → 100
    /// GFLOP/s); else Vector256 (AVX2: 16 registers, 6 rows); else Vector128.
    /// </summary>
    internal static KernelChoice Choose(int m)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            int waste12 = (12 - m % 12) % 12, waste8 = (8 - m % 8) % 8;
            return (waste12 - waste8) * 40 > m + waste12 ? KernelChoice.Vector512Rows8 : KernelChoice.Vector512Rows12;
        }

        return Vector256.IsHardwareAccelerated ? KernelChoice.Vector256Rows6 : KernelChoice.Vector128Rows6;
    }

    /// <summary>Single-threaded multiply (same contract as the pointer <c>Multiply</c>): dispatches on element type and kernel.</summary>
    internal static void MultiplySerial<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where T : unmanaged
    {
        KernelChoice choice = ForcedKernel;
        if (TryMultiplyNarrow(choice, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate) != NarrowPath.None)
        {
            return;
        }

        if (choice is KernelChoice.Auto or KernelChoice.Vector512Narrow or KernelChoice.Vector256Narrow)
        {
            choice = Choose(m);
        }

        if (typeof(T) == typeof(float))
        {
            BlockedWith<Lanes512Single, Lanes256Single, Lanes128Single, float>(choice, transposeA, transposeB, m, n, k, (float*)a, lda, (float*)b, ldb, (float*)c, ldc, accumulate);
        }
        else if (typeof(T) == typeof(double))
        {
            BlockedWith<Lanes512Double, Lanes256Double, Lanes128Double, double>(choice, transposeA, transposeB, m, n, k, (double*)a, lda, (double*)b, ldb, (double*)c, ldc, accumulate);
        }
        else
        {
            throw new NotSupportedException($"GEMM supports float and double, not {typeof(T)}.");
        }
    }

    /// <summary>The blocked multiply with the micro-kernel <paramref name="choice"/> names, over one element type's lanes.</summary>
    private static void BlockedWith<TLanes512, TLanes256, TLanes128, T>(
        KernelChoice choice, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where TLanes512 : struct, ISimdLanes<Vector512<T>, T>
        where TLanes256 : struct, ISimdLanes<Vector256<T>, T>
        where TLanes128 : struct, ISimdLanes<Vector128<T>, T>
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        switch (choice)
        {
            case KernelChoice.Vector512Rows12:
                Blocked<MicroKernel12x2<TLanes512, Vector512<T>, T>, T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                break;
            case KernelChoice.Vector512Rows8:
                Blocked<MicroKernel8x2<TLanes512, Vector512<T>, T>, T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                break;
            case KernelChoice.Vector256Rows6:
                Blocked<MicroKernel6x2<TLanes256, Vector256<T>, T>, T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                break;
            default:
                Blocked<MicroKernel6x2<TLanes128, Vector128<T>, T>, T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                break;
        }
    }

    private static void Blocked<TKernel, T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where TKernel : struct, IMicroKernel<T>
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int mcMax = Math.Max(mr, MCRows / mr * mr);
        int ncMax = Math.Max(nr, NCColumns / nr * nr);
        int kSlices = (k + KC - 1) / KC;
        int kcMax = (k + kSlices - 1) / kSlices; // balanced slices: 784 = 4 × 196, not 3 × 256 + 16
        PackingBuffers<T> buffers = PackingBuffers<T>.Get(mcMax * kcMax, RoundUp(Math.Min(ncMax, n), nr) * kcMax, mr * nr);
        T* packedA = buffers.A, packedB = buffers.B, tile = buffers.Tile;

        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool add = accumulate || pc > 0;
                PackB(transposeB, b, ldb, pc, jc, kc, nc, nr, packedB);

                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    PackA(transposeA, a, lda, ic, pc, mc, kc, mr, packedA);

                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nrValid = Math.Min(nr, nc - jr);
                        T* bPanel = packedB + (nint)jr * kc;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int mrValid = Math.Min(mr, mc - ir);
                            T* aPanel = packedA + (nint)ir * kc;
                            T* cTile = c + (ic + ir) * ldc + jc + jr;
                            if (mrValid == mr && nrValid == nr)
                            {
                                TKernel.Run(kc, aPanel, bPanel, cTile, ldc, add);
                            }
                            else
                            {
                                TKernel.Run(kc, aPanel, bPanel, tile, nr, accumulate: false);
                                StoreEdge(tile, nr, cTile, ldc, mrValid, nrValid, add);
                            }
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static void StoreEdge<T>(T* tile, int ldt, T* c, nint ldc, int rows, int cols, bool add)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            T* src = tile + i * ldt;
            T* dst = c + i * ldc;
            if (add)
            {
                for (int j = 0; j < cols; j++)
                {
                    dst[j] += src[j];
                }
            }
            else
            {
                new ReadOnlySpan<T>(src, cols).CopyTo(new Span<T>(dst, cols));
            }
        }
    }

    /// <summary>
    /// Copies one short run (a panel row: MR or NR elements, at most a few hundred bytes) with inline vector moves;
    /// a call to the general memmove per row costs more than the copy at these sizes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort<T>(T* source, T* destination, int count)
        where T : unmanaged
    {
        byte* s = (byte*)source, d = (byte*)destination;
        nint bytes = (nint)count * sizeof(T), i = 0;
        for (; i + 32 <= bytes; i += 32)
        {
            Vector256.Store(Vector256.Load(s + i), d + i);
        }

        if (i + 16 <= bytes)
        {
            Vector128.Store(Vector128.Load(s + i), d + i);
            i += 16;
        }

        for (; i < bytes; i += 4)
        {
            *(int*)(d + i) = *(int*)(s + i); // sizeof(T) is 4 or 8
        }
    }

    /// <summary>
    /// Packs op(A)[ic..ic+mc, pc..pc+kc] into MR-tall micro-panels: panel r holds, for each p, the MR values
    /// op(A)[ic + r·MR + i, pc + p] contiguously; rows past <paramref name="mc"/> are zero.
    /// </summary>
    private static void PackA<T>(bool transposeA, T* a, nint lda, int ic, int pc, int mc, int kc, int mr, T* dst)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            T* panel = dst + (nint)ir * kc;
            if (!transposeA)
            {
                // A is m × k row-major: row i of the panel is contiguous in memory.
                Interleave.Rows(a + (ic + ir) * lda + pc, lda, rows, kc, panel, mr);
            }
            else
            {
                // A is stored k × m: the MR values for one p are contiguous.
                for (int p = 0; p < kc; p++)
                {
                    CopyShort(a + (pc + p) * lda + ic + ir, panel + (nint)p * mr, rows);
                }
            }

            if (rows < mr)
            {
                for (int p = 0; p < kc; p++)
                {
                    new Span<T>(panel + (nint)p * mr + rows, mr - rows).Clear();
                }
            }
        }
    }

    /// <summary>
    /// Packs op(B)[pc..pc+kc, jc..jc+nc] into NR-wide micro-panels: panel j holds, for each p, the NR values
    /// op(B)[pc + p, jc + j·NR + l] contiguously; columns past <paramref name="nc"/> are zero.
    /// </summary>
    private static void PackB<T>(bool transposeB, T* b, nint ldb, int pc, int jc, int kc, int nc, int nr, T* dst)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* panel = dst + (nint)jr * kc;
            if (!transposeB)
            {
                // B is k × n row-major: the NR values for one p are contiguous.
                for (int p = 0; p < kc; p++)
                {
                    CopyShort(b + (pc + p) * ldb + jc + jr, panel + (nint)p * nr, cols);
                }
            }
            else
            {
                // B is stored n × k: column l of the panel is contiguous in memory.
                Interleave.Rows(b + (jc + jr) * ldb + pc, ldb, cols, kc, panel, nr);
            }

            if (cols < nr)
            {
                for (int p = 0; p < kc; p++)
                {
                    new Span<T>(panel + (nint)p * nr + cols, nr - cols).Clear();
                }
            }
        }
    }
}
