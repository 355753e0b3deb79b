namespace DiffGen.Layers;

/// <summary>
/// The geometry of a fully connected layer, <c>torch.nn.Linear(inFeatures, outFeatures)</c>: <c>y = x·Wᵀ + b</c> for
/// every row of x, with the weight stored <c>[OutFeatures, InFeatures]</c> and the bias <c>[OutFeatures]</c> as in
/// PyTorch. A flattened NCHW feature map is already the row x (batch first, then C·H·W): flattening is free.
/// </summary>
/// <remarks>A <c>default</c> value has no valid geometry; the ops reject it.</remarks>
public readonly struct Linear
{
    /// <summary>Checks and stores the geometry.</summary>
    /// <param name="inFeatures">Length of each input row.</param>
    /// <param name="outFeatures">Length of each output row.</param>
    /// <exception cref="System.ArgumentOutOfRangeException">A size is not positive.</exception>
    public Linear(int inFeatures, int outFeatures)
    {
        InFeatures = Geometry.Positive(inFeatures, nameof(inFeatures));
        OutFeatures = Geometry.Positive(outFeatures, nameof(outFeatures));
    }

    /// <summary>Length of each input row.</summary>
    public int InFeatures { get; }

    /// <summary>Length of each output row.</summary>
    public int OutFeatures { get; }

    /// <summary>Elements of the weight, OutFeatures·InFeatures.</summary>
    public int WeightLength => OutFeatures * InFeatures;

    /// <summary>Elements of the bias, OutFeatures.</summary>
    public int BiasLength => OutFeatures;
}
