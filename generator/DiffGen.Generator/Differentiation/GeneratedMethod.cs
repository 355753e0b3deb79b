using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation;

/// <summary>A gradient spec turned into code: the pullback body (typed IR) and the names of its extra parameters.</summary>
internal sealed record GeneratedPullback(
    GradientSpec Gradient,
    string SeedName,
    EquatableArray<string> GradientParameterNames,
    EquatableArray<Stmt> Body);

/// <summary>Why differentiation produced no code (the parser reports what it can locate; this names the rest).</summary>
internal sealed record DifferentiationFailure(FailureKind Kind, string Message);

/// <summary>The pullback, or a typed failure; never both.</summary>
internal sealed record DifferentiationResult(GeneratedPullback? Pullback, DifferentiationFailure? Failure);
