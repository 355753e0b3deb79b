using System;

namespace DiffGen.Adversarial;

/// <summary>
/// The basic iterative method (Kurakin et al. 2016), iterative FGSM: starting at x₀ = x, <c>Steps</c> times
/// x ← clamp(Π_ε(x ± α·sign∇ₓL(x, y)), Min, Max), where Π_ε projects onto the L∞ ball of radius ε around the original x
/// (+ untargeted, − targeted with the target labels).
/// </summary>
public sealed class Bim : AdversarialAttack
{
    /// <summary>Creates the attack.</summary>
    /// <param name="inputGradient">∇ₓL of the model under attack.</param>
    /// <param name="features">Features per example (row).</param>
    /// <param name="options">ε, step size, steps, range and goal.</param>
    /// <param name="workspace">Buffers to reuse; a new workspace when <see langword="null"/>.</param>
    public Bim(InputGradient inputGradient, int features, BimOptions options, AttackWorkspace? workspace = null)
        : base(inputGradient, features, options, workspace)
    {
        Options = options;
    }

    /// <summary>The attack's options.</summary>
    public new BimOptions Options { get; }

    private protected override void Run(ReadOnlySpan<float> original, ReadOnlySpan<int> labels, Span<float> adversarial)
    {
        RunLinfSignSteps(original, labels, adversarial, fromOriginal: true, Options.StepSize, Options.Steps);
    }
}
