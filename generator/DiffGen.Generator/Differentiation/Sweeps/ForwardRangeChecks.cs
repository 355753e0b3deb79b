using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Sweeps;

/// <summary>
/// The forward copy of a user's counted loop that only reads vectors and computes scalars (a dot product
/// <c>z += w[r * n + k] * x[k]</c>) checks each vector's index range once before it, with the exception the loop's own
/// first bad access would throw, and then reads without a check per element. Only reads every iteration evaluates
/// count (not those under a branch); the arithmetic is the user's, so the value keeps its bits.
/// </summary>
internal sealed class ForwardRangeChecks : IrRewriter
{
    public static List<Stmt> Apply(List<Stmt> code) => new ForwardRangeChecks().RewriteBlock(Block.Of(code)).Statements.ToList();

    protected override IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements)
    {
        foreach (Stmt statement in statements)
        {
            Stmt rewritten = Rewrite(statement);
            if (rewritten is Loop loop && TryUncheck(loop, out List<Stmt> guards, out Loop unchecked_))
            {
                foreach (Stmt guard in guards)
                {
                    yield return guard;
                }

                yield return unchecked_;
            }
            else
            {
                yield return rewritten;
            }
        }
    }

    private static bool TryUncheck(Loop loop, out List<Stmt> guards, out Loop result)
    {
        guards = new List<Stmt>();
        result = loop;
        if (loop.Id < 0 || CountedLoopShape.Of(loop) is not { Step: 1, Compare: BinaryOp.Less or BinaryOp.LessOrEqual } shape)
        {
            return false;
        }

        Effects body = Effects.Deep(loop.Body.Statements);
        var written = new HashSet<string>(body.Writes) { shape.Counter };
        if (body.Opaque || body.VectorWrites.Count > 0 || IrWalk.Descendants(loop.Body).Any(s => s is CallStmt)
            || IrWalk.Reads(shape.Bound).Overlaps(written) || IrWalk.Reads(shape.Start).Overlaps(written) || !IrWalk.IsPure(shape.Start))
        {
            return false;
        }

        // (vector, offset) pairs read at offset + counter in every iteration.
        var ranges = new List<(string Array, Expr Offset)>();
        foreach (Stmt statement in loop.Body.Statements)
        {
            IEnumerable<Expr> evaluated = statement switch
            {
                Declare { Init: { } init } => new[] { init },
                Assign { Target: Var } a => new[] { a.Value },
                _ => System.Array.Empty<Expr>(),
            };
            foreach (Expr expr in evaluated)
            {
                foreach (Elem element in EvaluatedElements(expr))
                {
                    if (Offset(element.Index, shape.Counter) is { } offset && IrWalk.IsPure(offset) && !IrWalk.Reads(offset).Overlaps(written)
                        && !ranges.Any(r => r.Array == element.Array && r.Offset.Equals(offset)))
                    {
                        ranges.Add((element.Array, offset));
                    }
                }
            }
        }

        if (ranges.Count == 0)
        {
            return false;
        }

        // if (start < bound) check [offset + start, offset + last] for each vector, then read unchecked.
        Expr last = shape.Compare == BinaryOp.Less ? new Binary(TypeRef.Int, BinaryOp.Subtract, shape.Bound, new Literal(TypeRef.Int, "1")) : shape.Bound;
        var checks = ranges.Select(r => (Stmt)new RangeGuard(r.Array, Plus(r.Offset, shape.Start), Plus(r.Offset, last))).ToList();
        var nonEmpty = new Binary(TypeRef.Bool, shape.Compare, shape.Start, shape.Bound);
        guards.Add(new If(nonEmpty, Block.Of(checks), null));
        var rewriter = new Unchecking(ranges, shape.Counter);
        result = loop with { Body = Block.Of(loop.Body.Statements.Select(s => s is Declare or Assign { Target: Var } ? rewriter.Top(s) : s)) };
        return true;
    }

    /// <summary>Element reads evaluated whenever the expression is (not under a ?: branch or the right of &amp;&amp; / ||).</summary>
    private static IEnumerable<Elem> EvaluatedElements(Expr expr)
    {
        switch (expr)
        {
            case Elem { Type.IsScalar: true } element:
                yield return element;
                yield break;
            case Conditional c:
                foreach (Elem e in EvaluatedElements(c.Condition))
                {
                    yield return e;
                }

                yield break;
            case Binary { Op: BinaryOp.And or BinaryOp.Or } logical:
                foreach (Elem e in EvaluatedElements(logical.Left))
                {
                    yield return e;
                }

                yield break;
        }

        foreach (Expr child in IrWalk.Children(expr))
        {
            foreach (Elem e in EvaluatedElements(child))
            {
                yield return e;
            }
        }
    }

    /// <summary><c>k</c> → 0, <c>b + k</c> or <c>k + b</c> → b; anything else → null.</summary>
    private static Expr? Offset(Expr index, string counter) => index switch
    {
        Var v when v.Name == counter => new Literal(TypeRef.Int, "0"),
        Binary { Op: BinaryOp.Add, Right: Var r } b when r.Name == counter && !IrWalk.Mentions(b.Left, counter) => b.Left,
        Binary { Op: BinaryOp.Add, Left: Var l } b when l.Name == counter && !IrWalk.Mentions(b.Right, counter) => b.Right,
        _ => null,
    };

    private static Expr Plus(Expr offset, Expr value) =>
        offset is Literal { Text: "0" } ? value : value is Literal { Text: "0" } ? offset : new Binary(TypeRef.Int, BinaryOp.Add, offset, value);

    /// <summary>Replaces the checked reads (the evaluated ones, at a checked offset) by unchecked reads.</summary>
    private sealed class Unchecking : IrRewriter
    {
        private readonly List<(string Array, Expr Offset)> _ranges;
        private readonly string _counter;
        private bool _evaluated = true;

        public Unchecking(List<(string Array, Expr Offset)> ranges, string counter)
        {
            _ranges = ranges;
            _counter = counter;
        }

        public Stmt Top(Stmt statement) => Rewrite(statement);

        public override Expr Rewrite(Expr e)
        {
            switch (e)
            {
                case Elem { Type.IsScalar: true } element when _evaluated && Offset(element.Index, _counter) is { } offset
                    && _ranges.Any(r => r.Array == element.Array && r.Offset.Equals(offset)):
                    return new UncheckedRead(element.Type, element.Array, element.Index);
                case Conditional c:
                    {
                        Expr condition = Rewrite(c.Condition);
                        bool saved = _evaluated;
                        _evaluated = false;
                        Expr whenTrue = Rewrite(c.WhenTrue), whenFalse = Rewrite(c.WhenFalse);
                        _evaluated = saved;
                        return c with { Condition = condition, WhenTrue = whenTrue, WhenFalse = whenFalse };
                    }

                case Binary { Op: BinaryOp.And or BinaryOp.Or } logical:
                    {
                        Expr left = Rewrite(logical.Left);
                        bool saved = _evaluated;
                        _evaluated = false;
                        Expr right = Rewrite(logical.Right);
                        _evaluated = saved;
                        return logical with { Left = left, Right = right };
                    }

                default:
                    return base.Rewrite(e);
            }
        }
    }
}
