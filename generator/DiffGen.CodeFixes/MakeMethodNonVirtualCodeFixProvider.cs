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

/// <summary>DG0002: a <c>virtual</c> method loses <c>virtual</c>; an <c>override</c> becomes <c>sealed override</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeMethodNonVirtualCodeFixProvider)), Shared]
public sealed class MakeMethodNonVirtualCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.MethodMustNotBeVirtual);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(context.Span.Start).Parent is not MethodDeclarationSyntax method || NonVirtual(method) is not { } fixedMethod)
        {
            return;
        }

        string title = method.Modifiers.Any(SyntaxKind.OverrideKeyword)
            ? "Seal '" + method.Identifier.ValueText + "'"
            : "Make '" + method.Identifier.ValueText + "' non-virtual";
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(method, fixedMethod))),
                    equivalenceKey: nameof(MakeMethodNonVirtualCodeFixProvider)),
                diagnostic);
        }
    }

    /// <summary>The method with one body for every call, or null (abstract: there is nothing to keep).</summary>
    private static MethodDeclarationSyntax? NonVirtual(MethodDeclarationSyntax method)
    {
        SyntaxTokenList modifiers = method.Modifiers;
        int virtualAt = modifiers.IndexOf(SyntaxKind.VirtualKeyword);
        if (virtualAt >= 0)
        {
            SyntaxToken removed = modifiers[virtualAt];
            SyntaxTokenList rest = modifiers.RemoveAt(virtualAt);
            if (virtualAt < rest.Count)
            {
                rest = rest.Replace(rest[virtualAt], rest[virtualAt].WithLeadingTrivia(removed.LeadingTrivia));
                return method.WithModifiers(rest);
            }

            // virtual was the last modifier: its leading trivia moves to the return type when nothing is left before it.
            return rest.Count == 0
                ? method.WithModifiers(rest).WithReturnType(method.ReturnType.WithLeadingTrivia(removed.LeadingTrivia))
                : method.WithModifiers(rest);
        }

        int overrideAt = modifiers.IndexOf(SyntaxKind.OverrideKeyword);
        if (overrideAt >= 0 && !modifiers.Any(SyntaxKind.SealedKeyword))
        {
            SyntaxToken sealedToken = SyntaxFactory.Token(SyntaxKind.SealedKeyword).WithTrailingTrivia(SyntaxFactory.Space)
                .WithLeadingTrivia(modifiers[overrideAt].LeadingTrivia);
            return method.WithModifiers(modifiers.Replace(modifiers[overrideAt], modifiers[overrideAt].WithLeadingTrivia()).Insert(overrideAt, sealedToken));
        }

        return null;
    }
}
