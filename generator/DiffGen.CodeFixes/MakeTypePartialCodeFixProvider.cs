using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.CodeFixes;

/// <summary>DG0001: makes the type partial, with every type that encloses it and every nested type on the way to a [Differentiable] method.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypePartialCodeFixProvider)), Shared]
public sealed class MakeTypePartialCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.ContainingTypeMustBePartial);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(context.Span.Start).Parent is not TypeDeclarationSyntax type)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Make '" + type.Identifier.ValueText + "' partial",
                    ct => FixAsync(context.Document, root, type, ct),
                    equivalenceKey: nameof(MakeTypePartialCodeFixProvider)),
                diagnostic);
        }
    }

    private static Task<Document> FixAsync(Document document, SyntaxNode root, TypeDeclarationSyntax type, CancellationToken cancellationToken)
    {
        var types = new HashSet<TypeDeclarationSyntax>(type.AncestorsAndSelf().OfType<TypeDeclarationSyntax>());
        foreach (MethodDeclarationSyntax method in type.DescendantNodes().OfType<MethodDeclarationSyntax>().Where(IsDifferentiable))
        {
            types.UnionWith(method.Ancestors().OfType<TypeDeclarationSyntax>().TakeWhile(t => t != type));
        }

        cancellationToken.ThrowIfCancellationRequested();
        SyntaxNode fixedRoot = root.ReplaceNodes(types, static (_, rewritten) => Modifiers.AddPartial(rewritten));
        return Task.FromResult(document.WithSyntaxRoot(fixedRoot));
    }

    private static bool IsDifferentiable(MethodDeclarationSyntax method) =>
        method.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Differentiable" or "DifferentiableAttribute"
            || a.Name.ToString().EndsWith(".Differentiable", System.StringComparison.Ordinal)
            || a.Name.ToString().EndsWith(".DifferentiableAttribute", System.StringComparison.Ordinal));
}
