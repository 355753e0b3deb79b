using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Differentiation.Analysis;
using DiffGen.Generator.Differentiation.Cleanup;
using DiffGen.Generator.Differentiation.Planning;
using DiffGen.Generator.Differentiation.Preparation;
using DiffGen.Generator.Differentiation.Sweeps;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation;

/// <summary>
/// Reverse mode as a pipeline of passes over the IR (docs/generator-internals.md):
/// normalise → prepare (loop forms, values kept for the reverse sweep) → analyse (activity, def/use) → local adjoints
/// → plan (joint statements, recording, control) → build the sweeps → clean up → vectorise reverse loops.
/// Pure: the same spec gives the same code; failures come back typed, never as exceptions.
/// </summary>
internal static class Differentiator
{
    /// <summary>Elements of a vector result's adjoint kept on the stack (above it, pooled).</summary>
    private const int OutputStackLimit = 64;

    public static DifferentiationResult Differentiate(DifferentiableMethodSpec spec, GradientSpec gradient, GenerationOptions options)
    {
        try
        {
            return new DifferentiationResult(Build(spec, gradient, options), null);
        }
        catch (DifferentiationException failure)
        {
            return new DifferentiationResult(null, new DifferentiationFailure(failure.Kind, failure.Message));
        }
    }

    private static GeneratedPullback Build(DifferentiableMethodSpec spec, GradientSpec gradient, GenerationOptions options)
    {
        var names = new NameTable(spec.ReservedNames);

        // A vector result's seed is the adjoint of its [Output] span (dy); its useful values are those reaching the span.
        string? output = spec.IsVectorValued ? spec.Parameters[spec.Output].Name : null;
        string seed = names.Unique(output is null ? "seed" : "d" + output);
        List<ParameterSpec> wrt = gradient.Wrt.Select(i => spec.Parameters[i]).ToList();
        var gradientNames = wrt.Select(p => names.Unique("d" + p.Name)).ToList();

        // Prepare.
        (Block normalized, string result) = ControlFlowNormalizer.Normalize(spec.Body, spec.ReturnType, names);
        result = output ?? result;
        Block body = LogisticRecognition.Apply(LoopPreparation.Apply(normalized));
        if (gradient.AllowReassociation)
        {
            body = ReductionLowering.Apply(body);
        }

        body = ValueExtraction.Apply(body, new Activity(body, spec.Parameters, wrt.Select(p => p.Name), result), names);
        body = IrRewriter.Copy(body);

        // Analyse.
        var activity = new Activity(body, spec.Parameters, wrt.Select(p => p.Name), result);
        var index = new BodyIndex(body);
        var preset = new Dictionary<string, string>();
        var scalarGradients = new List<(ParameterSpec Parameter, string Gradient, string Local)>();
        for (int k = 0; k < wrt.Count; k++)
        {
            if (wrt[k].Type.IsVector)
            {
                preset[wrt[k].Name] = gradientNames[k];
            }
            else
            {
                // Accumulated in a local (a register), added into the caller's ref once at the end.
                string local = names.Unique("d" + wrt[k].Name + "Local");
                preset[wrt[k].Name] = local;
                scalarGradients.Add((wrt[k], gradientNames[k], local));
            }
        }

        // A scalar parameter that is not differentiated but receives a differentiated value ((x, y) = (y, x)) carries an
        // adjoint like a local: declared zero at the top, since no declaration statement of it exists.
        var parameterAdjoints = new List<(string Local, TypeRef Type)>();
        foreach (ParameterSpec p in spec.Parameters)
        {
            if (p.Type.IsRealScalar && !preset.ContainsKey(p.Name) && activity.IsActive(p.Name))
            {
                string local = names.Unique("d" + p.Name);
                preset[p.Name] = local;
                parameterAdjoints.Add((local, p.Type));
            }
        }

        var scope = new AdjointScope(activity, names, preset, MultiWrittenVectors(body, index))
        {
            LengthChecked = LengthCheckedGradients(body, wrt, gradientNames),
        };

        // Local adjoints, in body order (so temporaries are numbered as they read).
        var localAdjoints = new Dictionary<Stmt, List<Stmt>>(ReferenceComparer<Stmt>.Instance);
        foreach (Stmt statement in IrWalk.Descendants(body))
        {
            if (statement is Declare or Assign or CallStmt)
            {
                localAdjoints[statement] = LocalAdjoint.Of(statement, scope, KnownValues(statement, index), n => n != result && index.DeclarationOf(n) is not null);
            }
        }

        // Plan, then build.
        ReversePlan plan = Planner.Make(index, scope, localAdjoints);
        var builder = new SweepBuilder(plan, index, scope, result, seed);
        (List<Stmt> forward, List<Stmt> reverse) = builder.Region(body);

        var code = new List<Stmt>();
        for (int k = 0; k < wrt.Count; k++)
        {
            if (wrt[k].Type.IsVector && wrt[k].Packed is null) // a packed leaf's gradient is made with its length
            {
                code.Add(wrt[k].Leaf is { } leaf
                    ? new LengthGuard(gradientNames[k], wrt[k].Name, leaf.GradientDisplay, leaf.Display)
                    : new LengthGuard(gradientNames[k], wrt[k].Name));
            }
        }

        foreach ((string tape, ElementKind element) in builder.Tapes.Used)
        {
            code.Add(new DeclareTape(tape, element));
        }

        // Vectors the caller passes as scratch (not differentiated) that carry active values get pooled adjoints.
        var returns = new List<Stmt>();
        var scratchRents = new List<Stmt>();
        foreach (ParameterSpec p in spec.Parameters)
        {
            if (p.Type.IsVector && activity.IsActive(p.Name) && !preset.ContainsKey(p.Name))
            {
                string adjoint = scope.AdjointOf(p.Name);
                string buffer = scope.Temp(adjoint + "Buffer");
                // A vector result is usually short (residuals, a few outputs): its adjoint lives on the stack up to 64.
                bool small = p.Name == output;
                scratchRents.Add(new RentBuffer(buffer, adjoint, p.Type.Element, new LengthOf(p.Name), StackLimit: small ? OutputStackLimit : 0));
                code.Add(scratchRents[scratchRents.Count - 1]);
                returns.Add(new ReturnBuffer(buffer, p.Type.Element, MayBeNull: small));
                if (p.Name == output)
                {
                    // The output's adjoint starts as the caller's dy (a copy: the sweep consumes it).
                    code.Insert(0, new LengthGuard(seed, output));
                    var whole = new SliceOf(new TypeRef(p.Type.Element, Shape.Span), adjoint, new Literal(TypeRef.Int, "0"), new LengthOf(p.Name));
                    code.Add(new VectorKernel(KernelOp.AddVector, whole, new Expr[] { whole with { Vector = seed } }.ToEquatableArray()));
                }
            }
        }

        foreach ((ParameterSpec parameter, string _, string local) in scalarGradients)
        {
            code.Add(new Declare(local, parameter.Type, Lit(0, parameter.Type)));
        }

        foreach ((string local, TypeRef type) in parameterAdjoints)
        {
            code.Add(new Declare(local, type, Lit(0, type)));
        }

        code.AddRange(builder.MethodDeclarations);
        code.Add(new Comment("Forward sweep", Section: true));
        code.AddRange(forward);
        if (reverse.Count > 0)
        {
            code.Add(new Comment("Reverse sweep", Section: true));
            code.AddRange(reverse);
        }

        foreach ((ParameterSpec parameter, string gradientName, string local) in scalarGradients)
        {
            code.Add(new Assign(new Var(parameter.Type, gradientName), new Var(parameter.Type, local), AssignKind.Add));
        }

        code.AddRange(builder.Tapes.Used.Select(t => new DisposeTape(t.Name)));
        code.AddRange(builder.Returns);
        code.AddRange(returns);
        code.Add(new Return(output is null ? new Var(spec.ReturnType, result) : null));

        // The printed pullback may run short reverse loops a block of iterations at a time (BlockInterchange); the
        // pullback a Hessian-vector product differentiates again keeps them per iteration. The printed one is finished
        // first so that its temporaries get the plain names.
        List<Stmt> cleaned = AdjointCleanup.Apply(code, scope.IsGenerated);
        List<Stmt>? blocked = InBlocks(cleaned);
        List<Stmt>? printed = blocked is null ? null : Finish(blocked);
        List<Stmt> pullback = Finish(cleaned);

        // A Jacobian of a vector result whose reverse sweep can run once per row after one forward sweep.
        GeneratedRows? rows = null;
        if (output is not null && gradient.Has(DerivativeForms.Jacobian) && !builder.Tapes.Used.Any())
        {
            string jacobian = names.Unique("jacobian");
            var parts = new RowsParts(spec, wrt, gradientNames, scalarGradients, parameterAdjoints, scratchRents, builder.MethodDeclarations, forward, reverse, builder.Returns.Concat(returns).ToList());
            if (JacobianRows.Build(parts, scope, names, jacobian) is { } rowsCode)
            {
                List<Stmt> cleanedRows = AdjointCleanup.Apply(rowsCode, scope.IsGenerated);
                rows = new GeneratedRows(GeneratedNames.JacobianRows(gradient.Stem), jacobian, Finish(InBlocks(cleanedRows) ?? cleanedRows).ToEquatableArray());
            }
        }

        // The caller's scratch spans (not the result the caller reads back).
        var spanParameters = spec.Parameters.Where(p => p.Type.Shape == Shape.Span && p.Name != output).Select(p => p.Name).ToList();
        List<Stmt> jammed = SnapshotSlots.Apply(ReductionJam.Apply(printed ?? pullback, scope.Temp), spanParameters, scope.Temp);
        return new GeneratedPullback(gradient, seed, gradientNames.ToEquatableArray(), jammed.ToEquatableArray())
        {
            Rows = rows is null ? null : rows with { Body = ReductionJam.Apply(rows.Body.ToList(), scope.Temp).ToEquatableArray() },
            SecondOrderBody = pullback.ToEquatableArray(),
        };

        List<Stmt>? InBlocks(List<Stmt> statements) => options.UseTensorPrimitives ? BlockInterchange.TryApply(statements, scope.Temp) : null;

        List<Stmt> Finish(List<Stmt> statements)
        {
            if (options.UseTensorPrimitives)
            {
                statements = ReverseLoopVectorizer.Apply(statements);
            }

            statements = ElementPromotion.Apply(statements, scope.IsAdjoint, scope.Temp);
            statements = SharedReciprocals.Apply(statements, scope.IsGenerated, scope.Temp);

            statements = PooledScratch.Apply(statements, names);
            statements = PrimalCallFolding.Apply(statements);
            statements = RestoreElision.Apply(statements);
            statements = ScalarTapeOrder.Apply(statements);

            // Flags and constants a cleanup left unread (an emptied branch that tested `continued`): CS0219 otherwise.
            return UnreadLocalElimination.Apply(Block.Of(statements), new HashSet<string>(), result).Statements.ToList();
        }
    }

    /// <summary>
    /// Costly calls that locals of the statement's block hold (<c>double cos = Math.Cos(a)</c> next to
    /// <c>double sin = Math.Sin(a)</c>, whose derivative needs the cosine): the adjoint reads the local instead of
    /// calling again. The local is assigned once, and nothing between it and the statement changes what the call reads.
    /// </summary>
    private static List<(Expr Value, Var Holder)> KnownValues(Stmt statement, BodyIndex index)
    {
        var known = new List<(Expr, Var)>();
        Block block = index.BlockOf(statement);
        int at = index.IndexOf(statement);
        for (int k = 0; k < block.Statements.Count; k++)
        {
            if (k == at || block.Statements[k] is not Declare { Init: MathCall call } holder || !Adjoints.DerivativeRules.IsExpensive(call.Fn)
                || !IrWalk.IsPure(call) || !index.IsSingleAssignment(holder.Name))
            {
                continue;
            }

            // A holder after the statement sees what the statement itself wrote (s /= 2 + sin(s); double t = sin(s);).
            HashSet<string> reads = IrWalk.Reads(call);
            Effects own = index.DeepEffects(statement);
            bool unchanged = k < at || (!own.Writes.Overlaps(reads) && !own.VectorWrites.Overlaps(reads));
            for (int m = System.Math.Min(k, at) + 1; m < System.Math.Max(k, at) && unchanged; m++)
            {
                Effects between = index.DeepEffects(block.Statements[m]);
                unchanged = !between.Writes.Overlaps(reads) && !between.VectorWrites.Overlaps(reads);
            }

            if (unchanged)
            {
                known.Add((call, new Var(holder.Type, holder.Name)));
            }
        }

        return known;
    }

    /// <summary>Vectors written more than once (by two statements, or in a loop): a call's output adjoint is cleared after use.</summary>
    private static HashSet<string> MultiWrittenVectors(Block body, BodyIndex index)
    {
        var result = new HashSet<string>();
        foreach (Declare vector in IrWalk.Descendants(body).OfType<Declare>().Where(d => d.Type.IsVector))
        {
            Consider(vector.Name);
        }

        foreach (string name in Effects.Deep(body).VectorWrites)
        {
            Consider(name);
        }

        return result;

        void Consider(string name)
        {
            IReadOnlyList<Stmt> writers = index.WritersOf(name).Where(w => w is not Declare).ToList();
            if (writers.Count > 1 || writers.Any(w => index.Ancestors(w).Any(a => a is Loop)))
            {
                result.Add(name);
            }
        }
    }

    /// <summary>Gradient span → its primal span, for span parameters the body never rebinds (their entry check stays true).</summary>
    private static Dictionary<string, string> LengthCheckedGradients(Block body, List<ParameterSpec> wrt, List<string> gradientNames)
    {
        var rebound = new HashSet<string>(IrWalk.Descendants(body).OfType<Assign>().Select(a => a.Target).OfType<Var>().Select(v => v.Name));
        var primalOf = new Dictionary<string, string>();
        for (int k = 0; k < wrt.Count; k++)
        {
            if (wrt[k].Type.IsVector && !rebound.Contains(wrt[k].Name))
            {
                primalOf[gradientNames[k]] = wrt[k].Name;
            }
        }

        return primalOf;
    }
}
