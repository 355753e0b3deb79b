using System;
using System.Numerics;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// Sums in the order a user's loop adds them, for the hand-written gradients whose value must equal the user function's
/// bit for bit (vectorised sums reorder the additions and round differently).
/// </summary>
public static class Sequential
{
    /// <summary>start + a₀b₀ + a₁b₁ + …, added left to right.</summary>
    public static T Dot<T>(T start, ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : IFloatingPoint<T>
    {
        b = b[..a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            start += a[i] * b[i];
        }

        return start;
    }
}
