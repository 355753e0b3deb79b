using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation;

/// <summary>A gradient spec turned into code: the pullback body (typed IR) and the names of its extra parameters.</summary>
internal sealed record GeneratedPullback(
    GradientSpec Gradient,
    string SeedName,
    EquatableArray<string> GradientParameterNames,
    EquatableArray<Stmt> Body)
{
    /// <summary>The reverse Jacobian by rows after one forward sweep (a vector result's Jacobian), or null.</summary>
    public GeneratedRows? Rows { get; init; }

    /// <summary>The body before the passes that only reshape loops for speed (<see cref="Cleanup.ReductionJam"/>): what forward-over-reverse differentiates.</summary>
    public EquatableArray<Stmt>? SecondOrderBody { get; init; }
}

/// <summary>A private method writing a vector result and its Jacobian, one reverse sweep per row: its name, the Jacobian parameter's name, its body.</summary>
internal sealed record GeneratedRows(string Name, string JacobianName, EquatableArray<Stmt> Body);

/// <summary>Why differentiation produced no code (the parser reports what it can locate; this names the rest).</summary>
internal sealed record DifferentiationFailure(FailureKind Kind, string Message);

/// <summary>The pullback, or a typed failure; never both.</summary>
internal sealed record DifferentiationResult(GeneratedPullback? Pullback, DifferentiationFailure? Failure);

/// <summary>
/// A pushforward: its body, the tangent parameters' names (one per wrt parameter), the output's tangent (a vector
/// result) and the result's <c>out</c> tangent (a scalar result).
/// </summary>
internal sealed record GeneratedPushforward(
    GradientSpec Gradient,
    EquatableArray<string> TangentParameterNames,
    string? OutputTangentName,
    string ResultTangentName,
    EquatableArray<Stmt> Body);

/// <summary>The pushforward, or a typed failure; never both.</summary>
internal sealed record ForwardResult(GeneratedPushforward? Pushforward, DifferentiationFailure? Failure);

/// <summary>What one [Differentiable] attribute generates (each part only when asked for).</summary>
internal sealed record GeneratedDerivatives(GeneratedPullback? Pullback, GeneratedPushforward? Pushforward, GeneratedHessianVectorProduct? HessianVectorProduct = null)
{
    /// <summary>The method with pooled scratch (<c>Derivatives.PooledPrimal</c>), or null.</summary>
    public GeneratedPrimal? PooledPrimal { get; init; }
}

/// <summary>The primal with pooled scratch: its name and body.</summary>
internal sealed record GeneratedPrimal(string Name, EquatableArray<Stmt> Body);

/// <summary>
/// A Hessian-vector product: its body, the direction parameters' names and the product parameters' names; with
/// <see cref="GradientNames"/>, the form that also adds the gradient into those parameters.
/// </summary>
internal sealed record GeneratedHessianVectorProduct(
    GradientSpec Gradient,
    EquatableArray<string> DirectionNames,
    EquatableArray<string> ProductNames,
    EquatableArray<Stmt> Body,
    EquatableArray<string>? GradientNames = null)
{
    /// <summary><c>{stem}GradientAndHessianVectorProduct</c>, generated next to the product (null on that one itself).</summary>
    public GeneratedHessianVectorProduct? WithGradient { get; init; }
}

/// <summary>The Hessian-vector product, or a typed failure; never both.</summary>
internal sealed record HvpResult(GeneratedHessianVectorProduct? Product, DifferentiationFailure? Failure);
