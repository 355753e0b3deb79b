using System;

namespace DiffGen.Convolution;

/// <summary>
/// Per-thread scratch for the convolution kernels (the lowered K × P matrix and its adjoint), used only while one half
/// of a batch runs on that thread. Each slot grows to the largest size requested on its thread and is then reused:
/// zero allocation per call after warm-up, and the helper thread never shares a buffer with the caller.
/// </summary>
internal static class ConvBuffers<T>
    where T : unmanaged
{
    public const int Columns = 0, ColumnsAdjoint = 1;

    [ThreadStatic]
    private static T[][]? s_slots;

    /// <summary>Slot <paramref name="slot"/> of this thread, at least <paramref name="length"/> long, contents unspecified (pin it to use it).</summary>
    public static T[] Get(int slot, int length)
    {
        T[][] slots = s_slots ??= [[], []];
        if (slots[slot].Length < length)
        {
            slots[slot] = GC.AllocateUninitializedArray<T>(Math.Max(length, slots[slot].Length * 2));
        }

        return slots[slot];
    }
}
