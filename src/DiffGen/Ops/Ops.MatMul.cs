using System;
using DiffGen.Gemm;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>
    /// Matrix product <c>C = A·B</c> of row-major A (<paramref name="m"/> × <paramref name="k"/>) and B
    /// (<paramref name="k"/> × <paramref name="n"/>) into C (<paramref name="m"/> × <paramref name="n"/>), by a blocked,
    /// packed, register-tiled FMA kernel (Vector512 when accelerated, else Vector256, else Vector128); a narrow C (n &lt; 32,
    /// e.g. a 10-class output layer) by kernels that keep every vector lane busy (x86 with AVX2 or AVX-512).
    /// Products of at least 2·10⁷ flops are split over two threads.
    /// </summary>
    /// <param name="a">A, length m·k.</param>
    /// <param name="b">B, length k·n.</param>
    /// <param name="c">Receives C (overwritten), length m·n; must not overlap <paramref name="a"/> or <paramref name="b"/>.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="k">Columns of A, rows of B.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <exception cref="ArgumentException">A length does not match the shape, or <paramref name="c"/> overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n) =>
        MatMulCore(a, b, c, m, k, n);

    /// <inheritdoc cref="MatMul(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
    public static void MatMul(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n) =>
        MatMulCore(a, b, c, m, k, n);

    /// <summary>
    /// Pullback of <see cref="MatMul(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>:
    /// <c>da += dc·Bᵀ</c> and <c>db += Aᵀ·dc</c>, both through the same kernels (a narrow <c>db</c>, n &lt; 32, by
    /// outer-product kernels that read A in place).
    /// </summary>
    /// <param name="a">The primal's A.</param>
    /// <param name="b">The primal's B.</param>
    /// <param name="c">The primal's output span (not read).</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="k">Columns of A, rows of B.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="da">Adjoint of <paramref name="a"/> (m·k), accumulated into.</param>
    /// <param name="db">Adjoint of <paramref name="b"/> (k·n), accumulated into.</param>
    /// <param name="dc">Incoming adjoint of <paramref name="c"/> (m·n, read only).</param>
    [DerivativeOf(typeof(Ops), nameof(MatMul))]
    public static void MatMulPullback(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, Span<float> da, Span<float> db, ReadOnlySpan<float> dc) =>
        MatMulPullbackCore<float>(a, b, c, m, k, n, da, db, dc);

    /// <inheritdoc cref="MatMulPullback(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, Span{float}, Span{float}, ReadOnlySpan{float})"/>
    [DerivativeOf(typeof(Ops), nameof(MatMul))]
    public static void MatMulPullback(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n, Span<double> da, Span<double> db, ReadOnlySpan<double> dc) =>
        MatMulPullbackCore<double>(a, b, c, m, k, n, da, db, dc);

    private static void CheckMatMulShapes(int aLength, int bLength, int cLength, int m, int k, int n)
    {
        CheckNonNegative(m, nameof(m));
        CheckNonNegative(k, nameof(k));
        CheckNonNegative(n, nameof(n));
        CheckProductLength(aLength, "a", m, "m", k, "k");
        CheckProductLength(bLength, "b", k, "k", n, "n");
        CheckProductLength(cLength, "c", m, "m", n, "n");
    }

    private static unsafe void MatMulCore<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n)
        where T : unmanaged
    {
        CheckMatMulShapes(a.Length, b.Length, c.Length, m, k, n);
        CheckNoOverlap<T>(c, nameof(c), a, nameof(a));
        CheckNoOverlap<T>(c, nameof(c), b, nameof(b));
        fixed (T* pa = a, pb = b, pc = c)
        {
            GemmKernel.Multiply(false, false, m, n, k, pa, k, pb, n, pc, n, accumulate: false, allowParallel: true);
        }
    }

    private static unsafe void MatMulPullbackCore<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> c, int m, int k, int n, Span<T> da, Span<T> db, ReadOnlySpan<T> dc)
        where T : unmanaged
    {
        CheckMatMulShapes(a.Length, b.Length, c.Length, m, k, n);
        bool needA = NeedsAdjoint(a.Length, nameof(a), da.Length, nameof(da));
        bool needB = NeedsAdjoint(b.Length, nameof(b), db.Length, nameof(db));
        CheckSameLength(c.Length, nameof(c), dc.Length, nameof(dc));
        CheckNoOverlap<T>(da, nameof(da), dc, nameof(dc));
        CheckNoOverlap<T>(da, nameof(da), b, nameof(b));
        CheckNoOverlap<T>(db, nameof(db), dc, nameof(dc));
        CheckNoOverlap<T>(db, nameof(db), a, nameof(a));
        fixed (T* pa = a, pb = b, pda = da, pdb = db, pdc = dc)
        {
            // da (m × k) += dc (m × n) · Bᵀ, with B stored k × n.
            if (needA)
            {
                GemmKernel.Multiply(false, true, m, k, n, pdc, n, pb, n, pda, k, accumulate: true, allowParallel: true);
            }

            // db (k × n) += Aᵀ · dc (m × n), with A stored m × k.
            if (needB)
            {
                GemmKernel.Multiply(true, false, k, n, m, pa, k, pdc, n, pdb, n, accumulate: true, allowParallel: true);
            }
        }
    }
}
