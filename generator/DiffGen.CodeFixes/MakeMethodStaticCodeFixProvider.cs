using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.CodeFixes;

/// <summary>DG0002: adds <c>static</c> to the [Differentiable] method.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeMethodStaticCodeFixProvider)), Shared]
public sealed class MakeMethodStaticCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.MethodMustBeStatic);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(context.Span.Start).Parent is not MethodDeclarationSyntax method)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Make '" + method.Identifier.ValueText + "' static",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(method, Modifiers.AddStatic(method)))),
                    equivalenceKey: nameof(MakeMethodStaticCodeFixProvider)),
                diagnostic);
        }
    }
}
