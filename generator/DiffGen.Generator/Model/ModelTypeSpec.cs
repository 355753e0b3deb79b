using DiffGen.Generator.Helpers;

namespace DiffGen.Generator.Model;

/// <summary>
/// A partial model type DiffGen implements <c>IModel&lt;T&gt;</c> on: where it is declared (<see cref="Types"/>, outermost
/// first, the model type last) and its buffers in order. No Roslyn objects.
/// </summary>
internal sealed record ModelTypeSpec(string? Namespace, EquatableArray<ContainingTypeSpec> Types, string HintName, EquatableArray<ModelBufferSpec> Buffers);

/// <summary>
/// One buffer of a model type: its path, the member chains of its values and gradient buffer, its element type. With
/// <see cref="Layers"/> set, one buffer per layer of that collection (counted by <see cref="Count"/>), the chains
/// starting at the layer.
/// </summary>
internal sealed record ModelBufferSpec(string Path, string Values, string Gradient, ElementKind Element, string? Layers = null, string? Count = null);
