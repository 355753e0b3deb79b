using System;
using System.Collections.Generic;
using System.Numerics;

namespace DiffGen.Optimization;

/// <summary>
/// What <see cref="Adam{T}"/> and <see cref="AdamW{T}"/> share: the hyperparameters, the moment buffers and the update
/// kernel. They differ only in where the weight decay goes (added to the gradient, or decoupled).
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class AdamBase<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly AdamKernel<T> _kernel;
    private readonly bool _decoupledDecay;

    /// <summary>Validates the hyperparameters and allocates the moments of every parameter in the set.</summary>
    /// <param name="parameters">The set to optimise.</param>
    /// <param name="learningRate">η, finite and not negative.</param>
    /// <param name="beta1">β₁, the decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">β₂, the decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">ε, added to the bias-corrected root of the second moment; finite and not negative.</param>
    /// <param name="weightDecay">λ; finite and not negative.</param>
    /// <param name="amsgrad">Uses the running maximum of the second moment (AMSGrad).</param>
    /// <param name="maximize">Ascends the objective instead of descending it.</param>
    /// <param name="decoupledDecay">True for AdamW's θ ← θ(1 − ηλ); false for Adam's g ← g + λθ.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    private protected AdamBase(
        Parameters<T> parameters, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool amsgrad, bool maximize, bool decoupledDecay)
        : base(parameters, learningRate)
    {
        Beta1 = UnitInterval(beta1, nameof(beta1));
        Beta2 = UnitInterval(beta2, nameof(beta2));
        Epsilon = NonNegative(epsilon, nameof(epsilon));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        AmsGrad = amsgrad;
        Maximize = maximize;
        _decoupledDecay = decoupledDecay;
        _kernel = new AdamKernel<T>([.. parameters], amsgrad);
    }

    /// <summary>β₁, the decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to the denominator after the bias correction.</summary>
    public double Epsilon { get; }

    /// <summary>λ: an L2 penalty added to the gradient (Adam) or the decoupled decay θ ← θ(1 − ηλ) (AdamW).</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the AMSGrad variant is used.</summary>
    public bool AmsGrad { get; }

    /// <summary>Whether the objective is maximised.</summary>
    public bool Maximize { get; }

    /// <summary>The first moment m of parameter <paramref name="index"/>, for inspection.</summary>
    /// <param name="index">The parameter's <see cref="Parameter{T}.Index"/>.</param>
    /// <returns>The buffer m.</returns>
    public ReadOnlySpan<T> FirstMoment(int index) => _kernel.FirstMoments[index];

    /// <summary>The second moment v of parameter <paramref name="index"/>, for inspection.</summary>
    /// <param name="index">The parameter's <see cref="Parameter{T}.Index"/>.</param>
    /// <returns>The buffer v.</returns>
    public ReadOnlySpan<T> SecondMoment(int index) => _kernel.SecondMoments[index];

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Name, T[] Values)> StateBuffers() => _kernel.StateBuffers();

    /// <inheritdoc/>
    protected override void StepCore(long step) =>
        _kernel.Step(step, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, _decoupledDecay, Maximize);
}
