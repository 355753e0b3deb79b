using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.CodeFixes;

/// <summary>DG0004: replaces a misspelled parameter name in [Differentiable(...)] with <c>nameof(closest)</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FixWrtNameCodeFixProvider)), Shared]
public sealed class FixWrtNameCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.UnknownWrtParameter);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span) is not { } node || node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { } argument)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.Suggestion, out string? suggestion) || string.IsNullOrEmpty(suggestion))
            {
                continue;
            }

            ExpressionSyntax replacement = SyntaxFactory.ParseExpression("nameof(" + suggestion + ")").WithTriviaFrom(argument.Expression);
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Use nameof(" + suggestion + ")",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, replacement))),
                    equivalenceKey: nameof(FixWrtNameCodeFixProvider)),
                diagnostic);
        }
    }
}
