using System;

namespace DiffGen.Elementwise;

/// <summary>
/// A per-thread scratch buffer for ops that need a temporary row (the softmax family, activation pullbacks). It grows
/// to the largest size requested on the thread and is then reused, so calls allocate nothing after warm-up.
/// </summary>
internal static class Scratch<T>
{
    [ThreadStatic]
    private static T[]? s_buffer;

    /// <summary>Returns a span of exactly <paramref name="length"/> elements, valid until the next call on this thread.</summary>
    public static Span<T> Get(int length)
    {
        T[]? buffer = s_buffer;
        if (buffer is null || buffer.Length < length)
        {
            buffer = new T[Math.Max(length, Math.Max(64, (buffer?.Length ?? 0) * 2))];
            s_buffer = buffer;
        }

        return buffer.AsSpan(0, length);
    }
}
