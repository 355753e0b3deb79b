// The narrow kernels are written out register by register (generated once from a template and checked in, like
// MicroKernels.cs). Both keep all of their accumulators live across the whole k loop and use every vector lane,
// whatever n is; the blocked kernels' NR-wide panels would be mostly padding for a narrow C (n = 10 of NR = 32).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DiffGen.Gemm;

/// <summary>A dot-product kernel (<see cref="DotKernel4x5{TLanes, TVector, T}"/>, <see cref="DotKernel2x5{TLanes, TVector, T}"/>).</summary>
internal unsafe interface IDotKernel<TVector, T>
    where TVector : struct
    where T : unmanaged
{
    /// <summary>Rows of C per block.</summary>
    static abstract int Rows { get; }

    /// <summary>Columns of C per block (at most).</summary>
    static abstract int Columns { get; }

    /// <summary>
    /// <c>C[i, j] (+)= Σ_p A[i, p]·Bt[j, p]</c> for i &lt; <paramref name="rows"/>, j &lt; <paramref name="cols"/>, p &lt;
    /// <paramref name="k"/>; A and Bt row-major; <paramref name="tail"/> selects the k mod Count lanes of the last step.
    /// </summary>
    static abstract void Run(int k, int rows, int cols, T* a, nint lda, T* bt, nint ldbt, TVector tail, T* c, nint ldc, bool accumulate);
}

/// <summary>An outer-product kernel for <c>C = Aᵀ·B</c> (<see cref="OuterKernel5x4{TLanes, TVector, T}"/>, <see cref="OuterKernel5x2{TLanes, TVector, T}"/>).</summary>
internal unsafe interface IOuterKernel<TVector, T>
    where TVector : struct
    where T : unmanaged
{
    /// <summary>Vectors of C's rows per block (the block covers Vectors·Count rows of C).</summary>
    static abstract int Vectors { get; }

    /// <summary>Columns of C per block (at most).</summary>
    static abstract int Columns { get; }

    /// <summary>
    /// <c>C[l, j] (+)= Σ_i A[i, l]·B(i, j)</c> for l &lt; <paramref name="count"/> (at most Vectors·Count), j &lt;
    /// <paramref name="cols"/>, i &lt; <paramref name="kc"/>; A row-major (row stride lda); B(i, j) at
    /// <c>b[i·bRow + j·bColumn]</c>; <paramref name="tile"/> is scratch for Columns·Vectors·Count values, 64-byte aligned.
    /// </summary>
    static abstract void Run(int kc, int count, int cols, T* a, nint lda, T* b, nint bRow, nint bColumn, T* c, nint ldc, bool accumulate, T* tile);
}

/// <summary>
/// Vector512 (32 registers): 20 accumulators. Dot products for row-major op(A): <c>C[i, j] (+)= Σ_p A[i, p]·Bt[j, p]</c> for up to 4 rows ×
/// 5 columns of C, op(B) given column by column (Bt, n × k). Vectors run along k; each accumulator is summed across
/// its lanes at the end (<see cref="IMaskedLanes{TVector, T}.Sum"/>). Element (i, j) is the same lane-wise FMA chains
/// over p, the same lane sum and then the old C added when accumulating, in whatever block it falls: results do not
/// depend on the blocking (or on a split over threads). Rows past <c>rows</c> and columns past <c>cols</c> recompute the
/// last valid one and are not stored, so nothing outside A or Bt is read; the k tail is read with masked loads.
/// </summary>
internal unsafe struct DotKernel4x5<TLanes, TVector, T> : IDotKernel<TVector, T>
    where TLanes : struct, IMaskedLanes<TVector, T>
    where TVector : struct
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static int Rows => 4;

    public static int Columns => 5;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int k, int rows, int cols, T* a, nint lda, T* bt, nint ldbt, TVector tail, T* c, nint ldc, bool accumulate)
    {
        int w = TLanes.Count;
        nint lastRow = rows - 1, lastColumn = cols - 1;
        T* a0 = a, a1 = a + Narrow.Min(1, lastRow) * lda, a2 = a + Narrow.Min(2, lastRow) * lda, a3 = a + Narrow.Min(3, lastRow) * lda;
        T* b0 = bt, b1 = bt + Narrow.Min(1, lastColumn) * ldbt, b2 = bt + Narrow.Min(2, lastColumn) * ldbt, b3 = bt + Narrow.Min(3, lastColumn) * ldbt, b4 = bt + Narrow.Min(4, lastColumn) * ldbt;
        TVector c00 = TLanes.Zero, c01 = TLanes.Zero, c02 = TLanes.Zero, c03 = TLanes.Zero, c04 = TLanes.Zero;
        TVector c10 = TLanes.Zero, c11 = TLanes.Zero, c12 = TLanes.Zero, c13 = TLanes.Zero, c14 = TLanes.Zero;
        TVector c20 = TLanes.Zero, c21 = TLanes.Zero, c22 = TLanes.Zero, c23 = TLanes.Zero, c24 = TLanes.Zero;
        TVector c30 = TLanes.Zero, c31 = TLanes.Zero, c32 = TLanes.Zero, c33 = TLanes.Zero, c34 = TLanes.Zero;
        nint p = 0;
        for (; p + w <= k; p += w)
        {
            TVector x0 = TLanes.Load(a0 + p), x1 = TLanes.Load(a1 + p), x2 = TLanes.Load(a2 + p), x3 = TLanes.Load(a3 + p);
            TVector y;
            y = TLanes.Load(b0 + p);
            c00 = TLanes.MultiplyAdd(x0, y, c00); c10 = TLanes.MultiplyAdd(x1, y, c10); c20 = TLanes.MultiplyAdd(x2, y, c20); c30 = TLanes.MultiplyAdd(x3, y, c30);
            y = TLanes.Load(b1 + p);
            c01 = TLanes.MultiplyAdd(x0, y, c01); c11 = TLanes.MultiplyAdd(x1, y, c11); c21 = TLanes.MultiplyAdd(x2, y, c21); c31 = TLanes.MultiplyAdd(x3, y, c31);
            y = TLanes.Load(b2 + p);
            c02 = TLanes.MultiplyAdd(x0, y, c02); c12 = TLanes.MultiplyAdd(x1, y, c12); c22 = TLanes.MultiplyAdd(x2, y, c22); c32 = TLanes.MultiplyAdd(x3, y, c32);
            y = TLanes.Load(b3 + p);
            c03 = TLanes.MultiplyAdd(x0, y, c03); c13 = TLanes.MultiplyAdd(x1, y, c13); c23 = TLanes.MultiplyAdd(x2, y, c23); c33 = TLanes.MultiplyAdd(x3, y, c33);
            y = TLanes.Load(b4 + p);
            c04 = TLanes.MultiplyAdd(x0, y, c04); c14 = TLanes.MultiplyAdd(x1, y, c14); c24 = TLanes.MultiplyAdd(x2, y, c24); c34 = TLanes.MultiplyAdd(x3, y, c34);
        }

        if (p < k)
        {
            TVector x0 = TLanes.LoadMasked(a0 + p, tail), x1 = TLanes.LoadMasked(a1 + p, tail), x2 = TLanes.LoadMasked(a2 + p, tail), x3 = TLanes.LoadMasked(a3 + p, tail);
            TVector y;
            y = TLanes.LoadMasked(b0 + p, tail);
            c00 = TLanes.MultiplyAdd(x0, y, c00); c10 = TLanes.MultiplyAdd(x1, y, c10); c20 = TLanes.MultiplyAdd(x2, y, c20); c30 = TLanes.MultiplyAdd(x3, y, c30);
            y = TLanes.LoadMasked(b1 + p, tail);
            c01 = TLanes.MultiplyAdd(x0, y, c01); c11 = TLanes.MultiplyAdd(x1, y, c11); c21 = TLanes.MultiplyAdd(x2, y, c21); c31 = TLanes.MultiplyAdd(x3, y, c31);
            y = TLanes.LoadMasked(b2 + p, tail);
            c02 = TLanes.MultiplyAdd(x0, y, c02); c12 = TLanes.MultiplyAdd(x1, y, c12); c22 = TLanes.MultiplyAdd(x2, y, c22); c32 = TLanes.MultiplyAdd(x3, y, c32);
            y = TLanes.LoadMasked(b3 + p, tail);
            c03 = TLanes.MultiplyAdd(x0, y, c03); c13 = TLanes.MultiplyAdd(x1, y, c13); c23 = TLanes.MultiplyAdd(x2, y, c23); c33 = TLanes.MultiplyAdd(x3, y, c33);
            y = TLanes.LoadMasked(b4 + p, tail);
            c04 = TLanes.MultiplyAdd(x0, y, c04); c14 = TLanes.MultiplyAdd(x1, y, c14); c24 = TLanes.MultiplyAdd(x2, y, c24); c34 = TLanes.MultiplyAdd(x3, y, c34);
        }

        Narrow.Finish5<TLanes, TVector, T>(c + 0 * ldc, cols, c00, c01, c02, c03, c04, accumulate);

        if (rows > 1)
        {
            Narrow.Finish5<TLanes, TVector, T>(c + 1 * ldc, cols, c10, c11, c12, c13, c14, accumulate);
        }

        if (rows > 2)
        {
            Narrow.Finish5<TLanes, TVector, T>(c + 2 * ldc, cols, c20, c21, c22, c23, c24, accumulate);
        }

        if (rows > 3)
        {
            Narrow.Finish5<TLanes, TVector, T>(c + 3 * ldc, cols, c30, c31, c32, c33, c34, accumulate);
        }
    }
}

/// <summary>
/// Vector256 (16 registers): 10 accumulators. Dot products for row-major op(A): <c>C[i, j] (+)= Σ_p A[i, p]·Bt[j, p]</c> for up to 2 rows ×
/// 5 columns of C, op(B) given column by column (Bt, n × k). Vectors run along k; each accumulator is summed across
/// its lanes at the end (<see cref="IMaskedLanes{TVector, T}.Sum"/>). Element (i, j) is the same lane-wise FMA chains
/// over p, the same lane sum and then the old C added when accumulating, in whatever block it falls: results do not
/// depend on the blocking (or on a split over threads). Rows past <c>rows</c> and columns past <c>cols</c> recompute the
/// last valid one and are not stored, so nothing outside A or Bt is read; the k tail is read with masked loads.
/// </summary>
internal unsafe struct DotKernel2x5<TLanes, TVector, T> : IDotKernel<TVector, T>
    where TLanes : struct, IMaskedLanes<TVector, T>
    where TVector : struct
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static int Rows => 2;

    public static int Columns => 5;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int k, int rows, int cols, T* a, nint lda, T* bt, nint ldbt, TVector tail, T* c, nint ldc, bool accumulate)
    {
        int w = TLanes.Count;
        nint lastRow = rows - 1, lastColumn = cols - 1;
        T* a0 = a, a1 = a + Narrow.Min(1, lastRow) * lda;
        T* b0 = bt, b1 = bt + Narrow.Min(1, lastColumn) * ldbt, b2 = bt + Narrow.Min(2, lastColumn) * ldbt, b3 = bt + Narrow.Min(3, lastColumn) * ldbt, b4 = bt + Narrow.Min(4, lastColumn) * ldbt;
        TVector c00 = TLanes.Zero, c01 = TLanes.Zero, c02 = TLanes.Zero, c03 = TLanes.Zero, c04 = TLanes.Zero;
        TVector c10 = TLanes.Zero, c11 = TLanes.Zero, c12 = TLanes.Zero, c13 = TLanes.Zero, c14 = TLanes.Zero;
        nint p = 0;
        for (; p + w <= k; p += w)
        {
            TVector x0 = TLanes.Load(a0 + p), x1 = TLanes.Load(a1 + p);
            TVector y;
            y = TLanes.Load(b0 + p);
            c00 = TLanes.MultiplyAdd(x0, y, c00); c10 = TLanes.MultiplyAdd(x1, y, c10);
            y = TLanes.Load(b1 + p);
            c01 = TLanes.MultiplyAdd(x0, y, c01); c11 = TLanes.MultiplyAdd(x1, y, c11);
            y = TLanes.Load(b2 + p);
            c02 = TLanes.MultiplyAdd(x0, y, c02); c12 = TLanes.MultiplyAdd(x1, y, c12);
            y = TLanes.Load(b3 + p);
            c03 = TLanes.MultiplyAdd(x0, y, c03); c13 = TLanes.MultiplyAdd(x1, y, c13);
            y = TLanes.Load(b4 + p);
            c04 = TLanes.MultiplyAdd(x0, y, c04); c14 = TLanes.MultiplyAdd(x1, y, c14);
        }

        if (p < k)
        {
            TVector x0 = TLanes.LoadMasked(a0 + p, tail), x1 = TLanes.LoadMasked(a1 + p, tail);
            TVector y;
            y = TLanes.LoadMasked(b0 + p, tail);
            c00 = TLanes.MultiplyAdd(x0, y, c00); c10 = TLanes.MultiplyAdd(x1, y, c10);
            y = TLanes.LoadMasked(b1 + p, tail);
            c01 = TLanes.MultiplyAdd(x0, y, c01); c11 = TLanes.MultiplyAdd(x1, y, c11);
            y = TLanes.LoadMasked(b2 + p, tail);
            c02 = TLanes.MultiplyAdd(x0, y, c02); c12 = TLanes.MultiplyAdd(x1, y, c12);
            y = TLanes.LoadMasked(b3 + p, tail);
            c03 = TLanes.MultiplyAdd(x0, y, c03); c13 = TLanes.MultiplyAdd(x1, y, c13);
            y = TLanes.LoadMasked(b4 + p, tail);
            c04 = TLanes.MultiplyAdd(x0, y, c04); c14 = TLanes.MultiplyAdd(x1, y, c14);
        }

        Narrow.Finish5<TLanes, TVector, T>(c + 0 * ldc, cols, c00, c01, c02, c03, c04, accumulate);

        if (rows > 1)
        {
            Narrow.Finish5<TLanes, TVector, T>(c + 1 * ldc, cols, c10, c11, c12, c13, c14, accumulate);
        }
    }
}

/// <summary>
/// Vector512 (32 registers): 20 accumulators. Outer products for <c>C = Aᵀ·B</c> with A stored k × m: the block of up to 4 vectors of C's rows × 5
/// columns is computed transposed, as <c>Cᵀ[j, l] = Σ_i B(i, j)·A[i, l]</c>, so vectors run along the rows of C (contiguous
/// in each row of A) and every lane is useful whatever n is; B(i, j) is broadcast. The block is then written to C
/// through the scratch tile, transposed. Element (l, j) is one FMA chain over i in order, started from zero, then
/// added to the old C when accumulating: exactly the arithmetic of the blocked kernels, so results agree with them bit
/// for bit. Columns past <c>cols</c> recompute the last valid one and are not stored; rows past <c>count</c> are read
/// with masked loads and not stored.
/// </summary>
internal unsafe struct OuterKernel5x4<TLanes, TVector, T> : IOuterKernel<TVector, T>
    where TLanes : struct, IMaskedLanes<TVector, T>
    where TVector : struct
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static int Vectors => 4;

    public static int Columns => 5;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, int count, int cols, T* a, nint lda, T* b, nint bRow, nint bColumn, T* c, nint ldc, bool accumulate, T* tile)
    {
        int w = TLanes.Count;
        nint lastColumn = cols - 1;
        nint o1 = Narrow.Min(1, lastColumn) * bColumn, o2 = Narrow.Min(2, lastColumn) * bColumn, o3 = Narrow.Min(3, lastColumn) * bColumn, o4 = Narrow.Min(4, lastColumn) * bColumn;
        TVector c00 = TLanes.Zero, c01 = TLanes.Zero, c02 = TLanes.Zero, c03 = TLanes.Zero;
        TVector c10 = TLanes.Zero, c11 = TLanes.Zero, c12 = TLanes.Zero, c13 = TLanes.Zero;
        TVector c20 = TLanes.Zero, c21 = TLanes.Zero, c22 = TLanes.Zero, c23 = TLanes.Zero;
        TVector c30 = TLanes.Zero, c31 = TLanes.Zero, c32 = TLanes.Zero, c33 = TLanes.Zero;
        TVector c40 = TLanes.Zero, c41 = TLanes.Zero, c42 = TLanes.Zero, c43 = TLanes.Zero;
        if (count == 4 * w)
        {
            for (int i = 0; i < kc; i++)
            {
                TVector x0 = TLanes.Load(a), x1 = TLanes.Load(a + 1 * w), x2 = TLanes.Load(a + 2 * w), x3 = TLanes.Load(a + 3 * w);
                TVector y;
                y = TLanes.Broadcast(b);
                c00 = TLanes.MultiplyAdd(y, x0, c00); c01 = TLanes.MultiplyAdd(y, x1, c01); c02 = TLanes.MultiplyAdd(y, x2, c02); c03 = TLanes.MultiplyAdd(y, x3, c03);
                y = TLanes.Broadcast(b + o1);
                c10 = TLanes.MultiplyAdd(y, x0, c10); c11 = TLanes.MultiplyAdd(y, x1, c11); c12 = TLanes.MultiplyAdd(y, x2, c12); c13 = TLanes.MultiplyAdd(y, x3, c13);
                y = TLanes.Broadcast(b + o2);
                c20 = TLanes.MultiplyAdd(y, x0, c20); c21 = TLanes.MultiplyAdd(y, x1, c21); c22 = TLanes.MultiplyAdd(y, x2, c22); c23 = TLanes.MultiplyAdd(y, x3, c23);
                y = TLanes.Broadcast(b + o3);
                c30 = TLanes.MultiplyAdd(y, x0, c30); c31 = TLanes.MultiplyAdd(y, x1, c31); c32 = TLanes.MultiplyAdd(y, x2, c32); c33 = TLanes.MultiplyAdd(y, x3, c33);
                y = TLanes.Broadcast(b + o4);
                c40 = TLanes.MultiplyAdd(y, x0, c40); c41 = TLanes.MultiplyAdd(y, x1, c41); c42 = TLanes.MultiplyAdd(y, x2, c42); c43 = TLanes.MultiplyAdd(y, x3, c43);
                a += lda;
                b += bRow;
            }
        }
        else
        {
            TVector m0 = TLanes.FirstLanes(count); TVector m1 = TLanes.FirstLanes(count - 1 * w); TVector m2 = TLanes.FirstLanes(count - 2 * w); TVector m3 = TLanes.FirstLanes(count - 3 * w);
            for (int i = 0; i < kc; i++)
            {
                TVector x0 = TLanes.LoadMasked(a, m0), x1 = count > 1 * w ? TLanes.LoadMasked(a + 1 * w, m1) : TLanes.Zero, x2 = count > 2 * w ? TLanes.LoadMasked(a + 2 * w, m2) : TLanes.Zero, x3 = count > 3 * w ? TLanes.LoadMasked(a + 3 * w, m3) : TLanes.Zero;
                TVector y;
                y = TLanes.Broadcast(b);
                c00 = TLanes.MultiplyAdd(y, x0, c00); c01 = TLanes.MultiplyAdd(y, x1, c01); c02 = TLanes.MultiplyAdd(y, x2, c02); c03 = TLanes.MultiplyAdd(y, x3, c03);
                y = TLanes.Broadcast(b + o1);
                c10 = TLanes.MultiplyAdd(y, x0, c10); c11 = TLanes.MultiplyAdd(y, x1, c11); c12 = TLanes.MultiplyAdd(y, x2, c12); c13 = TLanes.MultiplyAdd(y, x3, c13);
                y = TLanes.Broadcast(b + o2);
                c20 = TLanes.MultiplyAdd(y, x0, c20); c21 = TLanes.MultiplyAdd(y, x1, c21); c22 = TLanes.MultiplyAdd(y, x2, c22); c23 = TLanes.MultiplyAdd(y, x3, c23);
                y = TLanes.Broadcast(b + o3);
                c30 = TLanes.MultiplyAdd(y, x0, c30); c31 = TLanes.MultiplyAdd(y, x1, c31); c32 = TLanes.MultiplyAdd(y, x2, c32); c33 = TLanes.MultiplyAdd(y, x3, c33);
                y = TLanes.Broadcast(b + o4);
                c40 = TLanes.MultiplyAdd(y, x0, c40); c41 = TLanes.MultiplyAdd(y, x1, c41); c42 = TLanes.MultiplyAdd(y, x2, c42); c43 = TLanes.MultiplyAdd(y, x3, c43);
                a += lda;
                b += bRow;
            }
        }

        int stride = 4 * w;
        TLanes.Store(tile + 0 * stride, c00); TLanes.Store(tile + 0 * stride + 1 * w, c01); TLanes.Store(tile + 0 * stride + 2 * w, c02); TLanes.Store(tile + 0 * stride + 3 * w, c03);
        TLanes.Store(tile + 1 * stride, c10); TLanes.Store(tile + 1 * stride + 1 * w, c11); TLanes.Store(tile + 1 * stride + 2 * w, c12); TLanes.Store(tile + 1 * stride + 3 * w, c13);
        TLanes.Store(tile + 2 * stride, c20); TLanes.Store(tile + 2 * stride + 1 * w, c21); TLanes.Store(tile + 2 * stride + 2 * w, c22); TLanes.Store(tile + 2 * stride + 3 * w, c23);
        TLanes.Store(tile + 3 * stride, c30); TLanes.Store(tile + 3 * stride + 1 * w, c31); TLanes.Store(tile + 3 * stride + 2 * w, c32); TLanes.Store(tile + 3 * stride + 3 * w, c33);
        TLanes.Store(tile + 4 * stride, c40); TLanes.Store(tile + 4 * stride + 1 * w, c41); TLanes.Store(tile + 4 * stride + 2 * w, c42); TLanes.Store(tile + 4 * stride + 3 * w, c43);
        Narrow.AddTransposed(tile, stride, count, cols, c, ldc, accumulate);
    }
}

/// <summary>
/// Vector256 (16 registers): 10 accumulators. Outer products for <c>C = Aᵀ·B</c> with A stored k × m: the block of up to 2 vectors of C's rows × 5
/// columns is computed transposed, as <c>Cᵀ[j, l] = Σ_i B(i, j)·A[i, l]</c>, so vectors run along the rows of C (contiguous
/// in each row of A) and every lane is useful whatever n is; B(i, j) is broadcast. The block is then written to C
/// through the scratch tile, transposed. Element (l, j) is one FMA chain over i in order, started from zero, then
/// added to the old C when accumulating: exactly the arithmetic of the blocked kernels, so results agree with them bit
/// for bit. Columns past <c>cols</c> recompute the last valid one and are not stored; rows past <c>count</c> are read
/// with masked loads and not stored.
/// </summary>
internal unsafe struct OuterKernel5x2<TLanes, TVector, T> : IOuterKernel<TVector, T>
    where TLanes : struct, IMaskedLanes<TVector, T>
    where TVector : struct
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static int Vectors => 2;

    public static int Columns => 5;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, int count, int cols, T* a, nint lda, T* b, nint bRow, nint bColumn, T* c, nint ldc, bool accumulate, T* tile)
    {
        int w = TLanes.Count;
        nint lastColumn = cols - 1;
        nint o1 = Narrow.Min(1, lastColumn) * bColumn, o2 = Narrow.Min(2, lastColumn) * bColumn, o3 = Narrow.Min(3, lastColumn) * bColumn, o4 = Narrow.Min(4, lastColumn) * bColumn;
        TVector c00 = TLanes.Zero, c01 = TLanes.Zero;
        TVector c10 = TLanes.Zero, c11 = TLanes.Zero;
        TVector c20 = TLanes.Zero, c21 = TLanes.Zero;
        TVector c30 = TLanes.Zero, c31 = TLanes.Zero;
        TVector c40 = TLanes.Zero, c41 = TLanes.Zero;
        if (count == 2 * w)
        {
            for (int i = 0; i < kc; i++)
            {
                TVector x0 = TLanes.Load(a), x1 = TLanes.Load(a + 1 * w);
                TVector y;
                y = TLanes.Broadcast(b);
                c00 = TLanes.MultiplyAdd(y, x0, c00); c01 = TLanes.MultiplyAdd(y, x1, c01);
                y = TLanes.Broadcast(b + o1);
                c10 = TLanes.MultiplyAdd(y, x0, c10); c11 = TLanes.MultiplyAdd(y, x1, c11);
                y = TLanes.Broadcast(b + o2);
                c20 = TLanes.MultiplyAdd(y, x0, c20); c21 = TLanes.MultiplyAdd(y, x1, c21);
                y = TLanes.Broadcast(b + o3);
                c30 = TLanes.MultiplyAdd(y, x0, c30); c31 = TLanes.MultiplyAdd(y, x1, c31);
                y = TLanes.Broadcast(b + o4);
                c40 = TLanes.MultiplyAdd(y, x0, c40); c41 = TLanes.MultiplyAdd(y, x1, c41);
                a += lda;
                b += bRow;
            }
        }
        else
        {
            TVector m0 = TLanes.FirstLanes(count); TVector m1 = TLanes.FirstLanes(count - 1 * w);
            for (int i = 0; i < kc; i++)
            {
                TVector x0 = TLanes.LoadMasked(a, m0), x1 = count > 1 * w ? TLanes.LoadMasked(a + 1 * w, m1) : TLanes.Zero;
                TVector y;
                y = TLanes.Broadcast(b);
                c00 = TLanes.MultiplyAdd(y, x0, c00); c01 = TLanes.MultiplyAdd(y, x1, c01);
                y = TLanes.Broadcast(b + o1);
                c10 = TLanes.MultiplyAdd(y, x0, c10); c11 = TLanes.MultiplyAdd(y, x1, c11);
                y = TLanes.Broadcast(b + o2);
                c20 = TLanes.MultiplyAdd(y, x0, c20); c21 = TLanes.MultiplyAdd(y, x1, c21);
                y = TLanes.Broadcast(b + o3);
                c30 = TLanes.MultiplyAdd(y, x0, c30); c31 = TLanes.MultiplyAdd(y, x1, c31);
                y = TLanes.Broadcast(b + o4);
                c40 = TLanes.MultiplyAdd(y, x0, c40); c41 = TLanes.MultiplyAdd(y, x1, c41);
                a += lda;
                b += bRow;
            }
        }

        int stride = 2 * w;
        TLanes.Store(tile + 0 * stride, c00); TLanes.Store(tile + 0 * stride + 1 * w, c01);
        TLanes.Store(tile + 1 * stride, c10); TLanes.Store(tile + 1 * stride + 1 * w, c11);
        TLanes.Store(tile + 2 * stride, c20); TLanes.Store(tile + 2 * stride + 1 * w, c21);
        TLanes.Store(tile + 3 * stride, c30); TLanes.Store(tile + 3 * stride + 1 * w, c31);
        TLanes.Store(tile + 4 * stride, c40); TLanes.Store(tile + 4 * stride + 1 * w, c41);
        Narrow.AddTransposed(tile, stride, count, cols, c, ldc, accumulate);
    }
}

/// <summary>
/// Broadcast kernel for C exactly one vector wide (n = Count): <c>C[i, 0..n) (+)= Σ_p op(A)[i, p]·B[p, 0..n)</c> for up to
/// 8 rows, B row-major, op(A) read in place (row-major, or stored transposed per <typeparamref name="TLayout"/>): each p
/// broadcasts one value per row against the row of B. The blocked kernels' structure with NR = Count: every element is
/// one FMA chain over p in order from zero, then added to the old C when accumulating, so results agree with them bit
/// for bit. Rows past <c>rows</c> recompute the last valid row and are not stored.
/// </summary>
internal unsafe struct RowKernel8x1<TLanes, TVector, T, TLayout>
    where TLanes : struct, IMaskedLanes<TVector, T>
    where TVector : struct
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    where TLayout : struct, IALayout
{
    public static int Rows => 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, int rows, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate)
    {
        nint rs = TLayout.Transposed ? 1 : lda, ps = TLayout.Transposed ? lda : 1;
        nint last = rows - 1;
        nint o1 = Narrow.Min(1, last) * rs, o2 = Narrow.Min(2, last) * rs, o3 = Narrow.Min(3, last) * rs, o4 = Narrow.Min(4, last) * rs, o5 = Narrow.Min(5, last) * rs, o6 = Narrow.Min(6, last) * rs, o7 = Narrow.Min(7, last) * rs;
        TVector c0 = TLanes.Zero, c1 = TLanes.Zero, c2 = TLanes.Zero, c3 = TLanes.Zero, c4 = TLanes.Zero, c5 = TLanes.Zero, c6 = TLanes.Zero, c7 = TLanes.Zero;
        for (int p = 0; p < kc; p++)
        {
            TVector y = TLanes.Load(b);
            c0 = TLanes.MultiplyAdd(TLanes.Broadcast(a), y, c0);
            c1 = TLanes.MultiplyAdd(TLanes.Broadcast(a + o1), y, c1);
            c2 = TLanes.MultiplyAdd(TLanes.Broadcast(a + o2), y, c2);
            c3 = TLanes.MultiplyAdd(TLanes.Broadcast(a + o3), y, c3);
            c4 = TLanes.MultiplyAdd(TLanes.Broadcast(a + o4), y, c4);
            c5 = TLanes.MultiplyAdd(TLanes.Broadcast(a + o5), y, c5);
            c6 = TLanes.MultiplyAdd(TLanes.Broadcast(a + o6), y, c6);
            c7 = TLanes.MultiplyAdd(TLanes.Broadcast(a + o7), y, c7);
            a += ps;
            b += ldb;
        }

        Tile.Store<TLanes, TVector, T>(c, c0, accumulate);
        if (rows > 1)
        {
            Tile.Store<TLanes, TVector, T>(c + 1 * ldc, c1, accumulate);
        }

        if (rows > 2)
        {
            Tile.Store<TLanes, TVector, T>(c + 2 * ldc, c2, accumulate);
        }

        if (rows > 3)
        {
            Tile.Store<TLanes, TVector, T>(c + 3 * ldc, c3, accumulate);
        }

        if (rows > 4)
        {
            Tile.Store<TLanes, TVector, T>(c + 4 * ldc, c4, accumulate);
        }

        if (rows > 5)
        {
            Tile.Store<TLanes, TVector, T>(c + 5 * ldc, c5, accumulate);
        }

        if (rows > 6)
        {
            Tile.Store<TLanes, TVector, T>(c + 6 * ldc, c6, accumulate);
        }

        if (rows > 7)
        {
            Tile.Store<TLanes, TVector, T>(c + 7 * ldc, c7, accumulate);
        }
    }
}

/// <summary>How <see cref="RowKernel8x1{TLanes, TVector, T, TLayout}"/> addresses op(A).</summary>
internal interface IALayout
{
    /// <summary>A is stored k × m (row stride lda), op(A) = Aᵀ; else A is m × k row-major.</summary>
    static abstract bool Transposed { get; }
}

/// <summary>op(A) = A, stored m × k.</summary>
internal struct RowMajorA : IALayout
{
    public static bool Transposed => false;
}

/// <summary>op(A) = Aᵀ, A stored k × m.</summary>
internal struct TransposedA : IALayout
{
    public static bool Transposed => true;
}
