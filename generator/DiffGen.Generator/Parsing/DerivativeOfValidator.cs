using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.Parsing;

/// <summary>Checks a [DerivativeOf] method: its target exists, and its signature follows the pullback convention.</summary>
internal static class DerivativeOfValidator
{
    public static ImmutableArray<Diagnostic> Validate(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol pullback || context.TargetNode is not MethodDeclarationSyntax syntax)
        {
            return ImmutableArray<Diagnostic>.Empty;
        }

        cancellationToken.ThrowIfCancellationRequested();
        AttributeData attribute = context.Attributes[0];
        Location attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? syntax.Identifier.GetLocation();
        if (CalleeResolver.TargetOf(pullback) is not { } target)
        {
            return ImmutableArray<Diagnostic>.Empty; // typeof(...) or the name did not bind: the compiler reports that
        }

        IMethodSymbol[] candidates = target.Type.GetMembers(target.Name).OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).ToArray();
        if (candidates.Length == 0)
        {
            return ImmutableArray.Create(Diagnostic.Create(DiagnosticDescriptors.DerivativeTargetNotFound, attributeLocation, target.Type.ToDisplayString(), target.Name));
        }

        CalleeResolver.DerivativeFormKind form = CalleeResolver.FormOf(pullback);
        if (candidates.Any(c => CalleeResolver.Matches(pullback, c, form)))
        {
            return ImmutableArray<Diagnostic>.Empty;
        }

        string expected = string.Join(" or ", candidates.Select(c => form == CalleeResolver.DerivativeFormKind.Pushforward ? CalleeResolver.ExpectedPushforwardSignature(c) : CalleeResolver.ExpectedSignature(c)));
        return ImmutableArray.Create(Diagnostic.Create(DiagnosticDescriptors.DerivativeSignatureMismatch, syntax.Identifier.GetLocation(), pullback.Name, target.Type.Name + "." + target.Name, expected));
    }
}
