using System.Collections.Immutable;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Parsing;

/// <summary>The parser's output: the model (null when the method cannot be generated) and located diagnostics.</summary>
internal sealed record ParseResult(DifferentiableMethodSpec? Spec, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>The method as a call names it (<c>global::Ns.Type.Method</c>): callers of a method that fails are not emitted.</summary>
    public string QualifiedName { get; init; } = string.Empty;
}
