// The micro-kernels are written out register by register (generated once by hand from a template and checked in);
// each keeps MR × 2 vector accumulators live across the whole k loop.
using System.Runtime.CompilerServices;

namespace DiffGen.Gemm;

/// <summary>
/// A register-blocked micro-kernel: computes the MR × NR tile <c>C (+)= Apanel · Bpanel</c> from packed panels
/// (A: kc groups of MR values, B: kc groups of NR values).
/// </summary>
internal unsafe interface IMicroKernel<T>
    where T : unmanaged
{
    /// <summary>Rows of C per tile.</summary>
    static abstract int MR { get; }

    /// <summary>Columns of C per tile.</summary>
    static abstract int NR { get; }

    /// <summary>Computes one tile; when <paramref name="accumulate"/> the old C values are added.</summary>
    static abstract void Run(int kc, T* a, T* b, T* c, nint ldc, bool accumulate);
}

/// <summary>12 × (2 vectors): 24 accumulators, for targets with 32 vector registers (AVX-512, Arm64).</summary>
internal unsafe struct MicroKernel12x2<TLanes, TVector, T> : IMicroKernel<T>
    where TLanes : struct, ISimdLanes<TVector, T>
    where TVector : struct
    where T : unmanaged
{
    public static int MR => 12;

    public static int NR => 2 * TLanes.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, bool accumulate)
    {
        int w = TLanes.Count;
        TVector c00 = TLanes.Zero, c01 = TLanes.Zero;
        TVector c10 = TLanes.Zero, c11 = TLanes.Zero;
        TVector c20 = TLanes.Zero, c21 = TLanes.Zero;
        TVector c30 = TLanes.Zero, c31 = TLanes.Zero;
        TVector c40 = TLanes.Zero, c41 = TLanes.Zero;
        TVector c50 = TLanes.Zero, c51 = TLanes.Zero;
        TVector c60 = TLanes.Zero, c61 = TLanes.Zero;
        TVector c70 = TLanes.Zero, c71 = TLanes.Zero;
        TVector c80 = TLanes.Zero, c81 = TLanes.Zero;
        TVector c90 = TLanes.Zero, c91 = TLanes.Zero;
        TVector c100 = TLanes.Zero, c101 = TLanes.Zero;
        TVector c110 = TLanes.Zero, c111 = TLanes.Zero;
        for (int p = 0; p < kc; p++)
        {
            TVector b0 = TLanes.Load(b);
            TVector b1 = TLanes.Load(b + w);
            TVector ar;
            ar = TLanes.Broadcast(a + 0); c00 = TLanes.MultiplyAdd(ar, b0, c00); c01 = TLanes.MultiplyAdd(ar, b1, c01);
            ar = TLanes.Broadcast(a + 1); c10 = TLanes.MultiplyAdd(ar, b0, c10); c11 = TLanes.MultiplyAdd(ar, b1, c11);
            ar = TLanes.Broadcast(a + 2); c20 = TLanes.MultiplyAdd(ar, b0, c20); c21 = TLanes.MultiplyAdd(ar, b1, c21);
            ar = TLanes.Broadcast(a + 3); c30 = TLanes.MultiplyAdd(ar, b0, c30); c31 = TLanes.MultiplyAdd(ar, b1, c31);
            ar = TLanes.Broadcast(a + 4); c40 = TLanes.MultiplyAdd(ar, b0, c40); c41 = TLanes.MultiplyAdd(ar, b1, c41);
            ar = TLanes.Broadcast(a + 5); c50 = TLanes.MultiplyAdd(ar, b0, c50); c51 = TLanes.MultiplyAdd(ar, b1, c51);
            ar = TLanes.Broadcast(a + 6); c60 = TLanes.MultiplyAdd(ar, b0, c60); c61 = TLanes.MultiplyAdd(ar, b1, c61);
            ar = TLanes.Broadcast(a + 7); c70 = TLanes.MultiplyAdd(ar, b0, c70); c71 = TLanes.MultiplyAdd(ar, b1, c71);
            ar = TLanes.Broadcast(a + 8); c80 = TLanes.MultiplyAdd(ar, b0, c80); c81 = TLanes.MultiplyAdd(ar, b1, c81);
            ar = TLanes.Broadcast(a + 9); c90 = TLanes.MultiplyAdd(ar, b0, c90); c91 = TLanes.MultiplyAdd(ar, b1, c91);
            ar = TLanes.Broadcast(a + 10); c100 = TLanes.MultiplyAdd(ar, b0, c100); c101 = TLanes.MultiplyAdd(ar, b1, c101);
            ar = TLanes.Broadcast(a + 11); c110 = TLanes.MultiplyAdd(ar, b0, c110); c111 = TLanes.MultiplyAdd(ar, b1, c111);
            a += 12;
            b += 2 * w;
        }

        Tile.Store<TLanes, TVector, T>(c + 0 * ldc, c00, accumulate); Tile.Store<TLanes, TVector, T>(c + 0 * ldc + w, c01, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 1 * ldc, c10, accumulate); Tile.Store<TLanes, TVector, T>(c + 1 * ldc + w, c11, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 2 * ldc, c20, accumulate); Tile.Store<TLanes, TVector, T>(c + 2 * ldc + w, c21, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 3 * ldc, c30, accumulate); Tile.Store<TLanes, TVector, T>(c + 3 * ldc + w, c31, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 4 * ldc, c40, accumulate); Tile.Store<TLanes, TVector, T>(c + 4 * ldc + w, c41, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 5 * ldc, c50, accumulate); Tile.Store<TLanes, TVector, T>(c + 5 * ldc + w, c51, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 6 * ldc, c60, accumulate); Tile.Store<TLanes, TVector, T>(c + 6 * ldc + w, c61, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 7 * ldc, c70, accumulate); Tile.Store<TLanes, TVector, T>(c + 7 * ldc + w, c71, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 8 * ldc, c80, accumulate); Tile.Store<TLanes, TVector, T>(c + 8 * ldc + w, c81, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 9 * ldc, c90, accumulate); Tile.Store<TLanes, TVector, T>(c + 9 * ldc + w, c91, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 10 * ldc, c100, accumulate); Tile.Store<TLanes, TVector, T>(c + 10 * ldc + w, c101, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 11 * ldc, c110, accumulate); Tile.Store<TLanes, TVector, T>(c + 11 * ldc + w, c111, accumulate);
    }
}

/// <summary>6 × (2 vectors): 12 accumulators, for targets with 16 vector registers (AVX2).</summary>
internal unsafe struct MicroKernel6x2<TLanes, TVector, T> : IMicroKernel<T>
    where TLanes : struct, ISimdLanes<TVector, T>
    where TVector : struct
    where T : unmanaged
{
    public static int MR => 6;

    public static int NR => 2 * TLanes.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, bool accumulate)
    {
        int w = TLanes.Count;
        TVector c00 = TLanes.Zero, c01 = TLanes.Zero;
        TVector c10 = TLanes.Zero, c11 = TLanes.Zero;
        TVector c20 = TLanes.Zero, c21 = TLanes.Zero;
        TVector c30 = TLanes.Zero, c31 = TLanes.Zero;
        TVector c40 = TLanes.Zero, c41 = TLanes.Zero;
        TVector c50 = TLanes.Zero, c51 = TLanes.Zero;
        for (int p = 0; p < kc; p++)
        {
            TVector b0 = TLanes.Load(b);
            TVector b1 = TLanes.Load(b + w);
            TVector ar;
            ar = TLanes.Broadcast(a + 0); c00 = TLanes.MultiplyAdd(ar, b0, c00); c01 = TLanes.MultiplyAdd(ar, b1, c01);
            ar = TLanes.Broadcast(a + 1); c10 = TLanes.MultiplyAdd(ar, b0, c10); c11 = TLanes.MultiplyAdd(ar, b1, c11);
            ar = TLanes.Broadcast(a + 2); c20 = TLanes.MultiplyAdd(ar, b0, c20); c21 = TLanes.MultiplyAdd(ar, b1, c21);
            ar = TLanes.Broadcast(a + 3); c30 = TLanes.MultiplyAdd(ar, b0, c30); c31 = TLanes.MultiplyAdd(ar, b1, c31);
            ar = TLanes.Broadcast(a + 4); c40 = TLanes.MultiplyAdd(ar, b0, c40); c41 = TLanes.MultiplyAdd(ar, b1, c41);
            ar = TLanes.Broadcast(a + 5); c50 = TLanes.MultiplyAdd(ar, b0, c50); c51 = TLanes.MultiplyAdd(ar, b1, c51);
            a += 6;
            b += 2 * w;
        }

        Tile.Store<TLanes, TVector, T>(c + 0 * ldc, c00, accumulate); Tile.Store<TLanes, TVector, T>(c + 0 * ldc + w, c01, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 1 * ldc, c10, accumulate); Tile.Store<TLanes, TVector, T>(c + 1 * ldc + w, c11, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 2 * ldc, c20, accumulate); Tile.Store<TLanes, TVector, T>(c + 2 * ldc + w, c21, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 3 * ldc, c30, accumulate); Tile.Store<TLanes, TVector, T>(c + 3 * ldc + w, c31, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 4 * ldc, c40, accumulate); Tile.Store<TLanes, TVector, T>(c + 4 * ldc + w, c41, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 5 * ldc, c50, accumulate); Tile.Store<TLanes, TVector, T>(c + 5 * ldc + w, c51, accumulate);
    }
}

/// <summary>8 × (2 vectors): 16 accumulators, for row counts that are multiples of 8 but not of 12 (no wasted rows).</summary>
internal unsafe struct MicroKernel8x2<TLanes, TVector, T> : IMicroKernel<T>
    where TLanes : struct, ISimdLanes<TVector, T>
    where TVector : struct
    where T : unmanaged
{
    public static int MR => 8;

    public static int NR => 2 * TLanes.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, bool accumulate)
    {
        int w = TLanes.Count;
        TVector c00 = TLanes.Zero, c01 = TLanes.Zero;
        TVector c10 = TLanes.Zero, c11 = TLanes.Zero;
        TVector c20 = TLanes.Zero, c21 = TLanes.Zero;
        TVector c30 = TLanes.Zero, c31 = TLanes.Zero;
        TVector c40 = TLanes.Zero, c41 = TLanes.Zero;
        TVector c50 = TLanes.Zero, c51 = TLanes.Zero;
        TVector c60 = TLanes.Zero, c61 = TLanes.Zero;
        TVector c70 = TLanes.Zero, c71 = TLanes.Zero;
        for (int p = 0; p < kc; p++)
        {
            TVector b0 = TLanes.Load(b);
            TVector b1 = TLanes.Load(b + w);
            TVector ar;
            ar = TLanes.Broadcast(a + 0); c00 = TLanes.MultiplyAdd(ar, b0, c00); c01 = TLanes.MultiplyAdd(ar, b1, c01);
            ar = TLanes.Broadcast(a + 1); c10 = TLanes.MultiplyAdd(ar, b0, c10); c11 = TLanes.MultiplyAdd(ar, b1, c11);
            ar = TLanes.Broadcast(a + 2); c20 = TLanes.MultiplyAdd(ar, b0, c20); c21 = TLanes.MultiplyAdd(ar, b1, c21);
            ar = TLanes.Broadcast(a + 3); c30 = TLanes.MultiplyAdd(ar, b0, c30); c31 = TLanes.MultiplyAdd(ar, b1, c31);
            ar = TLanes.Broadcast(a + 4); c40 = TLanes.MultiplyAdd(ar, b0, c40); c41 = TLanes.MultiplyAdd(ar, b1, c41);
            ar = TLanes.Broadcast(a + 5); c50 = TLanes.MultiplyAdd(ar, b0, c50); c51 = TLanes.MultiplyAdd(ar, b1, c51);
            ar = TLanes.Broadcast(a + 6); c60 = TLanes.MultiplyAdd(ar, b0, c60); c61 = TLanes.MultiplyAdd(ar, b1, c61);
            ar = TLanes.Broadcast(a + 7); c70 = TLanes.MultiplyAdd(ar, b0, c70); c71 = TLanes.MultiplyAdd(ar, b1, c71);
            a += 8;
            b += 2 * w;
        }

        Tile.Store<TLanes, TVector, T>(c + 0 * ldc, c00, accumulate); Tile.Store<TLanes, TVector, T>(c + 0 * ldc + w, c01, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 1 * ldc, c10, accumulate); Tile.Store<TLanes, TVector, T>(c + 1 * ldc + w, c11, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 2 * ldc, c20, accumulate); Tile.Store<TLanes, TVector, T>(c + 2 * ldc + w, c21, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 3 * ldc, c30, accumulate); Tile.Store<TLanes, TVector, T>(c + 3 * ldc + w, c31, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 4 * ldc, c40, accumulate); Tile.Store<TLanes, TVector, T>(c + 4 * ldc + w, c41, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 5 * ldc, c50, accumulate); Tile.Store<TLanes, TVector, T>(c + 5 * ldc + w, c51, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 6 * ldc, c60, accumulate); Tile.Store<TLanes, TVector, T>(c + 6 * ldc + w, c61, accumulate);
        Tile.Store<TLanes, TVector, T>(c + 7 * ldc, c70, accumulate); Tile.Store<TLanes, TVector, T>(c + 7 * ldc + w, c71, accumulate);
    }
}
