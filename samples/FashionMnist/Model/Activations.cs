using System;

namespace FashionMnist.Model;

/// <summary>
/// The intermediate values of a network's forward pass (the scratch spans its [Differentiable] loss writes), one buffer
/// per layer output sized for the largest batch seen and sliced per call: no allocation once grown.
/// </summary>
public sealed class Activations
{
    private readonly int[] _perRow;
    private readonly float[][] _buffers;
    private int _rows;

    /// <param name="perRow">Elements per image of each buffer, in order.</param>
    public Activations(params int[] perRow)
    {
        _perRow = perRow;
        _buffers = new float[perRow.Length][];
        Array.Fill(_buffers, Array.Empty<float>());
    }

    /// <summary>Grows every buffer to hold <paramref name="rows"/> images.</summary>
    public void Ensure(int rows)
    {
        if (rows <= _rows)
        {
            return;
        }

        _rows = rows;
        for (int i = 0; i < _buffers.Length; i++)
        {
            _buffers[i] = new float[rows * _perRow[i]];
        }
    }

    /// <summary>Buffer <paramref name="index"/> for <paramref name="rows"/> images (call <see cref="Ensure"/> first).</summary>
    public Span<float> this[int index, int rows] => _buffers[index].AsSpan(0, rows * _perRow[index]);
}
