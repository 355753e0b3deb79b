using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Emission;

/// <summary>
/// Writes the helpers a nested call lowers to (docs/forward-and-second-order.md §5) for the spec <c>Derivatives.Nested</c>
/// adds (every real parameter differentiated, all scalars). Each helper is a scalar function of the inputs whose value
/// is computed by the user's own derivative (so an outer derivative returns the user's value bit for bit) and whose
/// pullback and pushforward are one Hessian-vector product H·v (plus a gradient where the derivative is also linear in
/// a seed or tangent): H is symmetric, so the adjoint of ∂F/∂p_k is column k of H. Scalars only: nothing is allocated.
/// </summary>
internal static class NestedWriter
{
    public static void Write(SourceWriter writer, DifferentiableMethodSpec spec, GradientSpec nested)
    {
        var helper = new Helpers(spec, nested);
        if (helper.Own.Has(DerivativeForms.Reverse))
        {
            helper.WritePartial(writer);
            writer.WriteLine();
            helper.WriteSeededPartial(writer);
        }

        if (helper.Own.Has(DerivativeForms.Forward))
        {
            if (helper.Own.Has(DerivativeForms.Reverse))
            {
                writer.WriteLine();
            }

            helper.WriteTangent(writer);
        }
    }

    private sealed class Helpers
    {
        private readonly DifferentiableMethodSpec _spec;
        private readonly GradientSpec _nested;
        private readonly string _t;

        /// <summary>Every real parameter (the nested spec's wrt) and the user's wrt, as ordinals.</summary>
        private readonly List<int> _all;
        private readonly List<int> _wrt;

        public Helpers(DifferentiableMethodSpec spec, GradientSpec nested)
        {
            _spec = spec;
            _nested = nested;
            Own = nested.NestedFor!;
            _t = spec.ReturnType.CSharp;
            _all = nested.Wrt.ToList();
            _wrt = Own.Wrt.ToList();
        }

        /// <summary>The user's attribute: its gradient, pullback and pushforward compute the helpers' values.</summary>
        public GradientSpec Own { get; }

        private string Inputs => string.Join(", ", _spec.Parameters.Select(p => p.Type.CSharp + " " + p.Name));

        private string Primal => string.Join(", ", _spec.Parameters.Select(p => p.Name));

        private string Zero => _spec.ReturnType.Element == ElementKind.Float ? "0f" : "0.0";

        private string Product => GeneratedNames.HessianVectorProduct(_nested.Stem);

        private string PartialName => NestedNames.Partial(_nested.Stem);

        /// <summary><c>T FNestedPartial(p…, int parameter)</c>: component <c>parameter</c> (an ordinal) of <c>FGradient</c>.</summary>
        public void WritePartial(SourceWriter writer)
        {
            var names = new NameTable(_spec.ReservedNames);
            string parameter = names.Unique("parameter");
            List<string> gradient = Locals(names, _wrt, "d");
            Summary(writer, $"The partial derivative of <see cref=\"{_spec.MethodName}\"/> with respect to the parameter whose ordinal is {parameter}, as <see cref=\"{Own.GradientName}\"/> computes it");
            writer.OpenBlock($"{Head(PartialName)}({Inputs}, int {parameter})");
            Zeros(writer, gradient);
            writer.WriteLine($"{Own.GradientName}({Primal}, {Refs(gradient)});");
            writer.WriteLine($"return {Select(parameter, _wrt, gradient)};");
            writer.CloseBlock();

            writer.WriteLine();
            names = new NameTable(_spec.ReservedNames);
            parameter = names.Unique("parameter");
            string seed = names.Unique("seed");
            List<string> adjoints = Locals(names, _all, "d");
            Summary(writer, $"Adds {seed} times the gradient of <see cref=\"{PartialName}\"/> into {string.Join(", ", adjoints)}: column {parameter} of the Hessian");
            writer.OpenBlock($"{Head(NestedNames.PullbackOf(PartialName), "void")}({Inputs}, int {parameter}, {_t} {seed}, {RefParameters(adjoints)})");
            writer.WriteLine($"{Product}({Primal}, {string.Join(", ", _all.Select(r => $"{parameter} == {r} ? {seed} : {Zero}"))}, {Refs(adjoints)});");
            writer.CloseBlock();

            writer.WriteLine();
            names = new NameTable(_spec.ReservedNames);
            parameter = names.Unique("parameter");
            List<string> tangents = Locals(names, _all, "d");
            string tangent = names.Unique("tangent");
            List<string> products = Locals(names, _all, "h");
            Summary(writer, $"Returns <see cref=\"{PartialName}\"/> and sets {tangent} to its derivative along {string.Join(", ", tangents)}: row {parameter} of the Hessian times them");
            writer.OpenBlock($"{Head(NestedNames.PushforwardOf(PartialName))}({Inputs}, int {parameter}, {Parameters(tangents)}, out {_t} {tangent})");
            Zeros(writer, products);
            writer.WriteLine($"{Product}({Primal}, {string.Join(", ", tangents)}, {Refs(products)});");
            writer.WriteLine($"{tangent} = {Select(parameter, _all, products)};");
            writer.WriteLine($"return {PartialName}({Primal}, {parameter});");
            writer.CloseBlock();
        }

        /// <summary><c>T FNestedSeededPartial(p…, T seed, int parameter)</c>: component <c>parameter</c> of what <c>FPullback</c> adds.</summary>
        public void WriteSeededPartial(SourceWriter writer)
        {
            string name = NestedNames.SeededPartial(_nested.Stem);
            var names = new NameTable(_spec.ReservedNames);
            string seed = names.Unique("seed");
            string parameter = names.Unique("parameter");
            List<string> gradient = Locals(names, _wrt, "d");
            Summary(writer, $"{seed} times the partial derivative of <see cref=\"{_spec.MethodName}\"/> with respect to the parameter whose ordinal is {parameter}, as <see cref=\"{Own.PullbackName}\"/> computes it");
            writer.OpenBlock($"{Head(name)}({Inputs}, {_t} {seed}, int {parameter})");
            Zeros(writer, gradient);
            writer.WriteLine($"{Own.PullbackName}({Primal}, {seed}, {Refs(gradient)});");
            writer.WriteLine($"return {Select(parameter, _wrt, gradient)};");
            writer.CloseBlock();

            writer.WriteLine();
            names = new NameTable(_spec.ReservedNames);
            seed = names.Unique("seed");
            parameter = names.Unique("parameter");
            string adjoint = names.Unique("adjoint");
            List<string> adjoints = Locals(names, _all, "d");
            string seedAdjoint = names.Unique("dseed");
            Summary(writer, $"Adds {adjoint} times the gradient of <see cref=\"{name}\"/> into {string.Join(", ", adjoints)} and {seedAdjoint}");
            writer.OpenBlock($"{Head(NestedNames.PullbackOf(name), "void")}({Inputs}, {_t} {seed}, int {parameter}, {_t} {adjoint}, {RefParameters(adjoints)}, ref {_t} {seedAdjoint})");
            writer.WriteLine($"{Product}({Primal}, {string.Join(", ", _all.Select(r => $"{parameter} == {r} ? {adjoint} * {seed} : {Zero}"))}, {Refs(adjoints)});");
            writer.WriteLine($"{seedAdjoint} += {adjoint} * {PartialName}({Primal}, {parameter});");
            writer.CloseBlock();

            writer.WriteLine();
            names = new NameTable(_spec.ReservedNames);
            seed = names.Unique("seed");
            parameter = names.Unique("parameter");
            List<string> tangents = Locals(names, _all, "d");
            string seedTangent = names.Unique("dseed");
            string tangent = names.Unique("tangent");
            List<string> products = Locals(names, _all, "h");
            Summary(writer, $"Returns <see cref=\"{name}\"/> and sets {tangent} to its derivative along {string.Join(", ", tangents)} and {seedTangent}");
            writer.OpenBlock($"{Head(NestedNames.PushforwardOf(name))}({Inputs}, {_t} {seed}, int {parameter}, {Parameters(tangents)}, {_t} {seedTangent}, out {_t} {tangent})");
            Zeros(writer, products);
            writer.WriteLine($"{Product}({Primal}, {string.Join(", ", tangents)}, {Refs(products)});");
            writer.WriteLine($"{tangent} = ({seed} * {Select(parameter, _all, products)}) + ({seedTangent} * {PartialName}({Primal}, {parameter}));");
            writer.WriteLine($"return {name}({Primal}, {seed}, {parameter});");
            writer.CloseBlock();
        }

        /// <summary><c>T FNestedTangent(p…, dw…)</c>: the tangent <c>FPushforward</c> computes along dw (per wrt parameter).</summary>
        public void WriteTangent(SourceWriter writer)
        {
            string name = NestedNames.Tangent(_nested.Stem);
            string gradientName = _nested.GradientName;
            var names = new NameTable(_spec.ReservedNames);
            List<string> directions = Locals(names, _wrt, "d");
            string tangent = names.Unique("tangent");
            Summary(writer, $"The directional derivative of <see cref=\"{_spec.MethodName}\"/> along {string.Join(", ", directions)}, as <see cref=\"{GeneratedNames.Pushforward(Own.Stem)}\"/> computes it");
            writer.OpenBlock($"{Head(name)}({Inputs}, {Parameters(directions)})");
            writer.WriteLine($"{GeneratedNames.Pushforward(Own.Stem)}({Primal}, {string.Join(", ", directions)}, out {_t} {tangent});");
            writer.WriteLine($"return {tangent};");
            writer.CloseBlock();

            // H·(the direction placed at the wrt parameters), and the gradient: the tangent is linear in the direction.
            writer.WriteLine();
            names = new NameTable(_spec.ReservedNames);
            directions = Locals(names, _wrt, "d");
            string adjoint = names.Unique("adjoint");
            List<string> adjoints = Locals(names, _all, "d");
            List<string> directionAdjoints = directions.Select(d => names.Unique("d" + d)).ToList();
            List<string> gradient = Locals(names, _all, "g");
            Summary(writer, $"Adds {adjoint} times the gradient of <see cref=\"{name}\"/> into {string.Join(", ", adjoints.Concat(directionAdjoints))}");
            writer.OpenBlock($"{Head(NestedNames.PullbackOf(name), "void")}({Inputs}, {Parameters(directions)}, {_t} {adjoint}, {RefParameters(adjoints)}, {RefParameters(directionAdjoints)})");
            writer.WriteLine($"{Product}({Primal}, {string.Join(", ", _all.Select(r => _wrt.IndexOf(r) is var k and >= 0 ? $"{adjoint} * {directions[k]}" : Zero))}, {Refs(adjoints)});");
            Zeros(writer, gradient);
            writer.WriteLine($"{gradientName}({Primal}, {Refs(gradient)});");
            for (int k = 0; k < _wrt.Count; k++)
            {
                writer.WriteLine($"{directionAdjoints[k]} += {adjoint} * {gradient[_all.IndexOf(_wrt[k])]};");
            }

            writer.CloseBlock();

            writer.WriteLine();
            names = new NameTable(_spec.ReservedNames);
            directions = Locals(names, _wrt, "d");
            List<string> tangents = Locals(names, _all, "d");
            List<string> directionTangents = directions.Select(d => names.Unique("d" + d)).ToList();
            tangent = names.Unique("tangent");
            List<string> products = Locals(names, _all, "h");
            gradient = Locals(names, _all, "g");
            Summary(writer, $"Returns <see cref=\"{name}\"/> and sets {tangent} to its derivative along {string.Join(", ", tangents.Concat(directionTangents))}");
            writer.OpenBlock($"{Head(NestedNames.PushforwardOf(name))}({Inputs}, {Parameters(directions)}, {Parameters(tangents)}, {Parameters(directionTangents)}, out {_t} {tangent})");
            Zeros(writer, products.Concat(gradient));
            writer.WriteLine($"{Product}({Primal}, {string.Join(", ", tangents)}, {Refs(products)});");
            writer.WriteLine($"{gradientName}({Primal}, {Refs(gradient)});");
            IEnumerable<string> terms = _wrt.Select((w, k) => $"({directions[k]} * {products[_all.IndexOf(w)]}) + ({directionTangents[k]} * {gradient[_all.IndexOf(w)]})");
            writer.WriteLine($"{tangent} = {string.Join(" + ", terms)};");
            writer.WriteLine($"return {name}({Primal}, {string.Join(", ", directions)});");
            writer.CloseBlock();
        }

        /// <summary><c>parameter switch { 0 => d0, … }</c> over the given ordinals; any other ordinal throws.</summary>
        private string Select(string parameter, List<int> ordinals, List<string> values) =>
            $"{parameter} switch {{ {string.Join(", ", ordinals.Select((o, k) => o + " => " + values[k]))}, _ => throw new global::System.ArgumentOutOfRangeException(nameof({parameter}), \"not the ordinal of a differentiated parameter of {_spec.MethodName}\") }}";

        private List<string> Locals(NameTable names, List<int> ordinals, string prefix) =>
            ordinals.Select(i => names.Unique(prefix + _spec.Parameters[i].Name)).ToList();

        private void Zeros(SourceWriter writer, IEnumerable<string> locals)
        {
            foreach (string local in locals)
            {
                writer.WriteLine($"{_t} {local} = {Zero};");
            }
        }

        private void Summary(SourceWriter writer, string text)
        {
            writer.WriteLine($"/// <summary>{text} (a helper for nested differentiation).</summary>");
            Emitter.WriteAttributes(writer, _spec);
        }

        private string Head(string name, string? returns = null) => $"{_spec.Accessibility} static {returns ?? _t} {name}";

        private string Parameters(IEnumerable<string> names) => string.Join(", ", names.Select(n => _t + " " + n));

        private string RefParameters(IEnumerable<string> names) => string.Join(", ", names.Select(n => "ref " + _t + " " + n));

        private static string Refs(IEnumerable<string> names) => string.Join(", ", names.Select(n => "ref " + n));
    }
}
