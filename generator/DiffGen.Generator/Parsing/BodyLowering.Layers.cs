using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Layers of a collection of a differentiated model (<c>model.Layers[l]</c>, a local holding one, a foreach over them).
/// Each leaf of the layers is one packed vector with the offsets of its layers (<see cref="PackedLeafSpec"/>), so a
/// layer's element <c>layer.W.Value[k]</c> is the packed element <c>modelLayersW[modelLayersWAt[l] + k]</c> and its
/// length <c>modelLayersWAt[l + 1] - modelLayersWAt[l]</c>: plain IR that every pass already understands.
/// </summary>
internal sealed partial class BodyLowering
{
    /// <summary>Locals and helper parameters that hold a layer: its collection's path and the int local holding its index.</summary>
    private readonly Dictionary<ISymbol, (string Collection, Var Index)> _layerAliases = new(SymbolEqualityComparer.Default);

    /// <summary>Where a layer comes from: an alias (its index already in a local), or an element of the collection.</summary>
    private sealed record LayerSite(string Collection, Var? Alias, IOperation? Index);

    /// <summary>A leaf of one layer: the packed vector, the offsets of its layers and the layer's index.</summary>
    private sealed record PackedRead(Var Values, Var Offsets, Expr Layer)
    {
        public Expr Start => new Elem(TypeRef.Int, Offsets.Name, Layer);

        public Expr Length => new Binary(TypeRef.Int, BinaryOp.Subtract,
            new Elem(TypeRef.Int, Offsets.Name, new Binary(TypeRef.Int, BinaryOp.Add, Layer, LiteralFormatter.Int(1))), Start);
    }

    /// <summary>The path of a differentiated collection of layers (<c>model.Layers</c>); null otherwise.</summary>
    private string? LayerCollection(IOperation operation)
    {
        operation = WithoutConversions(operation);
        if (_modelLeaves.Count == 0 || ModelPath(operation) is not { } path)
        {
            return null;
        }

        string prefix = path + "[].";
        return _modelLeaves.Keys.Any(k => k.StartsWith(prefix, System.StringComparison.Ordinal)) ? path : null;
    }

    /// <summary>A layer of a differentiated collection: a local or parameter holding one, or <c>model.Layers[i]</c>.</summary>
    private LayerSite? LayerOf(IOperation operation)
    {
        operation = WithoutConversions(operation);
        return operation switch
        {
            IParameterReferenceOperation or ILocalReferenceOperation when _layerAliases.TryGetValue(Symbol(operation), out (string Collection, Var Index) alias)
                => new LayerSite(alias.Collection, alias.Index, null),
            IArrayElementReferenceOperation { Indices.Length: 1 } element when LayerCollection(element.ArrayReference) is { } collection
                => new LayerSite(collection, null, element.Indices[0]),
            IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } list, Arguments.Length: 1 } indexer when LayerCollection(list) is { } collection
                => new LayerSite(collection, null, indexer.Arguments[0].Value),
            _ => null,
        };
    }

    /// <summary>The packed leaf a member chain on a layer reads (<c>layer.W.Value</c>, <c>model.Layers[l].Bias</c>), unlowered.</summary>
    private (ParameterSpec Leaf, LayerSite Layer)? PackedLeafPath(IOperation operation)
    {
        var parts = new List<string>();
        IOperation at = WithoutConversions(operation);
        while (MemberOf(at) is ({ } member, { } instance))
        {
            parts.Add(member.Name);
            at = WithoutConversions(instance);
        }

        if (parts.Count == 0 || _modelLeaves.Count == 0 || LayerOf(at) is not { } layer)
        {
            return null;
        }

        parts.Reverse();
        return _modelLeaves.TryGetValue(layer.Collection + "[]." + string.Join(".", parts), out ParameterSpec? leaf) && leaf.Packed is not null
            ? (leaf, layer)
            : null;
    }

    /// <summary>The packed leaf a member chain on a layer reads, its layer's index lowered (once).</summary>
    private PackedRead? PackedLeafOf(IOperation operation)
    {
        if (PackedLeafPath(operation) is not { } found)
        {
            return null;
        }

        Expr layer = found.Layer.Alias ?? LowerExpr(found.Layer.Index!);
        return new PackedRead(new Var(found.Leaf.Type, found.Leaf.Name), new Var(new TypeRef(ElementKind.Int, Shape.ReadOnlySpan), found.Leaf.Packed!.Offsets), layer);
    }

    /// <summary><c>layer.W.Value[k]</c>: the packed element (null when <paramref name="instance"/> is not a layer's leaf).</summary>
    private Expr? LowerLayerElement(IOperation instance, IOperation indexOperation, TypeRef type)
    {
        if (PackedLeafOf(instance) is not { } packed)
        {
            return null;
        }

        Expr index = LowerExpr(indexOperation);
        return IsDummy(index) ? Dummy(type) : new Elem(packed.Values.Type.ElementType, packed.Values.Name, new Binary(TypeRef.Int, BinaryOp.Add, packed.Start, index));
    }

    /// <summary>
    /// <c>layer.W.Value</c> passed whole to a read-only span of a method with a derivative: the layer's slice of the
    /// packed vector (the call's pullback adds into the same slice of the packed gradient).
    /// </summary>
    private SliceOf? LayerSlice(IOperation argument)
    {
        IOperation leaf = WithoutConversions(argument);
        while (leaf is IConversionOperation conversion)
        {
            leaf = conversion.Operand; // float[] → ReadOnlySpan<float> is a user-defined conversion
        }

        return PackedLeafOf(leaf) is { } packed
            ? new SliceOf(new TypeRef(packed.Values.Type.Element, Shape.ReadOnlySpan), packed.Values.Name, packed.Start, packed.Length)
            : null;
    }

    /// <summary>
    /// <c>Dense layer = model.Layers[l];</c> (never reassigned): the layer's index is kept in a local of its own, so its
    /// leaves stay that layer's even if <c>l</c> changes later. The local itself still holds the layer (for its sizes).
    /// </summary>
    private void AliasLayer(ISymbol local, LayerSite site)
    {
        var index = new Var(TypeRef.Int, _names.Unique(local.Name + "Index"));
        _claimed.Add(index.Name);
        _current.Add(new Declare(index.Name, TypeRef.Int, site.Alias ?? LowerExpr(site.Index!)));
        _layerAliases[local] = (site.Collection, index);
    }

    /// <summary>
    /// <c>foreach (Dense layer in model.Layers)</c>: an index loop over the collection's count whose counter is the layer's
    /// index (the collection is not modified here, so the same layers come in the same order).
    /// </summary>
    private void LowerForEachOverLayers(IForEachLoopOperation forEach, string collection, ILocalSymbol element)
    {
        IOperation source = WithoutConversions(forEach.Collection);
        ParameterSpec leaf = _modelLeaves.First(l => l.Key.StartsWith(collection + "[].", System.StringComparison.Ordinal)).Value;
        var layers = new Var(TypeClassifier.Classify(source.Type), _names.Unique("layers"));
        _claimed.Add(layers.Name);
        _current.Add(new Declare(layers.Name, layers.Type, LowerOpaque(source, layers.Type)));

        string index = _names.Unique("index");
        var at = new Var(TypeRef.Int, index);
        TypeRef elementType = TypeClassifier.Classify(element.Type);
        var count = new Opaque(TypeRef.Int, new[] { string.Empty, "." + leaf.Packed!.Count }.ToEquatableArray(), new Expr[] { layers }.ToEquatableArray(), EquatableArray<string>.Empty);
        var item = new Opaque(elementType, new[] { string.Empty, "[", "]" }.ToEquatableArray(), new Expr[] { layers, at }.ToEquatableArray(), EquatableArray<string>.Empty);

        _nestingDepth++;
        Var variable = Claim(element, element.Name, elementType);
        _layerAliases[element] = (collection, at);
        List<Stmt> saved = _current;
        _current = new List<Stmt> { new Declare(variable.Name, elementType, item) };
        LowerStatement(forEach.Body);
        var body = new Block(_current.ToEquatableArray());
        _current = saved;
        _nestingDepth--;

        AddIndexLoop(index, count, body, counted: leaf.Packed.Count == "Length");
    }

    private static IOperation WithoutConversions(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
