using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Ir;

/// <summary>Structural queries over the IR, exhaustive over node types (an unknown node is an error, never skipped).</summary>
internal static class IrWalk
{
    public static IEnumerable<Expr> Children(Expr expr)
    {
        switch (expr)
        {
            case Literal or Var or LengthOf or StaticValue or DefaultValue or TapePop:
                break;
            case Elem e:
                yield return e.Index;
                break;
            case Unary u:
                yield return u.Operand;
                break;
            case Binary b:
                yield return b.Left;
                yield return b.Right;
                break;
            case Conditional c:
                yield return c.Condition;
                yield return c.WhenTrue;
                yield return c.WhenFalse;
                break;
            case MathCall m:
                foreach (Expr a in m.Args)
                {
                    yield return a;
                }

                break;
            case OpaqueCall o:
                foreach (Expr a in o.Args)
                {
                    yield return a;
                }

                break;
            case Opaque o:
                foreach (Expr a in o.Args)
                {
                    yield return a;
                }

                break;
            case Model.Convert c:
                yield return c.Operand;
                break;
            case NewVector n:
                yield return n.Length;
                break;
            case RefArg r:
                yield return r.Target;
                break;
            case SliceOf s:
                yield return s.Start;
                yield return s.Length;
                break;
            case VectorReduce v:
                foreach (Expr a in v.Operands)
                {
                    yield return a;
                }

                break;
            default:
                throw new InvalidOperationException("IrWalk does not know " + expr.GetType().Name);
        }
    }

    /// <summary>Every variable the expression reads: scalars, and vectors whose elements, length or slices it reads.</summary>
    public static void CollectReads(Expr expr, HashSet<string> into)
    {
        switch (expr)
        {
            case Var v:
                into.Add(v.Name);
                break;
            case Elem e:
                into.Add(e.Array);
                break;
            case LengthOf l:
                into.Add(l.Array);
                break;
            case SliceOf s:
                into.Add(s.Vector);
                break;
            case Opaque o:
                into.UnionWith(o.WrittenVectors);
                break;
        }

        foreach (Expr child in Children(expr))
        {
            CollectReads(child, into);
        }
    }

    public static HashSet<string> Reads(Expr expr)
    {
        var reads = new HashSet<string>();
        CollectReads(expr, reads);
        return reads;
    }

    public static bool Mentions(Expr expr, string name) => Reads(expr).Contains(name);

    /// <summary>All nodes of the expression, the expression first.</summary>
    public static IEnumerable<Expr> SelfAndDescendants(Expr expr)
    {
        yield return expr;
        foreach (Expr child in Children(expr))
        {
            foreach (Expr inner in SelfAndDescendants(child))
            {
                yield return inner;
            }
        }
    }

    /// <summary>
    /// Pure: evaluating it twice, or moving it, changes nothing but time (no calls the IR cannot see into, no tape pops).
    /// Element reads count as pure (the same index reads the same element between writes).
    /// </summary>
    public static bool IsPure(Expr expr) => SelfAndDescendants(expr).All(e => e is not (OpaqueCall or Opaque or TapePop or NewVector));

    public static IEnumerable<Block> ChildBlocks(Stmt statement)
    {
        switch (statement)
        {
            case Block b:
                yield return b;
                break;
            case If i:
                yield return i.Then;
                if (i.Else is not null)
                {
                    yield return i.Else;
                }

                break;
            case Loop l:
                yield return l.Init;
                yield return l.Body;
                yield return l.Update;
                break;
        }
    }

    public static IEnumerable<Stmt> Descendants(IEnumerable<Stmt> statements)
    {
        foreach (Stmt statement in statements)
        {
            yield return statement;
            foreach (Block child in ChildBlocks(statement))
            {
                foreach (Stmt inner in Descendants(child.Statements))
                {
                    yield return inner;
                }
            }
        }
    }

    public static IEnumerable<Stmt> Descendants(Block block) => Descendants(block.Statements);

    /// <summary>The expressions a statement holds itself (not those of nested blocks), targets included.</summary>
    public static IEnumerable<Expr> OwnExpressions(Stmt statement) => statement switch
    {
        Declare d => d.Init is null ? Array.Empty<Expr>() : new[] { d.Init },
        Assign a => new[] { a.Target, a.Value },
        If i => new[] { i.Condition },
        Loop l => l.Condition is null ? Array.Empty<Expr>() : new[] { l.Condition },
        Return r => r.Value is null ? Array.Empty<Expr>() : new[] { r.Value },
        CallStmt c => c.Call.Args,
        PullbackCall p => p.Args,
        Push p => new[] { p.Value },
        Evaluate e => new Expr[] { e.Code },
        RentBuffer r => new[] { r.Length },
        VectorKernel k => new Expr[] { k.Destination }.Concat(k.Operands),
        PushRange { Count: { } count } => new[] { count },
        PopRange { Count: { } count } => new[] { count },
        Block or Break or Continue or Comment or DeclareTape or DisposeTape or PushRange or PopRange or SlotBind or DeclareBuffer or ReturnBuffer or ClearVector or LengthGuard => Array.Empty<Expr>(),
        _ => throw new InvalidOperationException("IrWalk does not know " + statement.GetType().Name),
    };

    /// <summary>The name a statement (re)defines as a scalar, or null.</summary>
    public static string? DefinedScalar(Stmt statement) => statement switch
    {
        Declare { Type.IsScalar: true } d => d.Name,
        Assign { Target: Var v } => v.Name,
        CallStmt { ResultVar: { } r } => r,
        PullbackCall { Result: { } value } => value.Name,
        _ => null,
    };

    public static string TargetName(Expr target) => target switch
    {
        Var v => v.Name,
        Elem e => e.Array,
        _ => string.Empty,
    };
}
