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
        foreach (Stmt statement in pushforward.Body)
        {
            StmtPrinter.Write(writer, statement);
        }

        writer.CloseBlock();
    }

    public static IEnumerable<string> Parameters(DifferentiableMethodSpec spec, GeneratedPushforward pushforward)
    {
        foreach (ParameterSpec p in spec.Parameters)
        {
            yield return p.Type.CSharp + " " + p.Name;
        }

        for (int k = 0; k < pushforward.Gradient.Wrt.Count; k++)
        {
            TypeRef type = spec.Parameters[pushforward.Gradient.Wrt[k]].Type;
            yield return (type.IsScalar ? type.CSharp : "global::System.ReadOnlySpan<" + type.ElementKeyword + ">") + " " + pushforward.TangentParameterNames[k];
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
}
