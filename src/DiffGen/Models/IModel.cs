using System.Numerics;

namespace DiffGen;

/// <summary>
/// A model type: an object whose differentiable state is float or double arrays and <see cref="Optimization.Parameter{T}"/>s,
/// in fields and properties, nested through other model types. DiffGen implements it on a <c>partial</c> type that a
/// <c>[Differentiable]</c> method differentiates with respect to (docs/models.md).
/// </summary>
/// <typeparam name="T">The element type of the buffers listed: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// The same type is the model's tangent: a generated gradient adds ∇θ into an object of the model's type. For an array
/// leaf that is the array itself; for a <see cref="Optimization.Parameter{T}"/> leaf it is the parameter's
/// <see cref="Optimization.Parameter{T}.Grad"/>, so a model of parameters is its own gradient argument (PyTorch's
/// <c>.grad</c>), and a model of arrays takes a second object of its type.
/// </remarks>
public interface IModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of buffers, each named by its member path (<c>Hidden.Weight</c>).</summary>
    int ParameterCount { get; }

    /// <summary>One buffer: its path, its values and where a gradient written into this object goes.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="ParameterCount"/>, in declaration order (bases first, nested members in place).</param>
    /// <returns>The buffer's arrays (live, not copies).</returns>
    ModelBuffer<T> GetParameter(int index);
}

/// <summary>One buffer of a model: <see cref="Values"/> and <see cref="Gradient"/>, the array a gradient written into this object lands in.</summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly struct ModelBuffer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a buffer description.</summary>
    /// <param name="name">The member path, e.g. <c>Hidden.Weight</c>.</param>
    /// <param name="values">The values θ.</param>
    /// <param name="gradient">The gradient buffer: <paramref name="values"/> for an array member, <c>Grad</c> for a <see cref="Optimization.Parameter{T}"/>.</param>
    public ModelBuffer(string name, T[] values, T[] gradient)
    {
        Name = name;
        Values = values;
        Gradient = gradient;
    }

    /// <summary>The member path, e.g. <c>Hidden.Weight</c>.</summary>
    public string Name { get; }

    /// <summary>The values θ.</summary>
    public T[] Values { get; }

    /// <summary>Where a gradient written into this object lands: <see cref="Values"/> for an array member, <c>Grad</c> for a <see cref="Optimization.Parameter{T}"/>.</summary>
    public T[] Gradient { get; }
}
