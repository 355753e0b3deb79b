using System;

namespace DiffGen;

/// <summary>
/// Marks a static method of a partial type whose gradient the DiffGen generator writes at compile time.
/// </summary>
/// <remarks>
/// For <c>T F(p1, …, pn)</c> the generator adds <c>FGradient(p1, …, pn, d…)</c>, which returns <c>F(p1, …, pn)</c>
/// and <b>adds</b> ∂F/∂p into one gradient argument per differentiated parameter (<c>ref T</c> for a scalar,
/// <c>Span&lt;T&gt;</c> for an array or span), and <c>FPullback(p1, …, pn, T seed, d…)</c>, which adds
/// <c>seed · ∂F/∂p</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>Differentiates with respect to every floating-point parameter.</summary>
    public DifferentiableAttribute() => Wrt = Array.Empty<string>();

    /// <summary>Differentiates with respect to the named parameters only; the others are constants.</summary>
    /// <param name="wrt">Parameter names, best written with <c>nameof</c>.</param>
    public DifferentiableAttribute(params string[] wrt) => Wrt = wrt ?? Array.Empty<string>();

    /// <summary>The parameters to differentiate with respect to; empty means all floating-point parameters.</summary>
    public string[] Wrt { get; }

    /// <summary>
    /// Name of the generated gradient method. Defaults to <c>{Method}Gradient</c> (and <c>{Method}Pullback</c>);
    /// required on the second and later attributes of one method. The pullback is named <c>{Name}Pullback</c>.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// Lets the generated gradient evaluate the function's sums in another order: a loop that only accumulates a dot
    /// product, a sum or a sum of squares over consecutive elements (<c>s += w[k * n + i] * x[i]</c>) becomes one
    /// vectorised reduction. The gradient is then exact for the value it computes, and that value equals the
    /// function's within rounding (about n·ε relative to the sum of the absolute terms) instead of bit for bit.
    /// Off by default: without it the generated gradient returns exactly what the function returns.
    /// </summary>
    public bool AllowReassociation { get; set; }

    /// <summary>
    /// Which derivatives to generate (flags); <see cref="Derivatives.Reverse"/> when unset. See
    /// docs/forward-and-second-order.md for the names and signatures of each.
    /// </summary>
    public Derivatives Generate { get; set; } = Derivatives.Reverse;
}
