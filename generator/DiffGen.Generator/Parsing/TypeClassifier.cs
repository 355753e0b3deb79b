using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Parsing;

/// <summary>Maps Roslyn types to <see cref="TypeRef"/>.</summary>
internal static class TypeClassifier
{
    public static TypeRef Classify(ITypeSymbol? type)
    {
        if (type is null)
        {
            return TypeRef.Void;
        }

        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            ElementKind element = ClassifyElement(array.ElementType);
            return element is ElementKind.Other ? Other(type) : new TypeRef(element, Shape.Array);
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.ContainingNamespace?.ToDisplayString() == "System"
            && named.Name is "Span" or "ReadOnlySpan")
        {
            ElementKind element = ClassifyElement(named.TypeArguments[0]);
            if (element is not ElementKind.Other)
            {
                return new TypeRef(element, named.Name == "Span" ? Shape.Span : Shape.ReadOnlySpan);
            }

            return Other(type);
        }

        ElementKind kind = ClassifyElement(type);
        return kind is ElementKind.Other ? Other(type) : new TypeRef(kind, Shape.Scalar);
    }

    private static TypeRef Other(ITypeSymbol type) =>
        new(ElementKind.Other, Shape.Scalar, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));

    private static ElementKind ClassifyElement(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Void => ElementKind.Void,
        SpecialType.System_Boolean => ElementKind.Bool,
        SpecialType.System_Int32 => ElementKind.Int,
        SpecialType.System_Single => ElementKind.Float,
        SpecialType.System_Double => ElementKind.Double,
        _ => ElementKind.Other,
    };
}
