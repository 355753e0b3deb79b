namespace DiffGen.Layers;

/// <summary>
/// The geometry of a layer normalisation, <c>torch.nn.LayerNorm(features, eps)</c> over the last dimension:
/// every row of <see cref="Features"/> values is normalised to mean 0 and variance 1 (the biased variance, as PyTorch),
/// then scaled by γ and shifted by β, each of length <see cref="Features"/>.
/// </summary>
/// <remarks>A <c>default</c> value has no valid geometry; the ops reject it.</remarks>
public readonly struct LayerNorm
{
    /// <summary>Checks and stores the geometry.</summary>
    /// <param name="features">Length of each normalised row.</param>
    /// <param name="epsilon">Added to the variance before the square root, positive (PyTorch's default 1e-5).</param>
    /// <exception cref="System.ArgumentOutOfRangeException">A size is not positive, or epsilon is not positive and finite.</exception>
    public LayerNorm(int features, double epsilon = 1e-5)
    {
        Features = Geometry.Positive(features, nameof(features));
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
        {
            throw new System.ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive and finite.");
        }

        Epsilon = epsilon;
    }

    /// <summary>Length of each normalised row (and of γ and β).</summary>
    public int Features { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }
}
