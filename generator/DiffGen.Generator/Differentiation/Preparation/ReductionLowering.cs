using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Preparation;

/// <summary>
/// Only under <c>AllowReassociation</c>: a counted loop whose whole body accumulates a dot product, a sum or a sum of
/// squares over consecutive elements (<c>for (i = lo; i &lt; hi; i++) a += w[k * n + i] * x[i];</c>) becomes one
/// vectorised reduction over slices, <c>if (hi &gt; lo) a += Dot(w[k * n + lo ..], x[lo ..])</c>. The reduction adds in
/// another order, so its value differs from the loop's by rounding; its adjoint is exact for what it computes.
/// </summary>
internal sealed class ReductionLowering : IrRewriter
{
    public static Block Apply(Block body) => new ReductionLowering().RewriteBlock(body);

    protected override Stmt VisitLoop(Loop loop)
    {
        var rewritten = (Loop)base.VisitLoop(loop);
        return TryLower(rewritten) ?? rewritten;
    }

    private static Stmt? TryLower(Loop loop)
    {
        if (CountedLoopShape.Of(loop) is not { Step: 1, Compare: BinaryOp.Less or BinaryOp.LessOrEqual } shape
            || loop.Body.Statements.Count != 1
            || loop.Body.Statements[0] is not Assign { Kind: AssignKind.Set, Target: Var sum, Value: Binary { Op: BinaryOp.Add, Left: Var left, Right: var term } } accumulate
            || left.Name != sum.Name || !sum.Type.IsRealScalar || IrWalk.Mentions(term, sum.Name))
        {
            return null;
        }

        string i = shape.Counter;
        Expr length = shape.Compare == BinaryOp.Less
            ? Subtract(shape.Bound, shape.Start)
            : new Binary(TypeRef.Int, BinaryOp.Add, Subtract(shape.Bound, shape.Start), new Literal(TypeRef.Int, "1"));
        VectorReduce? reduce = term switch
        {
            Binary { Op: BinaryOp.Multiply, Left: Elem a, Right: Elem b } when a.Equals(b) && Slice(a, i, shape.Start, length, sum.Type) is { } x
                => new VectorReduce(sum.Type, ReduceOp.SumOfSquares, new Expr[] { x }.ToEquatableArray()),
            Binary { Op: BinaryOp.Multiply, Left: Elem a, Right: Elem b } when Slice(a, i, shape.Start, length, sum.Type) is { } x && Slice(b, i, shape.Start, length, sum.Type) is { } y
                => new VectorReduce(sum.Type, ReduceOp.Dot, new Expr[] { x, y }.ToEquatableArray()),
            Elem a when Slice(a, i, shape.Start, length, sum.Type) is { } x
                => new VectorReduce(sum.Type, ReduceOp.Sum, new Expr[] { x }.ToEquatableArray()),
            _ => null,
        };
        if (reduce is null)
        {
            return null;
        }

        var add = new Assign(sum, new Binary(sum.Type, BinaryOp.Add, sum, reduce)) { Source = accumulate.Source ?? loop.Source };
        if (length is LengthOf || (length is Literal l && int.TryParse(l.Text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0))
        {
            return add;
        }

        // A loop that may run zero times (or fewer) must not become a slice of negative length.
        var nonEmpty = new Binary(TypeRef.Bool, BinaryOp.Greater, length, new Literal(TypeRef.Int, "0"));
        return new If(nonEmpty, Block.Of(new Stmt[] { add }), null) { Source = loop.Source };
    }

    /// <summary>The elements <c>offset + i</c> for i in [start, start + length), when the offset does not depend on i.</summary>
    private static SliceOf? Slice(Elem element, string i, Expr start, Expr length, TypeRef type)
    {
        Expr? offset = element.Index switch
        {
            Var v when v.Name == i => null,
            Binary { Op: BinaryOp.Add, Right: Var r } b when r.Name == i && !IrWalk.Mentions(b.Left, i) => b.Left,
            Binary { Op: BinaryOp.Add, Left: Var l } b when l.Name == i && !IrWalk.Mentions(b.Right, i) => b.Right,
            _ => element.Index,
        };
        if (element.Type != type || (offset is not null && IrWalk.Mentions(offset, i)))
        {
            return null;
        }

        Expr first = offset is null ? start : start is Literal { Text: "0" } ? offset : new Binary(TypeRef.Int, BinaryOp.Add, offset, start);
        return new SliceOf(new TypeRef(type.Element, Shape.ReadOnlySpan), element.Array, first, length);
    }

    private static Expr Subtract(Expr bound, Expr start) =>
        start is Literal { Text: "0" } ? bound : new Binary(TypeRef.Int, BinaryOp.Subtract, bound, start);
}
