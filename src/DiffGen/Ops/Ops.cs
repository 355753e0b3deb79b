namespace DiffGen;

/// <summary>
/// Differentiable primitives on spans of <see cref="float"/> and <see cref="double"/>, each with a hand-written SIMD
/// pullback registered through <see cref="DerivativeOfAttribute"/> so that <see cref="DifferentiableAttribute"/>
/// methods may call them.
/// </summary>
/// <remarks>
/// <para>
/// Conventions shared by every op. Matrices are row-major and passed as flat spans with their shape as integers.
/// Output spans are <b>overwritten</b> by the primal and must not overlap any input: the pullbacks read the inputs
/// again, and the matrix products read their inputs while writing the output. Lengths are validated and a mismatch
/// throws <see cref="System.ArgumentException"/> naming the parameter and both lengths.
/// </para>
/// <para>
/// Pullbacks follow the <see cref="DerivativeOfAttribute"/> signature convention: the primal's parameters, then the
/// seed when the primal returns a scalar, then one adjoint per floating-point parameter in order. Adjoints of inputs
/// (<c>Span&lt;T&gt;</c>) are <b>accumulated into</b> (+=); adjoints of outputs (<c>ReadOnlySpan&lt;T&gt;</c>) are the
/// incoming gradient of what the primal wrote and are not modified. Pullbacks recompute what they need from the inputs
/// and never read the primal's output span, so it may have been reused in between. Adjoint spans must not overlap the
/// primal's spans or each other.
/// </para>
/// <para>No op allocates on the managed heap per call once its thread's scratch buffers have grown to size.</para>
/// </remarks>
public static partial class Ops
{
}
