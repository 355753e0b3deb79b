using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Emission;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation;

internal sealed partial class ReverseModeBuilder
{
    private const string Pool = "global::System.Buffers.ArrayPool";

    private GeneratedPullback Generate()
    {
        _names = _baseNames.Clone();
        _adjoints = new Dictionary<string, string>();
        _topDeclarations = new List<Stmt>();
        _cleanup = new List<Stmt>();
        _tapes = new Dictionary<ElementKind, string>();
        _failure = null;

        string seed = _names.Unique("seed");
        var gradientNames = new List<string>();
        var scalarResults = new List<Stmt>();
        foreach (int index in _gradient.Wrt)
        {
            ParameterSpec p = _spec.Parameters[index];
            string name = _names.Unique("d" + p.Name);
            gradientNames.Add(name);
            if (p.Type.IsScalar)
            {
                // Accumulate in a local (a register), add into the caller's ref once at the end.
                string local = _names.Unique("d" + p.Name + "Local");
                _adjoints[p.Name] = local;
                scalarResults.Add(new Assign(new Var(p.Type, name), new Var(p.Type, local), AssignKind.Add));
            }
            else
            {
                _adjoints[p.Name] = name;
            }
        }

        _context = new ReverseContext(_active, _adjoints, _names);

        // Scratch vectors the caller passes (not differentiated) that carry active values get pooled adjoints.
        var scratch = new List<Stmt>();
        foreach (ParameterSpec p in _spec.Parameters)
        {
            if (p.Type.IsVector && _active.Contains(p.Name) && !_gradient.Wrt.Any(i => _spec.Parameters[i].Name == p.Name))
            {
                scratch.AddRange(RentAdjoint(p.Name, p.Type.Element));
            }
        }

        List<Stmt> forward, reverse;
        bool fused = false;
        if (_fusedLoop >= 0)
        {
            if (TryProcessFused(_fusedLoop) is not { } sweeps)
            {
                // This pass showed fusion would be wrong: start over with two sweeps.
                _fusedLoop = -1;
                return Generate();
            }

            (forward, reverse) = sweeps;
            fused = true;
        }
        else
        {
            (forward, reverse) = ProcessBlock(_body, inLoop: false, depth: 0);
        }

        var body = new List<Stmt>();
        for (int k = 0; k < _gradient.Wrt.Count; k++)
        {
            ParameterSpec p = _spec.Parameters[_gradient.Wrt[k]];
            if (p.Type.IsVector)
            {
                string g = gradientNames[k];
                body.Add(new RawStmt($"if ({g}.Length != {p.Name}.Length) throw new global::System.ArgumentException(\"{g} must have the length of {p.Name} (\" + {p.Name}.Length + \") but has length \" + {g}.Length + \".\", nameof({g}));"));
            }
        }

        foreach (KeyValuePair<ElementKind, string> tape in _tapes.OrderBy(t => t.Value, System.StringComparer.Ordinal))
        {
            body.Add(new RawStmt($"{KnownTypeNames.Tape}<{Keyword(tape.Key)}> {tape.Value} = default;"));
        }

        body.AddRange(_topDeclarations);
        body.AddRange(scratch);
        var adjointDeclarations = new List<Stmt>();
        foreach (KeyValuePair<string, string> adjoint in _adjoints)
        {
            if (_types.TryGetValue(adjoint.Key, out TypeRef? type) && type.IsScalar && !gradientNames.Contains(adjoint.Value))
            {
                Expr init = adjoint.Key == _result ? new Var(type, seed) : Lit(0, type);
                adjointDeclarations.Add(new Declare(adjoint.Value, type, init));
            }
        }

        if (fused)
        {
            // The fused loop updates adjoints during the forward sweep.
            body.Add(new Comment($"Adjoints start from {seed}"));
            body.AddRange(adjointDeclarations);
            body.Add(new Comment("Forward sweep"));
            body.AddRange(forward);
            if (reverse.Count > 0)
            {
                body.Add(new Comment("Reverse sweep"));
            }
        }
        else
        {
            body.Add(new Comment("Forward sweep"));
            body.AddRange(forward);
            body.Add(new Comment($"Reverse sweep: adjoints start from {seed}"));
            body.AddRange(adjointDeclarations);
        }

        body.AddRange(reverse);
        body.AddRange(scalarResults);
        foreach (string tape in _tapes.Values.OrderBy(t => t, System.StringComparer.Ordinal))
        {
            body.Add(new RawStmt(tape + ".Dispose();"));
        }

        body.AddRange(_cleanup);
        body.Add(new RawStmt("return " + _result + ";"));
        return new GeneratedPullback(_gradient, seed, gradientNames.ToEquatableArray(), body.ToEquatableArray());
    }

    /// <param name="siteOffset">At the top level: the body index of the block's first statement.</param>
    private (List<Stmt> Forward, List<Stmt> Reverse) ProcessBlock(Block block, bool inLoop, int depth, int siteOffset = 0)
    {
        var forward = new List<Stmt>();
        var reverseParts = new List<List<Stmt>>();
        for (int index = 0; index < block.Statements.Count; index++)
        {
            Stmt statement = block.Statements[index];
            if (depth == 0 && !inLoop)
            {
                _context.Site = siteOffset + index;
            }

            (List<Stmt> f, List<Stmt> r) = ProcessStatement(statement, inLoop, depth);
            forward.AddRange(f);
            reverseParts.Add(r);
        }

        reverseParts.Reverse();
        return (forward, reverseParts.SelectMany(r => r).ToList());
    }

    private (List<Stmt> Forward, List<Stmt> Reverse) ProcessStatement(Stmt statement, bool inLoop, int depth)
    {
        switch (statement)
        {
            case Declare { Type.IsVector: true } vector when depth > 0:
                return (HoistedVector(vector), new List<Stmt>());
            case Declare { Type.IsVector: true } vector:
                {
                    var forward = new List<Stmt> { vector };
                    if (_active.Contains(vector.Name))
                    {
                        forward.AddRange(RentAdjoint(vector.Name, vector.Type.Element));
                    }

                    return (forward, new List<Stmt>());
                }

            case Declare declare when depth > 0:
                _topDeclarations.Add(new Declare(declare.Name, declare.Type, DefaultOf(declare.Type)));
                return declare.Init is null
                    ? (new List<Stmt>(), new List<Stmt>())
                    : Assignment(new Var(declare.Type, declare.Name), declare.Init, firstDefinition: false);
            case Declare declare:
                {
                    if (declare.Init is null)
                    {
                        return (new List<Stmt> { declare with { Init = DefaultOf(declare.Type) } }, new List<Stmt>());
                    }

                    (List<Stmt> _, List<Stmt> reverse) = Assignment(new Var(declare.Type, declare.Name), declare.Init, firstDefinition: true);
                    return (new List<Stmt> { declare }, reverse);
                }

            case Assign assign:
                return Assignment(assign.Target, assign.Value, firstDefinition: false);
            case If branch:
                return ProcessIf(branch, inLoop, depth);
            case Loop loop:
                return loop.Counter is not null ? ProcessCountedLoop(loop, inLoop, depth) : ProcessLoop(loop, inLoop, depth);
            case CallStmt call:
                return ProcessCall(call);
            default:
                return (new List<Stmt> { statement }, new List<Stmt>());
        }
    }

    private (List<Stmt> Forward, List<Stmt> Reverse) Assignment(Expr target, Expr value, bool firstDefinition)
    {
        var forward = new List<Stmt>();
        var reverse = new List<Stmt>();
        string name = ActivityAnalysis.TargetName(target);
        bool taped = !firstDefinition && (target is Var ? _tapedScalars.Contains(name) : _tapedElements.Contains(name));
        if (taped)
        {
            string tape = Tape(target.Type.Element);
            forward.Add(new Invoke(tape + ".Push", new[] { target }.ToEquatableArrayOf()));
            reverse.Add(new Assign(target, new RawExpr(target.Type, tape + ".Pop()")));
            _context.RecordReads(target is Elem e ? e.Index : new Literal(TypeRef.Int, "0"));
        }

        forward.Add(new Assign(target, value));
        if (_active.Contains(name))
        {
            reverse.AddRange(AdjointOfAssignment(target, value, single: firstDefinition || (target is Var && !IsMultiAssigned(name))));
        }

        return (forward, reverse);
    }

    private List<Stmt> AdjointOfAssignment(Expr target, Expr value, bool single)
    {
        var output = new List<Stmt>();
        var adjoint = new ExpressionAdjoint(_context);
        string name = ActivityAnalysis.TargetName(target);
        Expr adjointTarget = target is Elem element
            ? new Elem(element.Type, _context.AdjointName(element.Array), adjoint.Value(element.Index, output))
            : new Var(target.Type, _context.AdjointName(name));

        // s = s + e (or s - e): the adjoint of s passes through unchanged; only e receives a contribution.
        if (value is Binary { Op: BinaryOp.Add or BinaryOp.Subtract } sum && sum.Left.Equals(target) && !IrWalk.Mentions(sum.Right, name))
        {
            adjoint.Propagate(sum.Right, sum.Op == BinaryOp.Add ? adjointTarget : Neg(adjointTarget), output);
            return output;
        }

        if (single)
        {
            adjoint.Propagate(value, adjointTarget, output);
            return output;
        }

        Expr zero = Lit(0, target.Type);
        if (!_context.IsActive(value))
        {
            output.Add(new Assign(adjointTarget, zero));
            return output;
        }

        string g = _context.Temp("g");
        output.Add(new Declare(g, target.Type, adjointTarget));
        output.Add(new Assign(adjointTarget, zero));
        adjoint.Propagate(value, new Var(target.Type, g), output);
        return output;
    }

    private (List<Stmt> Forward, List<Stmt> Reverse) ProcessIf(If branch, bool inLoop, int depth)
    {
        (List<Stmt> thenForward, List<Stmt> thenReverse) = ProcessBlock(branch.Then, inLoop, depth + 1);
        (List<Stmt> elseForward, List<Stmt> elseReverse) = branch.Else is null ? (new List<Stmt>(), new List<Stmt>()) : ProcessBlock(branch.Else, inLoop, depth + 1);
        Block? elseBlock = branch.Else is null ? null : Block.Of(elseForward);
        if (thenReverse.Count == 0 && elseReverse.Count == 0)
        {
            return (new List<Stmt> { new If(branch.Condition, Block.Of(thenForward), elseBlock) }, new List<Stmt>());
        }

        // Record the decision; inside a loop, on the tape (pushed after the branch so it pops before the branch's own values).
        string decision = _names.Unique("branch");
        var decisionVar = new Var(TypeRef.Bool, decision);
        _topDeclarations.Add(new Declare(decision, TypeRef.Bool, new Literal(TypeRef.Bool, "false")));
        var forward = new List<Stmt>
        {
            new Assign(decisionVar, branch.Condition),
            new If(decisionVar, Block.Of(thenForward), elseBlock),
        };
        var reverse = new List<Stmt>();
        if (inLoop && !_fusing)
        {
            string tape = Tape(ElementKind.Int);
            forward.Add(new Invoke(tape + ".Push", new Expr[] { new Conditional(TypeRef.Int, decisionVar, new Literal(TypeRef.Int, "1"), new Literal(TypeRef.Int, "0")) }.ToEquatableArrayOf()));
            reverse.Add(new Assign(decisionVar, new Binary(TypeRef.Bool, BinaryOp.NotEqual, new RawExpr(TypeRef.Int, tape + ".Pop()"), new Literal(TypeRef.Int, "0"))));
        }

        reverse.Add(new If(decisionVar, Block.Of(thenReverse), elseReverse.Count > 0 ? Block.Of(elseReverse) : null));
        return (forward, reverse);
    }

    private (List<Stmt> Forward, List<Stmt> Reverse) ProcessCountedLoop(Loop loop, bool inLoop, int depth)
    {
        var counterDeclaration = (Declare)loop.Init.Statements[0];
        (List<Stmt> bodyForward, List<Stmt> bodyReverse) = ProcessBlock(loop.Body, inLoop: true, depth + 1);
        if (bodyReverse.Count == 0)
        {
            return (new List<Stmt> { loop with { Body = Block.Of(bodyForward) } }, new List<Stmt>());
        }

        // The counter is recomputed from the recorded start and trip count: no tape for it.
        string count = _names.Unique("trips");
        string start = _names.Unique("start");
        var countVar = new Var(TypeRef.Int, count);
        var startVar = new Var(TypeRef.Int, start);
        _topDeclarations.Add(new Declare(count, TypeRef.Int, new Literal(TypeRef.Int, "0")));
        _topDeclarations.Add(new Declare(start, TypeRef.Int, new Literal(TypeRef.Int, "0")));
        var body = new List<Stmt> { Increment(countVar) };
        body.AddRange(bodyForward);
        var forward = new List<Stmt>
        {
            new Assign(countVar, new Literal(TypeRef.Int, "0")),
            new Assign(startVar, counterDeclaration.Init!),
            loop with { Init = Block.Of(new List<Stmt> { counterDeclaration with { Init = startVar } }), Body = Block.Of(body) },
        };
        var reverse = new List<Stmt>();
        if (inLoop && !_fusing)
        {
            string tape = Tape(ElementKind.Int);
            forward.Add(new Invoke(tape + ".Push", new Expr[] { countVar }.ToEquatableArrayOf()));
            forward.Add(new Invoke(tape + ".Push", new Expr[] { startVar }.ToEquatableArrayOf()));
            reverse.Add(new Assign(startVar, new RawExpr(TypeRef.Int, tape + ".Pop()")));
            reverse.Add(new Assign(countVar, new RawExpr(TypeRef.Int, tape + ".Pop()")));
        }

        // Temporaries recomputed per iteration vary with it: such a loop is not a plain elementwise accumulation.
        List<Stmt> recomputations = Recomputations(loop);
        if (recomputations.Count == 0 && _options.UseTensorPrimitives && VectorLowering.TryLower(bodyReverse, loop.Counter!, startVar, countVar) is { } vectorised)
        {
            reverse.AddRange(vectorised);
            return (forward, reverse);
        }

        string k = _names.Unique("iteration");
        var kVar = new Var(TypeRef.Int, k);
        var reverseBody = new List<Stmt> { new Declare(loop.Counter!, TypeRef.Int, new Binary(TypeRef.Int, BinaryOp.Add, startVar, kVar)) };
        reverseBody.AddRange(recomputations);
        reverseBody.AddRange(CleanUpIteration(_recomputed.TryGetValue(loop.Id, out List<Declare>? temporaries) ? temporaries : new List<Declare>(), bodyReverse, recomputations));
        reverse.Add(new Loop(
            -1,
            Block.Of(new List<Stmt> { new Declare(k, TypeRef.Int, new Binary(TypeRef.Int, BinaryOp.Subtract, countVar, new Literal(TypeRef.Int, "1"))) }),
            new Binary(TypeRef.Bool, BinaryOp.GreaterOrEqual, kVar, new Literal(TypeRef.Int, "0")),
            Block.Of(new List<Stmt> { new Assign(kVar, new Binary(TypeRef.Int, BinaryOp.Subtract, kVar, new Literal(TypeRef.Int, "1"))) }),
            Block.Of(reverseBody),
            k));
        return (forward, reverse);
    }

    private (List<Stmt> Forward, List<Stmt> Reverse) ProcessLoop(Loop loop, bool inLoop, int depth)
    {
        (List<Stmt> initForward, List<Stmt> initReverse) = ProcessBlock(loop.Init, inLoop, depth + 1);
        (List<Stmt> bodyForward, List<Stmt> bodyReverse) = ProcessBlock(loop.Body, inLoop: true, depth + 1);
        (List<Stmt> updateForward, List<Stmt> updateReverse) = ProcessBlock(loop.Update, inLoop: true, depth + 1);
        var forward = new List<Stmt>(initForward);
        var body = new List<Stmt>();
        bool needsReverse = bodyReverse.Count > 0 || updateReverse.Count > 0 || initReverse.Count > 0;
        string count = needsReverse ? _names.Unique("trips") : string.Empty;
        var countVar = new Var(TypeRef.Int, count);
        if (needsReverse)
        {
            _topDeclarations.Add(new Declare(count, TypeRef.Int, new Literal(TypeRef.Int, "0")));
            forward.Add(new Assign(countVar, new Literal(TypeRef.Int, "0")));
            body.Add(Increment(countVar));
        }

        // After normalization there is no continue, so for (init; cond; update) body ≡ init; while (cond) { body; update }.
        body.AddRange(bodyForward);
        body.AddRange(updateForward);
        forward.Add(new Loop(loop.Id, Block.Empty, loop.Condition, Block.Empty, Block.Of(body), null));
        if (!needsReverse)
        {
            return (forward, new List<Stmt>());
        }

        var reverse = new List<Stmt>();
        if (inLoop && !_fusing)
        {
            string tape = Tape(ElementKind.Int);
            forward.Add(new Invoke(tape + ".Push", new Expr[] { countVar }.ToEquatableArrayOf()));
            reverse.Add(new Assign(countVar, new RawExpr(TypeRef.Int, tape + ".Pop()")));
        }

        string k = _names.Unique("iteration");
        var kVar = new Var(TypeRef.Int, k);
        var reverseBody = new List<Stmt>(updateReverse);
        reverseBody.AddRange(Recomputations(loop));
        reverseBody.AddRange(bodyReverse);
        reverse.Add(new Loop(
            -1,
            Block.Of(new List<Stmt> { new Declare(k, TypeRef.Int, countVar) }),
            new Binary(TypeRef.Bool, BinaryOp.Greater, kVar, new Literal(TypeRef.Int, "0")),
            Block.Of(new List<Stmt> { new Assign(kVar, new Binary(TypeRef.Int, BinaryOp.Subtract, kVar, new Literal(TypeRef.Int, "1"))) }),
            Block.Of(reverseBody),
            k));
        reverse.AddRange(initReverse);
        return (forward, reverse);
    }

    private static Stmt Increment(Var v) => new Assign(v, new Binary(TypeRef.Int, BinaryOp.Add, v, new Literal(TypeRef.Int, "1")));

    private static Expr DefaultOf(TypeRef type) => type.Element switch
    {
        ElementKind.Bool => new Literal(type, "false"),
        ElementKind.Int => new Literal(type, "0"),
        ElementKind.Float or ElementKind.Double => Lit(0, type),
        _ => new Literal(type, "default"),
    };

    private string Tape(ElementKind kind)
    {
        if (!_tapes.TryGetValue(kind, out string? name))
        {
            name = _names.Unique(Keyword(kind) + "Tape");
            _tapes[kind] = name;
        }

        return name;
    }

    private static string Keyword(ElementKind kind) => kind switch
    {
        ElementKind.Float => "float",
        ElementKind.Double => "double",
        ElementKind.Bool => "bool",
        _ => "int",
    };

    /// <summary>
    /// A vector declared inside a guard (after an early return) is declared before the forward sweep, so the reverse
    /// sweep can see it, and created where the user created it. A stackalloc needs a <c>scoped</c> span for that.
    /// </summary>
    private List<Stmt> HoistedVector(Declare vector)
    {
        string keyword = Keyword(vector.Type.Element);
        bool stack = vector.Init is NewVector { Stack: true };
        _topDeclarations.Add(new RawStmt(stack
            ? $"scoped global::System.Span<{keyword}> {vector.Name} = default;"
            : $"{keyword}[] {vector.Name} = global::System.Array.Empty<{keyword}>();"));
        var forward = new List<Stmt> { new Assign(new Var(vector.Type, vector.Name), vector.Init!) };
        if (_active.Contains(vector.Name))
        {
            string adjoint = _context.AdjointName(vector.Name);
            string buffer = _names.Unique(adjoint + "Buffer");
            _topDeclarations.Add(new RawStmt($"{keyword}[]? {buffer} = null;"));
            _topDeclarations.Add(new RawStmt($"global::System.Span<{keyword}> {adjoint} = default;"));
            forward.Add(new RawStmt($"{buffer} = {Pool}<{keyword}>.Shared.Rent({vector.Name}.Length);"));
            forward.Add(new RawStmt($"{adjoint} = new global::System.Span<{keyword}>({buffer}, 0, {vector.Name}.Length);"));
            forward.Add(new RawStmt($"{adjoint}.Clear();"));
            _cleanup.Add(new RawStmt($"if ({buffer} is not null) {Pool}<{keyword}>.Shared.Return({buffer});"));
        }

        return forward;
    }

    /// <summary>A pooled, zeroed adjoint buffer for a vector; returned to the pool at the end.</summary>
    private List<Stmt> RentAdjoint(string vector, ElementKind element)
    {
        string adjoint = _context.AdjointName(vector);
        return RentZeroed(adjoint, vector + ".Length", element);
    }

    private List<Stmt> RentZeroed(string spanName, string length, ElementKind element)
    {
        string keyword = Keyword(element);
        string buffer = _names.Unique(spanName + "Buffer");
        _cleanup.Add(new RawStmt($"{Pool}<{keyword}>.Shared.Return({buffer});"));
        return new List<Stmt>
        {
            new RawStmt($"{keyword}[] {buffer} = {Pool}<{keyword}>.Shared.Rent({length});"),
            new RawStmt($"global::System.Span<{keyword}> {spanName} = new global::System.Span<{keyword}>({buffer}, 0, {length});"),
            new RawStmt($"{spanName}.Clear();"),
        };
    }
}
