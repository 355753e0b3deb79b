using System;
using System.Runtime.CompilerServices;

namespace DiffGen.Gemm;

/// <summary>
/// Per-thread packing buffers for the GEMM driver, allocated once per thread and element type on the pinned object heap
/// (so their addresses never move and can be aligned once) and reused by every later call: zero allocation per call
/// after warm-up.
/// </summary>
internal sealed unsafe class PackingBuffers<T>
    where T : unmanaged
{
    private const int Alignment = 64;

    [ThreadStatic]
    private static PackingBuffers<T>? s_current;

    private readonly T[] _a;
    private readonly T[] _b;
    private readonly T[] _tile;

    private PackingBuffers(int aLength, int bLength, int tileLength)
    {
        int pad = Alignment / sizeof(T);
        _a = GC.AllocateUninitializedArray<T>(aLength + pad, pinned: true);
        _b = GC.AllocateUninitializedArray<T>(bLength + pad, pinned: true);
        _tile = GC.AllocateUninitializedArray<T>(tileLength + pad, pinned: true);
        A = Align(_a);
        B = Align(_b);
        Tile = Align(_tile);
        ALength = aLength;
        BLength = bLength;
        TileLength = tileLength;
    }

    /// <summary>64-byte aligned buffer for one packed block of A (MC × KC).</summary>
    public T* A { get; }

    /// <summary>64-byte aligned buffer for one packed block of B (KC × NC).</summary>
    public T* B { get; }

    /// <summary>64-byte aligned scratch tile (MR × NR) for edge tiles.</summary>
    public T* Tile { get; }

    public int ALength { get; }

    public int BLength { get; }

    /// <summary>Usable elements at <see cref="Tile"/> (the array is longer by the alignment padding, not all of it usable).</summary>
    public int TileLength { get; }

    /// <summary>Returns this thread's buffers, (re)allocating them only when they are missing or too small.</summary>
    public static PackingBuffers<T> Get(int aLength, int bLength, int tileLength)
    {
        PackingBuffers<T>? current = s_current;
        // Compare with the usable lengths: the arrays carry alignment padding, and the aligned start may use up to all of it.
        if (current is null || current.ALength < aLength || current.BLength < bLength || current.TileLength < tileLength)
        {
            current = new PackingBuffers<T>(
                Math.Max(aLength, current?.ALength ?? 0),
                Math.Max(bLength, current?.BLength ?? 0),
                Math.Max(tileLength, current?.TileLength ?? 0));
            s_current = current;
        }

        return current;
    }

    private static T* Align(T[] array)
    {
        // The array lives on the pinned object heap: its address is stable for its lifetime.
        nuint address = (nuint)Unsafe.AsPointer(ref array[0]);
        nuint aligned = (address + (Alignment - 1)) & ~(nuint)(Alignment - 1);
        return (T*)aligned;
    }
}
