using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DiffGen.Elementwise;

/// <summary>An element-wise function of two values, at every vector width and as a scalar.</summary>
internal interface IBinaryFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);

    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);

    Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);

    T Invoke(T x, T y);
}

/// <summary>
/// Vector loops the pullbacks share: the widest hardware-accelerated width (Vector512, else 256, else 128) over the
/// bulk, then a scalar tail. The function is a struct so each instantiation is specialised and inlined.
/// </summary>
internal static class VectorLoops
{
    /// <summary><c>destination[i] += f(x[i], y[i])</c>. Lengths are checked by the caller.</summary>
    public static void AddTo<TFunction, T>(TFunction f, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where TFunction : struct, IBinaryFunction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T py = ref MemoryMarshal.GetReference(y);
        ref T pd = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)destination.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            for (; i + (nuint)Vector512<T>.Count <= n; i += (nuint)Vector512<T>.Count)
            {
                Vector512<T> r = Vector512.LoadUnsafe(ref pd, i) + f.Invoke(Vector512.LoadUnsafe(ref px, i), Vector512.LoadUnsafe(ref py, i));
                r.StoreUnsafe(ref pd, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                Vector256<T> r = Vector256.LoadUnsafe(ref pd, i) + f.Invoke(Vector256.LoadUnsafe(ref px, i), Vector256.LoadUnsafe(ref py, i));
                r.StoreUnsafe(ref pd, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector128<T>.Count <= n; i += (nuint)Vector128<T>.Count)
            {
                Vector128<T> r = Vector128.LoadUnsafe(ref pd, i) + f.Invoke(Vector128.LoadUnsafe(ref px, i), Vector128.LoadUnsafe(ref py, i));
                r.StoreUnsafe(ref pd, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref pd, i) += f.Invoke(Unsafe.Add(ref px, i), Unsafe.Add(ref py, i));
        }
    }

    /// <summary>Returns <c>Σ (x[i] − y[i])²</c>. Lengths are checked by the caller.</summary>
    public static T SumOfSquaredDifferences<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T py = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        T sum = T.Zero;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            Vector512<T> acc0 = Vector512<T>.Zero, acc1 = Vector512<T>.Zero;
            nuint w = (nuint)Vector512<T>.Count;
            for (; i + 2 * w <= n; i += 2 * w)
            {
                Vector512<T> d0 = Vector512.LoadUnsafe(ref px, i) - Vector512.LoadUnsafe(ref py, i);
                Vector512<T> d1 = Vector512.LoadUnsafe(ref px, i + w) - Vector512.LoadUnsafe(ref py, i + w);
                acc0 += d0 * d0;
                acc1 += d1 * d1;
            }

            for (; i + w <= n; i += w)
            {
                Vector512<T> d = Vector512.LoadUnsafe(ref px, i) - Vector512.LoadUnsafe(ref py, i);
                acc0 += d * d;
            }

            sum = Vector512.Sum(acc0 + acc1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            Vector256<T> acc0 = Vector256<T>.Zero, acc1 = Vector256<T>.Zero;
            nuint w = (nuint)Vector256<T>.Count;
            for (; i + 2 * w <= n; i += 2 * w)
            {
                Vector256<T> d0 = Vector256.LoadUnsafe(ref px, i) - Vector256.LoadUnsafe(ref py, i);
                Vector256<T> d1 = Vector256.LoadUnsafe(ref px, i + w) - Vector256.LoadUnsafe(ref py, i + w);
                acc0 += d0 * d0;
                acc1 += d1 * d1;
            }

            for (; i + w <= n; i += w)
            {
                Vector256<T> d = Vector256.LoadUnsafe(ref px, i) - Vector256.LoadUnsafe(ref py, i);
                acc0 += d * d;
            }

            sum = Vector256.Sum(acc0 + acc1);
        }

        if (Vector128.IsHardwareAccelerated && i + (nuint)Vector128<T>.Count <= n)
        {
            Vector128<T> acc = Vector128<T>.Zero;
            for (; i + (nuint)Vector128<T>.Count <= n; i += (nuint)Vector128<T>.Count)
            {
                Vector128<T> d = Vector128.LoadUnsafe(ref px, i) - Vector128.LoadUnsafe(ref py, i);
                acc += d * d;
            }

            sum += Vector128.Sum(acc);
        }

        for (; i < n; i++)
        {
            T d = Unsafe.Add(ref px, i) - Unsafe.Add(ref py, i);
            sum += d * d;
        }

        return sum;
    }
}
