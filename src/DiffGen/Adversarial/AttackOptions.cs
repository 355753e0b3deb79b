using System;
using System.Globalization;

namespace DiffGen.Adversarial;

/// <summary>
/// Settings shared by every attack: the perturbation budget, the valid input range and the goal.
/// Single-value constraints are checked when a property is set (<see cref="ArgumentOutOfRangeException"/> naming the property);
/// <see cref="Min"/> &lt; <see cref="Max"/> is checked when an attack is constructed (<see cref="ArgumentException"/> naming <c>options</c>).
/// </summary>
public abstract record AttackOptions
{
    private readonly float _epsilon;
    private readonly float _min;
    private readonly float _max = 1f;

    /// <summary>The perturbation budget ε ≥ 0 in the attack's norm (L∞ unless stated). May be +∞ (no budget; the range still applies).</summary>
    public required float Epsilon
    {
        get => _epsilon;
        init => _epsilon = value >= 0f ? value : throw new ArgumentOutOfRangeException(nameof(Epsilon), value, "Epsilon must be ≥ 0 (and not NaN).");
    }

    /// <summary>The smallest valid feature value (default 0). Every adversarial feature is clamped to [<see cref="Min"/>, <see cref="Max"/>].</summary>
    public float Min
    {
        get => _min;
        init => _min = float.IsNaN(value) ? throw new ArgumentOutOfRangeException(nameof(Min), value, "Min must not be NaN.") : value;
    }

    /// <summary>The largest valid feature value (default 1).</summary>
    public float Max
    {
        get => _max;
        init => _max = float.IsNaN(value) ? throw new ArgumentOutOfRangeException(nameof(Max), value, "Max must not be NaN.") : value;
    }

    /// <summary>
    /// <see langword="false"/> (default): untargeted — the labels are the true classes and the attack ascends their loss
    /// (x + α·sign∇ₓL(x, y)). <see langword="true"/>: targeted — the labels are the target classes and the attack descends
    /// their loss (x − α·sign∇ₓL(x, y_target)).
    /// </summary>
    public bool Targeted { get; init; }

    /// <summary>Checks the constraints that involve several properties; <paramref name="paramName"/> names the options argument.</summary>
    internal virtual void Validate(string paramName)
    {
        if (!(_min < _max))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{paramName}.Min ({_min}) must be less than {paramName}.Max ({_max})."),
                paramName);
        }
    }
}

/// <summary>Options of the fast gradient sign method (<see cref="Fgsm"/>): one step of size <see cref="AttackOptions.Epsilon"/>.</summary>
public sealed record FgsmOptions : AttackOptions;

/// <summary>Options shared by the iterative attacks: a step size and a number of steps.</summary>
public abstract record IterativeAttackOptions : AttackOptions
{
    private readonly float _stepSize;
    private readonly int _steps;

    /// <summary>The step size α &gt; 0 (finite), in the attack's norm.</summary>
    public required float StepSize
    {
        get => _stepSize;
        init => _stepSize = value > 0f && float.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(StepSize), value, "StepSize must be > 0 and finite.");
    }

    /// <summary>The number of gradient steps, ≥ 1. Each step evaluates the input gradient once.</summary>
    public required int Steps
    {
        get => _steps;
        init => _steps = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Steps), value, "Steps must be ≥ 1.");
    }
}

/// <summary>Options of the basic iterative method (<see cref="Bim"/>, Kurakin et al. 2016): L∞, starting at the clean input.</summary>
public sealed record BimOptions : IterativeAttackOptions;

/// <summary>Options of projected gradient descent (<see cref="Pgd"/>, Madry et al. 2018), L∞ or L2.</summary>
public sealed record PgdOptions : IterativeAttackOptions
{
    /// <summary>The norm of the ball (and of the steps). Default <see cref="Adversarial.Norm.Linf"/>.</summary>
    public Norm Norm { get; init; } = Norm.Linf;

    /// <summary>
    /// Start from a random point of the ball instead of the clean input: uniform in [−ε, ε] per feature for L∞, uniform in
    /// the ball for L2 (a Gaussian direction scaled to radius ε·u^(1/features)); then clamped to the range.
    /// </summary>
    public bool RandomStart { get; init; }

    /// <summary>Seed of the random start. A new <see cref="Pgd"/> with the same seed reproduces the same sequence of calls.</summary>
    public ulong Seed { get; init; }

    internal override void Validate(string paramName)
    {
        base.Validate(paramName);
        if (Norm is not (Norm.Linf or Norm.L2))
        {
            throw new ArgumentOutOfRangeException(paramName, Norm, $"{paramName}.Norm must be Linf or L2.");
        }

        if (RandomStart && float.IsInfinity(Epsilon))
        {
            throw new ArgumentException($"{paramName}.RandomStart needs a finite {paramName}.Epsilon.", paramName);
        }
    }
}

/// <summary>Options of the momentum iterative FGSM (<see cref="MomentumIfgsm"/>, Dong et al. 2018), L∞.</summary>
public sealed record MomentumIfgsmOptions : IterativeAttackOptions
{
    private readonly float _decay = 1f;

    /// <summary>The momentum decay μ ≥ 0 (default 1, as in the paper): g ← μ·g + ∇/‖∇‖₁ per example.</summary>
    public float Decay
    {
        get => _decay;
        init => _decay = value >= 0f && float.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Decay), value, "Decay must be ≥ 0 and finite.");
    }
}
