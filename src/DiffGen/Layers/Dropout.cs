using System;

namespace DiffGen.Layers;

/// <summary>
/// Dropout, <c>torch.nn.Dropout(p)</c>: each element is zeroed with probability <see cref="Probability"/> and the rest
/// scaled by 1 / (1 − p). The mask is a hash of (<see cref="Seed"/>, element index), not a random stream: the same seed
/// gives the same mask, so the pullback recomputes it from the seed instead of storing it, and a run is reproducible.
/// Give each training step its own seed (<see cref="WithSeed"/>); at evaluation use <c>default</c> (p = 0: the op
/// copies) or leave the op out.
/// </summary>
public readonly struct Dropout
{
    /// <summary>Checks and stores the probability and the seed.</summary>
    /// <param name="probability">The probability of zeroing an element, in [0, 1).</param>
    /// <param name="seed">Selects the mask.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside [0, 1).</exception>
    public Dropout(double probability, ulong seed = 0)
    {
        if (!(probability >= 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "probability must be in [0, 1).");
        }

        Probability = probability;
        Seed = seed;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double Probability { get; }

    /// <summary>Selects the mask.</summary>
    public ulong Seed { get; }

    /// <summary>The same probability with another mask.</summary>
    /// <param name="seed">Selects the mask, e.g. the training step's number.</param>
    /// <returns>The new layer.</returns>
    public Dropout WithSeed(ulong seed) => new(Probability, seed);
}
