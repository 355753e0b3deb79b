using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.CodeFixes;

/// <summary>
/// DG0012: the method writes the elements of an array or span it differentiates. The fix copies the input into a local
/// array at the top of the method (a loop the generator differentiates) and makes the body use the copy.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CopyDifferentiatedInputCodeFixProvider)), Shared]
public sealed class CopyDifferentiatedInputCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.WriteToDifferentiatedInput);

    public override FixAllProvider? GetFixAllProvider() => null; // one copy per input: fix each once

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span) is not { } node || model is null
            || node.FirstAncestorOrSelf<ElementAccessExpressionSyntax>() is not { Expression: IdentifierNameSyntax written }
            || model.GetSymbolInfo(written, context.CancellationToken).Symbol is not IParameterSymbol parameter
            || node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { Body: { } body } method
            || ElementType(parameter.Type) is not { } elementType)
        {
            return;
        }

        string copy = UniqueName(method, parameter.Name + "Copy");
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Copy '" + parameter.Name + "' into a local array",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(method, WithCopy(method, body, model, parameter, copy, elementType)))),
                    equivalenceKey: nameof(CopyDifferentiatedInputCodeFixProvider)),
                diagnostic);
        }
    }

    private static MethodDeclarationSyntax WithCopy(MethodDeclarationSyntax method, BlockSyntax body, SemanticModel model, IParameterSymbol parameter, string copy, string elementType)
    {
        // Every use of the input in the body reads the copy instead.
        var uses = body.DescendantNodes().OfType<IdentifierNameSyntax>()
            .Where(n => n.Identifier.ValueText == parameter.Name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(n).Symbol, parameter))
            .ToList();
        BlockSyntax renamed = body.ReplaceNodes(uses, (original, _) => SyntaxFactory.IdentifierName(copy).WithTriviaFrom(original));

        string name = parameter.Name;
        var statements = SyntaxFactory.ParseStatement($"{elementType}[] {copy} = new {elementType}[{name}.Length];\n");
        var loop = SyntaxFactory.ParseStatement($"for (int i = 0; i < {name}.Length; i++)\n{{\n    {copy}[i] = {name}[i];\n}}\n");
        SyntaxTriviaList indentation = body.Statements.FirstOrDefault()?.GetLeadingTrivia() ?? SyntaxFactory.TriviaList();
        if (renamed.Statements.Count > 0)
        {
            // A blank line between the copy and the user's first statement.
            StatementSyntax first = renamed.Statements[0];
            SyntaxTrivia newline = body.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            renamed = renamed.ReplaceNode(first, first.WithLeadingTrivia(first.GetLeadingTrivia().Insert(0, newline == default ? SyntaxFactory.LineFeed : newline)));
        }

        BlockSyntax withCopy = renamed.WithStatements(renamed.Statements.InsertRange(0, new[]
        {
            statements.WithLeadingTrivia(indentation),
            loop.WithLeadingTrivia(indentation),
        }));
        return method.WithBody(withCopy.WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation));
    }

    private static string? ElementType(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol { Rank: 1 } array => array.ElementType.ToDisplayString(),
        INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", TypeArguments.Length: 1 } span => span.TypeArguments[0].ToDisplayString(),
        _ => null,
    };

    private static string UniqueName(MethodDeclarationSyntax method, string preferred)
    {
        var used = method.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).ToImmutableHashSet();
        string name = preferred;
        for (int i = 2; used.Contains(name); i++)
        {
            name = preferred + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }
}
