using System;
using System.Numerics;

namespace DiffGen.Optimization;

/// <summary>
/// Adam with L2 weight decay added to the gradient and the AMSGrad variant: exactly <c>torch.optim.Adam</c>'s algorithm,
/// including where ε goes.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// At step t, for each element:
/// <code>
/// g ← maximize ? −g : g;   g ← g + λθ (if λ ≠ 0)
/// m ← β₁m + (1 − β₁)g;     v ← β₂v + (1 − β₂)g²
/// v̂ ← amsgrad ? (vmax ← max(vmax, v)) : v
/// θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
/// </code>
/// </remarks>
public sealed class Adam<T> : AdamBase<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates Adam over every parameter currently in <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The set to optimise.</param>
    /// <param name="learningRate">η, finite and not negative (PyTorch's default is 1e-3).</param>
    /// <param name="beta1">β₁, the decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">β₂, the decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">ε, added to the bias-corrected root of the second moment; finite and not negative.</param>
    /// <param name="weightDecay">λ, an L2 penalty added to the gradient; finite and not negative.</param>
    /// <param name="amsgrad">Uses the running maximum of the second moment (AMSGrad).</param>
    /// <param name="maximize">Ascends the objective instead of descending it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public Adam(
        Parameters<T> parameters,
        double learningRate = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0,
        bool amsgrad = false,
        bool maximize = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, maximize, decoupledDecay: false)
    {
    }
}
