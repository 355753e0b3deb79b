using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// The user's C# for code the IR does not look into, made to mean the same in the generated file: every variable the
/// IR tracks becomes a hole (it may be renamed), types and static members are fully qualified (the generated file has
/// no usings), extension calls are written as static calls, comments and line breaks become spaces. Anything that
/// cannot be carried over (a local function, a member the generated code cannot reach) is reported by
/// <see cref="Problem"/> instead.
/// </summary>
internal sealed class VerbatimText : CSharpSyntaxRewriter
{
    private const string HolePrefix = "__diffgen_hole_";
    private static readonly Regex Hole = new(HolePrefix + "([0-9]+)__", RegexOptions.CultureInvariant);

    private readonly SemanticModel _model;
    private readonly Func<ISymbol, Expr?> _variable;
    private readonly Expr? _receiver;
    private readonly ISymbol _within;
    private readonly List<Expr> _holes = new();

    private VerbatimText(SemanticModel model, Func<ISymbol, Expr?> variable, Expr? receiver, ISymbol within)
    {
        _model = model;
        _variable = variable;
        _receiver = receiver;
        _within = within;
    }

    /// <summary>Why the text cannot be carried over, or null.</summary>
    public string? Problem { get; private set; }

    /// <summary>
    /// Splits <paramref name="syntax"/> into text and holes. <paramref name="variable"/> maps a local or parameter to
    /// the IR expression that holds it (null: declared inside the text, kept); <paramref name="receiver"/> stands for
    /// <c>this</c> when the code was inlined from another object's method.
    /// </summary>
    public static (Opaque? Code, string? Problem) Of(
        SyntaxNode syntax, TypeRef type, SemanticModel model, Func<ISymbol, Expr?> variable, Expr? receiver, ISymbol within)
    {
        var writer = new VerbatimText(model, variable, receiver, within);
        SyntaxNode rewritten = writer.Visit(syntax);
        if (writer.Problem is not null)
        {
            return (null, writer.Problem);
        }

        string text = rewritten.ToString().Trim(); // a statement (void) stands alone: no parentheses
        if (syntax is ExpressionSyntax expression && !IsPrimary(expression) && type.Element is not ElementKind.Void)
        {
            text = "(" + text + ")";
        }

        var parts = new List<string>();
        var args = new List<Expr>();
        int at = 0;
        foreach (Match match in Hole.Matches(text))
        {
            parts.Add(text.Substring(at, match.Index - at));
            args.Add(writer._holes[int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);
            at = match.Index + match.Length;
        }

        parts.Add(text.Substring(at));
        return (new Opaque(type, parts.ToEquatableArray(), args.ToEquatableArray(), EquatableArray<string>.Empty), null);
    }

    /// <summary>Expressions that bind tighter than any operator (safe next to anything without parentheses).</summary>
    public static bool IsPrimary(ExpressionSyntax e) => e is IdentifierNameSyntax or GenericNameSyntax or MemberAccessExpressionSyntax
        or InvocationExpressionSyntax or ElementAccessExpressionSyntax or ObjectCreationExpressionSyntax
        or ImplicitObjectCreationExpressionSyntax or ParenthesizedExpressionSyntax or LiteralExpressionSyntax
        or InterpolatedStringExpressionSyntax or ThisExpressionSyntax or TypeOfExpressionSyntax or DefaultExpressionSyntax
        or ArrayCreationExpressionSyntax or PredefinedTypeSyntax or QualifiedNameSyntax or AliasQualifiedNameSyntax
        or TupleExpressionSyntax or CheckedExpressionSyntax;

    private SyntaxNode HoleFor(Expr value, SyntaxNode original)
    {
        _holes.Add(value);
        return SyntaxFactory.IdentifierName(HolePrefix + (_holes.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + "__")
            .WithTriviaFrom(original);
    }

    private static SyntaxNode Text(string text, SyntaxNode original) =>
        SyntaxFactory.ParseExpression(text).WithTriviaFrom(original);

    /// <summary>A type's full name, as a type (a qualified name is both: it fits where a type or an expression stands).</summary>
    private static SyntaxNode TypeText(INamespaceOrTypeSymbol symbol, SyntaxNode original) =>
        SyntaxFactory.ParseTypeName(Qualified(symbol)).WithTriviaFrom(original);

    public override SyntaxTrivia VisitTrivia(SyntaxTrivia trivia) =>
        trivia.IsKind(SyntaxKind.EndOfLineTrivia) || trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia)
            ? SyntaxFactory.Space
            : base.VisitTrivia(trivia);

    public override SyntaxNode? VisitThisExpression(ThisExpressionSyntax node) =>
        _receiver is not null ? HoleFor(_receiver, node) : base.VisitThisExpression(node);

    public override SyntaxNode? VisitBaseExpression(BaseExpressionSyntax node)
    {
        if (_receiver is not null)
        {
            Problem ??= "'base' in a method inlined from another object";
        }

        return base.VisitBaseExpression(node);
    }

    public override SyntaxNode? VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
    {
        // A type or namespace on the left (Math.Sqrt, System.Math.Sqrt): qualified as a whole.
        ISymbol? left = _model.GetSymbolInfo(node.Expression).Symbol;
        if (left is INamespaceOrTypeSymbol namespaceOrType && node.Expression is not (ThisExpressionSyntax or BaseExpressionSyntax))
        {
            Check(left);
            ISymbol? member = _model.GetSymbolInfo(node).Symbol;
            if (member is not null)
            {
                Check(member);
            }

            var name = (SimpleNameSyntax)Visit(node.Name)!;
            return node.WithExpression((ExpressionSyntax)TypeText(namespaceOrType, node.Expression)).WithName(name);
        }

        return base.VisitMemberAccessExpression(node);
    }

    public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        // An extension method called on its first argument: written as the static call it is.
        if (_model.GetSymbolInfo(node).Symbol is IMethodSymbol { ReducedFrom: { } definition } reduced
            && node.Expression is MemberAccessExpressionSyntax access)
        {
            Check(reduced);
            var receiver = (ExpressionSyntax)Visit(access.Expression)!;
            var args = (ArgumentListSyntax)Visit(node.ArgumentList)!;
            string method = Qualified(definition.ContainingType) + "." + reduced.Name + TypeArguments(reduced);
            return SyntaxFactory.InvocationExpression(
                    SyntaxFactory.ParseExpression(method),
                    args.WithArguments(args.Arguments.Insert(0, SyntaxFactory.Argument(receiver.WithoutTrivia()))))
                .WithTriviaFrom(node);
        }

        return base.VisitInvocationExpression(node);
    }

    public override SyntaxNode? VisitGenericName(GenericNameSyntax node) => Simple(node) ?? base.VisitGenericName(node);

    public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node)
    {
        if (node.IsVar)
        {
            return node;
        }

        return Simple(node) ?? base.VisitIdentifierName(node);
    }

    public override SyntaxNode? VisitQualifiedName(QualifiedNameSyntax node) =>
        _model.GetSymbolInfo(node).Symbol is INamespaceOrTypeSymbol symbol ? Checked(symbol, TypeText(symbol, node)) : base.VisitQualifiedName(node);

    /// <summary>A simple name: a hole for a tracked variable, a qualified type or static member, a receiver for an implicit <c>this</c>.</summary>
    private SyntaxNode? Simple(SimpleNameSyntax node)
    {
        // The member name of a.b is handled with its receiver; an object initializer's member name stays as it is.
        if (node.Parent is MemberAccessExpressionSyntax ma && ma.Name == node
            || node.Parent is MemberBindingExpressionSyntax
            || node.Parent is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax } assign && assign.Left == node
            || node.Parent is NameColonSyntax
            || node.Parent is QualifiedNameSyntax q && q.Right == node)
        {
            return null;
        }

        SymbolInfo info = _model.GetSymbolInfo(node);
        ISymbol? symbol = info.Symbol ?? (info.CandidateSymbols.Length > 0 ? info.CandidateSymbols[0] : null);
        switch (symbol)
        {
            case ILocalSymbol { IsConst: true, HasConstantValue: true } constant:
                return Text(ConstantText(constant), node);
            case ILocalSymbol or IParameterSymbol:
                if (_variable(symbol) is { } variable)
                {
                    return HoleFor(variable, node);
                }

                if (symbol.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction } && !IsDeclaredInside(symbol, node))
                {
                    Problem ??= "a variable of a local function ('" + symbol.Name + "')";
                }

                return null;
            case IMethodSymbol { MethodKind: MethodKind.LocalFunction } local:
                Problem ??= "a call of the local function '" + local.Name + "' inside code without a derivative";
                return null;
            case INamespaceOrTypeSymbol type:
                return Checked(type, TypeText(type, node));
            case { IsStatic: true } member when member.Kind is SymbolKind.Field or SymbolKind.Property or SymbolKind.Method or SymbolKind.Event:
                return Checked(member, Text(Qualified(member.ContainingType) + "." + node.WithoutTrivia().ToString(), node));
            case { IsStatic: false } member when member.Kind is SymbolKind.Field or SymbolKind.Property or SymbolKind.Method or SymbolKind.Event:
                Check(member);
                if (_receiver is not null)
                {
                    SyntaxNode hole = HoleFor(_receiver, node);
                    return Text(hole.ToString() + "." + node.WithoutTrivia().ToString(), node);
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsDeclaredInside(ISymbol symbol, SyntaxNode node)
    {
        foreach (SyntaxReference reference in symbol.DeclaringSyntaxReferences)
        {
            if (node.SyntaxTree == reference.SyntaxTree)
            {
                for (SyntaxNode? parent = node.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent.Span.Contains(reference.Span) && parent is AnonymousFunctionExpressionSyntax)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private SyntaxNode Checked(ISymbol symbol, SyntaxNode replacement)
    {
        Check(symbol);
        return replacement;
    }

    /// <summary>The generated code lives in the [Differentiable] method's type: what it cannot see is a problem, not a build error.</summary>
    private void Check(ISymbol symbol)
    {
        if (symbol is ITypeParameterSymbol || symbol is INamespaceSymbol || _within is not INamedTypeSymbol within)
        {
            return;
        }

        if (!_model.Compilation.IsSymbolAccessibleWithin(symbol is IMethodSymbol { ReducedFrom: { } f } ? f : symbol, within))
        {
            Problem ??= "'" + symbol.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "', which '" + within.Name + "' cannot access";
        }
    }

    /// <summary>A const local's value (the generated code declares no const locals).</summary>
    private static string ConstantText(ILocalSymbol constant)
    {
        if (LiteralFormatter.FromConstant(constant.ConstantValue, TypeClassifier.Classify(constant.Type)) is { } literal)
        {
            return literal.Text;
        }

        return constant.ConstantValue is null
            ? "default(" + constant.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")"
            : "((" + constant.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")"
              + SymbolDisplay.FormatPrimitive(constant.ConstantValue, quoteStrings: true, useHexadecimalNumbers: false) + ")";
    }

    public static string Qualified(INamespaceOrTypeSymbol symbol) => symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private static string TypeArguments(IMethodSymbol method) =>
        method.IsGenericMethod ? "<" + string.Join(", ", System.Linq.Enumerable.Select(method.TypeArguments, t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ">" : string.Empty;
}
