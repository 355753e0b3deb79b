using DiffGen.Generator.Helpers;

namespace DiffGen.Generator.Model;

/// <summary>How a callee's pullback takes the adjoint of one argument.</summary>
internal enum AdjointSlot
{
    /// <summary>No adjoint (integer, bool or other constant parameter, or not in the callee's wrt set).</summary>
    None,
    /// <summary><c>ref T</c>, accumulated.</summary>
    RefScalar,
    /// <summary><c>Span&lt;T&gt;</c> for an input vector, accumulated.</summary>
    InputVector,
    /// <summary><c>ReadOnlySpan&lt;T&gt;</c> carrying the adjoint of an output vector the callee wrote.</summary>
    OutputVector,
}

/// <summary>How a callee's pushforward takes the tangent of one argument (passed the way the argument is).</summary>
internal enum TangentSlot
{
    /// <summary>No tangent (a constant parameter, or not in the pushforward's wrt set).</summary>
    None,
    /// <summary><c>T</c> for a scalar <c>T</c>.</summary>
    Scalar,
    /// <summary><c>ReadOnlySpan&lt;T&gt;</c> for an input vector; empty means zero.</summary>
    InputVector,
    /// <summary><c>Span&lt;T&gt;</c> for a span the callee writes or updates.</summary>
    OutputVector,
}

/// <summary>
/// One way to differentiate a callee: its pullback name and which parameters have adjoints;
/// <paramref name="ReturnsValue"/> when the pullback returns the callee's value (a generated <c>FPullback</c>).
/// </summary>
internal sealed record CalleeVariant(string Pullback, EquatableArray<AdjointSlot> Slots, bool ReturnsValue = false);

/// <summary>One pushforward of a callee: its name and which parameters take a tangent; a real result's tangent is an <c>out</c> last.</summary>
internal sealed record PushforwardVariant(string Method, EquatableArray<TangentSlot> Slots);

/// <summary>
/// A call of a differentiable callee; <see cref="Variants"/> are the pullbacks it offers (first is preferred),
/// <see cref="Pushforwards"/> its pushforwards. A registered ([DerivativeOf]) pullback receives an empty span for an
/// input whose adjoint is not needed, and skips it; a registered pushforward receives an empty span for a zero tangent.
/// </summary>
internal sealed record CallSpec(
    string Method,
    TypeRef ReturnType,
    EquatableArray<Expr> Args,
    EquatableArray<TypeRef> ParameterTypes,
    EquatableArray<string> ParameterNames,
    EquatableArray<CalleeVariant> Variants,
    bool PullbackTakesSeed,
    bool IsRegisteredPullback = false)
{
    public EquatableArray<PushforwardVariant> Pushforwards { get; init; } = EquatableArray<PushforwardVariant>.Empty;
}
