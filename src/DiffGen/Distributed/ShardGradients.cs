using System;
using System.Numerics;
using DiffGen.Optimization;

namespace DiffGen.Distributed;

/// <summary>
/// The gradient buffers of one shard of a <see cref="ParallelGradient{T}"/>: one per parameter of the set, zeroed before
/// the shard runs. Pass them to the generated <c>…Gradient</c> method in place of the parameters' own
/// <see cref="Parameter{T}.Grad"/>.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public readonly struct ShardGradients<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _buffers;

    internal ShardGradients(int shard, T[][] buffers)
    {
        Shard = shard;
        _buffers = buffers;
    }

    /// <summary>The shard, in [0, <see cref="ParallelGradient{T}.Workers"/>).</summary>
    public int Shard { get; }

    /// <summary>The buffer for <paramref name="parameter"/>, as long as its values.</summary>
    /// <param name="parameter">A parameter of the set.</param>
    public Span<T> this[Parameter<T> parameter] => _buffers[parameter.Index];

    /// <summary>The buffer for the parameter at <paramref name="index"/> (its <see cref="Parameter{T}.Index"/>).</summary>
    /// <param name="index">The parameter's position in the set.</param>
    public Span<T> this[int index] => _buffers[index];

    /// <summary>
    /// The array behind the buffer at <paramref name="index"/>: the same array every step for this shard, so a model's
    /// gradient argument can be built over it once (<see cref="Parameters{T}.Add(string, T[], T[])"/>).
    /// </summary>
    /// <param name="index">The parameter's position in the set.</param>
    /// <returns>The shard's buffer.</returns>
    public T[] GetArray(int index) => _buffers[index];

    /// <summary>
    /// A parameter set with the values of <paramref name="parameters"/> and this shard's buffers as gradients: bind a
    /// model type to it once per shard to pass it as the gradient argument (it allocates; cache it by <see cref="Shard"/>).
    /// </summary>
    /// <param name="parameters">The set this shard's buffers belong to.</param>
    /// <returns>A new set over the same value arrays.</returns>
    public Parameters<T> WithGradients(Parameters<T> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var view = new Parameters<T>();
        for (int i = 0; i < parameters.Count; i++)
        {
            view.Add(parameters[i].Name, parameters[i].ValueArray, _buffers[i]);
        }

        return view;
    }
}
