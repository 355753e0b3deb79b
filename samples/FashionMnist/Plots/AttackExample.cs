namespace FashionMnist.Plots;

/// <summary>
/// One row of the adversarial-example slide drawn by <see cref="Charts.Attack"/>.
/// </summary>
/// <param name="Original">The clean 28×28 grayscale image, row-major, pixels in [0, 1] (784 values).</param>
/// <param name="Adversarial">The attacked image, same layout as <paramref name="Original"/>.</param>
/// <param name="OriginalProbabilities">The model's class probabilities for the clean image (one per class).</param>
/// <param name="AdversarialProbabilities">The model's class probabilities for the attacked image.</param>
/// <param name="TrueLabel">Index of the correct class.</param>
public sealed record AttackExample(
    float[] Original,
    float[] Adversarial,
    float[] OriginalProbabilities,
    float[] AdversarialProbabilities,
    int TrueLabel);
