using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DiffGen.CompilerServices;

/// <summary>
/// Multi-dimensional arrays (<c>double[,]</c>, <c>double[,,]</c>) seen as the span of their elements, for generated
/// code only. .NET stores a rectangular array's elements contiguously in row-major order, so <c>w[i, j]</c> is element
/// <c>i * w.GetLength(1) + j</c> of the span: the generator differentiates the span, and the gradient argument, an array
/// of the same shape, is written through its own span.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RectangularArrays
{
    /// <summary>The elements of <paramref name="array"/>, row-major.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="array">The array.</param>
    /// <param name="name">The parameter's name, for the exception.</param>
    /// <returns>A span over the array's elements.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="array"/> is null.</exception>
    public static ReadOnlySpan<T> Values<T>(T[,] array, string name)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array, name);
        return MemoryMarshal.CreateReadOnlySpan(ref First<T>(array), array.Length);
    }

    /// <inheritdoc cref="Values{T}(T[,], string)"/>
    public static ReadOnlySpan<T> Values<T>(T[,,] array, string name)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array, name);
        return MemoryMarshal.CreateReadOnlySpan(ref First<T>(array), array.Length);
    }

    /// <summary>
    /// The elements of the gradient (or tangent) array <paramref name="gradient"/>, row-major, after checking that it has
    /// the shape of <paramref name="primal"/>: a transposed array has the right length but not the right layout.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="gradient">The gradient argument.</param>
    /// <param name="primal">The array it is the gradient of.</param>
    /// <param name="gradientName">The gradient argument's name.</param>
    /// <param name="primalName">The primal parameter's name.</param>
    /// <returns>A span over the gradient's elements.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="gradient"/> is null.</exception>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Span<T> Gradient<T>(T[,] gradient, T[,] primal, string gradientName, string primalName)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(gradient, gradientName);
        if (gradient.GetLength(0) != primal.GetLength(0) || gradient.GetLength(1) != primal.GetLength(1))
        {
            throw new ArgumentException(
                $"{gradientName} must have the shape of {primalName} ({Shape(primal)}) but has shape {Shape(gradient)}.", gradientName);
        }

        return MemoryMarshal.CreateSpan(ref First<T>(gradient), gradient.Length);
    }

    /// <inheritdoc cref="Gradient{T}(T[,], T[,], string, string)"/>
    public static Span<T> Gradient<T>(T[,,] gradient, T[,,] primal, string gradientName, string primalName)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(gradient, gradientName);
        if (gradient.GetLength(0) != primal.GetLength(0) || gradient.GetLength(1) != primal.GetLength(1) || gradient.GetLength(2) != primal.GetLength(2))
        {
            throw new ArgumentException(
                $"{gradientName} must have the shape of {primalName} ({Shape(primal)}) but has shape {Shape(gradient)}.", gradientName);
        }

        return MemoryMarshal.CreateSpan(ref First<T>(gradient), gradient.Length);
    }

    private static ref T First<T>(Array array)
        where T : unmanaged =>
        ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array));

    private static string Shape(Array array) => array.Rank == 2
        ? $"{array.GetLength(0)}×{array.GetLength(1)}"
        : $"{array.GetLength(0)}×{array.GetLength(1)}×{array.GetLength(2)}";
}
