using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

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
    /// The check <c>Span.Slice(start, count)</c> makes, for a slice the generated code indexes through its vector: throws
    /// the same <see cref="ArgumentOutOfRangeException"/> where the method itself would.
    /// </summary>
    /// <param name="length">The sliced vector's length.</param>
    /// <param name="start">The slice's start.</param>
    /// <param name="count">The slice's length.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void CheckSlice(int length, int start, int count)
    {
        // Inlined (the throw is out of line): a call here would make the JIT keep a row's running sums, live across
        // the next row's check in a jammed block, in stack slots.
        if ((ulong)(uint)start + (uint)count > (uint)length)
        {
            ThrowSliceOutOfRange(length, start, count);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ThrowSliceOutOfRange(int length, int start, int count) =>
        throw new ArgumentOutOfRangeException("start", $"The slice [{start}, {start}+{count}) is outside a span of length {length}.");

    /// <summary>
    /// The check <c>Array.Clear(array, index, length)</c> makes, for a clear the generated code runs as an element loop:
    /// throws the same <see cref="IndexOutOfRangeException"/> before any element is written.
    /// </summary>
    /// <param name="length">The array's length.</param>
    /// <param name="start">The first element to clear.</param>
    /// <param name="count">How many elements to clear.</param>
    public static void CheckClearRange(int length, int start, int count)
    {
        if ((ulong)(uint)start + (uint)count > (uint)length)
        {
            throw new IndexOutOfRangeException($"Array.Clear([{start}, {start}+{count})) is outside an array of length {length}.");
        }
    }

    /// <summary>Throws the <see cref="ArgumentException"/> for a gradient or tangent object with another number of layers than the model.</summary>
    /// <param name="gradient">The gradient object's collection (<c>dmodel.Layers</c>).</param>
    /// <param name="primal">The model's collection (<c>model.Layers</c>).</param>
    /// <param name="expected">The model's number of layers.</param>
    /// <param name="actual">The gradient object's number of layers.</param>
    [DoesNotReturn]
    public static void ThrowCountMismatch(string gradient, string primal, int expected, int actual) =>
        throw new ArgumentException($"{gradient} must have as many layers as {primal} ({expected}) but has {actual}.", gradient);
}
