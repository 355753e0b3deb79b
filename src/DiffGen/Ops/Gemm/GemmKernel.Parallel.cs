using System;
using DiffGen.Threading;

namespace DiffGen.Gemm;

internal static unsafe partial class GemmKernel
{
    /// <summary>Below this many floating-point operations (2·m·n·k) a second thread costs more than it saves.</summary>
    internal const double ParallelFlopThreshold = 2e7;

    /// <summary>Row splits are multiples of 12 (and so of every MR that divides 12), so the first half has no padded rows.</summary>
    private const int RowGranule = 12;

    /// <summary>Column splits are multiples of every NR (32, 16, 8, 4), so the split adds no edge tiles.</summary>
    private const int ColumnGranule = 32;

    internal static bool ShouldParallelize(int m, int n, int k) =>
        Environment.ProcessorCount > 1
        && 2.0 * m * n * k >= ParallelFlopThreshold
        && (m >= 4 * RowGranule || n >= 4 * ColumnGranule);

    /// <summary>
    /// Splits C into two halves (by rows when that gives more whole micro-tiles per half, else by columns), hands one
    /// half to <see cref="HelperThread"/> and computes the other on the calling thread. The handed-over work item is a
    /// cached per-thread object and each thread packs into its own <see cref="PackingBuffers{T}"/>, so after warm-up
    /// nothing is allocated on either thread. If the helper is busy with another caller's product, or has not started
    /// the half by the time the caller finishes its own, the caller runs it itself: no caller ever waits for work that
    /// nobody has started.
    /// </summary>
    private static void MultiplyParallel<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where T : unmanaged
    {
        HalfProduct<T> other = HalfProduct<T>.ForCurrentThread();
        int m0 = m, n0 = n;
        bool byRows = m >= 4 * RowGranule && (n < 4 * ColumnGranule || m / RowGranule >= n / ColumnGranule);
        if (byRows)
        {
            m0 = (m / 2 + RowGranule / 2) / RowGranule * RowGranule;
            T* a1 = transposeA ? a + m0 : a + m0 * lda;
            other.Set(transposeA, transposeB, m - m0, n, k, a1, lda, b, ldb, c + m0 * ldc, ldc, accumulate);
        }
        else
        {
            n0 = (n / 2 + ColumnGranule / 2) / ColumnGranule * ColumnGranule;
            T* b1 = transposeB ? b + n0 * ldb : b + n0;
            other.Set(transposeA, transposeB, m, n - n0, k, a, lda, b1, ldb, c + n0, ldc, accumulate);
        }

        HelperThread.Instance.TryPost(other); // when it is busy, RunOrWait below runs the half here
        Exception? mine = null;
        try
        {
            MultiplySerial(transposeA, transposeB, m0, n0, k, a, lda, b, ldb, c, ldc, accumulate);
        }
        catch (Exception ex)
        {
            mine = ex;
        }

        other.RunOrWait();
        if (mine is not null)
        {
            throw mine;
        }
    }

    /// <summary>One half of a split product; reused across calls from the same thread.</summary>
    private sealed class HalfProduct<T> : HelperWork
        where T : unmanaged
    {
        [ThreadStatic]
        private static HalfProduct<T>? s_cached;

        private bool _transposeA, _transposeB, _accumulate;
        private int _m, _n, _k;
        private T* _a, _b, _c;
        private nint _lda, _ldb, _ldc;

        public static HalfProduct<T> ForCurrentThread() => s_cached ??= new HalfProduct<T>();

        public void Set(bool transposeA, bool transposeB, int m, int n, int k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        {
            (_transposeA, _transposeB, _m, _n, _k) = (transposeA, transposeB, m, n, k);
            _a = a;
            _b = b;
            _c = c;
            (_lda, _ldb, _ldc, _accumulate) = (lda, ldb, ldc, accumulate);
            Reset();
        }

        protected override void Compute() =>
            MultiplySerial(_transposeA, _transposeB, _m, _n, _k, _a, _lda, _b, _ldb, _c, _ldc, _accumulate);
    }
}
