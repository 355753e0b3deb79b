using System;
using System.Globalization;

namespace DiffGen.Adversarial;

/// <summary>
/// Adversarial training (Madry et al. 2018: min over θ of the loss at the worst point of the ε-ball): produces the batch the
/// training step should take its parameter gradient on. The optimizer stays outside.
/// </summary>
/// <remarks>
/// <para>Composition with a generated gradient and an optimizer from <c>DiffGen.Optimization</c> (names illustrative):</para>
/// <code>
/// // [Differentiable(nameof(w), nameof(b))]                         → Model.LossGradient(x, y, w, b, scratch, dw, db)
/// // [Differentiable(nameof(x), Name = "LossInputGradient")]        → Model.LossInputGradient(x, y, w, b, scratch, dx)
/// var attack = new Pgd((x, y, dx) =&gt; Model.LossInputGradient(x, y, w, b, scratch, dx), features,
///     new PgdOptions { Epsilon = 0.3f, StepSize = 0.01f, Steps = 40, RandomStart = true, Seed = 1 });
/// var training = new AdversarialTraining(attack);
/// var batch = new float[batchSize * features];
/// foreach ((xb, yb) in loader)
/// {
///     training.CreateBatch(xb, yb, batch.AsSpan(0, xb.Length)); // inner maximisation over x (θ fixed)
///     parameters.ZeroGrad();
///     Model.LossGradient(batch.AsSpan(0, xb.Length), yb, w, b, scratch, dw, db); // outer minimisation: ∇θ at x'
///     optimizer.Step();                                         // updates w, b in place
/// }
/// </code>
/// <para>The attack's lambda captures the parameter arrays, so each batch is attacked with the current θ. The input
/// gradient only writes its own dx buffer (in the attack's workspace), so it never disturbs the parameter gradients.</para>
/// <para>With <see cref="AdversarialFraction"/> &lt; 1 the first round(fraction·rows) rows are adversarial and the rest are copied
/// clean (the mixed objective of Goodfellow et al. 2015).</para>
/// </remarks>
public sealed class AdversarialTraining
{
    /// <summary>Creates the helper.</summary>
    /// <param name="attack">An untargeted attack on the model being trained (typically <see cref="Pgd"/> with a random start).</param>
    /// <param name="adversarialFraction">The fraction of each batch that is replaced by adversarial examples, in [0, 1] (default 1).</param>
    /// <exception cref="ArgumentException"><paramref name="attack"/> is targeted.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="adversarialFraction"/> is outside [0, 1].</exception>
    public AdversarialTraining(AdversarialAttack attack, float adversarialFraction = 1f)
    {
        ArgumentNullException.ThrowIfNull(attack);
        if (attack.Options.Targeted)
        {
            throw new ArgumentException("Adversarial training maximises the loss of the true labels; the attack must be untargeted.", nameof(attack));
        }

        if (!(adversarialFraction >= 0f && adversarialFraction <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(adversarialFraction), adversarialFraction, "adversarialFraction must be in [0, 1].");
        }

        Attack = attack;
        AdversarialFraction = adversarialFraction;
    }

    /// <summary>The attack that makes the adversarial rows.</summary>
    public AdversarialAttack Attack { get; }

    /// <summary>The fraction of each batch replaced by adversarial examples.</summary>
    public float AdversarialFraction { get; }

    /// <summary>
    /// Writes the training batch: the first round(<see cref="AdversarialFraction"/>·rows) rows are the attack's adversarial
    /// versions of <paramref name="x"/>, the others are copied from <paramref name="x"/>. Allocates nothing after the attack's warm-up.
    /// </summary>
    /// <param name="x">The clean batch, <c>rows × Attack.Features</c>, row-major.</param>
    /// <param name="labels">The true labels, one per row (they label the returned batch too).</param>
    /// <param name="trainingBatch">Receives the batch; same length as <paramref name="x"/> (may be the same memory).</param>
    /// <returns>The number of adversarial rows (at the start of the batch).</returns>
    public int CreateBatch(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, Span<float> trainingBatch)
    {
        int rows = Batching.CheckRows(x, labels, Attack.Features);
        if (trainingBatch.Length != x.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"trainingBatch has {trainingBatch.Length} values but x has {x.Length}."),
                nameof(trainingBatch));
        }

        int adversarialRows = (int)Math.Round(AdversarialFraction * (double)rows, MidpointRounding.AwayFromZero);
        int split = adversarialRows * Attack.Features;
        Attack.Perturb(x[..split], labels[..adversarialRows], trainingBatch[..split]);
        x[split..].CopyTo(trainingBatch[split..]);
        return adversarialRows;
    }
}
