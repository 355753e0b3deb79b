using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace DiffGen.CodeFixes;

/// <summary>
/// DG0009, two fixes: treat the call's result as a constant (<c>Gradient.StopGradient(call)</c>), or add a
/// <c>[DerivativeOf]</c> pullback stub with the right signature to the caller's partial type.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CallWithoutDerivativeCodeFixProvider)), Shared]
public sealed class CallWithoutDerivativeCodeFixProvider : CodeFixProvider
{
    public const string StopGradientKey = "DiffGen.StopGradient";
    public const string PullbackStubKey = "DiffGen.PullbackStub";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.CallWithoutDerivative);

    // A pullback stub per call site would duplicate stubs: no fix-all.
    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null
            || root.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation
            || model.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol callee)
        {
            return;
        }

        Diagnostic diagnostic = context.Diagnostics[0];
        bool isValue = invocation.Parent is not ExpressionStatementSyntax;
        if (isValue && callee.ReturnType.SpecialType is SpecialType.System_Double or SpecialType.System_Single)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Treat the result of '" + callee.Name + "' as a constant (Gradient.StopGradient)",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(invocation, StopGradient(invocation, model)))),
                    equivalenceKey: StopGradientKey),
                diagnostic);
        }

        if (invocation.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } caller
            && caller.Parent is TypeDeclarationSyntax callerType
            && model.GetDeclaredSymbol(callerType, context.CancellationToken) is { } callerSymbol)
        {
            string name = UniqueName(callerSymbol, callee.Name + "Pullback");
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Add a [DerivativeOf] pullback stub '" + name + "' for '" + callee.Name + "'",
                    ct => Task.FromResult(AddStub(context.Document, root, model, caller, callerType, callee, name, ct)),
                    equivalenceKey: PullbackStubKey),
                diagnostic);
        }
    }

    private static ExpressionSyntax StopGradient(InvocationExpressionSyntax invocation, SemanticModel model)
    {
        // "Gradient" when it already means DiffGen.Gradient here (using DiffGen;), the qualified name otherwise.
        bool inScope = model.LookupNamespacesAndTypes(invocation.SpanStart, name: "Gradient")
            .Any(s => s is INamedTypeSymbol { ContainingNamespace: { Name: "DiffGen", ContainingNamespace.IsGlobalNamespace: true } });
        var call = (InvocationExpressionSyntax)SyntaxFactory.ParseExpression((inScope ? "Gradient" : "global::DiffGen.Gradient") + ".StopGradient(x)");
        return call
            .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(invocation.WithoutTrivia()))))
            .WithTriviaFrom(invocation);
    }

    private static Document AddStub(
        Document document,
        SyntaxNode root,
        SemanticModel model,
        MethodDeclarationSyntax caller,
        TypeDeclarationSyntax callerType,
        IMethodSymbol callee,
        string name,
        CancellationToken cancellationToken)
    {
        int position = caller.SpanStart;
        string Type(ITypeSymbol type) => type.ToMinimalDisplayString(model, position);

        var taken = new HashSet<string>(callee.Parameters.Select(p => p.Name));
        var parameters = new List<string>();
        foreach (IParameterSymbol p in callee.Parameters)
        {
            parameters.Add(Type(p.Type) + " " + Escape(p.Name));
        }

        if (IsReal(callee.ReturnType))
        {
            parameters.Add(Type(callee.ReturnType) + " " + Unique("seed", taken));
        }

        foreach (IParameterSymbol p in callee.Parameters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string adjoint = Unique("d" + char.ToUpperInvariant(p.Name[0]) + p.Name.Substring(1), taken);
            if (IsReal(p.Type))
            {
                parameters.Add("ref " + Type(p.Type) + " " + adjoint);
            }
            else if (ElementOf(p.Type) is { } element)
            {
                // Inputs (arrays, ReadOnlySpan) accumulate into a Span; a Span output receives its adjoint read-only.
                string span = IsSpan(p.Type, "Span") ? "ReadOnlySpan" : "Span";
                parameters.Add("System." + span + "<" + Type(element) + "> " + adjoint);
            }
        }

        string declaringType = Type(callee.ContainingType);
        var text = new StringBuilder()
            .Append("[global::DiffGen.DerivativeOf(typeof(").Append(declaringType).Append("), nameof(").Append(declaringType).Append('.').Append(callee.Name).Append("))]\n")
            .Append("private static void ").Append(name).Append('(').Append(string.Join(", ", parameters)).Append(")\n")
            .Append("{\n    throw new System.NotImplementedException();\n}\n")
            .ToString();
        var stub = (MethodDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(text)!;
        SyntaxTrivia newline = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        stub = stub
            .WithAttributeLists(SyntaxFactory.List(stub.AttributeLists.Select(l => l.WithAdditionalAnnotations(Simplifier.Annotation))))
            .WithLeadingTrivia(newline.IsKind(SyntaxKind.EndOfLineTrivia) ? newline : SyntaxFactory.LineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation);

        TypeDeclarationSyntax updated = callerType.WithMembers(callerType.Members.Insert(callerType.Members.IndexOf(caller) + 1, stub));
        return document.WithSyntaxRoot(root.ReplaceNode(callerType, updated));
    }

    private static bool IsReal(ITypeSymbol type) => type.SpecialType is SpecialType.System_Double or SpecialType.System_Single;

    private static ITypeSymbol? ElementOf(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol { Rank: 1 } array when IsReal(array.ElementType) => array.ElementType,
        INamedTypeSymbol named when (IsSpan(named, "Span") || IsSpan(named, "ReadOnlySpan")) && IsReal(named.TypeArguments[0]) => named.TypeArguments[0],
        _ => null,
    };

    private static bool IsSpan(ITypeSymbol type, string name) =>
        type is INamedTypeSymbol { Arity: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } named && named.Name == name;

    private static string Unique(string preferred, HashSet<string> taken)
    {
        string name = preferred;
        for (int i = 2; !taken.Add(name); i++)
        {
            name = preferred + i;
        }

        return name;
    }

    private static string UniqueName(INamedTypeSymbol type, string preferred)
    {
        string name = preferred;
        for (int i = 2; type.GetMembers(name).Length > 0; i++)
        {
            name = preferred + i;
        }

        return name;
    }

    private static string Escape(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
