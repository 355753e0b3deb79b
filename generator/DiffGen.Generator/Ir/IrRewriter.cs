using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Ir;

/// <summary>
/// The one rewriter over the IR. Every node type has a virtual method whose default rebuilds the node from its
/// rewritten children (a new instance, so reference-keyed analyses never confuse an old node with a new one); a node
/// type this class does not know is an error, so adding a node means adding it here and nowhere else.
/// </summary>
internal abstract class IrRewriter
{
    public virtual Expr Rewrite(Expr e) => e switch
    {
        Literal x => VisitLiteral(x),
        Var x => VisitVar(x),
        Elem x => VisitElem(x),
        LengthOf x => x with { },
        Unary x => x with { Operand = Rewrite(x.Operand) },
        Binary x => VisitBinary(x),
        Conditional x => x with { Condition = Rewrite(x.Condition), WhenTrue = Rewrite(x.WhenTrue), WhenFalse = Rewrite(x.WhenFalse) },
        MathCall x => x with { Args = RewriteAll(x.Args) },
        Model.Convert x => x with { Operand = Rewrite(x.Operand) },
        OpaqueCall x => x with { Args = RewriteAll(x.Args) },
        Opaque x => x with { Args = RewriteAll(x.Args), WrittenVectors = RenameVectors(x.WrittenVectors) },
        NewVector x => x with { Length = Rewrite(x.Length) },
        RefArg x => new RefArg(Rewrite(x.Target), x.Out),
        StaticValue x => x with { },
        DefaultValue x => x with { },
        TapePop x => x with { },
        SliceOf x => x with { Start = Rewrite(x.Start), Length = Rewrite(x.Length) },
        VectorReduce x => x with { Operands = RewriteAll(x.Operands) },
        _ => throw new InvalidOperationException("IrRewriter does not know " + e.GetType().Name),
    };

    protected virtual Expr VisitLiteral(Literal literal) => literal with { };

    protected virtual Expr VisitVar(Var variable) => variable with { };

    protected virtual Expr VisitElem(Elem element) => element with { Index = Rewrite(element.Index) };

    /// <summary>The vectors an <see cref="Opaque"/> writes, renamed as the element accesses are (see <see cref="VisitElem"/>).</summary>
    private EquatableArray<string> RenameVectors(EquatableArray<string> vectors) =>
        vectors.Select(v => VisitElem(new Elem(TypeRef.Double, v, new Literal(TypeRef.Int, "0"))) is Elem e ? e.Array : v).ToEquatableArray();

    protected virtual Expr VisitBinary(Binary binary) => binary with { Left = Rewrite(binary.Left), Right = Rewrite(binary.Right) };

    public EquatableArray<Expr> RewriteAll(EquatableArray<Expr> items) => items.Select(Rewrite).ToEquatableArray();

    /// <summary>Rewrites one statement; a statement list may replace it by several (see <see cref="RewriteList"/>).</summary>
    public virtual Stmt Rewrite(Stmt s) => s switch
    {
        Block x => RewriteBlock(x),
        Declare x => VisitDeclare(x),
        Assign x => VisitAssign(x),
        If x => VisitIf(x),
        Loop x => VisitLoop(x),
        PushRange x => x with { Count = x.Count is null ? null : Rewrite(x.Count) },
        PopRange x => x with { Count = x.Count is null ? null : Rewrite(x.Count) },
        Break or Continue or Comment or DeclareTape or DisposeTape or SlotBind or DeclareBuffer or ReturnBuffer or ClearVector or LengthGuard => s with { },
        Return x => x with { Value = x.Value is null ? null : Rewrite(x.Value) },
        CallStmt x => x with { Call = x.Call with { Args = RewriteAll(x.Call.Args) } },
        PullbackCall x => x with { Args = RewriteAll(x.Args) },
        Push x => x with { Value = Rewrite(x.Value) },
        Evaluate x => x with { Code = (Opaque)Rewrite(x.Code) },
        RentBuffer x => x with { Length = Rewrite(x.Length) },
        VectorKernel x => x with { Destination = (SliceOf)Rewrite(x.Destination), Operands = RewriteAll(x.Operands) },
        _ => throw new InvalidOperationException("IrRewriter does not know " + s.GetType().Name),
    };

    protected virtual Stmt VisitDeclare(Declare declare) => declare with { Init = declare.Init is null ? null : Rewrite(declare.Init) };

    protected virtual Stmt VisitAssign(Assign assign) => assign with { Target = Rewrite(assign.Target), Value = Rewrite(assign.Value) };

    protected virtual Stmt VisitIf(If branch) => branch with
    {
        Condition = Rewrite(branch.Condition),
        Then = RewriteBlock(branch.Then),
        Else = branch.Else is null ? null : RewriteBlock(branch.Else),
    };

    protected virtual Stmt VisitLoop(Loop loop) => loop with
    {
        Init = RewriteBlock(loop.Init),
        Condition = loop.Condition is null ? null : Rewrite(loop.Condition),
        Update = RewriteBlock(loop.Update),
        Body = RewriteBlock(loop.Body),
    };

    public Block RewriteBlock(Block block) => block with { Statements = RewriteList(block.Statements).ToEquatableArray() };

    /// <summary>Rewrites a statement list; override to drop, split or merge statements.</summary>
    protected virtual IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements) => statements.Select(Rewrite);

    /// <summary>Rebuilds every node: a copy that shares no instance with the original (for reference-keyed analyses).</summary>
    public static Block Copy(Block block) => CopyRewriter.Instance.RewriteBlock(block);

    private sealed class CopyRewriter : IrRewriter
    {
        public static readonly CopyRewriter Instance = new();
    }
}

/// <summary>Replaces variables by expressions (or renames them) wherever they are read or written.</summary>
internal sealed class Substitution : IrRewriter
{
    private readonly IReadOnlyDictionary<string, Expr> _map;

    public Substitution(IReadOnlyDictionary<string, Expr> map) => _map = map;

    protected override Expr VisitVar(Var variable) => _map.TryGetValue(variable.Name, out Expr? replacement) ? replacement : variable;

    protected override Expr VisitElem(Elem element) =>
        element with { Array = _map.TryGetValue(element.Array, out Expr? r) && r is Var v ? v.Name : element.Array, Index = Rewrite(element.Index) };
}
