using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation;

/// <summary>
/// Removes control-flow flags that are set but never read (a <c>continue</c> or <c>return</c> that is the last
/// statement of its block): the C# compiler would warn CS0219 on them in the user's build.
/// </summary>
internal static class UnreadFlagElimination
{
    public static Block Apply(Block body, ISet<string> flags)
    {
        var read = new HashSet<string>();
        foreach (Stmt statement in IrWalk.Descendants(body))
        {
            foreach (Expr expr in ReadExpressions(statement))
            {
                IrWalk.CollectReads(expr, read);
            }
        }

        var unread = new HashSet<string>(flags.Where(f => !read.Contains(f)));
        return unread.Count == 0 ? body : Rewrite(body, unread);
    }

    private static IEnumerable<Expr> ReadExpressions(Stmt statement)
    {
        switch (statement)
        {
            case Declare { Init: { } init }:
                yield return init;
                break;
            case Assign a:
                yield return a.Value;
                if (a.Target is Elem e)
                {
                    yield return e.Index;
                }

                break;
            case If i:
                yield return i.Condition;
                break;
            case Loop { Condition: { } condition }:
                yield return condition;
                break;
            case Return { Value: { } value }:
                yield return value;
                break;
            case CallStmt call:
                foreach (Expr arg in call.Call.Args)
                {
                    yield return arg;
                }

                break;
            case Invoke invoke:
                foreach (Expr arg in invoke.Args)
                {
                    yield return arg;
                }

                break;
        }
    }

    private static Block Rewrite(Block block, HashSet<string> unread) =>
        new(block.Statements.Where(s => !Writes(s, unread)).Select(s => RewriteOne(s, unread)).ToEquatableArray());

    private static bool Writes(Stmt statement, HashSet<string> unread) => statement switch
    {
        Declare d => unread.Contains(d.Name),
        Assign { Target: Var v } => unread.Contains(v.Name),
        _ => false,
    };

    private static Stmt RewriteOne(Stmt statement, HashSet<string> unread) => statement switch
    {
        Block b => Rewrite(b, unread),
        If i => i with { Then = Rewrite(i.Then, unread), Else = i.Else is null ? null : Rewrite(i.Else, unread) },
        Loop l => l with { Init = Rewrite(l.Init, unread), Update = Rewrite(l.Update, unread), Body = Rewrite(l.Body, unread) },
        _ => statement,
    };
}
