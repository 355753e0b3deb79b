using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace DiffGen.CompilerServices;

/// <summary>Throw helpers for generated gradients, so a guard is one short line and the throw stays out of the hot path.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GradientGuard
{
    /// <summary>Throws the <see cref="ArgumentException"/> for a gradient buffer whose length differs from its primal's.</summary>
    /// <param name="gradient">The gradient argument's name.</param>
    /// <param name="primal">The differentiated argument's name.</param>
    /// <param name="expected">The primal's length.</param>
    /// <param name="actual">The gradient's length.</param>
    [DoesNotReturn]
    public static void ThrowLengthMismatch(string gradient, string primal, int expected, int actual) =>
        throw new ArgumentException($"{gradient} must have the length of {primal} ({expected}) but has length {actual}.", gradient);

    /// <summary>
    /// Throws the <see cref="IndexOutOfRangeException"/> a loop's own element access would throw, unless every index from
    /// <paramref name="first"/> to <paramref name="last"/> lies in [0, <paramref name="length"/>): the generated forward
    /// copy of a loop checks its range once and then reads without a check per element.
    /// </summary>
    /// <param name="first">The loop's first index.</param>
    /// <param name="last">The loop's last index (not below <paramref name="first"/>).</param>
    /// <param name="length">The length of the vector it indexes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfOutOfRange(int first, int last, int length)
    {
        if ((uint)first >= (uint)length || (uint)last >= (uint)length)
        {
            ThrowIndexOutOfRange();
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowIndexOutOfRange() => throw new IndexOutOfRangeException("Index was outside the bounds of the array.");
}
