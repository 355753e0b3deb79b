using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.Parsing;

/// <summary>Which generated derivative a nested call names.</summary>
internal enum NestedForm
{
    Gradient,
    Pullback,
    Pushforward,
}

/// <summary>
/// A call of a derivative DiffGen generates for <see cref="Method"/> (by the attribute with stem <see cref="Stem"/>,
/// differentiating the parameters <see cref="Wrt"/>, ordinals), or why it cannot be differentiated through
/// (<see cref="Refusal"/>, the fix included).
/// </summary>
internal sealed record NestedCallee(string Name, IMethodSymbol Method, string Stem, NestedForm Form, List<int> Wrt, string? Refusal);

/// <summary>
/// Finds what a call of a generated derivative derives from, by name. The generator cannot bind such a call (its own
/// output is not in the compilation it reads), the analyzer can; both look it up the same way, from the syntax, among
/// the [Differentiable] methods of the named type (or of the caller's types for an unqualified name), so both report
/// the same diagnostics.
/// </summary>
internal static class NestedCallResolver
{
    /// <summary>The callee, or null when the call names no derivative DiffGen generates.</summary>
    public static NestedCallee? Resolve(InvocationExpressionSyntax call, SemanticModel model, IMethodSymbol caller)
    {
        (string name, List<INamedTypeSymbol> types) = call.Expression switch
        {
            IdentifierNameSyntax id => (id.Identifier.ValueText, Enclosing(caller.ContainingType)),
            MemberAccessExpressionSyntax { Name: IdentifierNameSyntax member } access
                when TypeNamed(model.GetSymbolInfo(access.Expression).Symbol) is { } type => (member.Identifier.ValueText, new List<INamedTypeSymbol> { type }),
            _ => (string.Empty, new List<INamedTypeSymbol>()),
        };

        foreach (INamedTypeSymbol type in types)
        {
            foreach (IMethodSymbol method in type.GetMembers().OfType<IMethodSymbol>().Where(m => !Parser.IsGeneratedByDiffGen(m)))
            {
                foreach (AttributeData attribute in method.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == KnownTypeNames.DifferentiableAttribute))
                {
                    if (Match(name, method, attribute) is { } found)
                    {
                        return found;
                    }
                }
            }
        }

        return null;
    }

    private static NestedCallee? Match(string name, IMethodSymbol method, AttributeData attribute)
    {
        string? given = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string;
        given = string.IsNullOrEmpty(given) ? null : given;
        var forms = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Generate").Value.Value is int flags ? (DerivativeForms)flags : DerivativeForms.Reverse;
        if ((forms & DerivativeForms.Jacobian) != 0)
        {
            forms |= DerivativeForms.Forward | DerivativeForms.Reverse;
        }

        string stem = GeneratedNames.Stem(method.Name, given);
        NestedForm? form =
            (forms & DerivativeForms.Reverse) != 0 && name == (given ?? method.Name + "Gradient") ? NestedForm.Gradient
            : (forms & DerivativeForms.Reverse) != 0 && name == Parser.PullbackName(method.Name, given) ? NestedForm.Pullback
            : (forms & DerivativeForms.Forward) != 0 && name == GeneratedNames.Pushforward(stem) ? NestedForm.Pushforward
            : null;
        if (form is null)
        {
            return IsOtherDerivative(name, stem)
                ? new NestedCallee(name, method, stem, NestedForm.Gradient, new List<int>(), "only a gradient, pullback or pushforward can be differentiated through (one order more); compute this derivative outside the differentiated method and pass it in")
                : null;
        }

        string? refusal = (forms & DerivativeForms.Nested) == 0
            ? "add Derivatives.Nested to the Generate of '" + method.Name + "''s [Differentiable] so DiffGen generates the second-order helpers the outer derivative calls"
            : !Eligible(method) ? "'" + method.Name + "' cannot have nesting helpers (see DG0025 at its Generate); compute this derivative outside the differentiated method and pass it in"
            : null;
        return new NestedCallee(name, method, stem, form.Value, Wrt(method, attribute), refusal);
    }

    /// <summary>The scalar shape <c>Derivatives.Nested</c> supports (Parser.NestedMisfit reports the rest at the callee).</summary>
    private static bool Eligible(IMethodSymbol method)
    {
        TypeRef result = TypeClassifier.Classify(method.ReturnType);
        return result.IsRealScalar && method.IsStatic && !method.IsGenericMethod
            && method.Parameters.All(p => TypeClassifier.Classify(p.Type) is var t && (!t.IsReal || (t.IsScalar && t.Element == result.Element)));
    }

    /// <summary>The attribute's wrt ordinals: the named parameters, or every float/double one.</summary>
    private static List<int> Wrt(IMethodSymbol method, AttributeData attribute)
    {
        var named = new HashSet<string>();
        if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array)
        {
            named.UnionWith(attribute.ConstructorArguments[0].Values.Select(v => v.Value as string ?? string.Empty));
        }

        return Enumerable.Range(0, method.Parameters.Length)
            .Where(i => named.Count > 0 ? named.Contains(method.Parameters[i].Name) : TypeClassifier.Classify(method.Parameters[i].Type).IsReal)
            .ToList();
    }

    /// <summary>A Jacobian, Hessian, Hessian-vector product or nesting helper of the attribute with this stem.</summary>
    private static bool IsOtherDerivative(string name, string stem)
    {
        string nested = NestedNames.Stem(stem);
        return name == GeneratedNames.Jacobian(stem) || name == GeneratedNames.HessianVectorProduct(stem) || name == GeneratedNames.GradientAndHessianVectorProduct(stem)
            || name == GeneratedNames.Hessian(stem) || name == GeneratedNames.HessianDiagonal(stem)
            || (name.StartsWith(nested, System.StringComparison.Ordinal) && name.Length > nested.Length);
    }

    /// <summary>The type a qualifier names (through a <c>using</c> alias too), or null.</summary>
    private static INamedTypeSymbol? TypeNamed(ISymbol? symbol) => symbol switch
    {
        INamedTypeSymbol type => type,
        IAliasSymbol { Target: INamedTypeSymbol target } => target,
        _ => null,
    };

    private static List<INamedTypeSymbol> Enclosing(INamedTypeSymbol? type)
    {
        var types = new List<INamedTypeSymbol>();
        for (; type is not null; type = type.ContainingType)
        {
            types.Add(type);
        }

        return types;
    }
}
