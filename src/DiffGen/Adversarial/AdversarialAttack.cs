using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DiffGen.Adversarial;

/// <summary>
/// A configured attack: it turns a batch of examples into adversarial examples using an <see cref="Adversarial.InputGradient"/>.
/// Implementations: <see cref="Fgsm"/>, <see cref="Bim"/>, <see cref="Pgd"/>, <see cref="MomentumIfgsm"/>.
/// </summary>
/// <remarks>
/// <para>Batches are row-major (<c>rows × <see cref="Features"/></c>); every row is an independent example: norms,
/// normalisations and projections are per row.</para>
/// <para>Guarantee (property-tested): for an original row inside [<see cref="AttackOptions.Min"/>, <see cref="AttackOptions.Max"/>],
/// the adversarial row is inside that range and within <see cref="AttackOptions.Epsilon"/> of the original in the
/// attack's norm (up to float rounding of one ulp per feature). If an original value lies outside the range, the range wins.</para>
/// <para>An attack is not thread-safe: it reuses its <see cref="Workspace"/>, so after the first call with the largest batch
/// (the warm-up) <see cref="Perturb"/> allocates nothing.</para>
/// </remarks>
public abstract class AdversarialAttack
{
    private protected AdversarialAttack(InputGradient inputGradient, int features, AttackOptions options, AttackWorkspace? workspace)
    {
        ArgumentNullException.ThrowIfNull(inputGradient);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(nameof(options));
        InputGradient = inputGradient;
        Features = features;
        Options = options;
        Workspace = workspace ?? new AttackWorkspace();
    }

    /// <summary>The input gradient the attack follows.</summary>
    public InputGradient InputGradient { get; }

    /// <summary>The number of features per example (row).</summary>
    public int Features { get; }

    /// <summary>The attack's options.</summary>
    public AttackOptions Options { get; }

    /// <summary>The reusable buffers.</summary>
    public AttackWorkspace Workspace { get; }

    /// <summary>
    /// Writes the adversarial version of the batch <paramref name="x"/> into <paramref name="adversarial"/>.
    /// </summary>
    /// <param name="x">The clean batch, <c>rows × Features</c> values, row-major.</param>
    /// <param name="labels">One per row: the true classes (untargeted) or the target classes (<see cref="AttackOptions.Targeted"/>).</param>
    /// <param name="adversarial">Receives the adversarial batch; same length as <paramref name="x"/>. It may be the same memory as
    /// <paramref name="x"/>, or overlap it (the attack then keeps its own copy of the original where it needs one).
    /// <paramref name="x"/> is read during the whole call, so the input gradient must not write to it.</param>
    /// <exception cref="ArgumentException">A length does not match (the message says which).</exception>
    public void Perturb(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, Span<float> adversarial)
    {
        if (x.Length % Features != 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"x has {x.Length} values, which is not a multiple of Features ({Features})."),
                nameof(x));
        }

        int rows = x.Length / Features;
        if (labels.Length != rows)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"labels has {labels.Length} values but x has {rows} rows of {Features} features."),
                nameof(labels));
        }

        if (adversarial.Length != x.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"adversarial has {adversarial.Length} values but x has {x.Length}."),
                nameof(adversarial));
        }

        if (rows == 0)
        {
            return;
        }

        Workspace.EnsureCapacity(x.Length, Features);
        ReadOnlySpan<float> original = x;
        if (x.Overlaps(adversarial)
            && !(InPlaceNeedsNoCopy && Unsafe.AreSame(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(adversarial))))
        {
            // adversarial overwrites (part of) x: keep the original in the workspace.
            Span<float> copy = Workspace.Original(x.Length);
            x.CopyTo(copy);
            original = copy;
        }

        Run(original, labels, adversarial);
    }

    /// <summary>
    /// Runs the attack from <paramref name="original"/> into <paramref name="adversarial"/>. <paramref name="original"/> is the
    /// caller's x (in range or not) when the two do not overlap, else a private copy — or, with
    /// <see cref="InPlaceNeedsNoCopy"/>, x itself when <paramref name="adversarial"/> is exactly the same memory.
    /// </summary>
    private protected abstract void Run(ReadOnlySpan<float> original, ReadOnlySpan<int> labels, Span<float> adversarial);

    /// <summary>
    /// <see langword="true"/> when <see cref="Run"/> reads each original value only before it writes the adversarial value
    /// of the same index (FGSM: the gradient at x, then one element-wise pass), so that an in-place call
    /// (<c>adversarial</c> is <c>x</c>) needs no copy of x. Partial overlaps are always copied.
    /// </summary>
    private protected virtual bool InPlaceNeedsNoCopy => false;

    /// <summary>Zeroes <paramref name="gradient"/> and adds ∇ₓL(<paramref name="at"/>, labels) into it.</summary>
    private protected void EvaluateGradient(ReadOnlySpan<float> at, ReadOnlySpan<int> labels, Span<float> gradient)
    {
        gradient.Clear();
        _ = InputGradient(at, labels, gradient);
    }

    /// <summary>+α for untargeted attacks (ascend the loss), −α for targeted ones (descend the target's loss).</summary>
    private protected float Signed(float alpha) => Options.Targeted ? -alpha : alpha;

    /// <summary>
    /// The iterative L∞ sign step shared by BIM and L∞ PGD: <paramref name="steps"/> times x ← Π(x + α·sign∇), one pass per
    /// step. With <paramref name="fromOriginal"/> the first step starts at <paramref name="original"/> and writes
    /// <paramref name="adversarial"/> (no copy of the original first); otherwise it starts at <paramref name="adversarial"/>.
    /// </summary>
    private protected void RunLinfSignSteps(
        ReadOnlySpan<float> original, ReadOnlySpan<int> labels, Span<float> adversarial, bool fromOriginal, float stepSize, int steps)
    {
        Span<float> gradient = Workspace.Gradient(original.Length);
        float alpha = Signed(stepSize);
        ReadOnlySpan<float> from = fromOriginal ? original : adversarial;
        for (int step = 0; step < steps; step++)
        {
            EvaluateGradient(from, labels, gradient);
            AttackKernels.ProjectedSignStep(from, gradient, original, alpha, Options.Epsilon, Options.Min, Options.Max, adversarial);
            from = adversarial;
        }
    }
}
