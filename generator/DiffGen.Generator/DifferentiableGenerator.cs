using System.Collections.Immutable;
using System.Linq;
using DiffGen.Generator.Analyzers;
using DiffGen.Generator.Differentiation;
using DiffGen.Generator.Emission;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator;

/// <summary>Writes the gradient and pullback of every [Differentiable] method at compile time.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 1. Find [Differentiable] methods; parse each body to the IR (or located diagnostics).
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.DifferentiableAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => Parser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Parsed);

        // 2. Report, at their source locations, the diagnostics DifferentiableAnalyzer does not (it reports the
        //    parser's as the user types; reporting them here too would duplicate them in a build).
        IncrementalValuesProvider<ImmutableArray<Diagnostic>> diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics.RemoveAll(static d => DifferentiableAnalyzer.Reports(d.Id)))
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (Diagnostic diagnostic in list)
            {
                spc.ReportDiagnostic(diagnostic);
            }
        });

        // 3. Check custom derivatives ([DerivativeOf]) against the pullback convention.
        IncrementalValuesProvider<ImmutableArray<Diagnostic>> derivativeChecks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.DerivativeOfAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => DerivativeOfValidator.Validate(ctx, ct))
            .WithTrackingName(TrackingNames.DerivativeChecks);
        context.RegisterSourceOutput(derivativeChecks, static (spc, list) =>
        {
            foreach (Diagnostic diagnostic in list)
            {
                spc.ReportDiagnostic(diagnostic);
            }
        });

        // 4. Project the equatable model: unrelated edits stop here.
        IncrementalValuesProvider<Model.DifferentiableMethodSpec> specs = parsed
            .Select(static (result, _) => result.Spec!)
            .Where(static spec => spec is not null)
            .WithTrackingName(TrackingNames.MethodSpec);

        // 5. Compilation-wide facts, as a small equatable record (never the Compilation itself).
        IncrementalValueProvider<GenerationOptions> options = context.CompilationProvider
            .Select(static (compilation, _) => GenerationOptions.From(compilation))
            .WithTrackingName(TrackingNames.Options);

        // 6. Differentiate and format, once per change of a method's model (cached), then add the file.
        IncrementalValuesProvider<GeneratedSource> generated = specs
            .Combine(options)
            .Select(static (pair, ct) => GenerationStep.Generate(pair.Left, pair.Right, ct))
            .WithTrackingName(TrackingNames.Generated);

        // 7. A method whose [Differentiable] callee failed is not emitted: its code would call a missing derivative.
        IncrementalValueProvider<ImmutableArray<string>> parseFailures = parsed
            .Where(static result => result.Spec is null)
            .Select(static (result, _) => result.QualifiedName)
            .Collect();
        IncrementalValueProvider<Helpers.EquatableArray<string>> withoutDerivatives = generated
            .Select(static (source, _) => source.Node)
            .Collect()
            .Combine(parseFailures)
            .Select(static (pair, _) => GenerationStep.WithoutDerivatives(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.WithoutDerivatives);
        context.RegisterSourceOutput(generated.Combine(withoutDerivatives), static (spc, pair) => GenerationStep.Add(spc, pair.Left, pair.Right));

        // 8. IModel<T> on each partial model type some method differentiates, once however many methods name it.
        IncrementalValuesProvider<Model.ModelTypeSpec> models = specs
            .SelectMany(static (spec, _) => spec.Models)
            .Collect()
            .SelectMany(static (all, _) => all.GroupBy(static m => m.HintName).Select(static g => g.First()).ToImmutableArray())
            .WithTrackingName(TrackingNames.Models);
        context.RegisterSourceOutput(models, static (spc, model) => spc.AddSource(model.HintName, ModelWriter.Write(model)));
    }
}
