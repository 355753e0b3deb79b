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
        var code = new List<Stmt>();
        var epilogue = new List<Stmt>();
        var preset = new Dictionary<string, string>();
        for (int k = 0; k < wrt.Count; k++)
        {
            preset[wrt[k].Name] = tangentNames[k];
            if (wrt[k].IsMember && wrt[k].Type.IsVector)
            {
                // A member's or model leaf's tangent is read from the caller's object: it has the member's length (a
                // packed leaf's tangent is packed from the tangent object's layers, each checked against its layer).
                if (wrt[k].Packed is null)
                {
                    code.Add(wrt[k].Leaf is { } leaf
                        ? new LengthGuard(tangentNames[k], wrt[k].Name, leaf.GradientDisplay, leaf.Display)
                        : new LengthGuard(tangentNames[k], wrt[k].Name));
                }
            }
            else if (wrt[k].Type.IsVector)
            {
                // An empty tangent is zero: a self-call with a zeroed one.
                int replaced = k;
                code.Add(EmptyTangentGuard(wrt[k], tangentNames[k], names, zero => SelfCall(
                    GeneratedNames.Pushforward(gradient.Stem),
                    spec.IsVectorValued ? TypeRef.Void : spec.ReturnType,
                    spec.Parameters.Where(p => !p.IsMember).Select(p => (Expr)new Var(p.Type, p.Name))
                        .Concat(spec.DerivativeArguments(gradient).Select(a => a.Model is { } model
                            ? new Var(new TypeRef(ElementKind.Other, Shape.Scalar, model.ModelType), model.GradientArgument)
                            : a.K == replaced ? zero : new Var(wrt[a.K].Type.IsScalar ? wrt[a.K].Type : new TypeRef(wrt[a.K].Type.Element, Shape.ReadOnlySpan), tangentNames[a.K])))
                        .Append(spec.IsVectorValued ? new Var(new TypeRef(spec.Parameters[spec.Output].Type.Element, Shape.Span), outputTangent!) : new RefArg(new Var(spec.ReturnType, resultTangent), Out: true)),
                    names)));
            }
        }

        if (outputTangent is not null)
        {
            preset[spec.Parameters[spec.Output].Name] = outputTangent;
        }

        var scope = new TangentScope(body, spec.Parameters, preset, names, "d", string.Empty);
        var pass = new ForwardPass(scope, new ForwardCalls());

        if (outputTangent is not null)
        {
            // The output's tangent is written whole: elements the body leaves alone are constants.
            code.Add(new LengthGuard(outputTangent, spec.Parameters[spec.Output].Name));
            code.Add(new ClearVector(outputTangent));
        }

        // Span parameters the body writes varied values into (scratch the caller passes) get pooled tangents; a scalar
        // parameter that is not differentiated but is assigned a varied value gets a tangent local, zero on entry.
        foreach (ParameterSpec p in spec.Parameters)
        {
            if (p.Type.IsRealScalar && scope.IsVaried(p.Name) && !preset.ContainsKey(p.Name))
            {
                code.Add(new Declare(scope.TangentOf(p.Name), p.Type, Lit(0, p.Type)));
            }

            if (p.Type.IsRealVector && scope.IsVaried(p.Name) && !preset.ContainsKey(p.Name))
            {
                string tangent = scope.TangentOf(p.Name);
                string buffer = scope.Temp(tangent + "Buffer");
                code.Add(new RentBuffer(buffer, tangent, p.Type.Element, new LengthOf(p.Name)));
                epilogue.Add(new ReturnBuffer(buffer, p.Type.Element, MayBeNull: false));
            }
        }

        List<Stmt> transformed = pass.Transform(body.Statements);
        code.AddRange(pass.Prologue);
        code.AddRange(transformed);
        if (!spec.IsVectorValued)
        {
            Expr tangentOfResult = scope.IsVaried(result) ? scope.TangentVar(result) : Lit(0, spec.ReturnType);
            code.Add(new Assign(new Var(spec.ReturnType, resultTangent), tangentOfResult));
        }

        code.AddRange(pass.Epilogue);
        code.AddRange(epilogue);
        code.Add(new Return(spec.IsVectorValued ? null : new Var(spec.ReturnType, result)));
        code = AdjointCleanup.Apply(code, scope.IsGenerated);
        code = PooledScratch.Apply(code, names);
        code = Preparation.UnreadLocalElimination.Apply(Block.Of(code), new HashSet<string>(), string.Empty).Statements.ToList();

        // A row's value and tangent dot products (z += w·x; zDot += w·xDot + …) run four rows at a time, as in the pullback.
        code = ReductionJam.Apply(code, names.Unique);
        return new GeneratedPushforward(gradient, tangentNames.ToEquatableArray(), outputTangent, resultTangent, code.ToEquatableArray());
    }

    /// <summary>
    /// An input tangent (<c>ReadOnlySpan</c>) whose length is not the primal's must be empty, meaning zero: then the
    /// method calls itself with a pooled zeroed tangent in its place (<paramref name="self"/> builds that call from the
    /// replaced argument list). The rest of the method reads the caller's span directly, so its loops keep it in
    /// registers and check no emptiness.
    /// </summary>
    /// <param name="primal">The primal parameter.</param>
    /// <param name="tangent">The tangent parameter's name.</param>
    /// <param name="names">The method's names.</param>
    /// <param name="self">The statements that call the method again with the given tangent in place of <paramref name="tangent"/> and return.</param>
    public static Stmt EmptyTangentGuard(ParameterSpec primal, string tangent, NameTable names, System.Func<Expr, IEnumerable<Stmt>> self)
    {
        string buffer = names.Unique(tangent + "Zero");
        string zero = names.Unique(tangent + "OrZero");
        TypeRef array = new(primal.Type.Element, Shape.Array);
        TypeRef span = new(primal.Type.Element, Shape.ReadOnlySpan);
        var body = new List<Stmt>
        {
            new Declare(buffer, array, null),
            new Declare(zero, span, new OpaqueCall(span, KnownTypeNames.DerivativeDrivers + ".TangentOrZero", new Expr[]
            {
                new Var(span, tangent),
                new LengthOf(primal.Name),
                new Literal(new TypeRef(ElementKind.Other, Shape.Scalar, "string"), "\"" + tangent + "\""),
                new RefArg(new Var(array, buffer), Out: true),
            }.ToEquatableArray())),
        };
        List<Stmt> call = self(new Var(span, zero)).ToList();
        body.AddRange(call.Take(call.Count - 1));
        body.Add(new PullbackCall(KnownTypeNames.DerivativeDrivers + ".ReturnZeroTangent", new Expr[] { new Var(array, buffer) }.ToEquatableArray()));
        body.Add(call[call.Count - 1]);
        return new If(new Binary(TypeRef.Bool, BinaryOp.NotEqual, new LengthOf(tangent), new LengthOf(primal.Name)), Block.Of(body), null);
    }

    /// <summary>
    /// The statements of a self-call that returns what the call returns: <c>T value = M(args); return value;</c>, or
    /// <c>M(args); return;</c> for a void method.
    /// </summary>
    public static IEnumerable<Stmt> SelfCall(string method, TypeRef returnType, IEnumerable<Expr> args, NameTable names)
    {
        EquatableArray<Expr> arguments = args.ToEquatableArray();
        if (returnType.Element == ElementKind.Void)
        {
            return new Stmt[] { new PullbackCall(method, arguments), new Return(null) };
        }

        string value = names.Unique("value");
        return new Stmt[] { new Declare(value, returnType, new OpaqueCall(returnType, method, arguments)), new Return(new Var(returnType, value)) };
    }
}
