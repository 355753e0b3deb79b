using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.Parsing;

/// <summary>A user's statement as one short line, for the comment above its adjoint in the generated code.</summary>
internal static class SourceText
{
    private const int MaxLength = 100;

    public static string Of(SyntaxNode syntax) => syntax switch
    {
        IfStatementSyntax i => "if (" + Line(i.Condition) + ")",
        ForStatementSyntax f => "for (" + Line(f.Declaration?.ToString() ?? string.Join(", ", f.Initializers)) + "; " + Line(f.Condition?.ToString() ?? string.Empty) + "; " + Line(string.Join(", ", f.Incrementors)) + ")",
        WhileStatementSyntax w => "while (" + Line(w.Condition) + ")",
        ForEachStatementSyntax e => "foreach (" + Line(e.Type) + " " + e.Identifier.ValueText + " in " + Line(e.Expression) + ")",
        ArrowExpressionClauseSyntax arrow => "return " + Line(arrow.Expression) + ";",
        ExpressionSyntax expression when expression.Parent is ArrowExpressionClauseSyntax => "return " + Line(expression) + ";",
        _ => Line(syntax),
    };

    /// <summary><c>double a = …</c> for one declarator of a declaration (with its type, as the user wrote it).</summary>
    public static string OfDeclarator(SyntaxNode declarator) =>
        declarator.Parent is VariableDeclarationSyntax declaration ? Line(declaration.Type) + " " + Line(declarator) + ";" : Line(declarator);

    private static string Line(object? node)
    {
        string text = node?.ToString() ?? string.Empty;
        var builder = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        string line = builder.ToString();
        return line.Length > MaxLength ? line.Substring(0, MaxLength - 1) + "…" : line;
    }
}
