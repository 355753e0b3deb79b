using System;

namespace DiffGen.Gemm;

internal static unsafe partial class GemmKernel
{
    /// <summary>
    /// Span form of <see cref="Multiply{T}(bool, bool, int, int, int, T*, nint, T*, nint, T*, nint, bool, bool)"/> for
    /// callers without pointers (the tests): checks that every operand holds its strided matrix, then pins and runs.
    /// </summary>
    public static void Multiply<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, bool allowParallel)
        where T : unmanaged
    {
        CheckHolds(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a));
        CheckHolds(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b));
        CheckHolds(c.Length, m, n, ldc, nameof(c));
        fixed (T* pa = a, pb = b, pc = c)
        {
            Multiply(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, allowParallel);
        }
    }

    /// <summary>
    /// Span form of <see cref="TryMultiplyNarrow{T}"/> for the tests: the narrow path alone, with
    /// <paramref name="choice"/> Auto or a narrow variant; returns which kernel ran (<see cref="NarrowPath.None"/>:
    /// none did and nothing was written). m, n and k must be positive.
    /// </summary>
    public static NarrowPath MultiplyNarrow<T>(
        KernelChoice choice, bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        CheckHolds(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a));
        CheckHolds(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b));
        CheckHolds(c.Length, m, n, ldc, nameof(c));
        fixed (T* pa = a, pb = b, pc = c)
        {
            return TryMultiplyNarrow(choice, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        }
    }

    private static void CheckHolds(int length, int rows, int cols, int ld, string name)
    {
        if (rows > 0 && cols > 0 && (ld < cols || (long)(rows - 1) * ld + cols > length))
        {
            throw new ArgumentException($"{name} (length {length}) cannot hold {rows} rows of {cols} with stride {ld}.", name);
        }
    }
}
