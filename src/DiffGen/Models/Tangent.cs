using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace DiffGen;

/// <summary>
/// Vector-space operations on a model used as a tangent (a gradient argument): each works on the buffers a gradient lands
/// in (<see cref="ModelBuffer{T}.Gradient"/>), buffer by buffer, with SIMD, without allocating.
/// </summary>
public static class Tangent
{
    /// <summary>Sets every gradient buffer of <paramref name="tangent"/> to zero.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="tangent">The tangent (a model of parameters: its gradients).</param>
    public static void Zero<T>(IModel<T> tangent)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tangent);
        for (int i = 0; i < tangent.ParameterCount; i++)
        {
            Array.Clear(tangent.GetParameter(i).Gradient);
        }
    }

    /// <summary>Multiplies every gradient buffer of <paramref name="tangent"/> by <paramref name="factor"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="tangent">The tangent.</param>
    /// <param name="factor">The factor.</param>
    public static void Scale<T>(IModel<T> tangent, T factor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tangent);
        for (int i = 0; i < tangent.ParameterCount; i++)
        {
            T[] g = tangent.GetParameter(i).Gradient;
            TensorPrimitives.Multiply(g, factor, g);
        }
    }

    /// <summary><paramref name="target"/> += <paramref name="alpha"/> · <paramref name="source"/>, buffer by buffer.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="target">The tangent added into.</param>
    /// <param name="alpha">The factor of <paramref name="source"/>.</param>
    /// <param name="source">A tangent of the same shapes.</param>
    /// <exception cref="ArgumentException">The two do not have the same buffers (names and lengths); the message names the first that differs.</exception>
    public static void AddScaled<T>(IModel<T> target, T alpha, IModel<T> source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameShape(target, source, nameof(source));
        for (int i = 0; i < target.ParameterCount; i++)
        {
            T[] t = target.GetParameter(i).Gradient;
            TensorPrimitives.MultiplyAdd(source.GetParameter(i).Gradient, alpha, t, t);
        }
    }

    /// <summary>The inner product Σ a·b over every gradient buffer, accumulated in double.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="a">A tangent.</param>
    /// <param name="b">A tangent of the same shapes.</param>
    /// <returns>The inner product.</returns>
    /// <exception cref="ArgumentException">The two do not have the same buffers.</exception>
    public static double Dot<T>(IModel<T> a, IModel<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameShape(a, b, nameof(b));
        double sum = 0;
        for (int i = 0; i < a.ParameterCount; i++)
        {
            sum += double.CreateChecked(TensorPrimitives.Dot<T>(a.GetParameter(i).Gradient, b.GetParameter(i).Gradient));
        }

        return sum;
    }

    /// <summary>The Euclidean norm of all gradient buffers together (what gradient clipping measures).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="tangent">The tangent.</param>
    /// <returns>√(Σ g²).</returns>
    public static double Norm<T>(IModel<T> tangent)
        where T : unmanaged, IFloatingPointIeee754<T> => Math.Sqrt(Dot(tangent, tangent));

    private static void CheckSameShape<T>(IModel<T> a, IModel<T> b, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.ParameterCount != b.ParameterCount)
        {
            throw new ArgumentException($"The models have {a.ParameterCount} and {b.ParameterCount} buffers.", name);
        }

        for (int i = 0; i < a.ParameterCount; i++)
        {
            ModelBuffer<T> x = a.GetParameter(i), y = b.GetParameter(i);
            if (x.Name != y.Name || x.Gradient.Length != y.Gradient.Length)
            {
                throw new ArgumentException($"Buffer {i} is '{x.Name}' of length {x.Gradient.Length} in one model and '{y.Name}' of length {y.Gradient.Length} in the other.", name);
            }
        }
    }
}
