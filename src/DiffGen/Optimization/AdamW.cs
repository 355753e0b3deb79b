using System;
using System.Numerics;

namespace DiffGen.Optimization;

/// <summary>
/// AdamW: Adam with decoupled weight decay (θ ← θ(1 − ηλ) before the Adam update) and the AMSGrad variant:
/// exactly <c>torch.optim.AdamW</c>'s algorithm, including where ε goes.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// At step t, for each element:
/// <code>
/// θ ← θ(1 − ηλ);   g ← maximize ? −g : g
/// m ← β₁m + (1 − β₁)g;     v ← β₂v + (1 − β₂)g²
/// v̂ ← amsgrad ? (vmax ← max(vmax, v)) : v
/// θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
/// </code>
/// </remarks>
public sealed class AdamW<T> : AdamBase<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates AdamW over every parameter currently in <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The set to optimise.</param>
    /// <param name="learningRate">η, finite and not negative (PyTorch's default is 1e-3).</param>
    /// <param name="beta1">β₁, the decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">β₂, the decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">ε, added to the bias-corrected root of the second moment; finite and not negative.</param>
    /// <param name="weightDecay">λ, the decoupled weight decay; finite and not negative (PyTorch's default is 1e-2).</param>
    /// <param name="amsgrad">Uses the running maximum of the second moment (AMSGrad).</param>
    /// <param name="maximize">Ascends the objective instead of descending it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public AdamW(
        Parameters<T> parameters,
        double learningRate = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 1e-2,
        bool amsgrad = false,
        bool maximize = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, maximize, decoupledDecay: true)
    {
    }
}
