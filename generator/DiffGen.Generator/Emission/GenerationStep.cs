using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Differentiation;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Differentiation.Forward;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DiffGen.Generator.Emission;

/// <summary>The generated file for one method, or why there is none (equatable: the incremental cache keeps it).</summary>
internal sealed record GeneratedSource(string HintName, string? Text, string? FailureId, string? MethodName, string? Detail, string? Parameter)
{
    /// <summary>The method (<c>global::Ns.Type.Method</c>) and the [Differentiable] methods whose derivatives its code calls.</summary>
    public CallGraphNode Node { get; init; } = new(string.Empty, HintName, EquatableArray<string>.Empty, false);
}

/// <summary>
/// One method of the call graph among [Differentiable] methods (overloads share <paramref name="Method"/>, not
/// <paramref name="HintName"/>, their file): whether its file was generated.
/// </summary>
internal sealed record CallGraphNode(string Method, string HintName, EquatableArray<string> Callees, bool Generated);

/// <summary>
/// Differentiates a parsed method (once per change of its model, after the incremental cache) and formats the file.
/// Failures become a <see cref="GeneratedSource"/> that reports a diagnostic; nothing here throws.
/// </summary>
internal static class GenerationStep
{
    public static GeneratedSource Generate(DifferentiableMethodSpec spec, GenerationOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var derivatives = new List<GeneratedDerivatives>();
            foreach (GradientSpec gradient in spec.Gradients)
            {
                cancellationToken.ThrowIfCancellationRequested();
                GeneratedPullback? pullback = null;
                GeneratedPushforward? pushforward = null;
                GeneratedHessianVectorProduct? product = null;
                if (gradient.Has(DerivativeForms.Reverse | DerivativeForms.HessianVectorProduct))
                {
                    DifferentiationResult result = Differentiator.Differentiate(spec, gradient, options);
                    if (result.Failure is { } failure)
                    {
                        return Failed(spec, failure, DiagnosticIds.CalleeNotDifferentiableForArgument);
                    }

                    pullback = result.Pullback!;
                }

                if (gradient.Has(DerivativeForms.Forward))
                {
                    ForwardResult result = ForwardDifferentiator.Differentiate(spec, gradient);
                    if (result.Failure is { } failure)
                    {
                        return Failed(spec, failure, DiagnosticIds.CalleeHasNoPushforward);
                    }

                    pushforward = result.Pushforward!;
                }

                if (gradient.Has(DerivativeForms.HessianVectorProduct))
                {
                    // Forward over reverse: the forward pass applied to the pullback's IR.
                    HvpResult result = HessianVectorProduct.Differentiate(spec, pullback!);
                    if (result.Failure is { } failure)
                    {
                        return Failed(spec, failure, DiagnosticIds.CalleeHasNoPushforward);
                    }

                    product = result.Product!;
                }

                derivatives.Add(new GeneratedDerivatives(pullback, pushforward, product)
                {
                    PooledPrimal = gradient.Has(DerivativeForms.PooledPrimal)
                        ? new GeneratedPrimal(GeneratedNames.PooledPrimal(gradient.Stem), PooledPrimal.Build(spec).ToEquatableArray())
                        : null,
                });
            }

            return new GeneratedSource(spec.HintName, Emitter.Emit(spec, derivatives), null, null, null, null) { Node = NodeOf(spec, generated: true) };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Failed(spec, DiagnosticIds.InternalError, ex.GetType().Name + ": " + ex.Message);
        }
    }

    public static void Add(SourceProductionContext context, GeneratedSource source, EquatableArray<string> withoutDerivatives)
    {
        if (source.Text is not null && !withoutDerivatives.Contains(source.HintName))
        {
            context.AddSource(source.HintName, SourceText.From(source.Text, System.Text.Encoding.UTF8));
        }

        if (source.FailureId is DiagnosticIds.CalleeNotDifferentiableForArgument or DiagnosticIds.CalleeHasNoPushforward)
        {
            // The parser reports these at the call; this is the fallback for what only differentiation finds.
            string[] parts = (source.Detail ?? "?: ?").Split(new[] { ": " }, 2, StringSplitOptions.None);
            DiagnosticDescriptor descriptor = source.FailureId == DiagnosticIds.CalleeHasNoPushforward ? DiagnosticDescriptors.CalleeHasNoPushforward : DiagnosticDescriptors.CalleeNotDifferentiableForArgument;
            context.ReportDiagnostic(Diagnostic.Create(descriptor, Location.None, parts[0], parts.Length > 1 ? parts[1] : "?", source.MethodName));
        }
        else if (source.FailureId is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, source.MethodName, source.Detail));
        }
    }

    /// <summary>The generated text, or null with its diagnostic (for tests that call the step directly).</summary>
    public static string? TryGenerate(DifferentiableMethodSpec spec, GenerationOptions options, out string? failure)
    {
        GeneratedSource source = Generate(spec, options, CancellationToken.None);
        failure = source.FailureId is null ? null : source.FailureId + ": " + source.Detail;
        return source.Text;
    }

    private static GeneratedSource Failed(DifferentiableMethodSpec spec, DifferentiationFailure failure, string calleeId) =>
        failure.Kind == FailureKind.CalleeNotDifferentiable
            ? Failed(spec, calleeId, failure.Message)
            : Failed(spec, DiagnosticIds.InternalError, failure.Kind + ": " + failure.Message);

    private static GeneratedSource Failed(DifferentiableMethodSpec spec, string id, string detail) =>
        new(spec.HintName, null, id, spec.MethodName, detail, null) { Node = NodeOf(spec, generated: false) };

    private static CallGraphNode NodeOf(DifferentiableMethodSpec spec, bool generated) => new(spec.QualifiedName, spec.HintName, spec.DifferentiableCallees, generated);

    /// <summary>
    /// The methods whose generated code would call a derivative that is not generated: a [Differentiable] callee that
    /// failed (its diagnostic says why), directly or through other callers. Their files are left out rather than
    /// added uncompilable.
    /// </summary>
    public static EquatableArray<string> WithoutDerivatives(ImmutableArray<CallGraphNode> nodes, ImmutableArray<string> parseFailures)
    {
        var missing = new HashSet<string>(parseFailures.Where(n => n.Length > 0));
        missing.UnionWith(nodes.Where(n => !n.Generated && n.Method.Length > 0).Select(n => n.Method));
        var dropped = new SortedSet<string>(StringComparer.Ordinal);
        bool grew = missing.Count > 0;
        while (grew)
        {
            grew = false;
            foreach (CallGraphNode node in nodes)
            {
                if (node.Generated && !dropped.Contains(node.HintName) && node.Callees.Any(missing.Contains))
                {
                    dropped.Add(node.HintName);
                    missing.Add(node.Method);
                    grew = true;
                }
            }
        }

        return dropped.ToEquatableArray();
    }
}
