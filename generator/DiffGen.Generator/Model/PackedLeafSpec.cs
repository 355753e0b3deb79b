namespace DiffGen.Generator.Model;

/// <summary>
/// A leaf of every layer of a model's collection (<c>model.Layers[*].W</c>), which the body sees as one vector: the
/// generated method packs the layers' buffers back to back into a pooled array (<see cref="ParameterSpec.Name"/>) and
/// their start offsets into <see cref="Offsets"/> (layer l is <c>[Offsets[l], Offsets[l + 1])</c>), and adds the packed
/// gradient into each layer's buffer before it returns. The IR then needs no new concept: a layer's element is an
/// element of the packed vector, and every pass (taping plan, fusion, vectorisation) applies as to any vector.
/// </summary>
/// <param name="Collection">The collection as C#, read from the model (<c>model.Layers</c>).</param>
/// <param name="GradientCollection">The same collection of the gradient or tangent object (<c>dmodel.Layers</c>).</param>
/// <param name="Count">The member that counts the layers: <c>Length</c> or <c>Count</c>.</param>
/// <param name="Value">The chain from a layer to its values (<c>W.ValueArray</c>).</param>
/// <param name="Gradient">The chain from a layer to its gradient buffer (<c>W.GradArray</c>).</param>
/// <param name="Path">The leaf inside a layer, for messages (<c>W</c>).</param>
/// <param name="Offsets">The local holding the offsets (a <c>ReadOnlySpan&lt;int&gt;</c> of count + 1).</param>
/// <param name="Index">A name free in the method, for the loops over layers.</param>
internal sealed record PackedLeafSpec(string Collection, string GradientCollection, string Count, string Value, string Gradient, string Path, string Offsets, string Index)
{
    /// <summary>The pooled array behind the packed values (the span is the parameter's name).</summary>
    public string Buffer(string packed) => packed + "Buffer";
}
