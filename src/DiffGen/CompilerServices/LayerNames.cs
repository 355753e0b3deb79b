using System.Collections.Concurrent;
using System.ComponentModel;

namespace DiffGen.CompilerServices;

/// <summary>
/// The names of a model's layer buffers (<c>Layers[2].W</c>) for generated <see cref="IModel{T}"/> implementations, made
/// once and reused: optimizers and <see cref="Tangent"/> ask for every buffer on every call, which must not allocate.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerNames
{
    private static readonly ConcurrentDictionary<(string Collection, int Layer, string Leaf), string> Names = new();

    /// <summary>Returns <c>{collection}[{layer}].{leaf}</c>.</summary>
    /// <param name="collection">The collection's path in the model (<c>Layers</c>).</param>
    /// <param name="layer">The layer's index.</param>
    /// <param name="leaf">The buffer's path in the layer (<c>W</c>).</param>
    /// <returns>The buffer's name.</returns>
    public static string Of(string collection, int layer, string leaf) =>
        Names.TryGetValue((collection, layer, leaf), out string? name)
            ? name
            : Names.GetOrAdd((collection, layer, leaf), static key => $"{key.Collection}[{key.Layer}].{key.Leaf}");
}
