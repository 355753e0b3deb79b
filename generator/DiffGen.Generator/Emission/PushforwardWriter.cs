using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emission;

/// <summary>Writes a pushforward: <c>T FPushforward(p…, tangents…, out T tangent)</c>, or for a vector result <c>void FPushforward(p…, tangents…, Span&lt;T&gt; dy)</c>.</summary>
internal static class PushforwardWriter
{
    public static void Write(SourceWriter writer, DifferentiableMethodSpec spec, GeneratedPushforward pushforward)
    {
        GradientSpec gradient = pushforward.Gradient;
        string wrt = string.Join(", ", gradient.Wrt.Select(i => spec.Parameters[i].Name));
        string tangents = string.Join(", ", pushforward.TangentParameterNames);
        if (spec.IsVectorValued)
        {
            string output = spec.Parameters[spec.Output].Name;
            writer.WriteLine($"/// <summary>Computes <see cref=\"{spec.MethodName}\"/> into {output} and writes into {pushforward.OutputTangentName} its Jacobian with respect to {wrt} times the tangents {tangents} (an empty tangent is zero).</summary>");
        }
        else
        {
            writer.WriteLine($"/// <summary>Computes <see cref=\"{spec.MethodName}\"/> and sets {pushforward.ResultTangentName} to its directional derivative along the tangents {tangents} of {wrt} (an empty tangent is zero).</summary>");
            writer.WriteLine("/// <returns>The value of <see cref=\"" + spec.MethodName + "\"/> at the given arguments.</returns>");
        }

        Emitter.WriteAttributes(writer, spec);
        string returnType = spec.IsVectorValued ? "void" : spec.ReturnType.CSharp;
        writer.OpenBlock($"{spec.Accessibility} {Emitter.Static(spec)}{returnType} {GeneratedNames.Pushforward(gradient.Stem)}({string.Join(", ", Parameters(spec, pushforward))})");
        Emitter.WriteMemberInputs(writer, spec, gradient, pushforward.TangentParameterNames, tangents: true);
        Emitter.WriteBody(writer, spec, pushforward.Body, Emitter.PackedDerivatives(spec, gradient, pushforward.TangentParameterNames), gradients: false);

        writer.CloseBlock();
    }

    public static IEnumerable<string> Parameters(DifferentiableMethodSpec spec, GeneratedPushforward pushforward)
    {
        foreach (ParameterSpec p in spec.Parameters.Where(p => !p.IsMember))
        {
            yield return p.Type.CSharp + " " + p.Name;
        }

        // One tangent per differentiated parameter or member, and one per model (an object of its type whose buffers
        // hold the tangent: an array leaf's array, a Parameter<T>'s Grad), passed by value: a tangent is only read.
        foreach ((int k, ModelLeafSpec? model) in spec.DerivativeArguments(pushforward.Gradient))
        {
            TypeRef type = spec.Parameters[pushforward.Gradient.Wrt[k]].Type;
            yield return model is not null
                ? TangentType(model) + " " + model.GradientArgument
                : (type.IsScalar ? type.CSharp : "global::System.ReadOnlySpan<" + type.ElementKeyword + ">") + " " + pushforward.TangentParameterNames[k];
        }

        if (spec.IsVectorValued)
        {
            yield return "global::System.Span<" + spec.Parameters[spec.Output].Type.ElementKeyword + "> " + pushforward.OutputTangentName;
        }
        else
        {
            yield return "out " + spec.ReturnType.CSharp + " " + pushforward.ResultTangentName;
        }
    }

    /// <summary>A model's tangent argument: its type (a span of structs read-only).</summary>
    private static string TangentType(ModelLeafSpec leaf) =>
        leaf.ModelType.StartsWith("global::System.Span<", System.StringComparison.Ordinal)
            ? "global::System.ReadOnlySpan<" + leaf.ModelType.Substring("global::System.Span<".Length)
            : leaf.ModelType;
}
