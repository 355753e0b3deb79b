using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DiffGen.CompilerServices;

/// <summary>
/// Element access without a bounds check, for generated code only. The generator uses it for a gradient element
/// <c>dx[k]</c> when the same loop iteration has already read <c>x[k]</c> (so <c>k</c> is in range) and <c>dx</c> was
/// checked on entry to have the length of <c>x</c>: the second check can never fail, and dropping it lets the JIT keep
/// the fused loop as tight as a hand-written one.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ProvenInRange
{
    /// <summary>A reference to <paramref name="span"/>[<paramref name="index"/>]; the caller guarantees 0 ≤ index &lt; span.Length.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="span">The span.</param>
    /// <param name="index">An index already proven in range.</param>
    /// <returns>A reference to the element.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T At<T>(Span<T> span, int index)
    {
        Debug.Assert((uint)index < (uint)span.Length, "The generator proved this index in range.");
        return ref Unsafe.Add(ref MemoryMarshal.GetReference(span), (nint)(uint)index);
    }
}
