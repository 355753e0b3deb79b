using System;
using System.Numerics;

namespace DiffGen.Optimization;

/// <summary>
/// One named trainable buffer of a <see cref="Parameters{T}"/> set: its values and the gradient buffer that
/// generated <c>…Gradient(…)</c> methods add into.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// The arrays behind <see cref="Value"/> and <see cref="Grad"/> are allocated once, never replaced, and can be
/// held on to. The initialisers overwrite <see cref="Value"/> and return this parameter, so they chain after
/// <see cref="Parameters{T}.Add(string, int)"/>.
/// </remarks>
public sealed class Parameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _value;
    private readonly T[] _grad;

    internal Parameter(string name, int index, int length)
        : this(name, index, new T[length], new T[length])
    {
    }

    internal Parameter(string name, int index, T[] value, T[] grad)
    {
        Name = name;
        Index = index;
        _value = value;
        _grad = grad;
    }

    /// <summary>The name, unique within its set.</summary>
    public string Name { get; }

    /// <summary>The position of this parameter in its set (the order of <see cref="Parameters{T}.Add(string, int)"/>).</summary>
    public int Index { get; }

    /// <summary>The number of elements of <see cref="Value"/> (and of <see cref="Grad"/>).</summary>
    public int Length => _value.Length;

    /// <summary>The values θ, updated in place by the optimizers.</summary>
    public Span<T> Value => _value;

    /// <summary>The gradient ∇θ: generated gradient methods add into it; <see cref="ZeroGrad"/> clears it.</summary>
    public Span<T> Grad => _grad;

    /// <summary>The array behind <see cref="Value"/>, for APIs that take arrays.</summary>
    public T[] ValueArray => _value;

    /// <summary>The array behind <see cref="Grad"/>, for APIs that take arrays.</summary>
    public T[] GradArray => _grad;

    /// <summary>Sets every element of <see cref="Grad"/> to zero.</summary>
    public void ZeroGrad() => Array.Clear(_grad);

    /// <summary>Sets every value to zero.</summary>
    /// <returns>This parameter.</returns>
    public Parameter<T> InitZeros() => InitConstant(T.Zero);

    /// <summary>Sets every value to <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>This parameter.</returns>
    public Parameter<T> InitConstant(T value)
    {
        Array.Fill(_value, value);
        return this;
    }

    /// <summary>Draws every value from the uniform distribution on [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="random">The source of randomness; seed it for reproducible runs.</param>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The exclusive upper bound; not below <paramref name="low"/>.</param>
    /// <returns>This parameter.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="high"/> &lt; <paramref name="low"/>, or a bound is not finite.</exception>
    public Parameter<T> InitUniform(Random random, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!double.IsFinite(low) || !double.IsFinite(high) || high < low)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"Uniform bounds must be finite with low ({low}) <= high.");
        }

        double width = high - low;
        for (int i = 0; i < _value.Length; i++)
        {
            _value[i] = T.CreateTruncating(low + (width * random.NextDouble()));
        }

        return this;
    }

    /// <summary>Draws every value from the normal distribution N(<paramref name="mean"/>, <paramref name="std"/>²) (Box–Muller).</summary>
    /// <param name="random">The source of randomness; seed it for reproducible runs.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation, not negative.</param>
    /// <returns>This parameter.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="std"/> is negative or not finite, or <paramref name="mean"/> is not finite.</exception>
    public Parameter<T> InitNormal(Random random, double mean, double std)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!double.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean must be finite.");
        }

        if (!double.IsFinite(std) || std < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(std), std, "The standard deviation must be finite and not negative.");
        }

        for (int i = 0; i < _value.Length; i += 2)
        {
            // Box–Muller: two independent N(0, 1) draws from two uniforms; 1 − U lies in (0, 1], so the log is finite.
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            double angle = 2.0 * Math.PI * random.NextDouble();
            _value[i] = T.CreateTruncating(mean + (std * radius * Math.Cos(angle)));
            if (i + 1 < _value.Length)
            {
                _value[i + 1] = T.CreateTruncating(mean + (std * radius * Math.Sin(angle)));
            }
        }

        return this;
    }

    /// <summary>
    /// Kaiming/He normal initialisation for ReLU layers: N(0, 2 / <paramref name="fanIn"/>)
    /// (<c>torch.nn.init.kaiming_normal_</c> with its defaults, mode <c>fan_in</c>).
    /// </summary>
    /// <param name="random">The source of randomness; seed it for reproducible runs.</param>
    /// <param name="fanIn">The number of inputs of the layer (for a row-major [out × in] weight, <c>in</c>).</param>
    /// <returns>This parameter.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fanIn"/> is not positive.</exception>
    public Parameter<T> InitKaimingNormal(Random random, int fanIn)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        return InitNormal(random, 0.0, Math.Sqrt(2.0 / fanIn));
    }

    /// <summary>
    /// Kaiming/He uniform initialisation for ReLU layers: U(−b, b) with b = √(6 / <paramref name="fanIn"/>)
    /// (<c>torch.nn.init.kaiming_uniform_</c> with <c>a = 0</c>).
    /// </summary>
    /// <param name="random">The source of randomness; seed it for reproducible runs.</param>
    /// <param name="fanIn">The number of inputs of the layer.</param>
    /// <returns>This parameter.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fanIn"/> is not positive.</exception>
    public Parameter<T> InitKaimingUniform(Random random, int fanIn)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        double bound = Math.Sqrt(6.0 / fanIn);
        return InitUniform(random, -bound, bound);
    }

    /// <summary>
    /// Xavier/Glorot uniform initialisation: U(−b, b) with b = √(6 / (<paramref name="fanIn"/> + <paramref name="fanOut"/>))
    /// (<c>torch.nn.init.xavier_uniform_</c>, gain 1).
    /// </summary>
    /// <param name="random">The source of randomness; seed it for reproducible runs.</param>
    /// <param name="fanIn">The number of inputs of the layer.</param>
    /// <param name="fanOut">The number of outputs of the layer.</param>
    /// <returns>This parameter.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A fan is not positive.</exception>
    public Parameter<T> InitXavierUniform(Random random, int fanIn, int fanOut)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        double bound = Math.Sqrt(6.0 / ((double)fanIn + fanOut));
        return InitUniform(random, -bound, bound);
    }

    /// <summary>
    /// Xavier/Glorot normal initialisation: N(0, 2 / (<paramref name="fanIn"/> + <paramref name="fanOut"/>))
    /// (<c>torch.nn.init.xavier_normal_</c>, gain 1).
    /// </summary>
    /// <param name="random">The source of randomness; seed it for reproducible runs.</param>
    /// <param name="fanIn">The number of inputs of the layer.</param>
    /// <param name="fanOut">The number of outputs of the layer.</param>
    /// <returns>This parameter.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A fan is not positive.</exception>
    public Parameter<T> InitXavierNormal(Random random, int fanIn, int fanOut)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        return InitNormal(random, 0.0, Math.Sqrt(2.0 / ((double)fanIn + fanOut)));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}[{Length}]";
}
