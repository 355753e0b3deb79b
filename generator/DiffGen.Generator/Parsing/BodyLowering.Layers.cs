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
    /// <summary>Locals and helper parameters that hold a layer, by symbol.</summary>
    private readonly Dictionary<ISymbol, LayerAlias> _layerAliases = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// A local or helper parameter holding a layer: its collection's path, the int holding its index, and the start and
    /// length of each leaf read through it, in locals (by the packed leaf's name), so an element's index is that local
    /// plus the user's index: affine in the loop counters, as the fusion and vectorisation passes need.
    /// </summary>
    private sealed record LayerAlias(string Collection, Var Index, IReadOnlyDictionary<string, (Var Start, Var? Length)> Leaves);

    /// <summary>Where a layer comes from: an alias, or an element of the collection (<paramref name="Index"/> unlowered).</summary>
    private sealed record LayerSite(string Collection, LayerAlias? Alias, IOperation? Index);

    /// <summary>A leaf of one layer: the packed vector, where the layer's part starts and its length.</summary>
    private sealed record PackedRead(Var Values, Expr Start, Expr Length)
    {
        public static PackedRead Of(ParameterSpec leaf, Expr layer)
        {
            string offsets = leaf.Packed!.Offsets;
            var start = new Elem(TypeRef.Int, offsets, layer);
            var end = new Elem(TypeRef.Int, offsets, new Binary(TypeRef.Int, BinaryOp.Add, layer, LiteralFormatter.Int(1)));
            return new PackedRead(new Var(leaf.Type, leaf.Name), start, new Binary(TypeRef.Int, BinaryOp.Subtract, end, start));
        }
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
            IParameterReferenceOperation or ILocalReferenceOperation when _layerAliases.TryGetValue(Symbol(operation), out LayerAlias? alias)
                => new LayerSite(alias.Collection, alias, null),
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

        if (_modelLeaves.Count == 0 || LayerOf(at) is not { } layer)
        {
            return null;
        }

        if (parts.Count == 0)
        {
            // A row of a differentiated array of arrays (w[i], a local holding it): the row is the leaf.
            return _modelLeaves.TryGetValue(layer.Collection + "[].", out ParameterSpec? row) && row.Packed is not null ? (row, layer) : null;
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

        if (found.Layer.Alias is { } alias)
        {
            PackedRead whole = PackedRead.Of(found.Leaf, alias.Index);
            return alias.Leaves.TryGetValue(found.Leaf.Name, out (Var Start, Var? Length) range)
                ? whole with { Start = range.Start, Length = (Expr?)range.Length ?? whole.Length }
                : whole;
        }

        return PackedRead.Of(found.Leaf, LowerExpr(found.Layer.Index!));
    }

    /// <summary><c>layer.W.Value[k]</c>: the packed element (null when <paramref name="instance"/> is not a layer's leaf).</summary>
    private Expr? LowerLayerElement(IOperation instance, IOperation indexOperation, TypeRef type)
    {
        if (PackedLeafOf(instance) is not { } packed)
        {
            return null;
        }

        // row[^k] is row[Length - k].
        Expr index = indexOperation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat, Operand: var fromEnd }
            ? new Binary(TypeRef.Int, BinaryOp.Subtract, packed.Length, LowerExpr(fromEnd))
            : LowerExpr(indexOperation);
        if (IsDummy(index))
        {
            return Dummy(type);
        }

        // start + (a + i) is written (start + a) + i: the counter stays the last term, the shape the fused-iteration
        // passes and the vectoriser read as "offset + i" (integer addition is associative, so the value is the same).
        Expr at = index is Binary { Op: BinaryOp.Add, Type.Element: ElementKind.Int } sum
            ? sum with { Left = new Binary(TypeRef.Int, BinaryOp.Add, packed.Start, sum.Left) }
            : new Binary(TypeRef.Int, BinaryOp.Add, packed.Start, index);
        return new Elem(packed.Values.Type.ElementType, packed.Values.Name, at);
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
    /// <c>Dense layer = model.Layers[l];</c> (never reassigned), or a helper's parameter bound to a layer: the layer's index
    /// is kept in a local of its own, so its leaves stay that layer's even if <c>l</c> changes later, and so are the start
    /// and length of each leaf <paramref name="scope"/> reads through it. The local itself still holds the layer (for its sizes).
    /// </summary>
    private void AliasLayer(ISymbol symbol, LayerSite site, IOperation scope)
    {
        var index = DeclareInt(symbol.Name + "Index", site.Alias?.Index ?? LowerExpr(site.Index!));
        _layerAliases[symbol] = Alias(symbol, site.Collection, index, scope);
    }

    /// <summary>The alias of a layer at <paramref name="index"/>, declaring the start and length of each leaf read through it.</summary>
    private LayerAlias Alias(ISymbol symbol, string collection, Var index, IOperation scope)
    {
        var leaves = new Dictionary<string, (Var Start, Var? Length)>();
        foreach ((ParameterSpec leaf, bool measured) in LeavesReadThrough(symbol, scope, collection))
        {
            PackedRead range = PackedRead.Of(leaf, index);
            string name = symbol.Name + leaf.Packed!.Path.Replace(".", string.Empty);
            Var start = DeclareInt(name + "Start", range.Start);
            leaves[leaf.Name] = (start, measured ? DeclareInt(name + "Length", range.Length) : null);
        }

        return new LayerAlias(collection, index, leaves);
    }

    /// <summary>A fresh int local holding <paramref name="value"/>, declared in <paramref name="into"/> (by default, here).</summary>
    private Var DeclareInt(string preferred, Expr value, List<Stmt>? into = null) => DeclareLocal(preferred, TypeRef.Int, value, into);

    /// <summary>A fresh local of <paramref name="type"/> holding <paramref name="value"/>, declared in <paramref name="into"/> (by default, here).</summary>
    private Var DeclareLocal(string preferred, TypeRef type, Expr value, List<Stmt>? into = null)
    {
        var variable = new Var(type, _names.Unique(preferred));
        _claimed.Add(variable.Name);
        (into ?? _current).Add(new Declare(variable.Name, type, value));
        return variable;
    }

    /// <summary>
    /// The packed leaves <paramref name="scope"/> reads through <paramref name="symbol"/> (<c>layer.W.Value</c> → W), in order,
    /// and whether it takes a leaf's <c>Length</c>.
    /// </summary>
    private List<(ParameterSpec Leaf, bool Measured)> LeavesReadThrough(ISymbol symbol, IOperation scope, string collection)
    {
        var found = new List<(ParameterSpec Leaf, bool Measured)>();
        foreach (IOperation reference in scope.DescendantsAndSelf())
        {
            if (reference is not (ILocalReferenceOperation or IParameterReferenceOperation) || !SymbolEqualityComparer.Default.Equals(Symbol(reference), symbol))
            {
                continue;
            }

            var parts = new List<string>();
            ParameterSpec? longest = null;
            bool measured = false;
            for (IOperation at = reference; at.Parent is { } parent;)
            {
                if (parent is IConversionOperation { IsImplicit: true })
                {
                    at = parent;
                    continue;
                }

                if (MemberOf(parent) is not ({ } member, { } instance) || !ReferenceEquals(instance, at))
                {
                    break;
                }

                parts.Add(member.Name);
                at = parent;
                measured |= longest is not null && member.Name == "Length";
                if (_modelLeaves.TryGetValue(collection + "[]." + string.Join(".", parts), out ParameterSpec? leaf) && leaf.Packed is not null)
                {
                    longest = leaf;
                }
            }

            if (longest is null && (parts.Count == 0 || (parts.Count == 1 && parts[0] == "Length")) && _modelLeaves.TryGetValue(collection + "[].", out ParameterSpec? row) && row.Packed is not null)
            {
                // A row of a differentiated array of arrays: the local itself is the leaf (row[j], row.Length).
                longest = row;
                measured = parts.Count == 1;
            }

            if (longest is null)
            {
                continue;
            }

            int known = found.FindIndex(f => f.Leaf.Equals(longest));
            if (known < 0)
            {
                found.Add((longest, measured));
            }
            else if (measured)
            {
                found[known] = (longest, true);
            }
        }

        return found;
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
        List<Stmt> saved = _current;
        _current = new List<Stmt> { new Declare(variable.Name, elementType, item) };
        _layerAliases[element] = Alias(element, collection, at, forEach.Body);
        if (elementType.IsVector)
        {
            _rowHolders.Add(variable.Name); // a row of a differentiated array of arrays: read other than by its elements, a derivative is lost
        }

        LowerStatement(forEach.Body);
        var body = new Block(_current.ToEquatableArray());
        _current = saved;
        _nestingDepth--;

        AddIndexLoop(index, count, body, counted: leaf.Packed.Count == "Length");
    }
}
