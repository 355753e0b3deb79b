using System;

namespace DiffGen.Adversarial;

/// <summary>
/// Projected gradient descent (Madry et al. 2018) in the L∞ or L2 ball: from x (or a random point of the ball),
/// <c>Steps</c> times take a step of size α and project back onto the ball of radius ε around the original x, then clamp
/// to [Min, Max].
/// </summary>
/// <remarks>
/// <para>L∞: x ← clamp(Π∞(x ± α·sign∇), Min, Max) — without random start this is exactly <see cref="Bim"/>.</para>
/// <para>L2, per example: x ← x ± α·∇/‖∇‖₂ (a row whose gradient norm is 0 or not finite does not move), then
/// δ = x − x₀ is scaled to ε/‖δ‖₂ when longer than ε, then clamped to the range.</para>
/// <para>The random start draws from a generator seeded with <see cref="PgdOptions.Seed"/> when the attack is constructed;
/// its state advances across calls (different batches get different starts), so a new attack with the same seed
/// reproduces the same sequence of calls.</para>
/// </remarks>
public sealed class Pgd : AdversarialAttack
{
    private AttackRandom _random;

    /// <summary>Creates the attack.</summary>
    /// <param name="inputGradient">∇ₓL of the model under attack.</param>
    /// <param name="features">Features per example (row).</param>
    /// <param name="options">Norm, ε, step size, steps, random start, range and goal.</param>
    /// <param name="workspace">Buffers to reuse; a new workspace when <see langword="null"/>.</param>
    public Pgd(InputGradient inputGradient, int features, PgdOptions options, AttackWorkspace? workspace = null)
        : base(inputGradient, features, options, workspace)
    {
        Options = options;
        _random = new AttackRandom(options.Seed);
    }

    /// <summary>The attack's options.</summary>
    public new PgdOptions Options { get; }

    private protected override void Run(ReadOnlySpan<float> original, ReadOnlySpan<int> labels, Span<float> adversarial)
    {
        if (Options.RandomStart)
        {
            RandomStart(original, adversarial);
        }
        else if (Options.Norm != Norm.Linf)
        {
            original.CopyTo(adversarial); // the L∞ steps start from the original without this copy
        }

        if (Options.Norm == Norm.Linf)
        {
            RunLinfSignSteps(original, labels, adversarial, fromOriginal: !Options.RandomStart, Options.StepSize, Options.Steps);
        }
        else
        {
            RunL2Steps(original, labels, adversarial);
        }
    }

    private void RunL2Steps(ReadOnlySpan<float> original, ReadOnlySpan<int> labels, Span<float> adversarial)
    {
        int features = Features;
        Span<float> gradient = Workspace.Gradient(original.Length);
        Span<float> scratch = Workspace.Row(features);
        float alpha = Signed(Options.StepSize);
        for (int step = 0; step < Options.Steps; step++)
        {
            EvaluateGradient(adversarial, labels, gradient);
            for (int start = 0; start < adversarial.Length; start += features)
            {
                Span<float> row = adversarial.Slice(start, features);
                AttackKernels.L2Step(row, gradient.Slice(start, features), alpha);
                AttackKernels.ProjectL2(row, original.Slice(start, features), Options.Epsilon, Options.Min, Options.Max, scratch);
            }
        }
    }

    private void RandomStart(ReadOnlySpan<float> original, Span<float> adversarial)
    {
        float eps = Options.Epsilon;
        if (Options.Norm == Norm.Linf)
        {
            for (int i = 0; i < original.Length; i++)
            {
                adversarial[i] = original[i] + (eps * ((2f * _random.NextSingle()) - 1f));
            }

            AttackKernels.ProjectLinf(adversarial, original, eps, Options.Min, Options.Max);
            return;
        }

        int features = Features;
        Span<float> direction = Workspace.Row(features);
        for (int start = 0; start < original.Length; start += features)
        {
            // Uniform in the ball: an isotropic (Gaussian) direction, radius ε·u^(1/d).
            double squaredNorm = 0;
            for (int j = 0; j < features; j++)
            {
                double z = _random.NextGaussian();
                direction[j] = (float)z;
                squaredNorm += z * z;
            }

            double radius = eps * Math.Pow(_random.NextDouble(), 1.0 / features);
            float scale = squaredNorm > 0 ? (float)(radius / Math.Sqrt(squaredNorm)) : 0f;
            Span<float> row = adversarial.Slice(start, features);
            ReadOnlySpan<float> originalRow = original.Slice(start, features);
            for (int j = 0; j < features; j++)
            {
                row[j] = originalRow[j] + (scale * direction[j]);
            }

            // Rounding can put the point a few ulps outside the ball; the projection also applies the range.
            AttackKernels.ProjectL2(row, originalRow, eps, Options.Min, Options.Max, direction);
        }
    }
}
