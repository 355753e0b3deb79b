using System;

namespace DiffGen.Adversarial;

/// <summary>
/// The buffers an attack reuses between calls: a copy of the original batch (used only when the adversarial batch overlaps
/// it), the gradient, the momentum and a per-row scratch row. They grow on demand (the first call with the largest batch is the warm-up) and are never shrunk, so
/// every later call allocates nothing.
/// </summary>
/// <remarks>
/// A workspace may be shared by several attacks that run one after another on the same thread (it holds no state between
/// calls), but not by attacks running concurrently.
/// </remarks>
public sealed class AttackWorkspace
{
    private float[] _original = [];
    private float[] _gradient = [];
    private float[] _momentum = [];
    private float[] _row = [];

    /// <summary>Creates an empty workspace; it grows on first use.</summary>
    public AttackWorkspace()
    {
    }

    /// <summary>Creates a workspace already large enough for batches of <paramref name="length"/> values with <paramref name="features"/> per row.</summary>
    /// <param name="length">rows × features of the largest batch.</param>
    /// <param name="features">Values per row.</param>
    public AttackWorkspace(int length, int features) => EnsureCapacity(length, features);

    /// <summary>The number of values (rows × features) the workspace holds without growing.</summary>
    public int Capacity => _original.Length;

    /// <summary>Grows the buffers, if needed, for a batch of <paramref name="length"/> values with <paramref name="features"/> per row.</summary>
    /// <param name="length">rows × features.</param>
    /// <param name="features">Values per row.</param>
    public void EnsureCapacity(int length, int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegative(features);
        if (_original.Length < length)
        {
            _original = new float[length];
            _gradient = new float[length];
            _momentum = new float[length];
        }

        if (_row.Length < features)
        {
            _row = new float[features];
        }
    }

    internal Span<float> Original(int length) => _original.AsSpan(0, length);

    internal Span<float> Gradient(int length) => _gradient.AsSpan(0, length);

    internal Span<float> Momentum(int length) => _momentum.AsSpan(0, length);

    internal Span<float> Row(int features) => _row.AsSpan(0, features);
}
