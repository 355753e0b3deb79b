using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Differentiation.Cleanup;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Forward;

/// <summary>
/// Forward-over-reverse: the Hessian-vector product is the forward pass applied to the generated pullback's IR (tapes,
/// pooled buffers and kernels included), seeded with the direction v on the differentiated inputs and a constant seed
/// of 1. The gradient the pullback adds into becomes internal (a local, or a pooled buffer for a vector) and its
/// tangent is the caller's <c>hv</c>, so <c>hv += H·v</c> exactly as a gradient is added.
/// </summary>
internal static class HessianVectorProduct
{
    public static HvpResult Differentiate(DifferentiableMethodSpec spec, GeneratedPullback pullback)
    {
        try
        {
            return new HvpResult(Build(spec, pullback, withGradient: false) with { WithGradient = Build(spec, pullback, withGradient: true) }, null);
        }
        catch (DifferentiationException failure)
        {
            return new HvpResult(null, new DifferentiationFailure(failure.Kind, failure.Message));
        }
    }

    /// <param name="withGradient">
    /// The form that keeps the gradient the pullback computes on the way (forward over reverse has it anyway): the
    /// gradient parameters are the caller's, added into as by <c>FGradient</c>, instead of scratch.
    /// </param>
    private static GeneratedHessianVectorProduct Build(DifferentiableMethodSpec spec, GeneratedPullback pullback, bool withGradient)
    {
        List<Stmt> pullbackBody = (pullback.SecondOrderBody ?? pullback.Body).ToList();
        if (pullbackBody.Count == 0 || pullbackBody[pullbackBody.Count - 1] is not Return { Value: { } resultValue })
        {
            throw new DifferentiationException(FailureKind.Unsupported, "a pullback that does not end in its return");
        }

        pullbackBody.RemoveAt(pullbackBody.Count - 1);
        var body = Block.Of(pullbackBody);

        // Every name the pullback uses is taken: the second-order code's names collide with none of them.
        var user = new HashSet<string>(spec.ReservedNames);
        var names = new NameTable(spec.ReservedNames);
        foreach (string name in NamesIn(body).Append(pullback.SeedName).Concat(pullback.GradientParameterNames))
        {
            names.Reserve(name);
        }

        List<ParameterSpec> wrt = pullback.Gradient.Wrt.Select(i => spec.Parameters[i]).ToList();
        var directions = wrt.Select(p => names.Unique("v" + p.Name)).ToList();
        var products = wrt.Select(p => names.Unique("hv" + p.Name)).ToList();

        var code = new List<Stmt>();
        var epilogue = new List<Stmt>();
        var preset = new Dictionary<string, string>();
        var parameters = new List<ParameterSpec>(spec.Parameters) { new(pullback.SeedName, spec.ReturnType) };
        for (int k = 0; k < wrt.Count; k++)
        {
            preset[wrt[k].Name] = directions[k];
            preset[pullback.GradientParameterNames[k]] = products[k];
            parameters.Add(new ParameterSpec(pullback.GradientParameterNames[k], wrt[k].Type.IsScalar ? wrt[k].Type : new TypeRef(wrt[k].Type.Element, Shape.Span)));
        }

        var scope = new TangentScope(body, parameters, preset, names, string.Empty, "Dot");
        var pass = new ForwardPass(scope, new ForwardCalls());

        code.Add(new Declare(pullback.SeedName, spec.ReturnType, Lit(1, spec.ReturnType)));
        Expr Added(string name, TypeRef type) => type.IsScalar ? new RefArg(new Var(type, name)) : new Var(new TypeRef(type.Element, Shape.Span), name);
        for (int k = 0; k < wrt.Count; k++)
        {
            TypeRef type = wrt[k].Type;
            string gradient = pullback.GradientParameterNames[k];
            if (type.IsScalar)
            {
                if (!withGradient)
                {
                    code.Add(new Declare(gradient, type, Lit(0, type)));
                }

                continue;
            }

            int replaced = k;
            code.Add(ForwardDifferentiator.EmptyTangentGuard(wrt[k], directions[k], names, zero => ForwardDifferentiator.SelfCall(
                withGradient ? GeneratedNames.GradientAndHessianVectorProduct(pullback.Gradient.Stem) : GeneratedNames.HessianVectorProduct(pullback.Gradient.Stem),
                spec.ReturnType,
                spec.Parameters.Select(p => (Expr)new Var(p.Type, p.Name))
                    .Concat(directions.Select((d, m) => m == replaced ? zero : new Var(wrt[m].Type.IsScalar ? wrt[m].Type : new TypeRef(wrt[m].Type.Element, Shape.ReadOnlySpan), d)))
                    .Concat(withGradient ? wrt.Select((w, m) => Added(pullback.GradientParameterNames[m], w.Type)) : Enumerable.Empty<Expr>())
                    .Concat(products.Select((h, m) => Added(h, wrt[m].Type))),
                names)));
            code.Add(new LengthGuard(products[k], wrt[k].Name)); // (the pullback's body checks the gradient's)
            if (!withGradient)
            {
                // The gradient itself is scratch: a pooled buffer.
                string buffer = names.Unique(gradient + "Buffer");
                code.Add(new RentBuffer(buffer, gradient, type.Element, new LengthOf(wrt[k].Name)));
                epilogue.Add(new ReturnBuffer(buffer, type.Element, MayBeNull: false));
            }
        }

        // Parameters (and the seed) that carry a tangent without being seeded: zero on entry (a pooled buffer for a
        // vector the body writes, such as scratch the caller passes).
        foreach (ParameterSpec p in parameters)
        {
            if (p.Type.IsReal && scope.IsVaried(p.Name) && !preset.ContainsKey(p.Name))
            {
                if (p.Type.IsScalar)
                {
                    code.Add(new Declare(scope.TangentOf(p.Name), p.Type, Lit(0, p.Type)));
                }
                else
                {
                    string tangent = scope.TangentOf(p.Name);
                    string buffer = names.Unique(tangent + "Buffer");
                    code.Add(new RentBuffer(buffer, tangent, p.Type.Element, new LengthOf(p.Name)));
                    epilogue.Add(new ReturnBuffer(buffer, p.Type.Element, MayBeNull: false));
                }
            }
        }

        List<Stmt> transformed = pass.Transform(body.Statements);
        code.AddRange(pass.Prologue);
        code.AddRange(transformed);
        code.AddRange(pass.Epilogue);
        code.AddRange(epilogue);
        code.Add(new Return(resultValue));
        if (!withGradient)
        {
            code = WithoutGradientVectors(code, wrt.Where(p => p.Type.IsVector).Select(p => pullback.GradientParameterNames[wrt.IndexOf(p)]));
        }

        // Without the gradient form, the gradient is not returned: what only it needs is dead. Anything the user did
        // not name is DiffGen's.
        var visible = new HashSet<string>(user.Concat(directions).Concat(products));
        if (withGradient)
        {
            visible.UnionWith(pullback.GradientParameterNames);
        }

        code = AdjointCleanup.Apply(code, n => !visible.Contains(n));

        // A row's value, tangent and adjoint sums run four rows at a time, as in the pullback and the pushforward.
        code = ReductionJam.Apply(code, names.Unique);
        return new GeneratedHessianVectorProduct(
            pullback.Gradient, directions.ToEquatableArray(), products.ToEquatableArray(), code.ToEquatableArray(),
            withGradient ? pullback.GradientParameterNames : null);
    }

    /// <summary>
    /// The pullback's vector gradients are only ever added into (nothing reads them) and the product is their tangent:
    /// their own accumulations, and then their buffers, are dropped. Scalar ones the cleanup removes as dead stores.
    /// </summary>
    private static List<Stmt> WithoutGradientVectors(List<Stmt> code, IEnumerable<string> gradients)
    {
        var names = new HashSet<string>(gradients);
        bool ReadElsewhere(string name) => IrWalk.Descendants(code).Any(s => s switch
        {
            Assign { Target: Elem e, Kind: not AssignKind.Set } a when e.Array == name => IrWalk.Reads(e.Index).Contains(name) || IrWalk.Reads(a.Value).Contains(name),
            VectorKernel k when k.Destination.Vector == name => k.Operands.Any(o => IrWalk.Reads(o).Contains(name)),
            RentBuffer or ReturnBuffer or LengthGuard => false,
            _ => Effects.Of(s).Reads.Contains(name) || Effects.Of(s).VectorWrites.Contains(name),
        });
        names.RemoveWhere(ReadElsewhere);
        if (names.Count == 0)
        {
            return code;
        }

        var buffers = new HashSet<string>(IrWalk.Descendants(code).OfType<RentBuffer>().Where(r => names.Contains(r.Span)).Select(r => r.Buffer));
        bool Dropped(Stmt s) => s switch
        {
            Assign { Target: Elem e } => names.Contains(e.Array),
            VectorKernel k => names.Contains(k.Destination.Vector),
            RentBuffer r => names.Contains(r.Span),
            ReturnBuffer r => buffers.Contains(r.Buffer),
            LengthGuard g => names.Contains(g.Gradient),
            _ => false,
        };

        List<Stmt> Filter(IEnumerable<Stmt> statements) => statements.Where(s => !Dropped(s)).Select(s => s switch
        {
            Block b => Block.Of(Filter(b.Statements)),
            If i => i with { Then = Block.Of(Filter(i.Then.Statements)), Else = i.Else is null ? null : Block.Of(Filter(i.Else.Statements)) },
            Loop l => l with { Body = Block.Of(Filter(l.Body.Statements)) },
            _ => s,
        }).ToList();
        return Filter(code);
    }

    private static IEnumerable<string> NamesIn(Block body)
    {
        foreach (Stmt statement in IrWalk.Descendants(body))
        {
            Effects effects = Effects.Of(statement);
            foreach (string name in effects.Reads.Concat(effects.Writes).Concat(effects.VectorWrites).Concat(effects.Declares))
            {
                yield return name;
            }

            switch (statement)
            {
                case DeclareTape t:
                    yield return t.Name;
                    break;
                case RentBuffer r:
                    yield return r.Buffer;
                    yield return r.Span;
                    break;
                case DeclareBuffer b:
                    yield return b.Buffer;
                    yield return b.Span;
                    break;
                case Push p:
                    yield return p.Tape;
                    break;
                case PushRange p:
                    yield return p.Tape;
                    break;
                case PopRange p:
                    yield return p.Tape;
                    break;
            }
        }
    }
}
