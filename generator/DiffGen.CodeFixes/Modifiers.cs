using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.CodeFixes;

/// <summary>Adds a modifier keyword to a declaration at the conventional position, keeping the trivia in place.</summary>
internal static class Modifiers
{
    /// <summary><c>partial</c> goes last, right before <c>class</c>/<c>struct</c>/<c>record</c>.</summary>
    public static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax type)
    {
        if (type.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return type;
        }

        SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (type.Modifiers.Count == 0)
        {
            return type
                .WithKeyword(type.Keyword.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(type.Keyword.LeadingTrivia)));
        }

        return type.WithModifiers(type.Modifiers.Add(partial));
    }

    /// <summary><c>static</c> goes after the accessibility keywords.</summary>
    public static MethodDeclarationSyntax AddStatic(MethodDeclarationSyntax method)
    {
        if (method.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            return method;
        }

        SyntaxToken token = SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        SyntaxTokenList modifiers = method.Modifiers;
        if (modifiers.Count == 0)
        {
            SyntaxToken first = method.ReturnType.GetFirstToken();
            MethodDeclarationSyntax moved = method.ReplaceToken(first, first.WithLeadingTrivia());
            return moved.WithModifiers(SyntaxFactory.TokenList(token.WithLeadingTrivia(first.LeadingTrivia)));
        }

        int index = 0;
        while (index < modifiers.Count && IsAccessibility(modifiers[index].Kind()))
        {
            index++;
        }

        if (index == 0)
        {
            token = token.WithLeadingTrivia(modifiers[0].LeadingTrivia);
            modifiers = modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia());
        }

        return method.WithModifiers(modifiers.Insert(index, token));
    }

    private static bool IsAccessibility(SyntaxKind kind) =>
        kind is SyntaxKind.PublicKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.ProtectedKeyword or SyntaxKind.InternalKeyword;
}
