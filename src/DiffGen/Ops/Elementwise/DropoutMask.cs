using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DiffGen.Layers;

namespace DiffGen.Elementwise;

/// <summary>
/// Dropout's mask as a pure function of (seed, index): element i is kept when a 32-bit hash of i and the seed
/// (MurmurHash3's finaliser) is at least p·2³², so forward and pullback agree without storing the mask. Float runs
/// eight elements per Vector256 (the same hash on uint lanes); double runs the scalar loop.
/// </summary>
internal static class DropoutMask
{
    private const uint Golden = 0x9E3779B9u;

    /// <summary><c>destination[i] (+)= keep(i) ? source[i]·scale : 0</c>, with scale = 1 / (1 − p).</summary>
    public static void Apply<T>(ReadOnlySpan<T> source, Span<T> destination, in Dropout layer, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        uint key = Mix((uint)layer.Seed ^ Mix((uint)(layer.Seed >> 32) + Golden));
        uint threshold = (uint)Math.Min(uint.MaxValue, Math.Round(layer.Probability * 4294967296.0));
        T scale = T.One / T.CreateTruncating(1 - layer.Probability);
        int i = 0;
        if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
        {
            i = ApplyFloat(MemoryMarshal.Cast<T, float>(source), MemoryMarshal.Cast<T, float>(destination), key, threshold, float.CreateTruncating(scale), accumulate);
        }

        for (; i < source.Length; i++)
        {
            T kept = Mix(((uint)i * Golden) ^ key) >= threshold ? source[i] * scale : T.Zero;
            destination[i] = accumulate ? destination[i] + kept : kept;
        }
    }

    private static int ApplyFloat(ReadOnlySpan<float> source, Span<float> destination, uint key, uint threshold, float scale, bool accumulate)
    {
        var lanes = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
        Vector256<uint> keys = Vector256.Create(key), thresholds = Vector256.Create(threshold);
        Vector256<float> scales = Vector256.Create(scale);
        int i = 0;
        for (; i + 8 <= source.Length; i += 8)
        {
            Vector256<uint> index = Vector256.Create((uint)i) + lanes;
            Vector256<float> keep = Vector256.GreaterThanOrEqual(Mix((index * Golden) ^ keys), thresholds).AsSingle();
            Vector256<float> kept = (Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)i) * scales) & keep;
            ref float target = ref MemoryMarshal.GetReference(destination);
            (accumulate ? Vector256.LoadUnsafe(ref target, (nuint)i) + kept : kept).StoreUnsafe(ref target, (nuint)i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        return h ^ (h >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Mix(Vector256<uint> h)
    {
        h ^= Vector256.ShiftRightLogical(h, 16);
        h *= 0x85EBCA6Bu;
        h ^= Vector256.ShiftRightLogical(h, 13);
        h *= 0xC2B2AE35u;
        return h ^ Vector256.ShiftRightLogical(h, 16);
    }
}
