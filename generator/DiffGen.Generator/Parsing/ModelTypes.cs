using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Model types: a class, record or struct whose differentiable state is its float/double fields, arrays, <c>Parameter&lt;T&gt;</c>s
/// and nested model types. Differentiating with respect to a parameter of such a type differentiates every leaf; the
/// gradient argument is an object of the same type, whose leaves receive the gradient (docs/models.md).
/// </summary>
internal static class ModelTypes
{
    private const string ParameterType = "DiffGen.Optimization.Parameter<T>";
    private const int MaxDepth = 8;

    /// <summary>
    /// One differentiable leaf. <see cref="Path"/> names it from the model (<c>Fc1.Weight</c>); <see cref="Value"/> and
    /// <see cref="Gradient"/> are the member chains that read its values from the model and its gradient buffer from the
    /// gradient argument (<c>W1.ValueArray</c> and <c>W1.GradArray</c> for a <c>Parameter&lt;T&gt;</c>, the same chain otherwise).
    /// </summary>
    /// <remarks>
    /// A leaf of every layer of a collection (<c>Layers[*].W</c>) has <see cref="Layers"/> set; its chains then start at the
    /// layer (<c>W.ValueArray</c>) and <see cref="Path"/> names it inside the layer.
    /// </remarks>
    internal sealed record Leaf(string Path, string Value, string Gradient, TypeRef Type, bool IsParameter, LayerCollection? Layers = null);

    /// <summary>
    /// A member holding layers (<c>Dense[] Layers</c>, a <c>List&lt;Dense&gt;</c>, an <c>IReadOnlyList&lt;Dense&gt;</c>): its path
    /// from the model and the member that counts them (<c>Length</c> or <c>Count</c>).
    /// </summary>
    internal sealed record LayerCollection(string Path, string Count);

    /// <summary>Why a model type cannot be differentiated, at its member; null when it can.</summary>
    internal sealed record Problem(string Member, string Reason);

    /// <summary>True for a class or struct DiffGen may treat as a model (not a number, span, string or delegate; System.Numerics' Vector2/3/4 are).</summary>
    public static bool IsCandidate(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, SpecialType: SpecialType.None } named
        && !named.IsRefLikeType
        && !IsParameter(named)
        && (named.ContainingNamespace?.ToDisplayString() is not ("System" or "System.Numerics" or "System.Collections.Generic")
            || named is { Name: "Vector2" or "Vector3" or "Vector4", IsGenericType: false } && named.ContainingNamespace.ToDisplayString() == "System.Numerics");

    /// <summary>The leaves of <paramref name="type"/> in declaration order (bases first), or a problem.</summary>
    public static (List<Leaf> Leaves, Problem? Problem) LeavesOf(ITypeSymbol type, INamedTypeSymbol within, Compilation compilation)
    {
        var leaves = new List<Leaf>();
        Problem? problem = Collect(type, string.Empty, within, compilation, leaves, new List<ITypeSymbol>());
        return (leaves, problem);
    }

    private static Problem? Collect(ITypeSymbol type, string prefix, INamedTypeSymbol within, Compilation compilation, List<Leaf> leaves, List<ITypeSymbol> open)
    {
        if (open.Count >= MaxDepth || open.Contains(type, SymbolEqualityComparer.Default))
        {
            return new Problem(prefix.TrimEnd('.'), "its model types nest " + (open.Count >= MaxDepth ? "deeper than " + MaxDepth + " levels" : "in a cycle"));
        }

        open.Add(type);
        foreach (ISymbol member in MembersOf(type))
        {
            ITypeSymbol? memberType = member switch
            {
                IFieldSymbol { IsImplicitlyDeclared: false, IsConst: false } field => field.Type,
                IPropertySymbol { IsIndexer: false, GetMethod: not null } property => property.Type,
                _ => null,
            };
            if (memberType is null || member.IsStatic || member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypeNames.NoDerivativeAttribute))
            {
                continue;
            }

            string path = prefix + member.Name;
            // A collection of classes with leaves, or of structs holding buffers, holds layers; a collection of structs of
            // numbers (points, Vector3s) is data: a constant, as before.
            if (LayerElementOf(memberType) is { } layer && IsCandidate(layer) && HasLeaves(layer, within, compilation, open)
                && (layer.IsReferenceType || HoldsBuffers(layer, within, compilation, open)))
            {
                if (CollectLayers(member, layer, path, within, compilation, leaves, open) is { } layerProblem)
                {
                    return layerProblem;
                }

                continue;
            }

            TypeRef typeRef = TypeClassifier.Classify(memberType);
            bool real = typeRef.IsReal && typeRef.Shape is Shape.Scalar or Shape.Array;
            bool parameter = memberType is INamedTypeSymbol named && IsParameter(named);
            bool nested = !real && !parameter && IsCandidate(memberType) && HasLeaves(memberType, within, compilation, open);
            if (!real && !parameter && !nested)
            {
                continue; // sizes, geometry, names: constants
            }

            if (!compilation.IsSymbolAccessibleWithin(member, within))
            {
                return new Problem(path, "'" + member.Name + "' is not accessible from '" + within.Name + "'; make it internal or public, or mark it [NoDerivative]");
            }

            if (typeRef.IsRealScalar && member is not IFieldSymbol)
            {
                return new Problem(path, "a " + typeRef.ElementKeyword + " property cannot receive a gradient; make it a field, or mark it [NoDerivative]");
            }

            if (typeRef.IsRealScalar && member is IFieldSymbol { IsReadOnly: true } && type.IsReferenceType)
            {
                return new Problem(path, "a readonly " + typeRef.ElementKeyword + " field cannot receive a gradient; remove readonly, or mark it [NoDerivative]");
            }

            if (real)
            {
                leaves.Add(new Leaf(path, path, path, typeRef, IsParameter: false));
            }
            else if (parameter)
            {
                ElementKind element = ((INamedTypeSymbol)memberType).TypeArguments[0].SpecialType == SpecialType.System_Double ? ElementKind.Double : ElementKind.Float;
                leaves.Add(new Leaf(path, path + ".ValueArray", path + ".GradArray", new TypeRef(element, Shape.Array), IsParameter: true));
            }
            else if (Collect(memberType, path + ".", within, compilation, leaves, open) is { } inner)
            {
                return inner;
            }
        }

        open.RemoveAt(open.Count - 1);
        return null;
    }

    /// <summary>
    /// A multi-dimensional (rectangular) array of float or double with 2 or 3 dimensions (<c>double[,]</c>): read as the
    /// span of its elements, row-major. Null for anything else.
    /// </summary>
    public static RectangularArray? RectangularArrayOf(ITypeSymbol type) =>
        type is IArrayTypeSymbol { Rank: 2 or 3 } array && array.ElementType.SpecialType is SpecialType.System_Single or SpecialType.System_Double
            ? new RectangularArray(array.Rank, array.ElementType.SpecialType == SpecialType.System_Double ? ElementKind.Double : ElementKind.Float)
            : null;

    /// <summary>An array of float or double arrays (<c>double[][]</c>); null for any other type.</summary>
    public static JaggedArray? JaggedArrayOf(ITypeSymbol type) =>
        type is IArrayTypeSymbol { Rank: 1, ElementType: IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double or SpecialType.System_Single } row }
            ? new JaggedArray(row.ElementType.SpecialType == SpecialType.System_Double ? ElementKind.Double : ElementKind.Float)
            : null;

    /// <summary>An array of arrays of <paramref name="Kind"/>.</summary>
    internal sealed record JaggedArray(ElementKind Kind)
    {
        public string CSharp => (Kind == ElementKind.Double ? "double" : "float") + "[][]";
    }

    /// <summary>A rectangular array's rank and element type.</summary>
    internal sealed record RectangularArray(int Rank, ElementKind Kind)
    {
        public string Keyword => Kind == ElementKind.Double ? "double" : "float";

        /// <summary>The C# type: <c>double[,]</c>.</summary>
        public string CSharp => Keyword + "[" + new string(',', Rank - 1) + "]";
    }

    /// <summary>
    /// The element of an array or span of structs whose instance fields are all float or all double (<c>Vec3[]</c>,
    /// <c>ReadOnlySpan&lt;Vector3&gt;</c>): such an array is read as a span of its numbers, <see cref="StructArray.Fields"/>
    /// per element in field order (C# lays a struct's fields out in order). Null for anything else.
    /// </summary>
    public static StructArray? StructArrayOf(ITypeSymbol type)
    {
        ITypeSymbol? element = type switch
        {
            IArrayTypeSymbol { Rank: 1 } array => array.ElementType,
            INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1, Name: "Span" or "ReadOnlySpan", ContainingNamespace.Name: "System" } span => span.TypeArguments[0],
            _ => null,
        };
        if (element is not INamedTypeSymbol { TypeKind: TypeKind.Struct, IsGenericType: false, IsTupleType: false } named
            || named.DeclaringSyntaxReferences.Length == 0 && named.ContainingNamespace?.ToDisplayString() != "System.Numerics")
        {
            return null;
        }

        var fields = named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).ToList();
        if (fields.Count == 0 || fields.Any(f => f.Type.SpecialType != fields[0].Type.SpecialType)
            || fields[0].Type.SpecialType is not (SpecialType.System_Single or SpecialType.System_Double))
        {
            return null;
        }

        return new StructArray(named, fields.Count, fields[0].Type.SpecialType == SpecialType.System_Double ? ElementKind.Double : ElementKind.Float);
    }

    /// <summary>An array of structs read as numbers: the struct, its field count and their type.</summary>
    internal sealed record StructArray(INamedTypeSymbol Element, int Fields, ElementKind Kind);

    private static bool HasLeaves(ITypeSymbol type, INamedTypeSymbol within, Compilation compilation, List<ITypeSymbol> open)
    {
        if (open.Count >= MaxDepth || open.Contains(type, SymbolEqualityComparer.Default))
        {
            return true; // reported by Collect
        }

        var leaves = new List<Leaf>();
        Problem? problem = Collect(type, string.Empty, within, compilation, leaves, new List<ITypeSymbol>(open));
        return problem is not null || leaves.Count > 0;
    }

    /// <summary>
    /// The leaves of every layer of a collection member, packed per leaf at run time (docs/models.md): a layer's leaves are
    /// arrays and <c>Parameter&lt;T&gt;</c>s (references, so a struct layer's are the collection's too, not copies).
    /// </summary>
    private static Problem? CollectLayers(ISymbol member, ITypeSymbol layer, string path, INamedTypeSymbol within, Compilation compilation, List<Leaf> leaves, List<ITypeSymbol> open)
    {
        if (!compilation.IsSymbolAccessibleWithin(member, within))
        {
            return new Problem(path, "'" + member.Name + "' is not accessible from '" + within.Name + "'; make it internal or public, or mark it [NoDerivative]");
        }

        var inner = new List<Leaf>();
        if (Collect(layer, string.Empty, within, compilation, inner, open) is { } problem)
        {
            return new Problem(path + "[]." + problem.Member, problem.Reason);
        }

        if (inner.FirstOrDefault(l => l.Layers is not null || l.Type.IsScalar) is { } unsupported)
        {
            return new Problem(path + "[]." + unsupported.Path, unsupported.Layers is not null
                ? "layers that hold layers are not supported; keep one collection of layers per model"
                : "a layer's " + unsupported.Type.ElementKeyword + " field is not supported; hold it in a " + unsupported.Type.ElementKeyword + "[1] or a Parameter<" + unsupported.Type.ElementKeyword + ">, or mark it [NoDerivative]");
        }

        var collection = new LayerCollection(path, member is IFieldSymbol { Type: IArrayTypeSymbol } or IPropertySymbol { Type: IArrayTypeSymbol } ? "Length" : "Count");
        leaves.AddRange(inner.Select(l => l with { Layers = collection }));
        return null;
    }

    /// <summary>The element of <c>T[]</c>, <c>List&lt;T&gt;</c>, <c>IList&lt;T&gt;</c> or <c>IReadOnlyList&lt;T&gt;</c>; null for anything else.</summary>
    public static ITypeSymbol? LayerElementOf(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol { Rank: 1 } array => array.ElementType,
        INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1, Name: "List" or "IList" or "IReadOnlyList", ContainingNamespace: { } ns } list
            when ns.ToDisplayString() == "System.Collections.Generic" => list.TypeArguments[0],
        _ => null,
    };

    /// <summary>True when some leaf of <paramref name="type"/> is an array or a <c>Parameter&lt;T&gt;</c> (or its leaves cannot be had).</summary>
    private static bool HoldsBuffers(ITypeSymbol type, INamedTypeSymbol within, Compilation compilation, List<ITypeSymbol> open)
    {
        var leaves = new List<Leaf>();
        Problem? problem = Collect(type, string.Empty, within, compilation, leaves, new List<ITypeSymbol>(open));
        return problem is not null || leaves.Any(l => !l.Type.IsScalar);
    }

    private static IEnumerable<ISymbol> MembersOf(ITypeSymbol type)
    {
        var chain = new List<ITypeSymbol>();
        for (ITypeSymbol? t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        return chain.SelectMany(t => t.GetMembers());
    }

    private static bool IsParameter(INamedTypeSymbol type) => type.OriginalDefinition.ToDisplayString() == ParameterType;
}
