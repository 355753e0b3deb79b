using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Differentiation.Analysis;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Forward;

/// <summary>
/// Forward mode as one pass over the IR: every statement that writes a varied value is joined by its tangent
/// statement (the tangent first when it reads what the statement overwrites, after it when it reads the statement's
/// value, such as exp's), control flow stays as it is, and generated constructs get their tangent twins: a varied tape
/// is mirrored by a tangent tape (push for push, pop for pop), a rented adjoint buffer by a rented tangent buffer, a
/// vector kernel by its tangent kernels. The body may be the user's method (a pushforward), a generated pullback (its
/// pushforward is forward-over-reverse) or a generated pushforward (forward-over-forward).
/// </summary>
internal sealed class ForwardPass
{
    private readonly TangentScope _scope;
    private readonly ForwardCalls _calls;
    private readonly Dictionary<string, string> _spanOfBuffer = new();

    /// <param name="scope">Varied variables and tangent names.</param>
    /// <param name="calls">How calls are differentiated.</param>
    public ForwardPass(TangentScope scope, ForwardCalls calls)
    {
        _scope = scope;
        _calls = calls;
    }

    /// <summary>Tangent buffers rented by the pass (for <c>new T[n]</c> locals), returned before the method returns.</summary>
    public List<Stmt> Epilogue { get; } = new();

    /// <summary>Declarations of those buffers, at the start of the method.</summary>
    public List<Stmt> Prologue { get; } = new();

    public TangentScope Scope => _scope;

    public List<Stmt> Transform(IEnumerable<Stmt> statements)
    {
        var output = new List<Stmt>();
        foreach (Stmt statement in statements)
        {
            output.AddRange(Statement(statement));
        }

        return output;
    }

    private Block TransformBlock(Block block) => Block.Of(Transform(block.Statements));

    private IEnumerable<Stmt> Statement(Stmt statement)
    {
        switch (statement)
        {
            case Block b:
                return new[] { TransformBlock(b) };
            case Declare d:
                return OfDeclare(d);
            case Assign a:
                return OfAssign(a);
            case If i:
                return new[] { i with { Then = TransformBlock(i.Then), Else = i.Else is null ? null : TransformBlock(i.Else) } };
            case Loop l:
                return new[] { l with { Init = TransformBlock(l.Init), Body = TransformBlock(l.Body), Update = TransformBlock(l.Update) } };
            case Return r:
                return OfReturn(r);
            case CallStmt c:
                return _calls.OfCall(c, this);
            case PullbackCall p:
                return _calls.OfPullbackCall(p, this);
            case Push p when _scope.IsVaried(p.Tape):
                {
                    var output = new List<Stmt>();
                    Expr tangent = Tangent(p.Value, output) ?? Lit(0, _scope.TypeOf(p.Tape));
                    output.Add(new Push(_scope.TangentOf(p.Tape), tangent));
                    output.Add(p);
                    return output;
                }

            case Push p:
                return new Stmt[] { p };
            case PushRange p:
                return _scope.IsVaried(p.Tape) ? new Stmt[] { p, p with { Tape = _scope.TangentOf(p.Tape), Vector = _scope.TangentOf(p.Vector) } } : new Stmt[] { p };
            case PopRange p:
                return _scope.IsVaried(p.Tape) ? new Stmt[] { p, p with { Tape = _scope.TangentOf(p.Tape), Vector = _scope.TangentOf(p.Vector) } } : new Stmt[] { p };
            case DeclareTape t:
                return _scope.IsVaried(t.Name) ? new Stmt[] { t, new DeclareTape(_scope.TangentOf(t.Name), t.Element) } : new Stmt[] { t };
            case DisposeTape t:
                return _scope.IsVaried(t.Name) ? new Stmt[] { t, new DisposeTape(_scope.TangentOf(t.Name)) } : new Stmt[] { t };
            case RentBuffer r:
                _spanOfBuffer[r.Buffer] = r.Span;
                return _scope.IsVaried(r.Span)
                    ? new Stmt[] { r, new RentBuffer(_scope.TangentOf(r.Buffer), _scope.TangentOf(r.Span), r.Element, r.Length, r.Declared) }
                    : new Stmt[] { r };
            case DeclareBuffer b:
                _spanOfBuffer[b.Buffer] = b.Span;
                return _scope.IsVaried(b.Span) ? new Stmt[] { b, new DeclareBuffer(_scope.TangentOf(b.Buffer), _scope.TangentOf(b.Span), b.Element) } : new Stmt[] { b };
            case ReturnBuffer r:
                return _spanOfBuffer.TryGetValue(r.Buffer, out string? span) && _scope.IsVaried(span)
                    ? new Stmt[] { r, r with { Buffer = _scope.TangentOf(r.Buffer) } }
                    : new Stmt[] { r };
            case ClearVector c:
                return _scope.IsVaried(c.Vector) ? new Stmt[] { c, new ClearVector(_scope.TangentOf(c.Vector)) } : new Stmt[] { c };
            case VectorKernel k:
                return OfKernel(k);
            case LengthGuard or Comment or Break or Continue or Evaluate:
                // Evaluate: the user's code without a derivative, run as written (its values are constants).
                return new[] { statement };
            default:
                throw new DifferentiationException(FailureKind.Unsupported, "forward mode does not know " + statement.GetType().Name);
        }
    }

    /// <summary>The tangent of an expression in the current state (null: zero); temporaries it needs go into <paramref name="before"/>.</summary>
    public Expr? Tangent(Expr e, List<Stmt> before) => new TangentRules(_scope, Binder(before), null, null).Of(e);

    /// <summary>The tangent of a variable or slice (a vector alias: no temporaries).</summary>
    private Expr? Tangent(Expr e) => new TangentRules(_scope, BindUnsupported, null, null).Of(e);

    private static Expr BindUnsupported(Expr e) => throw Unsupported("a vector alias whose tangent needs a temporary");

    private IEnumerable<Stmt> OfDeclare(Declare d)
    {
        if (d.Type.IsVector)
        {
            return OfVectorDeclare(d);
        }

        if (!d.Type.IsReal || !_scope.IsVaried(d.Name))
        {
            return new[] { d };
        }

        var output = new List<Stmt>();
        Expr? tangent = null;
        if (d.Init is not null)
        {
            var rules = new TangentRules(_scope, Binder(output), d.Init, new Var(d.Type, d.Name));
            tangent = rules.Of(d.Init);
        }

        output.Add(d);
        output.Add(new Declare(_scope.TangentOf(d.Name), d.Type, tangent ?? Lit(0, d.Type)));
        return output;
    }

    private IEnumerable<Stmt> OfVectorDeclare(Declare d)
    {
        if (!d.Type.IsReal || !_scope.IsVaried(d.Name))
        {
            return new[] { d };
        }

        string tangent = _scope.TangentOf(d.Name);
        switch (d.Init)
        {
            case NewVector { Stack: true } n:
                return new Stmt[] { d, new Declare(tangent, n.Type, n, d.Scoped) };
            case NewVector n:
                return new Stmt[] { d, PooledTangent(tangent, n.Type.Element, n.Length) };
            case null or DefaultValue:
                return new Stmt[] { d, new Declare(tangent, SpanOf(d.Type), d.Init is null ? null : new DefaultValue(SpanOf(d.Type)), d.Scoped) };
            case Var or SliceOf:
                return new Stmt[] { d, new Declare(tangent, d.Type, Tangent(d.Init) ?? throw Unsupported("an alias of a vector that carries no tangent")) };
            case Opaque:
                // A vector the code without a derivative hands over (a row of data, double[] x = xs[i]): its values are
                // constants, so its tangent starts at zero, as a heap vector's does.
                return new Stmt[] { d, PooledTangent(tangent, d.Type.Element, new LengthOf(d.Name)) };
            default:
                throw Unsupported("a vector initialised by " + d.Init.GetType().Name);
        }
    }

    /// <summary>
    /// A heap vector's tangent: from the pool (zeroed), back before the method returns. The vector may be declared in a
    /// block (a region after an early return), so the buffer is declared first.
    /// </summary>
    private Stmt PooledTangent(string tangent, ElementKind element, Expr length)
    {
        string buffer = _scope.Temp(tangent + "Buffer");
        Prologue.Add(new DeclareBuffer(buffer, tangent, element));
        Epilogue.Add(new ReturnBuffer(buffer, element, MayBeNull: true));
        return new RentBuffer(buffer, tangent, element, length, Declared: false);
    }

    private static TypeRef SpanOf(TypeRef type) => type.Shape == Shape.Array ? new TypeRef(type.Element, Shape.Span) : type;

    private IEnumerable<Stmt> OfAssign(Assign a)
    {
        string name = IrWalk.TargetName(a.Target);
        if (!a.Target.Type.IsReal || !_scope.IsVaried(name))
        {
            return new[] { a };
        }

        if (a.Target is Var { Type.IsVector: true } vector)
        {
            Expr tangentValue = a.Value is NewVector n ? n : Tangent(a.Value) ?? throw Unsupported("a vector rebound to one that carries no tangent");
            return new Stmt[] { a, new Assign(new Var(vector.Type, _scope.TangentOf(vector.Name)), tangentValue) };
        }

        Expr target = TangentTarget(a.Target);
        bool usesValue = a.Kind == AssignKind.Set && TangentRules.UsesValue(a.Value, _scope);
        if (usesValue && IrWalk.Reads(a.Value).Contains(name))
        {
            // x = exp(x): the value goes through a local first, so the tangent can read both the old x and the new value.
            string temp = _scope.Temp(AdjointScope.HintFor(a.Value));
            _scope.DeclareType(temp, a.Target.Type);
            _scope.Varied.Add(temp);
            var output = new List<Stmt>(OfDeclare(new Declare(temp, a.Target.Type, a.Value)));
            output.Add(new Assign(target, new Var(a.Target.Type, _scope.TangentOf(temp))));
            output.Add(a with { Value = new Var(a.Target.Type, temp) });
            return output;
        }

        var code = new List<Stmt>();
        var rules = new TangentRules(_scope, Binder(code), a.Value, usesValue ? a.Target : null);
        Expr? tangent = rules.Of(a.Value);
        if (tangent is null)
        {
            if (a.Kind == AssignKind.Set)
            {
                code.Add(new Assign(target, Lit(0, a.Target.Type)));
            }

            code.Add(a);
            return code;
        }

        if (a.Kind == AssignKind.Set && tangent == target)
        {
            // t = t + c: the tangent is unchanged.
            code.Add(a);
            return code;
        }

        var tangentAssign = new Assign(target, tangent, a.Kind);
        if (usesValue)
        {
            code.Add(a);
            code.Add(tangentAssign);
        }
        else
        {
            code.Add(tangentAssign);
            code.Add(a);
        }

        return code;
    }

    private Expr TangentTarget(Expr target) => target switch
    {
        Var v => new Var(v.Type, _scope.TangentOf(v.Name)),
        Elem e => e with { Array = _scope.TangentOf(e.Array) },
        _ => throw Unsupported("an assignment to " + target.GetType().Name),
    };

    /// <summary>A return (of a body the caller did not strip of it) first hands back the tangent buffers.</summary>
    private IEnumerable<Stmt> OfReturn(Return r) => Epilogue.Append(r).ToList();

    private IEnumerable<Stmt> OfKernel(VectorKernel k)
    {
        if (!_scope.IsVaried(k.Destination.Vector))
        {
            return new[] { k };
        }

        var before = new List<Stmt>();
        var output = new List<Stmt> { k };
        var destination = (SliceOf)Tangent(k.Destination, before)!;
        Expr?[] tangents = k.Operands.Select(o => Tangent(o, before)).ToArray();
        Expr? T(int i) => tangents[i];
        switch (k.Op)
        {
            case KernelOp.AddScalar or KernelOp.SubtractScalar or KernelOp.AddVector or KernelOp.SubtractVector:
                if (T(0) is { } only)
                {
                    output.Add(new VectorKernel(k.Op, destination, new[] { only }.ToEquatableArray()));
                }

                break;
            case KernelOp.MultiplyAdd:
                if (T(0) is { } dx)
                {
                    output.Add(new VectorKernel(KernelOp.MultiplyAdd, destination, new[] { dx, k.Operands[1] }.ToEquatableArray()));
                }

                if (T(1) is { } dc)
                {
                    output.Add(new VectorKernel(KernelOp.MultiplyAdd, destination, new[] { k.Operands[0], dc }.ToEquatableArray()));
                }

                break;
            case KernelOp.MultiplyAddVectors:
                if (T(0) is { } dl)
                {
                    output.Add(new VectorKernel(KernelOp.MultiplyAddVectors, destination, new[] { dl, k.Operands[1] }.ToEquatableArray()));
                }

                if (T(1) is { } dr)
                {
                    output.Add(new VectorKernel(KernelOp.MultiplyAddVectors, destination, new[] { k.Operands[0], dr }.ToEquatableArray()));
                }

                break;
        }

        before.AddRange(output);
        return before;
    }

    /// <summary>A binder that declares a temporary in <paramref name="output"/> (before the statement) and returns it.</summary>
    public System.Func<Expr, Expr> Binder(List<Stmt> output) => e =>
    {
        string temp = _scope.Temp(AdjointScope.HintFor(e));
        output.Add(new Declare(temp, e.Type, e));
        return new Var(e.Type, temp);
    };

    public static DifferentiationException Unsupported(string what) => new(FailureKind.Unsupported, "forward mode: " + what);
}
