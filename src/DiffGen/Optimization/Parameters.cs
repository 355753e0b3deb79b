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
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        CheckName(name);
        return Register(new Parameter<T>(name, _list.Count, length));
    }

    /// <summary>
    /// Adds a parameter over arrays the caller owns (a model's weights and the buffer their gradient goes to): the
    /// optimizers update <paramref name="values"/> in place and read <paramref name="gradient"/>.
    /// </summary>
    /// <param name="name">A name unique in this set, at most 65535 UTF-8 bytes.</param>
    /// <param name="values">The values θ, not empty.</param>
    /// <param name="gradient">The gradient buffer, as long as <paramref name="values"/> and not the same array.</param>
    /// <returns>The new parameter.</returns>
    /// <exception cref="ArgumentException">The name is empty, too long or already used, the arrays differ in length or are the same array.</exception>
    public Parameter<T> Add(string name, T[] values, T[] gradient)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(gradient);
        CheckName(name);
        if (values.Length == 0)
        {
            throw new ArgumentException($"'{name}' is empty.", nameof(values));
        }

        if (gradient.Length != values.Length)
        {
            throw new ArgumentException($"The gradient of '{name}' has length {gradient.Length} but its values have length {values.Length}.", nameof(gradient));
        }

        if (ReferenceEquals(values, gradient))
        {
            throw new ArgumentException($"The gradient of '{name}' is its values array: give the gradient its own array (a second model object).", nameof(gradient));
        }

        return Register(new Parameter<T>(name, _list.Count, values, gradient));
    }

    /// <summary>
    /// The parameter set of a model: one parameter per buffer of <paramref name="model"/>, named by its member path, whose
    /// gradient is the matching buffer of <paramref name="gradient"/> (the object a generated gradient adds into).
    /// </summary>
    /// <param name="model">The model (a partial type DiffGen implements <see cref="IModel{T}"/> on).</param>
    /// <param name="gradient">
    /// The gradient argument: an object of the model's type; the model itself when its members are
    /// <see cref="Parameter{T}"/>s (their <see cref="Parameter{T}.Grad"/> buffers).
    /// </param>
    /// <returns>A new set over the model's arrays (no copies).</returns>
    /// <exception cref="ArgumentException">The two objects' buffers differ (names or lengths), or a buffer is its own gradient.</exception>
    public static Parameters<T> FromModel(IModel<T> model, IModel<T> gradient)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gradient);
        if (model.ParameterCount != gradient.ParameterCount)
        {
            throw new ArgumentException($"The model has {model.ParameterCount} buffers but the gradient has {gradient.ParameterCount}.", nameof(gradient));
        }

        var set = new Parameters<T>();
        for (int i = 0; i < model.ParameterCount; i++)
        {
            ModelBuffer<T> values = model.GetParameter(i);
            ModelBuffer<T> target = gradient.GetParameter(i);
            if (values.Name != target.Name)
            {
                throw new ArgumentException($"Buffer {i} is '{values.Name}' in the model but '{target.Name}' in the gradient.", nameof(gradient));
            }

            set.Add(values.Name, values.Values, target.Gradient);
        }

        return set;
    }

    /// <summary>
    /// Scales every gradient so that their joint Euclidean norm is at most <paramref name="maxNorm"/>, as PyTorch's
    /// <c>clip_grad_norm_</c> (factor <c>maxNorm / (norm + 1e-6)</c> when that is below 1).
    /// </summary>
    /// <param name="maxNorm">The largest norm allowed, positive.</param>
    /// <returns>The norm before clipping (infinite or NaN when a gradient is; nothing is scaled then).</returns>
    public double ClipGradNorm(double maxNorm)
    {
        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be positive.");
        }

        double sum = 0;
        foreach (Parameter<T> p in _list)
        {
            sum += double.CreateChecked(System.Numerics.Tensors.TensorPrimitives.SumOfSquares<T>(p.Grad));
        }

        double norm = Math.Sqrt(sum);
        double factor = maxNorm / (norm + 1e-6);
        if (double.IsFinite(norm) && factor < 1)
        {
            T f = T.CreateChecked(factor);
            foreach (Parameter<T> p in _list)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(p.Grad, f, p.Grad);
            }
        }

        return norm;
    }

    private void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > ParameterFile.MaxParameterNameBytes)
        {
            throw new ArgumentException($"The name is longer than {ParameterFile.MaxParameterNameBytes} UTF-8 bytes.", nameof(name));
        }

        if (_byName.ContainsKey(name))
        {
            throw new ArgumentException($"A parameter named '{name}' already exists.", nameof(name));
        }
    }

    private Parameter<T> Register(Parameter<T> parameter)
    {
        _list.Add(parameter);
        _byName.Add(parameter.Name, parameter);
        TotalLength += parameter.Length;
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
