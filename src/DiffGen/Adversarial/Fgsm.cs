using System;

namespace DiffGen.Adversarial;

/// <summary>
/// The fast gradient sign method (Goodfellow et al. 2015): one step of size ε along the sign of the input gradient,
/// x' = clamp(x + ε·sign∇ₓL(x, y), Min, Max) untargeted, x' = clamp(x − ε·sign∇ₓL(x, y_target), Min, Max) targeted.
/// </summary>
/// <remarks>sign(0) = 0: a feature whose gradient is exactly 0 (or NaN) does not move; with ε = 0 the result equals x bit for bit
/// (for x in range).</remarks>
public sealed class Fgsm : AdversarialAttack
{
    /// <summary>Creates the attack.</summary>
    /// <param name="inputGradient">∇ₓL of the model under attack.</param>
    /// <param name="features">Features per example (row).</param>
    /// <param name="options">ε, range and goal.</param>
    /// <param name="workspace">Buffers to reuse; a new workspace when <see langword="null"/>.</param>
    public Fgsm(InputGradient inputGradient, int features, FgsmOptions options, AttackWorkspace? workspace = null)
        : base(inputGradient, features, options, workspace)
    {
        Options = options;
    }

    /// <summary>The attack's options.</summary>
    public new FgsmOptions Options { get; }

    private protected override bool InPlaceNeedsNoCopy => true;

    private protected override void Run(ReadOnlySpan<float> original, ReadOnlySpan<int> labels, Span<float> adversarial)
    {
        Span<float> gradient = Workspace.Gradient(original.Length);
        EvaluateGradient(original, labels, gradient);
        AttackKernels.SignStepClamp(original, gradient, Signed(Options.Epsilon), Options.Min, Options.Max, adversarial);
    }
}
