using System;
using System.Numerics;
using Xunit;

namespace DiffGen.Tests.Ops;

/// <summary>
/// A test vector that lives at offset 1 of a larger array (so spans are deliberately unaligned), with a guard value
/// on each side that no op may overwrite.
/// </summary>
internal sealed class TestBuffer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T GuardValue = T.CreateTruncating(-7777.25);
    private readonly T[] _storage;

    public TestBuffer(int length)
    {
        Length = length;
        _storage = new T[length + 2];
        _storage[0] = GuardValue;
        _storage[length + 1] = GuardValue;
    }

    public int Length { get; }

    public Span<T> Span => _storage.AsSpan(1, Length);

    public double this[int index]
    {
        get => double.CreateTruncating(_storage[index + 1]);
        set => _storage[index + 1] = T.CreateTruncating(value);
    }

    /// <summary>Uniform values in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static TestBuffer<T> Random(Random rng, int length, double low = -2, double high = 2)
    {
        var buffer = new TestBuffer<T>(length);
        for (int i = 0; i < length; i++)
        {
            buffer[i] = low + (high - low) * rng.NextDouble();
        }

        return buffer;
    }

    /// <summary>Values with magnitude in [<paramref name="minMagnitude"/>, 2) and random sign (keeps away from kinks at 0).</summary>
    public static TestBuffer<T> AwayFromZero(Random rng, int length, double minMagnitude)
    {
        var buffer = new TestBuffer<T>(length);
        for (int i = 0; i < length; i++)
        {
            double magnitude = minMagnitude + (2 - minMagnitude) * rng.NextDouble();
            buffer[i] = rng.Next(2) == 0 ? magnitude : -magnitude;
        }

        return buffer;
    }

    public double[] ToDoubles()
    {
        var values = new double[Length];
        for (int i = 0; i < Length; i++)
        {
            values[i] = this[i];
        }

        return values;
    }

    public TestBuffer<T> Clone()
    {
        var copy = new TestBuffer<T>(Length);
        Span.CopyTo(copy.Span);
        return copy;
    }

    public void AssertGuardsIntact(string name)
    {
        Assert.True(_storage[0] == GuardValue, $"{name}: element before the span was overwritten.");
        Assert.True(_storage[Length + 1] == GuardValue, $"{name}: element after the span was overwritten.");
    }
}
