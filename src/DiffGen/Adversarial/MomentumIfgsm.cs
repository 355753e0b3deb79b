using System;
using System.Numerics.Tensors;

namespace DiffGen.Adversarial;

/// <summary>
/// The momentum iterative fast gradient sign method, MI-FGSM (Dong et al. 2018), L∞. Per example, with g₀ = 0 and x₀ = x,
/// <c>Steps</c> times: g ← μ·g + ∇ₓL(x, y)/‖∇ₓL(x, y)‖₁, then x ← clamp(Π∞(x ± α·sign g), Min, Max)
/// (+ untargeted, − targeted with the target labels; Π∞ projects onto the ε-ball around the original x).
/// </summary>
/// <remarks>A row whose gradient has L1 norm 0 or not finite adds nothing to its momentum in that step. The paper's choice
/// α = ε/Steps reaches the border of the ball in the last step; any α &gt; 0 is allowed because the projection keeps the ball.</remarks>
public sealed class MomentumIfgsm : AdversarialAttack
{
    /// <summary>Creates the attack.</summary>
    /// <param name="inputGradient">∇ₓL of the model under attack.</param>
    /// <param name="features">Features per example (row).</param>
    /// <param name="options">ε, step size, steps, decay μ, range and goal.</param>
    /// <param name="workspace">Buffers to reuse; a new workspace when <see langword="null"/>.</param>
    public MomentumIfgsm(InputGradient inputGradient, int features, MomentumIfgsmOptions options, AttackWorkspace? workspace = null)
        : base(inputGradient, features, options, workspace)
    {
        Options = options;
    }

    /// <summary>The attack's options.</summary>
    public new MomentumIfgsmOptions Options { get; }

    private protected override void Run(ReadOnlySpan<float> original, ReadOnlySpan<int> labels, Span<float> adversarial)
    {
        int features = Features;
        Span<float> gradient = Workspace.Gradient(original.Length);
        Span<float> momentum = Workspace.Momentum(original.Length);
        momentum.Clear();
        float alpha = Signed(Options.StepSize);
        float decay = Options.Decay;
        ReadOnlySpan<float> from = original; // the first step starts at the original and writes adversarial: no copy first
        for (int step = 0; step < Options.Steps; step++)
        {
            EvaluateGradient(from, labels, gradient);
            TensorPrimitives.Multiply(momentum, decay, momentum);
            for (int start = 0; start < original.Length; start += features)
            {
                Span<float> gradientRow = gradient.Slice(start, features);
                float l1 = TensorPrimitives.SumOfMagnitudes(gradientRow);
                if (l1 > 0f && float.IsFinite(l1))
                {
                    Span<float> momentumRow = momentum.Slice(start, features);
                    TensorPrimitives.Divide(gradientRow, l1, gradientRow);
                    TensorPrimitives.Add(momentumRow, gradientRow, momentumRow);
                }
            }

            AttackKernels.ProjectedSignStep(from, momentum, original, alpha, Options.Epsilon, Options.Min, Options.Max, adversarial);
            from = adversarial;
        }
    }
}
