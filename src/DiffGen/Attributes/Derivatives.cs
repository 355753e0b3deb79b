using System;

namespace DiffGen;

/// <summary>
/// Which derivatives the generator writes for a <see cref="DifferentiableAttribute"/> method
/// (<see cref="DifferentiableAttribute.Generate"/>); see docs/forward-and-second-order.md.
/// </summary>
[Flags]
public enum Derivatives
{
    /// <summary>Reverse mode: <c>{stem}Gradient</c> (scalar result only) and <c>{stem}Pullback</c>. The default.</summary>
    Reverse = 1,

    /// <summary>Forward mode: <c>{stem}Pushforward</c>, the value and the directional derivative along given tangents.</summary>
    Forward = 2,

    /// <summary>
    /// <c>{stem}Jacobian</c> of a vector result (an <see cref="OutputAttribute"/> parameter), dense and sparse; implies
    /// <see cref="Forward"/> and <see cref="Reverse"/>.
    /// </summary>
    Jacobian = 4,

    /// <summary>
    /// <c>{stem}HessianVectorProduct</c> of a scalar result, by forward-over-reverse, and
    /// <c>{stem}GradientAndHessianVectorProduct</c>, which also adds the gradient it computes on the way.
    /// </summary>
    HessianVectorProduct = 8,

    /// <summary>
    /// <c>{stem}Hessian</c> (dense) and <c>{stem}HessianDiagonal</c> of a scalar result; implies
    /// <see cref="HessianVectorProduct"/>.
    /// </summary>
    Hessian = 16,

    /// <summary>
    /// Nesting helpers, so that another <c>[Differentiable]</c> method may call this method's generated gradient,
    /// pullback or pushforward and still be differentiated (in either mode): <c>{stem}Nested…</c>, the gradient,
    /// pullback, pushforward and Hessian-vector product with respect to every floating-point parameter, and the
    /// partial-derivative helpers a nested call becomes (docs/forward-and-second-order.md §5). For a static method with
    /// a scalar result whose floating-point parameters are scalars of the result's type.
    /// </summary>
    Nested = 32,

    /// <summary>
    /// <c>{stem}Pooled</c>: the method itself, same parameters and result (bit for bit), with the scratch arrays it
    /// allocates with <c>new T[n]</c> rented from <c>ArrayPool</c> and returned, as in the generated gradients, so an
    /// evaluation loop that calls the primal allocates nothing either (docs/models.md).
    /// </summary>
    PooledPrimal = 64,
}
