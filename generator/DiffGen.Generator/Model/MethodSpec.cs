using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;

namespace DiffGen.Generator.Model;

/// <summary>An enclosing type declaration, e.g. <c>partial class Outer&lt;T&gt;</c>.</summary>
internal sealed record ContainingTypeSpec(string Keyword, string Name, string TypeParameters);

/// <summary>
/// A parameter of the method, or (<see cref="Access"/> set) a field or property of the object or type that a gradient
/// names: the pullback reads it into a local of that name (<c>double[] Weights = this.Weights;</c>) and treats it as an
/// input; its gradient argument follows the parameters' (<c>Span&lt;double&gt; dWeights</c>). <see cref="Packed"/>: a leaf
/// of every layer of a collection, packed (its values, or with <see cref="IsOffsets"/> the offsets of its layers).
/// </summary>
internal sealed record ParameterSpec(string Name, TypeRef Type, string? Access = null, ModelLeafSpec? Leaf = null, PackedLeafSpec? Packed = null)
{
    public bool IsMember => Access is not null;

    /// <summary>The offsets of a packed leaf's layers (written with the leaf's values, not on its own).</summary>
    public bool IsOffsets => Packed is not null && Packed.Offsets == Name;
}

/// <summary>
/// Where a leaf of a model-typed parameter (or the element view of an array of structs) lives: <c>{Model}.{Path}</c>
/// names it for messages, <see cref="GradientSource"/> is the expression of the buffer its gradient is added into, read
/// from the gradient argument <see cref="GradientArgument"/> of type <see cref="ModelType"/> (passed by <c>ref</c> when
/// <see cref="ByRef"/>; checked for null when <see cref="NullChecked"/>).
/// </summary>
internal sealed record ModelLeafSpec(string Model, string Path, string GradientSource, string GradientArgument, string ModelType, bool ByRef, bool NullChecked = true)
{
    /// <summary>The leaf as the caller knows it: <c>model.Hidden.Weight</c>, or the parameter itself.</summary>
    public string Display => Path.Length == 0 ? Model : Model + "." + Path;

    /// <summary>The matching buffer of the gradient argument: <c>dmodel.Hidden.Weight</c>, or the argument itself.</summary>
    public string GradientDisplay => Path.Length == 0 ? GradientArgument : GradientArgument + "." + Path;
}

/// <summary>
/// One [Differentiable] attribute: its names, the parameters it differentiates (indices into the parameters), whether
/// its forward sums may be reassociated (<c>AllowReassociation</c>), which derivatives it generates and the stem of
/// their names (<see cref="GeneratedNames"/>).
/// </summary>
internal sealed record GradientSpec(
    string GradientName,
    string PullbackName,
    EquatableArray<int> Wrt,
    bool AllowReassociation = false,
    DerivativeForms Forms = DerivativeForms.Reverse,
    string Stem = "")
{
    /// <summary>For the spec <c>Derivatives.Nested</c> adds: the user's attribute whose derivatives the nesting helpers mirror.</summary>
    public GradientSpec? NestedFor { get; init; }

    public bool Has(DerivativeForms form) => (Forms & form) != 0;
}

/// <summary>Everything the emitter needs for one [Differentiable] method. No Roslyn objects.</summary>
internal sealed record DifferentiableMethodSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string HintName,
    string MethodName,
    string Accessibility,
    TypeRef ReturnType,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<GradientSpec> Gradients,
    Block Body,
    EquatableArray<string> ReservedNames,
    string GeneratorVersion,
    bool IsStatic = true,
    int Output = -1)
{
    /// <summary>The partial model types this method differentiates with respect to (each gets <c>IModel&lt;T&gt;</c>).</summary>
    public EquatableArray<ModelTypeSpec> Models { get; init; } = EquatableArray<ModelTypeSpec>.Empty;

    /// <summary>The method as a call of it names it (<c>global::Ns.Type.Method</c>, the form of <see cref="CallSpec.Method"/>).</summary>
    public string QualifiedName { get; init; } = string.Empty;

    /// <summary>The [Differentiable] methods (not registered derivatives) whose generated derivatives this one calls.</summary>
    public EquatableArray<string> DifferentiableCallees =>
        Ir.IrWalk.Descendants(Body).OfType<CallStmt>().Where(c => !c.Call.IsRegisteredPullback).Select(c => c.Call.Method)
            .Where(m => m != QualifiedName).Distinct().OrderBy(m => m, System.StringComparer.Ordinal).ToEquatableArray();

    /// <summary>True for a vector-valued method: <c>void</c>, with an [Output] span parameter (<see cref="Output"/>).</summary>
    public bool IsVectorValued => Output >= 0;

    /// <summary>
    /// The derivative arguments of <paramref name="gradient"/>'s methods in wrt order: position k of each wrt parameter
    /// or member with <c>Model</c> null, and each model once, at its first leaf, with <c>Model</c> set (one object holds
    /// all its leaves' gradients or tangents).
    /// </summary>
    public IEnumerable<(int K, ModelLeafSpec? Model)> DerivativeArguments(GradientSpec gradient)
    {
        var models = new HashSet<string>();
        for (int k = 0; k < gradient.Wrt.Count; k++)
        {
            if (Parameters[gradient.Wrt[k]].Leaf is not { } leaf)
            {
                yield return (k, null);
            }
            else if (models.Add(leaf.GradientArgument))
            {
                yield return (k, leaf);
            }
        }
    }
}
