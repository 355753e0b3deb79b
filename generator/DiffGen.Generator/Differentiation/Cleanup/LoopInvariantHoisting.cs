using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using DiffGen.Generator.Simplification;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// Moves real-valued subexpressions of a fused loop's adjoint code that the loop does not change (such as
/// <c>2.0 * 100.0 * dsum</c>, with the accumulator's adjoint constant through the loop) into temporaries before the
/// loop. The JIT does not hoist these floating-point products itself. Only pure arithmetic on scalars moves: no
/// element reads, no calls that could have effects, nothing of integer type (which could throw).
/// </summary>
internal static class LoopInvariantHoisting
{
    /// <param name="adjointCode">The statements to rewrite.</param>
    /// <param name="written">What the loop writes (<see cref="WrittenIn"/>).</param>
    /// <param name="hoisted">Receives the declarations to place before the loop.</param>
    /// <param name="temp">Makes a fresh temporary name.</param>
    public static List<Stmt> Apply(List<Stmt> adjointCode, HashSet<string> written, List<Stmt> hoisted, Func<string> temp)
    {
        var rewriter = new Rewriter(written, hoisted, temp);
        return adjointCode.Select(rewriter.Statement).ToList();
    }

    /// <summary>The variables the loop's statements declare or assign; null if they contain code the IR cannot see into.</summary>
    public static HashSet<string>? WrittenIn(IEnumerable<Stmt> loopStatements)
    {
        Effects effects = Effects.Deep(loopStatements);
        if (effects.Opaque || IrWalk.Descendants(loopStatements).Any(s => s is CallStmt))
        {
            return null;
        }

        var written = new HashSet<string>(effects.Writes);
        written.UnionWith(effects.VectorWrites);
        written.UnionWith(effects.Declares);
        return written;
    }

    private sealed class Rewriter
    {
        private readonly HashSet<string> _written;
        private readonly List<Stmt> _hoisted;
        private readonly Func<string> _temp;
        private readonly Dictionary<Expr, Var> _names = new();

        public Rewriter(HashSet<string> written, List<Stmt> hoisted, Func<string> temp)
        {
            _written = written;
            _hoisted = hoisted;
            _temp = temp;
        }

        public Stmt Statement(Stmt statement) => statement switch
        {
            Declare { Init: { } init } d => d with { Init = Expression(init) },
            Assign a => a with { Value = Expression(a.Value) },
            If i => i with { Then = Block(i.Then), Else = i.Else is null ? null : Block(i.Else) },
            _ => statement,
        };

        private Block Block(Block block) => new(block.Statements.Select(Statement).ToEquatableArray());

        private Expr Expression(Expr e)
        {
            // (2·a)·c with c invariant, from the a·a rule: as (2·c)·a the invariant half moves out. Exact both ways,
            // since doubling is exact.
            if (e is Binary { Op: BinaryOp.Multiply, Left: Binary { Op: BinaryOp.Multiply, Left: var two, Right: var value } doubled, Right: var adjoint } product
                && ExprBuilder.IsLiteral(two, 2) && !IsInvariant(value) && IsInvariant(adjoint) && MentionsVariable(adjoint))
            {
                e = product with { Left = doubled with { Right = adjoint }, Right = value };
            }

            if (e.Type.IsReal && e.Type.IsScalar && e is Binary or Unary or MathCall && IsInvariant(e) && MentionsVariable(e))
            {
                if (!_names.TryGetValue(e, out Var? name))
                {
                    name = new Var(e.Type, _temp());
                    _hoisted.Add(new Declare(name.Name, e.Type, e));
                    _names[e] = name;
                }

                return name;
            }

            return e switch
            {
                Binary b => b with { Left = Expression(b.Left), Right = Expression(b.Right) },
                Unary u => u with { Operand = Expression(u.Operand) },
                MathCall m => m with { Args = m.Args.Select(Expression).ToEquatableArray() },
                Conditional c => c with { WhenTrue = Expression(c.WhenTrue), WhenFalse = Expression(c.WhenFalse) },
                Model.Convert c => c with { Operand = Expression(c.Operand) },
                _ => e,
            };
        }

        private bool IsInvariant(Expr e) => e switch
        {
            Literal => true,
            Var v => !_written.Contains(v.Name),
            Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide } b => IsInvariant(b.Left) && IsInvariant(b.Right),
            Unary { Op: UnaryOp.Negate or UnaryOp.Plus } u => IsInvariant(u.Operand),
            MathCall m => m.Args.All(IsInvariant),
            Model.Convert c => c.Operand.Type.IsReal && IsInvariant(c.Operand),
            _ => false,
        };

        private static bool MentionsVariable(Expr e) => e is Var || IrWalk.Children(e).Any(MentionsVariable);
    }
}
