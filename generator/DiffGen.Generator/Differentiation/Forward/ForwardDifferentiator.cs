using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Differentiation.Cleanup;
using DiffGen.Generator.Differentiation.Preparation;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Forward;

/// <summary>
/// Forward mode of one [Differentiable] attribute: the pushforward <c>FPushforward(p…, tangents…, out tangent)</c>,
/// one sweep that interleaves the primal (unchanged, so the value is bit for bit the function's) with its tangent.
/// </summary>
internal static class ForwardDifferentiator
{
    public static ForwardResult Differentiate(DifferentiableMethodSpec spec, GradientSpec gradient)
    {
        try
        {
            return new ForwardResult(Build(spec, gradient), null);
        }
        catch (DifferentiationException failure)
        {
            return new ForwardResult(null, new DifferentiationFailure(failure.Kind, failure.Message));
        }
    }

    private static GeneratedPushforward Build(DifferentiableMethodSpec spec, GradientSpec gradient)
    {
        var names = new NameTable(spec.ReservedNames);
        List<ParameterSpec> wrt = gradient.Wrt.Select(i => spec.Parameters[i]).ToList();
        var tangentNames = wrt.Select(p => names.Unique("d" + p.Name)).ToList();
        string? outputTangent = spec.IsVectorValued ? names.Unique("d" + spec.Parameters[spec.Output].Name) : null;
        string resultTangent = names.Unique("tangent");

        (Block body, string result) = ControlFlowNormalizer.Normalize(spec.Body, spec.ReturnType, names);
        var preset = new Dictionary<string, string>();
        for (int k = 0; k < wrt.Count; k++)
        {
            preset[wrt[k].Name] = tangentNames[k];
        }

        if (outputTangent is not null)
        {
            preset[spec.Parameters[spec.Output].Name] = outputTangent;
        }

        var scope = new TangentScope(body, spec.Parameters, preset, names, "d", string.Empty);
        var pass = new ForwardPass(scope, new ForwardCalls());

        var code = new List<Stmt>();
        var epilogue = new List<Stmt>();
        for (int k = 0; k < wrt.Count; k++)
        {
            if (wrt[k].Type.IsVector)
            {
                code.Add(ZeroIfEmpty(wrt[k].Type, tangentNames[k], wrt[k].Name, names, epilogue));
            }
        }

        if (outputTangent is not null)
        {
            // The output's tangent is written whole: elements the body leaves alone are constants.
            code.Add(new LengthGuard(outputTangent, spec.Parameters[spec.Output].Name));
            code.Add(new ClearVector(outputTangent));
        }

        // Span parameters the body writes varied values into (scratch the caller passes) get pooled tangents.
        foreach (ParameterSpec p in spec.Parameters)
        {
            if (p.Type.IsRealVector && scope.IsVaried(p.Name) && !preset.ContainsKey(p.Name))
            {
                string tangent = scope.TangentOf(p.Name);
                string buffer = scope.Temp(tangent + "Buffer");
                code.Add(new RentBuffer(buffer, tangent, p.Type.Element, new LengthOf(p.Name)));
                epilogue.Add(new ReturnBuffer(buffer, p.Type.Element, MayBeNull: false));
            }
        }

        code.AddRange(pass.Transform(body.Statements));
        if (!spec.IsVectorValued)
        {
            Expr tangentOfResult = scope.IsVaried(result) ? scope.TangentVar(result) : Lit(0, spec.ReturnType);
            code.Add(new Assign(new Var(spec.ReturnType, resultTangent), tangentOfResult));
        }

        code.AddRange(pass.Epilogue);
        code.AddRange(epilogue);
        code.Add(new Return(spec.IsVectorValued ? null : new Var(spec.ReturnType, result)));
        code = AdjointCleanup.Apply(code, scope.IsGenerated);
        return new GeneratedPushforward(gradient, tangentNames.ToEquatableArray(), outputTangent, resultTangent, code.ToEquatableArray());
    }

    /// <summary>
    /// An input tangent (<c>ReadOnlySpan</c>) that is empty means zero: a pooled zeroed one stands in for it, returned
    /// in <paramref name="epilogue"/>.
    /// </summary>
    public static Stmt ZeroIfEmpty(TypeRef primal, string tangent, string primalName, NameTable names, List<Stmt> epilogue)
    {
        string buffer = names.Unique(tangent + "Zero");
        TypeRef array = new(primal.Element, Shape.Array);
        epilogue.Add(new PullbackCall(KnownTypeNames.DerivativeDrivers + ".ReturnZeroTangent", new Expr[] { new Var(array, buffer) }.ToEquatableArray()));
        return new Declare(buffer, array, new OpaqueCall(array, KnownTypeNames.DerivativeDrivers + ".ZeroTangentIfEmpty", new Expr[]
        {
            new RefArg(new Var(new TypeRef(primal.Element, Shape.ReadOnlySpan), tangent)),
            new LengthOf(primalName),
            new Literal(new TypeRef(ElementKind.Other, Shape.Scalar, "string"), "\"" + tangent + "\""),
        }.ToEquatableArray()));
    }
}
