namespace DiffGen.Adversarial;

/// <summary>The norm that measures (and bounds) the size of a perturbation, per example.</summary>
public enum Norm
{
    /// <summary>L∞: the largest absolute change of any feature. Steps follow the sign of the gradient.</summary>
    Linf = 0,

    /// <summary>L2: the Euclidean length of the change. Steps follow the gradient normalised to unit L2 length per example.</summary>
    L2 = 1,
}
