using System;

namespace DiffGen;

/// <summary>
/// Registers the annotated method as the pullback (custom reverse-mode derivative) or, with
/// <see cref="Form"/> = <see cref="DerivativeForm.Pushforward"/>, the pushforward (custom forward-mode derivative) of
/// another method, so that <see cref="DifferentiableAttribute"/> methods may call that method.
/// </summary>
/// <remarks>
/// Signature convention for a primal <c>R M(p1, …, pn)</c>: the pullback is <c>void P(p1, …, pn, [R seed,] a1, …)</c>
/// with, after the primal parameters, the seed when <c>R</c> is <c>float</c>/<c>double</c>, then one adjoint per
/// floating-point parameter of <c>M</c>, in order: <c>ref T</c> for a scalar, <c>Span&lt;T&gt;</c> for a
/// <c>ReadOnlySpan&lt;T&gt;</c> or array input (accumulated into), and <c>ReadOnlySpan&lt;T&gt;</c> for a
/// <c>Span&lt;T&gt;</c> output (the incoming adjoint of what <c>M</c> wrote there). Outputs must not alias inputs.
/// The generator passes an EMPTY span for an input adjoint it does not need (an input that is not differentiated):
/// the pullback must then skip that adjoint, which also saves its work (for example the dX product of X·W when only
/// the weights are trained). The pushforward convention is described at <see cref="DerivativeForm.Pushforward"/>
/// and in docs/forward-and-second-order.md; a pushforward registered for a pullback method (for example
/// <c>Ops.DotPullback</c>) lets second-order derivatives (Hessian-vector products) differentiate through it.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DerivativeOfAttribute : Attribute
{
    /// <summary>Registers a pullback for <paramref name="methodName"/> declared on <paramref name="type"/>.</summary>
    public DerivativeOfAttribute(Type type, string methodName)
    {
        Type = type;
        MethodName = methodName;
    }

    /// <summary>The type that declares the primal method.</summary>
    public Type Type { get; }

    /// <summary>The primal method's name.</summary>
    public string MethodName { get; }

    /// <summary>Which derivative the annotated method is; <see cref="DerivativeForm.Pullback"/> by default.</summary>
    public DerivativeForm Form { get; set; }
}
