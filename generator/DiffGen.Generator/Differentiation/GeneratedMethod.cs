using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation;

/// <summary>A gradient spec turned into code: the pullback body and the names of its extra parameters.</summary>
internal sealed record GeneratedPullback(
    GradientSpec Gradient,
    string SeedName,
    EquatableArray<string> GradientParameterNames,
    EquatableArray<Stmt> Body);

/// <summary>Differentiation failed without a location (the parser validates what it can locate).</summary>
internal sealed record DifferentiationFailure(string Message);
