using System;
using System.Collections.Immutable;
using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DiffGen.Generator.Analyzers;

/// <summary>
/// Reports, as the user types, why a [Differentiable] method cannot be differentiated (and the non-error advice),
/// with the same parser the generator uses. The generator does not report these ids again.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DifferentiableAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Supported = ImmutableArray.Create(
        DiagnosticDescriptors.ContainingTypeMustBePartial,
        DiagnosticDescriptors.MethodMustNotBeVirtual,
        DiagnosticDescriptors.UnsupportedReturnType,
        DiagnosticDescriptors.UnknownWrtParameter,
        DiagnosticDescriptors.WrtParameterNotDifferentiable,
        DiagnosticDescriptors.DuplicateGeneratedName,
        DiagnosticDescriptors.UnsupportedStatement,
        DiagnosticDescriptors.UnsupportedExpression,
        DiagnosticDescriptors.CallWithoutDerivative,
        DiagnosticDescriptors.UnsupportedParameter,
        DiagnosticDescriptors.GenericMethodNotSupported,
        DiagnosticDescriptors.WriteToDifferentiatedInput,
        DiagnosticDescriptors.NameRequiredOnAdditionalAttribute,
        DiagnosticDescriptors.RecursionNotSupported,
        DiagnosticDescriptors.MethodHasNoBody,
        DiagnosticDescriptors.NoDifferentiableParameters,
        DiagnosticDescriptors.WrtParameterHasNoEffect,
        DiagnosticDescriptors.NonSmoothOperation,
        DiagnosticDescriptors.CallMustBeHoisted,
        DiagnosticDescriptors.LambdaOrQuery,
        DiagnosticDescriptors.VectorLocalNotAtTopLevel,
        DiagnosticDescriptors.CalleeNotDifferentiableForArgument,
        DiagnosticDescriptors.GenerateDoesNotFit,
        DiagnosticDescriptors.CalleeHasNoPushforward,
        DiagnosticDescriptors.RegisteredPushforwardMissing,
        DiagnosticDescriptors.OutputMisused,
        DiagnosticDescriptors.DerivativeCallCannotNest,
        DiagnosticDescriptors.InternalError);

    private static readonly ImmutableHashSet<string> SupportedIds = Supported.Select(d => d.Id).ToImmutableHashSet(StringComparer.Ordinal);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Supported;

    /// <summary>
    /// True when the analyzer reports the parser's diagnostic <paramref name="id"/>, so the generator must not.
    /// (What goes wrong after parsing, DG0015 and a DG9999 from differentiation or emission, only the generator sees.)
    /// </summary>
    public static bool Reports(string id) => SupportedIds.Contains(id);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            INamedTypeSymbol? attribute = start.Compilation.GetTypeByMetadataName(KnownTypeNames.DifferentiableAttribute);
            if (attribute is not null)
            {
                start.RegisterSyntaxNodeAction(node => AnalyzeMethod(node, attribute), SyntaxKind.MethodDeclaration);
                start.RegisterSyntaxNodeAction(
                    node => AnalyzeType(node, attribute),
                    SyntaxKind.ClassDeclaration,
                    SyntaxKind.StructDeclaration,
                    SyntaxKind.RecordDeclaration,
                    SyntaxKind.RecordStructDeclaration,
                    SyntaxKind.InterfaceDeclaration);
            }
        });
    }

    private static void AnalyzeMethod(SyntaxNodeAnalysisContext context, INamedTypeSymbol attributeType)
    {
        var syntax = (MethodDeclarationSyntax)context.Node;
        if (syntax.AttributeLists.Count == 0 || context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not { } method)
        {
            return;
        }

        ImmutableArray<AttributeData> attributes = DifferentiableAttributes(method, syntax, attributeType);
        if (attributes.IsEmpty)
        {
            return;
        }

        // Mid-typing: a declaration with syntax errors (a missing body, an unfinished parameter list) gets the
        // compiler's errors only.
        if (syntax.ContainsDiagnostics && syntax.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return;
        }

        ParseResult result = Parser.Analyze(context.SemanticModel, method, syntax, attributes, context.CancellationToken);
        if (result.Diagnostics.IsEmpty)
        {
            return;
        }

        // While the body does not compile, the compiler's errors come first: report nothing located in the body.
        bool bodyIsBroken = HasCompileErrors(context, syntax);
        foreach (Diagnostic diagnostic in result.Diagnostics)
        {
            // DG0001 sits on the type, outside this method: AnalyzeType reports it once per type (a local diagnostic).
            // DG0029 explains a compile error: a derivative DiffGen refused to generate is the missing method.
            if ((bodyIsBroken && IsInBody(diagnostic, syntax) && diagnostic.Id != DiagnosticIds.DerivativeCallCannotNest) || diagnostic.Id == DiagnosticIds.ContainingTypeMustBePartial)
            {
                continue;
            }

            context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>DG0001 on a type that is not partial but contains (maybe through nested types) a [Differentiable] method.</summary>
    private static void AnalyzeType(SyntaxNodeAnalysisContext context, INamedTypeSymbol attributeType)
    {
        var type = (TypeDeclarationSyntax)context.Node;
        if (type.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return;
        }

        foreach (MethodDeclarationSyntax syntax in type.DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            if (syntax.AttributeLists.Count > 0
                && context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is { } method
                && !DifferentiableAttributes(method, syntax, attributeType).IsEmpty)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ContainingTypeMustBePartial, type.Identifier.GetLocation(), type.Identifier.Text, method.Name));
                return;
            }
        }
    }

    // Only the attributes written on this declaration (a partial method has two), as the generator sees them.
    private static ImmutableArray<AttributeData> DifferentiableAttributes(IMethodSymbol method, MethodDeclarationSyntax syntax, INamedTypeSymbol attributeType) =>
        method.GetAttributes()
            .Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType)
                && a.ApplicationSyntaxReference is { } reference
                && reference.SyntaxTree == syntax.SyntaxTree
                && syntax.Span.Contains(reference.Span))
            .ToImmutableArray();

    private static bool HasCompileErrors(SyntaxNodeAnalysisContext context, MethodDeclarationSyntax syntax)
    {
        SyntaxNode? body = (SyntaxNode?)syntax.Body ?? syntax.ExpressionBody;
        return body is not null
            && context.SemanticModel.GetDiagnostics(body.Span, context.CancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error);
    }

    private static bool IsInBody(Diagnostic diagnostic, MethodDeclarationSyntax syntax)
    {
        SyntaxNode? body = (SyntaxNode?)syntax.Body ?? syntax.ExpressionBody;
        return body is not null && diagnostic.Location.SourceTree == syntax.SyntaxTree && body.Span.Contains(diagnostic.Location.SourceSpan);
    }
}
