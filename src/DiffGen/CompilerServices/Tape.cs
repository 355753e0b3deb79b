using System;
using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace DiffGen.CompilerServices;

/// <summary>
/// A typed LIFO tape for generated reverse-mode code: the forward sweep pushes values that are about to be
/// overwritten, the reverse sweep pops them. Backed by <see cref="ArrayPool{T}"/>; <see cref="Dispose"/> returns it.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct Tape<T> : IDisposable
    where T : unmanaged
{
    private T[]? _items;
    private int _count;

    /// <summary>Number of values on the tape.</summary>
    public readonly int Count => _count;

    /// <summary>Pushes one value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        T[]? items = _items;
        if (items is null || _count == items.Length)
        {
            items = Grow(1);
        }

        items[_count++] = value;
    }

    /// <summary>Pops the value pushed last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop()
    {
        if (_count == 0)
        {
            ThrowEmpty();
        }

        return _items![--_count];
    }

    /// <summary>Pushes a copy of a whole vector.</summary>
    public void PushRange(ReadOnlySpan<T> values)
    {
        if (_items is null || _count + values.Length > _items.Length)
        {
            Grow(values.Length);
        }

        values.CopyTo(_items.AsSpan(_count));
        _count += values.Length;
    }

    /// <summary>Pops a vector pushed by <see cref="PushRange(ReadOnlySpan{T})"/> back into <paramref name="destination"/>.</summary>
    public void PopRange(Span<T> destination)
    {
        if (_count < destination.Length)
        {
            ThrowEmpty();
        }

        _count -= destination.Length;
        _items.AsSpan(_count, destination.Length).CopyTo(destination);
    }

    /// <summary>
    /// Pushes a copy of the first <paramref name="count"/> elements (the part of a vector a loop writes), as many as the
    /// vector has when the count is larger and none when it is not positive: a loop that writes nothing past the end
    /// did not run, and the pop with the same count and vector takes back exactly what was pushed.
    /// </summary>
    public void PushRange(ReadOnlySpan<T> values, int count) => PushRange(values.Slice(0, Math.Clamp(count, 0, values.Length)));

    /// <summary>Pops the first <paramref name="count"/> elements pushed by <see cref="PushRange(ReadOnlySpan{T}, int)"/>.</summary>
    public void PopRange(Span<T> destination, int count) => PopRange(destination.Slice(0, Math.Clamp(count, 0, destination.Length)));

    /// <summary>
    /// Takes the next <paramref name="length"/> slots and returns them, for a scratch vector that an iteration of the
    /// forward sweep overwrites whole before reading: the iteration writes its record in place instead of copying it
    /// here at its end. The slots hold stale values until written. The span is valid until the next push on this tape.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> PushSlot(int length)
    {
        if (_items is null || _count + length > _items.Length)
        {
            Grow(length);
        }

        Span<T> slot = _items.AsSpan(_count, length);
        _count += length;
        return slot;
    }

    /// <summary>Takes back the slots <see cref="PushSlot(int)"/> handed out last and returns them, as that iteration left them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> PopSlot(int length)
    {
        if (_count < length)
        {
            ThrowEmpty();
        }

        _count -= length;
        return _items.AsSpan(_count, length);
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_items is not null)
        {
            ArrayPool<T>.Shared.Return(_items);
            _items = null;
        }

        _count = 0;
    }

    private T[] Grow(int extra)
    {
        int size = Math.Max(Math.Max(256, _count + extra), (_items?.Length ?? 0) * 2);
        T[] larger = ArrayPool<T>.Shared.Rent(size);
        if (_items is not null)
        {
            _items.AsSpan(0, _count).CopyTo(larger);
            ArrayPool<T>.Shared.Return(_items);
        }

        _items = larger;
        return larger;
    }

    private static void ThrowEmpty() => throw new InvalidOperationException("The gradient tape is empty: the reverse sweep popped more than the forward sweep pushed.");
}
