namespace DiffGen;

/// <summary>Which derivative a <see cref="DerivativeOfAttribute"/> method is.</summary>
public enum DerivativeForm
{
    /// <summary>
    /// A pullback (reverse mode): the primal's parameters, the seed (real result), then one adjoint per floating-point
    /// parameter, accumulated into.
    /// </summary>
    Pullback = 0,

    /// <summary>
    /// A pushforward (forward mode): returns the primal's result and takes the primal's parameters, then one tangent per
    /// floating-point parameter passed as the parameter is (<c>T</c>; <c>ReadOnlySpan&lt;T&gt;</c>, empty meaning zero,
    /// for an input vector; <c>Span&lt;T&gt;</c> for a span the primal writes or updates; <c>ref T</c> for a
    /// <c>ref T</c>), then <c>out R tangent</c> for a real result <c>R</c>.
    /// </summary>
    Pushforward = 1,
}
