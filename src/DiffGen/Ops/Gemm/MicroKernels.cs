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

        if (accumulate)
        {
            c00 = TLanes.Add(c00, TLanes.Load(c + 0 * ldc)); c01 = TLanes.Add(c01, TLanes.Load(c + 0 * ldc + w));
            c10 = TLanes.Add(c10, TLanes.Load(c + 1 * ldc)); c11 = TLanes.Add(c11, TLanes.Load(c + 1 * ldc + w));
            c20 = TLanes.Add(c20, TLanes.Load(c + 2 * ldc)); c21 = TLanes.Add(c21, TLanes.Load(c + 2 * ldc + w));
            c30 = TLanes.Add(c30, TLanes.Load(c + 3 * ldc)); c31 = TLanes.Add(c31, TLanes.Load(c + 3 * ldc + w));
            c40 = TLanes.Add(c40, TLanes.Load(c + 4 * ldc)); c41 = TLanes.Add(c41, TLanes.Load(c + 4 * ldc + w));
            c50 = TLanes.Add(c50, TLanes.Load(c + 5 * ldc)); c51 = TLanes.Add(c51, TLanes.Load(c + 5 * ldc + w));
            c60 = TLanes.Add(c60, TLanes.Load(c + 6 * ldc)); c61 = TLanes.Add(c61, TLanes.Load(c + 6 * ldc + w));
            c70 = TLanes.Add(c70, TLanes.Load(c + 7 * ldc)); c71 = TLanes.Add(c71, TLanes.Load(c + 7 * ldc + w));
            c80 = TLanes.Add(c80, TLanes.Load(c + 8 * ldc)); c81 = TLanes.Add(c81, TLanes.Load(c + 8 * ldc + w));
            c90 = TLanes.Add(c90, TLanes.Load(c + 9 * ldc)); c91 = TLanes.Add(c91, TLanes.Load(c + 9 * ldc + w));
            c100 = TLanes.Add(c100, TLanes.Load(c + 10 * ldc)); c101 = TLanes.Add(c101, TLanes.Load(c + 10 * ldc + w));
            c110 = TLanes.Add(c110, TLanes.Load(c + 11 * ldc)); c111 = TLanes.Add(c111, TLanes.Load(c + 11 * ldc + w));
        }

        TLanes.Store(c + 0 * ldc, c00); TLanes.Store(c + 0 * ldc + w, c01);
        TLanes.Store(c + 1 * ldc, c10); TLanes.Store(c + 1 * ldc + w, c11);
        TLanes.Store(c + 2 * ldc, c20); TLanes.Store(c + 2 * ldc + w, c21);
        TLanes.Store(c + 3 * ldc, c30); TLanes.Store(c + 3 * ldc + w, c31);
        TLanes.Store(c + 4 * ldc, c40); TLanes.Store(c + 4 * ldc + w, c41);
        TLanes.Store(c + 5 * ldc, c50); TLanes.Store(c + 5 * ldc + w, c51);
        TLanes.Store(c + 6 * ldc, c60); TLanes.Store(c + 6 * ldc + w, c61);
        TLanes.Store(c + 7 * ldc, c70); TLanes.Store(c + 7 * ldc + w, c71);
        TLanes.Store(c + 8 * ldc, c80); TLanes.Store(c + 8 * ldc + w, c81);
        TLanes.Store(c + 9 * ldc, c90); TLanes.Store(c + 9 * ldc + w, c91);
        TLanes.Store(c + 10 * ldc, c100); TLanes.Store(c + 10 * ldc + w, c101);
        TLanes.Store(c + 11 * ldc, c110); TLanes.Store(c + 11 * ldc + w, c111);
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

        if (accumulate)
        {
            c00 = TLanes.Add(c00, TLanes.Load(c + 0 * ldc)); c01 = TLanes.Add(c01, TLanes.Load(c + 0 * ldc + w));
            c10 = TLanes.Add(c10, TLanes.Load(c + 1 * ldc)); c11 = TLanes.Add(c11, TLanes.Load(c + 1 * ldc + w));
            c20 = TLanes.Add(c20, TLanes.Load(c + 2 * ldc)); c21 = TLanes.Add(c21, TLanes.Load(c + 2 * ldc + w));
            c30 = TLanes.Add(c30, TLanes.Load(c + 3 * ldc)); c31 = TLanes.Add(c31, TLanes.Load(c + 3 * ldc + w));
            c40 = TLanes.Add(c40, TLanes.Load(c + 4 * ldc)); c41 = TLanes.Add(c41, TLanes.Load(c + 4 * ldc + w));
            c50 = TLanes.Add(c50, TLanes.Load(c + 5 * ldc)); c51 = TLanes.Add(c51, TLanes.Load(c + 5 * ldc + w));
        }

        TLanes.Store(c + 0 * ldc, c00); TLanes.Store(c + 0 * ldc + w, c01);
        TLanes.Store(c + 1 * ldc, c10); TLanes.Store(c + 1 * ldc + w, c11);
        TLanes.Store(c + 2 * ldc, c20); TLanes.Store(c + 2 * ldc + w, c21);
        TLanes.Store(c + 3 * ldc, c30); TLanes.Store(c + 3 * ldc + w, c31);
        TLanes.Store(c + 4 * ldc, c40); TLanes.Store(c + 4 * ldc + w, c41);
        TLanes.Store(c + 5 * ldc, c50); TLanes.Store(c + 5 * ldc + w, c51);
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

        if (accumulate)
        {
            c00 = TLanes.Add(c00, TLanes.Load(c + 0 * ldc)); c01 = TLanes.Add(c01, TLanes.Load(c + 0 * ldc + w));
            c10 = TLanes.Add(c10, TLanes.Load(c + 1 * ldc)); c11 = TLanes.Add(c11, TLanes.Load(c + 1 * ldc + w));
            c20 = TLanes.Add(c20, TLanes.Load(c + 2 * ldc)); c21 = TLanes.Add(c21, TLanes.Load(c + 2 * ldc + w));
            c30 = TLanes.Add(c30, TLanes.Load(c + 3 * ldc)); c31 = TLanes.Add(c31, TLanes.Load(c + 3 * ldc + w));
            c40 = TLanes.Add(c40, TLanes.Load(c + 4 * ldc)); c41 = TLanes.Add(c41, TLanes.Load(c + 4 * ldc + w));
            c50 = TLanes.Add(c50, TLanes.Load(c + 5 * ldc)); c51 = TLanes.Add(c51, TLanes.Load(c + 5 * ldc + w));
            c60 = TLanes.Add(c60, TLanes.Load(c + 6 * ldc)); c61 = TLanes.Add(c61, TLanes.Load(c + 6 * ldc + w));
            c70 = TLanes.Add(c70, TLanes.Load(c + 7 * ldc)); c71 = TLanes.Add(c71, TLanes.Load(c + 7 * ldc + w));
        }

        TLanes.Store(c + 0 * ldc, c00); TLanes.Store(c + 0 * ldc + w, c01);
        TLanes.Store(c + 1 * ldc, c10); TLanes.Store(c + 1 * ldc + w, c11);
        TLanes.Store(c + 2 * ldc, c20); TLanes.Store(c + 2 * ldc + w, c21);
        TLanes.Store(c + 3 * ldc, c30); TLanes.Store(c + 3 * ldc + w, c31);
        TLanes.Store(c + 4 * ldc, c40); TLanes.Store(c + 4 * ldc + w, c41);
        TLanes.Store(c + 5 * ldc, c50); TLanes.Store(c + 5 * ldc + w, c51);
        TLanes.Store(c + 6 * ldc, c60); TLanes.Store(c + 6 * ldc + w, c61);
        TLanes.Store(c + 7 * ldc, c70); TLanes.Store(c + 7 * ldc + w, c71);
    }
}
