using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Emission;

/// <summary>
/// Writes the Jacobian drivers of a vector result (an [Output] span): the dense <c>FJacobian(p…, Span&lt;T&gt; jacobian)</c>
/// runs n pushforwards (one per column) when n ≤ m, else m pullbacks (one per row) — or, when the reverse sweep can be
/// replayed (<see cref="Differentiation.Sweeps.JacobianRows"/>), one forward sweep and m reverse sweeps; the sparse form runs one
/// pushforward per colour of the user's <c>SparsityPattern</c>. Seeds and results live in pooled buffers.
/// </summary>
internal static class JacobianWriter
{
    public static void Write(SourceWriter writer, DifferentiableMethodSpec spec, GradientSpec gradient, GeneratedRows? rows)
    {
        WriteDense(writer, spec, gradient, rows);
        writer.WriteLine();
        WriteSparse(writer, spec, gradient);
    }

    private static void WriteDense(SourceWriter writer, DifferentiableMethodSpec spec, GradientSpec gradient, GeneratedRows? rows)
    {
        var locals = new Locals(spec, gradient);
        string jacobian = locals.Names.Unique("jacobian");
        string row = locals.Names.Unique("row");
        writer.WriteLine($"/// <summary>Computes <see cref=\"{spec.MethodName}\"/> into {locals.Output} and writes its Jacobian with respect to {locals.WrtList} into {jacobian} (row-major, {locals.Output}.Length × n, n the differentiated elements): n pushforwards when n ≤ m, else {(rows is null ? "m pullbacks" : "one forward sweep and m reverse sweeps")}.</summary>");
        Emitter.WriteAttributes(writer, spec);
        writer.OpenBlock($"{spec.Accessibility} {Emitter.Static(spec)}void {GeneratedNames.Jacobian(gradient.Stem)}({locals.Parameters}, global::System.Span<{locals.Keyword}> {jacobian})");
        locals.WriteCounts(writer);
        writer.WriteLine($"{KnownTypeNames.DerivativeDrivers}.CheckLength({jacobian}.Length, {locals.Rows} * {locals.Count}, \"{jacobian}\", \"outputs × differentiated elements\");");
        if (rows is not null)
        {
            // The rows share one forward sweep and need no seed buffers.
            writer.OpenBlock($"if ({locals.Count} > {locals.Rows})");
            writer.WriteLine($"{rows.Name}({string.Join(", ", spec.Parameters.Select(p => p.Name))}, {jacobian});");
            writer.WriteLine("return;");
            writer.CloseBlock();
        }

        locals.WriteBuffers(writer);
        if (rows is null)
        {
            writer.OpenBlock($"if ({locals.Count} <= {locals.Rows})");
        }

        writer.WriteLine($"{spec.MethodName}({string.Join(", ", spec.Parameters.Select(p => p.Name))});");
        for (int m = 0; m < locals.Wrt.Count; m++)
        {
            string j = locals.Names.Unique("j");
            bool scalar = locals.Wrt[m].Type.IsScalar;
            writer.OpenBlock(scalar ? null : $"for (int {j} = 0; {j} < {locals.Wrt[m].Name}.Length; {j}++)");
            string element = scalar ? locals.Seeds[m] : locals.Seeds[m] + "[" + j + "]";
            writer.WriteLine($"{element} = {locals.One};");
            locals.WritePushforward(writer);
            writer.WriteLine($"{element} = {locals.Zero};");
            writer.WriteLine($"{KnownTypeNames.DerivativeDrivers}.StoreColumn<{locals.Keyword}>({locals.OutputSeed}, {jacobian}, {locals.Offsets[m]}{(scalar ? string.Empty : " + " + j)}, {locals.Count});");
            writer.CloseBlock();
        }

        if (rows is not null)
        {
            locals.WriteReturns(writer);
            writer.CloseBlock();
            return;
        }

        writer.CloseBlock();
        writer.OpenBlock("else");
        writer.OpenBlock($"for (int {row} = 0; {row} < {locals.Rows}; {row}++)");
        writer.WriteLine($"{locals.OutputSeed}[{row}] = {locals.One};");
        for (int m = 0; m < locals.Wrt.Count; m++)
        {
            writer.WriteLine(locals.Wrt[m].Type.IsScalar ? $"{locals.Seeds[m]} = {locals.Zero};" : $"{locals.Seeds[m]}.Clear();");
        }

        IEnumerable<string> args = spec.Parameters.Select(p => p.Name).Append(locals.OutputSeed)
            .Concat(locals.Wrt.Select((p, m) => p.Type.IsScalar ? "ref " + locals.Seeds[m] : locals.Seeds[m]));
        writer.WriteLine($"{gradient.PullbackName}({string.Join(", ", args)});");
        writer.WriteLine($"{locals.OutputSeed}[{row}] = {locals.Zero};");
        for (int m = 0; m < locals.Wrt.Count; m++)
        {
            writer.WriteLine(locals.Wrt[m].Type.IsScalar
                ? $"{jacobian}[({row} * {locals.Count}) + {locals.Offsets[m]}] = {locals.Seeds[m]};"
                : $"{KnownTypeNames.DerivativeDrivers}.StoreRow<{locals.Keyword}>({locals.Seeds[m]}, {jacobian}, {row}, {locals.Count}, {locals.Offsets[m]});");
        }

        writer.CloseBlock();
        writer.CloseBlock();
        locals.WriteReturns(writer);
        writer.CloseBlock();
    }

    private static void WriteSparse(SourceWriter writer, DifferentiableMethodSpec spec, GradientSpec gradient)
    {
        var locals = new Locals(spec, gradient);
        string pattern = locals.Names.Unique("sparsity");
        string values = locals.Names.Unique("values");
        string color = locals.Names.Unique("color");
        writer.WriteLine($"/// <summary>Computes <see cref=\"{spec.MethodName}\"/> into {locals.Output} and writes the Jacobian entries {pattern} lists into {values} (entry k is values[k]), one pushforward per colour of the pattern (a superset of the Jacobian's nonzeros).</summary>");
        Emitter.WriteAttributes(writer, spec);
        writer.OpenBlock($"{spec.Accessibility} {Emitter.Static(spec)}void {GeneratedNames.Jacobian(gradient.Stem)}({locals.Parameters}, global::DiffGen.SparsityPattern {pattern}, global::System.Span<{locals.Keyword}> {values})");
        locals.WriteCounts(writer);
        writer.WriteLine($"{KnownTypeNames.DerivativeDrivers}.CheckPattern({pattern}, {locals.Rows}, {locals.Count}, {values}.Length, \"{values}\");");
        locals.WriteBuffers(writer);
        writer.WriteLine($"{spec.MethodName}({string.Join(", ", spec.Parameters.Select(p => p.Name))});");
        writer.OpenBlock($"for (int {color} = 0; {color} < {pattern}.ColorCount; {color}++)");
        for (int m = 0; m < locals.Wrt.Count; m++)
        {
            if (locals.Wrt[m].Type.IsScalar)
            {
                writer.WriteLine($"{locals.Seeds[m]} = {KnownTypeNames.DerivativeDrivers}.ScalarSeed<{locals.Keyword}>({pattern}, {color}, {locals.Offsets[m]});");
            }
            else
            {
                writer.WriteLine($"{locals.Seeds[m]}.Clear();");
                writer.WriteLine($"{KnownTypeNames.DerivativeDrivers}.SeedColor<{locals.Keyword}>({pattern}, {color}, {locals.Offsets[m]}, {locals.Seeds[m]}, {locals.One});");
            }
        }

        locals.WritePushforward(writer);
        writer.WriteLine($"{KnownTypeNames.DerivativeDrivers}.ScatterColor<{locals.Keyword}>({pattern}, {color}, {locals.OutputSeed}, {values});");
        writer.CloseBlock();
        locals.WriteReturns(writer);
        writer.CloseBlock();
    }

    /// <summary>One seed per wrt parameter (a local for a scalar, a pooled buffer for a vector), the output's seed, offsets and counts.</summary>
    private sealed class Locals
    {
        private readonly DifferentiableMethodSpec _spec;
        private readonly GradientSpec _gradient;
        private readonly List<string> _buffers = new();

        public Locals(DifferentiableMethodSpec spec, GradientSpec gradient)
        {
            _spec = spec;
            _gradient = gradient;
            Names = new NameTable(spec.ReservedNames);
            Wrt = gradient.Wrt.Select(i => spec.Parameters[i]).ToList();
            Output = spec.Parameters[spec.Output].Name;
            Keyword = spec.Parameters[spec.Output].Type.ElementKeyword;
            Seeds = Wrt.Select(p => Names.Unique("seed" + char.ToUpperInvariant(p.Name[0]) + p.Name.Substring(1))).ToList();
            OutputSeed = Names.Unique("seed" + char.ToUpperInvariant(Output[0]) + Output.Substring(1));
            Offsets = Wrt.Select(p => Names.Unique("offset" + char.ToUpperInvariant(p.Name[0]) + p.Name.Substring(1))).ToList();
            Count = Names.Unique("n");
            Rows = Names.Unique("m");
        }

        public NameTable Names { get; }

        public List<ParameterSpec> Wrt { get; }

        public string Output { get; }

        public string Keyword { get; }

        public List<string> Seeds { get; }

        public string OutputSeed { get; }

        public List<string> Offsets { get; }

        public string Count { get; }

        public string Rows { get; }

        public string One => Keyword == "float" ? "1f" : "1.0";

        public string Zero => Keyword == "float" ? "0f" : "0.0";

        public string WrtList => string.Join(", ", Wrt.Select(p => p.Name));

        public string Parameters => string.Join(", ", _spec.Parameters.Select(p => p.Type.CSharp + " " + p.Name));

        public void WriteCounts(SourceWriter writer)
        {
            string offset = "0";
            for (int m = 0; m < Wrt.Count; m++)
            {
                writer.WriteLine($"int {Offsets[m]} = {offset};");
                offset = Wrt[m].Type.IsScalar ? Offsets[m] + " + 1" : Offsets[m] + " + " + Wrt[m].Name + ".Length";
            }

            writer.WriteLine($"int {Count} = {offset};");
            writer.WriteLine($"int {Rows} = {Output}.Length;");
        }

        public void WriteBuffers(SourceWriter writer)
        {
            for (int m = 0; m < Wrt.Count; m++)
            {
                if (Wrt[m].Type.IsScalar)
                {
                    writer.WriteLine($"{Keyword} {Seeds[m]} = {Zero};");
                }
                else
                {
                    Rent(writer, Seeds[m], Wrt[m].Name + ".Length");
                }
            }

            Rent(writer, OutputSeed, Rows);
        }

        /// <summary>The pushforward with the seeds as tangents, writing the output's tangent into the output seed.</summary>
        public void WritePushforward(SourceWriter writer)
        {
            IEnumerable<string> args = _spec.Parameters.Select(p => p.Name).Concat(Seeds).Append(OutputSeed);
            writer.WriteLine($"{GeneratedNames.Pushforward(_gradient.Stem)}({string.Join(", ", args)});");
        }

        public void WriteReturns(SourceWriter writer)
        {
            foreach (string buffer in _buffers)
            {
                writer.WriteLine($"{KnownTypeNames.ArrayPool}<{Keyword}>.Shared.Return({buffer});");
            }
        }

        private void Rent(SourceWriter writer, string span, string length)
        {
            string buffer = Names.Unique(span + "Buffer");
            _buffers.Add(buffer);
            writer.WriteLine($"{Keyword}[] {buffer} = {KnownTypeNames.ArrayPool}<{Keyword}>.Shared.Rent({length});");
            writer.WriteLine($"global::System.Span<{Keyword}> {span} = new global::System.Span<{Keyword}>({buffer}, 0, {length});");
            writer.WriteLine($"{span}.Clear();");
        }
    }
}
