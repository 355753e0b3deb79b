using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Emission;

/// <summary>
/// Writes <c>FHessianVectorProduct</c> (generated IR) and the drivers built on it: <c>FHessian</c> (n products with
/// unit vectors) and <c>FHessianDiagonal</c> (dense, or one product per colour of a <c>SparsityPattern</c>).
/// </summary>
internal static class SecondOrderWriter
{
    public static void WriteProduct(SourceWriter writer, DifferentiableMethodSpec spec, GeneratedHessianVectorProduct product)
    {
        GradientSpec gradient = product.Gradient;
        string wrt = string.Join(", ", gradient.Wrt.Select(i => spec.Parameters[i].Name));
        string gradientPart = product.GradientNames is { } gradientNames ? $"its gradient into {string.Join(", ", gradientNames)} and " : string.Empty;
        writer.WriteLine($"/// <summary>Computes <see cref=\"{spec.MethodName}\"/> and adds {gradientPart}its Hessian with respect to {wrt} times the direction {string.Join(", ", product.DirectionNames)} into {string.Join(", ", product.ProductNames)} (an empty direction is zero).</summary>");
        writer.WriteLine("/// <returns>The value of <see cref=\"" + spec.MethodName + "\"/> at the given arguments.</returns>");
        Emitter.WriteAttributes(writer, spec);
        var parameters = spec.Parameters.Select(p => p.Type.CSharp + " " + p.Name).ToList();
        for (int k = 0; k < gradient.Wrt.Count; k++)
        {
            TypeRef type = spec.Parameters[gradient.Wrt[k]].Type;
            parameters.Add((type.IsScalar ? type.CSharp : "global::System.ReadOnlySpan<" + type.ElementKeyword + ">") + " " + product.DirectionNames[k]);
        }

        var added = product.GradientNames is { } names ? names.Concat(product.ProductNames).ToList() : product.ProductNames.ToList();
        for (int k = 0; k < added.Count; k++)
        {
            TypeRef type = spec.Parameters[gradient.Wrt[k % gradient.Wrt.Count]].Type;
            parameters.Add((type.IsScalar ? "ref " + type.CSharp : "global::System.Span<" + type.ElementKeyword + ">") + " " + added[k]);
        }

        string name = product.GradientNames is null ? GeneratedNames.HessianVectorProduct(gradient.Stem) : GeneratedNames.GradientAndHessianVectorProduct(gradient.Stem);
        writer.OpenBlock($"{spec.Accessibility} {Emitter.Static(spec)}{spec.ReturnType.CSharp} {name}({string.Join(", ", parameters)})");
        foreach (Stmt statement in product.Body)
        {
            StmtPrinter.Write(writer, statement);
        }

        writer.CloseBlock();
    }

    /// <summary><c>T FHessian(p…, Span&lt;T&gt; hessian)</c>: column j of the row-major n×n Hessian is H·eⱼ.</summary>
    public static void WriteHessian(SourceWriter writer, DifferentiableMethodSpec spec, GradientSpec gradient)
    {
        var drive = new DriverLocals(spec, gradient);
        string hessian = drive.Names.Unique("hessian");
        writer.WriteLine($"/// <summary>Computes <see cref=\"{spec.MethodName}\"/> and writes its Hessian with respect to {drive.WrtList} into {hessian} (row-major, n × n, n the number of differentiated elements).</summary>");
        writer.WriteLine("/// <returns>The value of <see cref=\"" + spec.MethodName + "\"/> at the given arguments.</returns>");
        Emitter.WriteAttributes(writer, spec);
        writer.OpenBlock($"{spec.Accessibility} {Emitter.Static(spec)}{spec.ReturnType.CSharp} {GeneratedNames.Hessian(gradient.Stem)}({drive.Parameters}, global::System.Span<{drive.Keyword}> {hessian})");
        drive.WriteSetup(writer);
        writer.WriteLine($"{KnownTypeNames.DerivativeDrivers}.CheckLength({hessian}.Length, {drive.Count} * {drive.Count}, \"{hessian}\", \"n × n, n the differentiated elements\");");
        drive.WriteUnitSweeps(writer, (w, k) =>
        {
            for (int m = 0; m < drive.Wrt.Count; m++)
            {
                writer.WriteLine(drive.Wrt[m].Type.IsScalar
                    ? $"{hessian}[({drive.Offsets[m]} * {drive.Count}) + {drive.Column}] = {drive.Products[m]};"
                    : $"{KnownTypeNames.DerivativeDrivers}.StoreColumn<{drive.Keyword}>({drive.Products[m]}, {hessian}.Slice({drive.Offsets[m]} * {drive.Count}), {drive.Column}, {drive.Count});");
            }
        });
        drive.WriteTeardown(writer);
        writer.CloseBlock();
    }

    /// <summary><c>T FHessianDiagonal(p…, Span&lt;T&gt; diagonal)</c> and the form with a <c>SparsityPattern</c> (one product per colour).</summary>
    public static void WriteDiagonal(SourceWriter writer, DifferentiableMethodSpec spec, GradientSpec gradient)
    {
        var drive = new DriverLocals(spec, gradient);
        string diagonal = drive.Names.Unique("diagonal");
        writer.WriteLine($"/// <summary>Computes <see cref=\"{spec.MethodName}\"/> and writes the diagonal of its Hessian with respect to {drive.WrtList} into {diagonal} (n Hessian-vector products).</summary>");
        writer.WriteLine("/// <returns>The value of <see cref=\"" + spec.MethodName + "\"/> at the given arguments.</returns>");
        Emitter.WriteAttributes(writer, spec);
        writer.OpenBlock($"{spec.Accessibility} {Emitter.Static(spec)}{spec.ReturnType.CSharp} {GeneratedNames.HessianDiagonal(gradient.Stem)}({drive.Parameters}, global::System.Span<{drive.Keyword}> {diagonal})");
        drive.WriteSetup(writer);
        writer.WriteLine($"{KnownTypeNames.DerivativeDrivers}.CheckLength({diagonal}.Length, {drive.Count}, \"{diagonal}\", \"n, the differentiated elements\");");
        drive.WriteUnitSweeps(writer, (m, j) =>
            writer.WriteLine($"{diagonal}[{drive.Column}] = {(drive.Wrt[m].Type.IsScalar ? drive.Products[m] : drive.Products[m] + "[" + j + "]")};"));
        drive.WriteTeardown(writer);
        writer.CloseBlock();

        writer.WriteLine();
        drive = new DriverLocals(spec, gradient);
        diagonal = drive.Names.Unique("diagonal");
        string pattern = drive.Names.Unique("sparsity");
        string color = drive.Names.Unique("color");
        writer.WriteLine($"/// <summary>Computes <see cref=\"{spec.MethodName}\"/> and writes the diagonal of its Hessian with respect to {drive.WrtList} into {diagonal}, one Hessian-vector product per colour of {pattern} (a superset of the Hessian's nonzeros, including the diagonal).</summary>");
        writer.WriteLine("/// <returns>The value of <see cref=\"" + spec.MethodName + "\"/> at the given arguments.</returns>");
        Emitter.WriteAttributes(writer, spec);
        writer.OpenBlock($"{spec.Accessibility} {Emitter.Static(spec)}{spec.ReturnType.CSharp} {GeneratedNames.HessianDiagonal(gradient.Stem)}({drive.Parameters}, global::DiffGen.SparsityPattern {pattern}, global::System.Span<{drive.Keyword}> {diagonal})");
        drive.WriteSetup(writer);
        writer.WriteLine($"{KnownTypeNames.DerivativeDrivers}.CheckDiagonalPattern({pattern}, {drive.Count});");
        writer.WriteLine($"{KnownTypeNames.DerivativeDrivers}.CheckLength({diagonal}.Length, {drive.Count}, \"{diagonal}\", \"n, the differentiated elements\");");
        writer.OpenBlock($"for (int {color} = 0; {color} < {pattern}.ColorCount; {color}++)");
        for (int m = 0; m < drive.Wrt.Count; m++)
        {
            if (drive.Wrt[m].Type.IsScalar)
            {
                writer.WriteLine($"{drive.Directions[m]} = {KnownTypeNames.DerivativeDrivers}.ScalarSeed<{drive.Keyword}>({pattern}, {color}, {drive.Offsets[m]});");
            }
            else
            {
                writer.WriteLine($"{drive.Directions[m]}.Clear();");
                writer.WriteLine($"{KnownTypeNames.DerivativeDrivers}.SeedColor<{drive.Keyword}>({pattern}, {color}, {drive.Offsets[m]}, {drive.Directions[m]}, {drive.One});");
            }
        }

        drive.WriteProductCall(writer);
        for (int m = 0; m < drive.Wrt.Count; m++)
        {
            writer.WriteLine(drive.Wrt[m].Type.IsScalar
                ? $"{KnownTypeNames.DerivativeDrivers}.GatherDiagonalScalar<{drive.Keyword}>({pattern}, {color}, {drive.Offsets[m]}, {drive.Products[m]}, {diagonal});"
                : $"{KnownTypeNames.DerivativeDrivers}.GatherDiagonal<{drive.Keyword}>({pattern}, {color}, {drive.Offsets[m]}, {drive.Products[m]}, {diagonal});");
        }

        writer.CloseBlock();
        drive.WriteTeardown(writer);
        writer.CloseBlock();
    }

    /// <summary>
    /// The locals of a driver over Hessian-vector products: one direction and one product per wrt parameter (a local
    /// for a scalar, a pooled buffer for a vector), each parameter's offset among the n columns, and the value.
    /// </summary>
    private sealed class DriverLocals
    {
        private readonly DifferentiableMethodSpec _spec;
        private readonly GradientSpec _gradient;
        private readonly List<string> _buffers = new();

        public DriverLocals(DifferentiableMethodSpec spec, GradientSpec gradient)
        {
            _spec = spec;
            _gradient = gradient;
            Names = new NameTable(spec.ReservedNames);
            Wrt = gradient.Wrt.Select(i => spec.Parameters[i]).ToList();
            Directions = Wrt.Select(p => Names.Unique("v" + p.Name)).ToList();
            Products = Wrt.Select(p => Names.Unique("hv" + p.Name)).ToList();
            Offsets = Wrt.Select(p => Names.Unique("offset" + char.ToUpperInvariant(p.Name[0]) + p.Name.Substring(1))).ToList();
            Count = Names.Unique("n");
            Column = Names.Unique("column");
            Value = Names.Unique("value");
            Keyword = spec.ReturnType.ElementKeyword;
        }

        public NameTable Names { get; }

        public List<ParameterSpec> Wrt { get; }

        public List<string> Directions { get; }

        public List<string> Products { get; }

        public List<string> Offsets { get; }

        public string Count { get; }

        public string Column { get; }

        public string Value { get; }

        public string Keyword { get; }

        public string One => _spec.ReturnType.Element == ElementKind.Float ? "1f" : "1.0";

        public string Zero => _spec.ReturnType.Element == ElementKind.Float ? "0f" : "0.0";

        public string WrtList => string.Join(", ", Wrt.Select(p => p.Name));

        public string Parameters => string.Join(", ", _spec.Parameters.Select(p => p.Type.CSharp + " " + p.Name));

        public void WriteSetup(SourceWriter writer)
        {
            string offset = "0";
            for (int m = 0; m < Wrt.Count; m++)
            {
                writer.WriteLine($"int {Offsets[m]} = {offset};");
                offset = Wrt[m].Type.IsScalar ? Offsets[m] + " + 1" : Offsets[m] + " + " + Wrt[m].Name + ".Length";
            }

            writer.WriteLine($"int {Count} = {offset};");
            for (int m = 0; m < Wrt.Count; m++)
            {
                if (Wrt[m].Type.IsScalar)
                {
                    writer.WriteLine($"{Keyword} {Directions[m]} = {Zero};");
                    writer.WriteLine($"{Keyword} {Products[m]} = {Zero};");
                    continue;
                }

                foreach (string span in new[] { Directions[m], Products[m] })
                {
                    string buffer = Names.Unique(span + "Buffer");
                    _buffers.Add(buffer);
                    writer.WriteLine($"{Keyword}[] {buffer} = {KnownTypeNames.ArrayPool}<{Keyword}>.Shared.Rent({Wrt[m].Name}.Length);");
                    writer.WriteLine($"global::System.Span<{Keyword}> {span} = new global::System.Span<{Keyword}>({buffer}, 0, {Wrt[m].Name}.Length);");
                    writer.WriteLine($"{span}.Clear();");
                }
            }

            writer.WriteLine($"{Keyword} {Value} = {_spec.MethodName}({string.Join(", ", _spec.Parameters.Select(p => p.Name))});");
        }

        /// <summary>One product per column with a unit direction; <paramref name="store"/> writes (parameter, element index expression).</summary>
        public void WriteUnitSweeps(SourceWriter writer, System.Action<int, string> store)
        {
            for (int m = 0; m < Wrt.Count; m++)
            {
                string j = Names.Unique("j");
                if (Wrt[m].Type.IsScalar)
                {
                    writer.OpenBlock();
                    writer.WriteLine($"int {Column} = {Offsets[m]};");
                    writer.WriteLine($"{Directions[m]} = {One};");
                    WriteProductCall(writer);
                    writer.WriteLine($"{Directions[m]} = {Zero};");
                    store(m, "0");
                    writer.CloseBlock();
                    continue;
                }

                writer.OpenBlock($"for (int {j} = 0; {j} < {Wrt[m].Name}.Length; {j}++)");
                writer.WriteLine($"int {Column} = {Offsets[m]} + {j};");
                writer.WriteLine($"{Directions[m]}[{j}] = {One};");
                WriteProductCall(writer);
                writer.WriteLine($"{Directions[m]}[{j}] = {Zero};");
                store(m, j);
                writer.CloseBlock();
            }
        }

        /// <summary>Clears the products and calls the Hessian-vector product.</summary>
        public void WriteProductCall(SourceWriter writer)
        {
            for (int m = 0; m < Wrt.Count; m++)
            {
                writer.WriteLine(Wrt[m].Type.IsScalar ? $"{Products[m]} = {Zero};" : $"{Products[m]}.Clear();");
            }

            IEnumerable<string> args = _spec.Parameters.Select(p => p.Name)
                .Concat(Directions)
                .Concat(Wrt.Select((p, m) => p.Type.IsScalar ? "ref " + Products[m] : Products[m]));
            writer.WriteLine($"{GeneratedNames.HessianVectorProduct(_gradient.Stem)}({string.Join(", ", args)});");
        }

        public void WriteTeardown(SourceWriter writer)
        {
            foreach (string buffer in _buffers)
            {
                writer.WriteLine($"{KnownTypeNames.ArrayPool}<{Keyword}>.Shared.Return({buffer});");
            }

            writer.WriteLine($"return {Value};");
        }
    }
}
