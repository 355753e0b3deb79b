using System.Collections.Generic;
using System.Globalization;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Differentiation.Planning;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Sweeps;

/// <summary>
/// The header of a loop's reverse: a counted loop runs its counter backwards (from its own bounds, or from the
/// recorded start and trip count); any other loop runs its recorded trip count down.
/// </summary>
internal static class ReverseLoops
{
    public static Stmt Header(Loop loop, TripPlan trips, List<Stmt> body, AdjointScope scope)
    {
        if (trips.Shape is { Step: 1 or -1 } shape && (trips.FromBounds || trips.Start is not null))
        {
            string i = shape.Counter;
            int step = shape.Step;
            Expr start = trips.FromBounds ? shape.Start : Int(trips.Start!);
            Expr first = trips.FromBounds
                ? shape.Compare switch
                {
                    BinaryOp.Less => Plus(shape.Bound, -1),
                    BinaryOp.Greater => Plus(shape.Bound, 1),
                    _ => shape.Bound,
                }
                : step > 0
                    ? Plus(new Binary(TypeRef.Int, BinaryOp.Add, start, Int(trips.Trips!)), -1)
                    : Plus(new Binary(TypeRef.Int, BinaryOp.Subtract, start, Int(trips.Trips!)), 1);
            Expr condition = new Binary(TypeRef.Bool, step > 0 ? BinaryOp.GreaterOrEqual : BinaryOp.LessOrEqual, Int(i), start);
            Stmt update = new Assign(Int(i), new Binary(TypeRef.Int, step > 0 ? BinaryOp.Subtract : BinaryOp.Add, Int(i), Literal(1)));
            return new Loop(-1, Block.Of(new Stmt[] { new Declare(i, TypeRef.Int, first) }), condition, Block.Of(new[] { update }), Block.Of(body), i);
        }

        string k = scope.Temp("iteration");
        if (trips.Shape is { } stepped)
        {
            // for (int k = trips - 1; k >= 0; k--) { int i = start + k * step; … }
            var counter = new Declare(stepped.Counter, TypeRef.Int, new Binary(TypeRef.Int, BinaryOp.Add, Int(trips.Start!), new Binary(TypeRef.Int, BinaryOp.Multiply, Int(k), Literal(stepped.Step))));
            body.Insert(0, counter);
            return new Loop(
                -1,
                Block.Of(new Stmt[] { new Declare(k, TypeRef.Int, Plus(Int(trips.Trips!), -1)) }),
                new Binary(TypeRef.Bool, BinaryOp.GreaterOrEqual, Int(k), Literal(0)),
                Block.Of(new Stmt[] { new Assign(Int(k), new Binary(TypeRef.Int, BinaryOp.Subtract, Int(k), Literal(1))) }),
                Block.Of(body),
                k);
        }

        return new Loop(
            -1,
            Block.Of(new Stmt[] { new Declare(k, TypeRef.Int, Int(trips.Trips!)) }),
            new Binary(TypeRef.Bool, BinaryOp.Greater, Int(k), Literal(0)),
            Block.Of(new Stmt[] { new Assign(Int(k), new Binary(TypeRef.Int, BinaryOp.Subtract, Int(k), Literal(1))) }),
            Block.Of(body),
            null);
    }

    private static Var Int(string name) => new(TypeRef.Int, name);

    private static Literal Literal(int value) => new(TypeRef.Int, value.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>e + delta</c>, folded when <c>e</c> is a literal or already ends in one (<c>n - 1 + 1</c> is <c>n</c>).</summary>
    private static Expr Plus(Expr e, int delta)
    {
        if (delta == 0)
        {
            return e;
        }

        if (e is Literal l && int.TryParse(l.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            return Literal(value + delta);
        }

        if (e is Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Right: Literal r } b
            && int.TryParse(r.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int c))
        {
            int combined = (b.Op == BinaryOp.Add ? c : -c) + delta;
            return combined == 0 ? b.Left : Plus(b.Left, combined);
        }

        return delta > 0
            ? new Binary(TypeRef.Int, BinaryOp.Add, e, Literal(delta))
            : new Binary(TypeRef.Int, BinaryOp.Subtract, e, Literal(-delta));
    }
}
