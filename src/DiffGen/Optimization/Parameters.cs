using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Numerics;

namespace DiffGen.Optimization;

/// <summary>
/// A set of named trainable buffers, each with its gradient buffer: what the optimizers update and what
/// <see cref="Save(string)"/> and <see cref="Load(string)"/> persist.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> (the usual choice) or <see cref="double"/>.</typeparam>
/// <example>
/// <code>
/// var parameters = new Parameters&lt;float&gt;();
/// var rng = new Random(42);
/// var w = parameters.Add("w1", 784 * 256).InitKaimingNormal(rng, fanIn: 784);
/// var b = parameters.Add("b1", 256);
/// var sgd = new Sgd&lt;float&gt;(parameters, learningRate: 0.1, momentum: 0.9);
/// sgd.ZeroGrad();
/// Model.LossGradient(w.Value, b.Value, x, y, w.Grad, b.Grad);
/// sgd.Step();
/// </code>
/// </example>
public sealed class Parameters<T> : IReadOnlyList<Parameter<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Parameter<T>> _list = new();
    private readonly Dictionary<string, Parameter<T>> _byName = new(StringComparer.Ordinal);

    /// <summary>Creates an empty set.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither <see cref="float"/> nor <see cref="double"/>.</exception>
    public Parameters()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"Parameters<{typeof(T).Name}> is not supported: use float or double.");
        }
    }

    /// <summary>The number of parameters.</summary>
    public int Count => _list.Count;

    /// <summary>The total number of elements over every parameter.</summary>
    public long TotalLength { get; private set; }

    /// <summary>The parameter at <paramref name="index"/>, in the order they were added.</summary>
    /// <param name="index">The position, from 0.</param>
    public Parameter<T> this[int index] => _list[index];

    /// <summary>The parameter named <paramref name="name"/>.</summary>
    /// <param name="name">The name given to <see cref="Add(string, int)"/>.</param>
    /// <exception cref="KeyNotFoundException">No parameter has that name.</exception>
    public Parameter<T> this[string name] =>
        _byName.TryGetValue(name, out var p) ? p : throw new KeyNotFoundException($"No parameter named '{name}'.");

    /// <summary>Adds a parameter of <paramref name="length"/> zeros (values and gradient).</summary>
    /// <param name="name">A unique, non-empty name of at most 1000 UTF-8 bytes.</param>
    /// <param name="length">The number of elements, positive.</param>
    /// <returns>The new parameter, whose initialisers chain.</returns>
    /// <exception cref="ArgumentException">The name is empty, too long, or already used.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive.</exception>
    public Parameter<T> Add(string name, int length)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > ParameterFile.MaxParameterNameBytes)
        {
            throw new ArgumentException($"The name is longer than {ParameterFile.MaxParameterNameBytes} UTF-8 bytes.", nameof(name));
        }

        if (_byName.ContainsKey(name))
        {
            throw new ArgumentException($"A parameter named '{name}' already exists.", nameof(name));
        }

        var parameter = new Parameter<T>(name, _list.Count, length);
        _list.Add(parameter);
        _byName.Add(name, parameter);
        TotalLength += length;
        return parameter;
    }

    /// <summary>Looks a parameter up by name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="parameter">The parameter, when found.</param>
    /// <returns>Whether a parameter has that name.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Parameter<T> parameter) =>
        _byName.TryGetValue(name, out parameter);

    /// <summary>Sets every gradient buffer to zero (call it before accumulating the next minibatch's gradient).</summary>
    public void ZeroGrad()
    {
        for (int i = 0; i < _list.Count; i++)
        {
            _list[i].ZeroGrad();
        }
    }

    /// <summary>
    /// Writes the names, lengths, element type and values (not the gradients) to <paramref name="path"/>, replacing it.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <remarks>
    /// The format (little-endian): the 8 ASCII bytes <c>DGPARAMS</c>, a u32 version (1), a u32 element type
    /// (1 = float32, 2 = float64), a u32 parameter count, then per parameter a u16 name length, the UTF-8 name and an
    /// i32 element count, then every parameter's values in order, then a u32 CRC-32C of all the preceding bytes.
    /// </remarks>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Save(stream);
    }

    /// <summary>Writes the set to <paramref name="stream"/> in the format described at <see cref="Save(string)"/>.</summary>
    /// <param name="stream">A writable stream; left open.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ParameterFile.Write(stream, Entries(), state: null);
    }

    /// <summary>
    /// Reads values saved by <see cref="Save(string)"/> into this set, whose names, lengths (in order) and element type
    /// must match the file's.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="InvalidDataException">
    /// The file is corrupt, truncated, has trailing bytes, or does not match this set; the message says what and at which
    /// byte offset. The values are unchanged then.
    /// </exception>
    public void Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        ParameterFile.Read(stream, Entries(), path, requireEnd: true, expectedKind: null);
    }

    /// <summary>Reads values written by <see cref="Save(Stream)"/> from the current position of <paramref name="stream"/>.</summary>
    /// <param name="stream">A readable stream, left open and positioned after the checksum.</param>
    /// <exception cref="InvalidDataException">As for <see cref="Load(string)"/>; the values are unchanged then.</exception>
    public void Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ParameterFile.Read(stream, Entries(), stream is FileStream fs ? fs.Name : "stream", requireEnd: false, expectedKind: null);
    }

    /// <inheritdoc/>
    public IEnumerator<Parameter<T>> GetEnumerator() => _list.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private (string Name, T[] Values)[] Entries()
    {
        var entries = new (string, T[])[_list.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = (_list[i].Name, _list[i].ValueArray);
        }

        return entries;
    }
}
