using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emission;

/// <summary>
/// The code around a method body that reads leaves of a collection of layers (<see cref="PackedLeafSpec"/>): the
/// layers' buffers packed into pooled arrays before the body, the gradient or tangent object's layers checked and
/// packed alike, and after the body the packed gradient added into each layer's buffer and the arrays returned.
/// </summary>
internal static class PackedLeafWriter
{
    /// <summary>
    /// <c>{Offsets}</c> (layer l's values are <c>[Offsets[l], Offsets[l + 1])</c>) and the packed values, a
    /// <c>ReadOnlySpan</c> named like the leaf's local, each in a pooled array.
    /// </summary>
    public static void WriteValues(SourceWriter writer, ParameterSpec leaf)
    {
        PackedLeafSpec p = leaf.Packed!;
        string i = p.Index;
        string count = p.Collection + "." + p.Count;
        string offsets = p.Buffer(p.Offsets);
        writer.WriteLine($"int[] {offsets} = {KnownTypeNames.ArrayPool}<int>.Shared.Rent({count} + 1);");
        writer.WriteLine($"{offsets}[0] = 0;");
        writer.OpenBlock($"for (int {i} = 0; {i} < {count}; {i}++)");
        writer.WriteLine($"{offsets}[{i} + 1] = {offsets}[{i}] + {Member(p.Collection, i, p.Value)}.Length;");
        writer.CloseBlock();

        writer.WriteLine($"global::System.ReadOnlySpan<int> {p.Offsets} = new({offsets}, 0, {count} + 1);");
        WritePacked(writer, p, leaf.Type.ElementKeyword, p.Collection, p.Value, leaf.Name, "ReadOnlySpan");
    }

    /// <summary>
    /// The gradient (<paramref name="tangents"/> false: a zeroed <c>Span</c> the body adds into) or tangent (the tangent
    /// object's layers packed, a <c>ReadOnlySpan</c>) of a packed leaf, after checking the object's layers: as many as the
    /// model's, each buffer of its layer's length (the messages name the path, <c>dmodel.Layers[2].W</c>).
    /// </summary>
    public static void WriteDerivative(SourceWriter writer, ParameterSpec leaf, ModelLeafSpec where, string name, bool tangents, HashSet<string> countsChecked)
    {
        PackedLeafSpec p = leaf.Packed!;
        string i = p.Index;
        string count = p.Collection + "." + p.Count;
        string other = p.GradientCollection + "." + p.Count;
        string guard = KnownTypeNames.GradientGuard;
        if (countsChecked.Add(p.GradientCollection))
        {
            writer.WriteLine($"if ({other} != {count}) {guard}.ThrowCountMismatch(\"{p.GradientCollection}\", \"{p.Collection}\", {count}, {other});");
        }

        string length = $"{p.Offsets}[{i} + 1] - {p.Offsets}[{i}]";
        string buffer = Member(p.GradientCollection, i, p.Gradient);
        string path = p.Path.Length == 0 ? string.Empty : "." + p.Path;
        writer.OpenBlock($"for (int {i} = 0; {i} < {count}; {i}++)");
        writer.WriteLine($"if ({buffer}.Length != {length}) {guard}.ThrowLengthMismatch($\"{p.GradientCollection}[{{{i}}}]{path}\", $\"{p.Collection}[{{{i}}}]{path}\", {length}, {buffer}.Length);");
        writer.CloseBlock();

        if (tangents)
        {
            WritePacked(writer, p, leaf.Type.ElementKeyword, p.GradientCollection, p.Gradient, name, "ReadOnlySpan");
            return;
        }

        string element = leaf.Type.ElementKeyword;
        string total = $"{p.Offsets}[{count}]";
        writer.WriteLine($"{element}[] {p.Buffer(name)} = {KnownTypeNames.ArrayPool}<{element}>.Shared.Rent({total});");
        writer.WriteLine($"global::System.Span<{element}> {name} = new({p.Buffer(name)}, 0, {total});");
        writer.WriteLine($"{name}.Clear();");
    }

    /// <summary>After the body: each layer's share of the packed gradient added into its buffer (when <paramref name="gradients"/>), the pooled arrays returned.</summary>
    public static void WriteEpilogue(SourceWriter writer, DifferentiableMethodSpec spec, IReadOnlyList<(ParameterSpec Leaf, string Name)> derivatives, bool gradients)
    {
        foreach ((ParameterSpec leaf, string name) in derivatives)
        {
            PackedLeafSpec p = leaf.Packed!;
            string i = p.Index;
            if (gradients)
            {
                string buffer = Member(p.GradientCollection, i, p.Gradient);
                writer.OpenBlock($"for (int {i} = 0; {i} < {p.Collection}.{p.Count}; {i}++)");
                string element = leaf.Type.ElementKeyword;
                string slice = $"{name}.Slice({p.Offsets}[{i}], {p.Offsets}[{i} + 1] - {p.Offsets}[{i}])";
                writer.WriteLine($"{KnownTypeNames.TensorPrimitives}.Add(new global::System.ReadOnlySpan<{element}>({buffer}), (global::System.ReadOnlySpan<{element}>){slice}, new global::System.Span<{element}>({buffer}));");
                writer.CloseBlock();
            }

            writer.WriteLine($"{KnownTypeNames.ArrayPool}<{leaf.Type.ElementKeyword}>.Shared.Return({p.Buffer(name)});");
        }

        foreach (ParameterSpec leaf in spec.Parameters.Where(l => l.Packed is not null && !l.IsOffsets))
        {
            writer.WriteLine($"{KnownTypeNames.ArrayPool}<{leaf.Type.ElementKeyword}>.Shared.Return({leaf.Packed!.Buffer(leaf.Name)});");
            writer.WriteLine($"{KnownTypeNames.ArrayPool}<int>.Shared.Return({leaf.Packed.Buffer(leaf.Packed.Offsets)});");
        }
    }

    /// <summary>Layer <paramref name="i"/>'s buffer: <c>model.Layers[i].W.ValueArray</c>, or the row itself (<c>w[i]</c>) when the chain is empty.</summary>
    private static string Member(string collection, string i, string chain) =>
        chain.Length == 0 ? $"{collection}[{i}]" : $"{collection}[{i}].{chain}";

    /// <summary>The layers' buffers <c>{collection}[l].{chain}</c> copied back to back into a pooled array, as a span named <paramref name="name"/>.</summary>
    private static void WritePacked(SourceWriter writer, PackedLeafSpec p, string element, string collection, string chain, string name, string span)
    {
        string i = p.Index;
        string total = $"{p.Offsets}[{p.Offsets}.Length - 1]";
        writer.WriteLine($"{element}[] {p.Buffer(name)} = {KnownTypeNames.ArrayPool}<{element}>.Shared.Rent({total});");
        writer.OpenBlock($"for (int {i} = 0; {i} < {p.Offsets}.Length - 1; {i}++)");
        writer.WriteLine($"global::System.MemoryExtensions.CopyTo({Member(collection, i, chain)}, global::System.MemoryExtensions.AsSpan({p.Buffer(name)}, {p.Offsets}[{i}]));");
        writer.CloseBlock();
        writer.WriteLine($"global::System.{span}<{element}> {name} = new({p.Buffer(name)}, 0, {total});");
    }
}
