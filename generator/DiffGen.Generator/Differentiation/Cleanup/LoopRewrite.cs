using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// Replaces loops, innermost first, by what a rewrite makes of them (null: the loop stays). Stack blocks the rewrites
/// ask for are declared once, at the top of the method: a <c>stackalloc</c> inside a loop would grow the stack on
/// every iteration.
/// </summary>
internal sealed class LoopRewrite : IrRewriter
{
    private readonly Func<Loop, List<Stmt>, List<Stmt>?> _rewrite;
    private readonly List<Stmt> _blocks = new();
    private bool _changed;

    private LoopRewrite(Func<Loop, List<Stmt>, List<Stmt>?> rewrite) => _rewrite = rewrite;

    /// <summary>The code with its loops rewritten, or null when no rewrite applied.</summary>
    /// <param name="rewrite">Given a loop and the list of block declarations to add to; returns its replacement or null.</param>
    public static List<Stmt>? Apply(List<Stmt> code, Func<Loop, List<Stmt>, List<Stmt>?> rewrite)
    {
        var pass = new LoopRewrite(rewrite);
        List<Stmt> rewritten = pass.RewriteList(code).ToList();
        if (!pass._changed)
        {
            return null;
        }

        rewritten.InsertRange(0, pass._blocks);
        return rewritten;
    }

    /// <summary><c>Span&lt;T&gt; name = stackalloc T[size];</c></summary>
    public static Declare StackBlock(string name, ElementKind element, int size)
    {
        var span = new TypeRef(element, Shape.Span);
        return new Declare(name, span, new NewVector(span, LiteralFormatter.Int(size), Stack: true));
    }

    protected override IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements)
    {
        var result = new List<Stmt>();
        foreach (Stmt statement in statements.Select(Rewrite))
        {
            if (statement is Loop loop && _rewrite(loop, _blocks) is { } replaced)
            {
                _changed = true;
                result.AddRange(replaced);
            }
            else
            {
                result.Add(statement);
            }
        }

        return result;
    }
}
