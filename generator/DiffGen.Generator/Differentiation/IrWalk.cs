using System.Collections.Generic;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation;

/// <summary>Small structural queries over the IR.</summary>
internal static class IrWalk
{
    public static IEnumerable<Expr> Children(Expr expr)
    {
        switch (expr)
        {
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
            case Convert c:
                yield return c.Operand;
                break;
            case NewVector n:
                yield return n.Length;
                break;
            case RefArg r:
                yield return r.Target;
                break;
        }
    }

    /// <summary>Every variable name the expression reads (scalars, vectors whose elements or length it reads).</summary>
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
        }

        foreach (Expr child in Children(expr))
        {
            CollectReads(child, into);
        }
    }

    public static bool Mentions(Expr expr, string name)
    {
        var reads = new HashSet<string>();
        CollectReads(expr, reads);
        return reads.Contains(name);
    }

    /// <summary>Variables a generated statement reads; false for statements whose reads are not visible in the IR.</summary>
    public static bool TryCollectStatementReads(Stmt statement, HashSet<string> into)
    {
        switch (statement)
        {
            case Declare d:
                if (d.Init is not null)
                {
                    IrWalk.CollectReads(d.Init, into);
                }

                return true;
            case Assign a:
                IrWalk.CollectReads(a.Value, into);
                if (a.Target is Elem e)
                {
                    IrWalk.CollectReads(e.Index, into);
                }

                return true;
            case If i:
                IrWalk.CollectReads(i.Condition, into);
                return true;
            case Block or Comment:
                return true;
            default:
                return false;
        }
    }

    public static IEnumerable<Stmt> Descendants(IEnumerable<Stmt> statements) => Descendants(Block.Of(statements));

    public static IEnumerable<Stmt> Descendants(Block block)
    {
        foreach (Stmt statement in block.Statements)
        {
            yield return statement;
            foreach (Block child in ChildBlocks(statement))
            {
                foreach (Stmt inner in Descendants(child))
                {
                    yield return inner;
                }
            }
        }
    }

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
                yield return l.Update;
                yield return l.Body;
                break;
        }
    }

    /// <summary>The name a statement (re)defines, or null.</summary>
    public static string? DefinedScalar(Stmt statement) => statement switch
    {
        Declare { Type.IsScalar: true } d => d.Name,
        Assign { Target: Var v } => v.Name,
        CallStmt { ResultVar: { } r } => r,
        _ => null,
    };
}

/// <summary>Finds the counter of a counted loop: <c>for (int i = a; …; i++)</c> with <c>i</c> never written in the body.</summary>
internal static class CountedLoop
{
    public static string? FindCounter(Block init, Block update, Block body)
    {
        if (init.Statements.Count != 1 || init.Statements[0] is not Declare { Type.Element: ElementKind.Int, Type.IsScalar: true, Init: not null } declare)
        {
            return null;
        }

        if (update.Statements.Count != 1
            || update.Statements[0] is not Assign { Target: Var target, Value: Binary { Op: BinaryOp.Add, Left: Var left, Right: Literal { Text: "1" } } }
            || target.Name != declare.Name || left.Name != declare.Name)
        {
            return null;
        }

        foreach (Stmt statement in IrWalk.Descendants(body))
        {
            if (IrWalk.DefinedScalar(statement) == declare.Name)
            {
                return null;
            }
        }

        return declare.Name;
    }
}
