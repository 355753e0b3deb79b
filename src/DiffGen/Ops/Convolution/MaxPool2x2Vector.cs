using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DiffGen.Convolution;

/// <summary>
/// The 2 × 2, stride-2 max pooling of float rows, eight input columns (four windows) per Vector256: the vertical
/// maximum of the two rows, then each lane's maximum with its neighbour (an in-lane swap), so every lane holds its
/// window's maximum. The pullback picks the first maximum in the order a[j], a[j+1], b[j], b[j+1] with masks, exactly
/// as the scalar loop; a chunk holding a NaN is left to the scalar loop (it returns the columns it did not do).
/// </summary>
internal static unsafe class MaxPool2x2Vector
{
    /// <summary>Writes <c>y[j/2]</c> for columns j of rows a, b; returns the first column not done.</summary>
    public static int Forward(float* a, float* b, float* y, int columns)
    {
        int j = 0;
        if (!Vector256.IsHardwareAccelerated)
        {
            return j;
        }

        for (; j + 8 <= columns; j += 8)
        {
            Vector256<float> top = Vector256.Load(a + j), bottom = Vector256.Load(b + j);
            if (!Vector256.EqualsAll(top, top) || !Vector256.EqualsAll(bottom, bottom))
            {
                break;
            }

            Vector256<float> max = WindowMax(top, bottom);
            Vector256.Shuffle(max, Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6)).GetLower().Store(y + j / 2);
        }

        return j;
    }

    /// <summary>Adds <c>dy[j/2]</c> to each window's first maximum in da or db; returns the first column not done.</summary>
    public static int Pullback(float* a, float* b, float* da, float* db, float* dy, int columns)
    {
        int j = 0;
        if (!Vector256.IsHardwareAccelerated)
        {
            return j;
        }

        Vector256<float> odd = Vector256.Create(0, -1, 0, -1, 0, -1, 0, -1).AsSingle();
        Vector256<int> pairs = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
        for (; j + 8 <= columns; j += 8)
        {
            Vector256<float> top = Vector256.Load(a + j), bottom = Vector256.Load(b + j);
            if (!Vector256.EqualsAll(top, top) || !Vector256.EqualsAll(bottom, bottom))
            {
                break;
            }

            Vector256<float> max = WindowMax(top, bottom);
            Vector256<float> inTop = Vector256.Equals(top, max), inBottom = Vector256.Equals(bottom, max);
            Vector256<float> topPartner = Swap(inTop), bottomPartner = Swap(inBottom);

            // Even lane (left column): a[j] wins if it is a maximum; b[j] if neither a[j] nor a[j+1] is.
            // Odd lane (right column): a[j+1] if a[j] is not; b[j+1] if none of a[j], a[j+1], b[j] is.
            Vector256<float> pickTop = Vector256.AndNot(inTop, topPartner & odd);
            Vector256<float> pickBottom = Vector256.AndNot(Vector256.AndNot(Vector256.AndNot(inBottom, inTop), topPartner), bottomPartner & odd);
            Vector256<float> share = Vector256.Shuffle(Vector128.Load(dy + j / 2).ToVector256Unsafe(), pairs);
            (Vector256.Load(da + j) + (pickTop & share)).Store(da + j);
            (Vector256.Load(db + j) + (pickBottom & share)).Store(db + j);
        }

        return j;
    }

    /// <summary>Every lane: the maximum of its 2 × 2 window (its column and its neighbour's, in both rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> WindowMax(Vector256<float> top, Vector256<float> bottom)
    {
        Vector256<float> column = Vector256.Max(top, bottom);
        return Vector256.Max(column, Swap(column));
    }

    /// <summary>Swaps each pair of neighbouring lanes (0↔1, 2↔3, …).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Swap(Vector256<float> v) => Vector256.Shuffle(v, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6));
}
