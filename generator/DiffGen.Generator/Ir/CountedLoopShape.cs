using System.Linq;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Ir;

/// <summary>
/// <c>for (int i = Start; i Compare Bound; i += Step)</c> with a constant step, the comparison in the step's direction
/// and <c>i</c> never written in the body: the reverse sweep can run it backwards from its bounds.
/// </summary>
internal sealed record CountedLoopShape(string Counter, Expr Start, BinaryOp Compare, Expr Bound, int Step)
{
    public static CountedLoopShape? Of(Loop loop) => Of(loop.Init, loop.Condition, loop.Update, loop.Body);

    public static CountedLoopShape? Of(Block init, Expr? condition, Block update, Block body)
    {
        if (init.Statements.Count != 1 || init.Statements[0] is not Declare { Type.Element: ElementKind.Int, Type.IsScalar: true, Init: { } start } declare)
        {
            return null;
        }

        string i = declare.Name;
        if (update.Statements.Count != 1
            || update.Statements[0] is not Assign { Kind: AssignKind.Set, Target: Var target, Value: Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: Var left, Right: Literal literal } step }
            || target.Name != i || left.Name != i
            || !int.TryParse(literal.Text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int size) || size <= 0)
        {
            return null;
        }

        int signed = step.Op == BinaryOp.Add ? size : -size;
        if (condition is not Binary { Left: var l, Right: var r } comparison)
        {
            return null;
        }

        // i < n, or n > i read the other way round; i + c < n is i < n - c.
        (BinaryOp op, Expr bound) = IsCounter(l, i, out Expr? lShift) ? (comparison.Op, Shift(r, lShift))
            : IsCounter(r, i, out Expr? rShift) ? (Mirror(comparison.Op), Shift(l, rShift))
            : (BinaryOp.Equal, l);
        bool direction = signed > 0 ? op is BinaryOp.Less or BinaryOp.LessOrEqual : op is BinaryOp.Greater or BinaryOp.GreaterOrEqual;
        if (!direction || IrWalk.Mentions(bound, i) || IrWalk.Mentions(start, i) || !IrWalk.IsPure(bound)
            || IrWalk.Descendants(body).Any(s => IrWalk.DefinedScalar(s) == i))
        {
            return null;
        }

        return new CountedLoopShape(i, start, op, bound, signed);
    }

    /// <summary>The counter's least and greatest values as linear forms (null where the bound is not linear).</summary>
    public (LinearForm? Low, LinearForm? High) Range()
    {
        LinearForm? start = LinearForm.Of(Start);
        LinearForm? bound = LinearForm.Of(Bound);
        LinearForm? Shift(int by) => bound?.Plus(LinearForm.Of(new Literal(TypeRef.Int, by.ToString(System.Globalization.CultureInfo.InvariantCulture)))!);
        return Step > 0
            ? (start, Compare == BinaryOp.Less ? Shift(-1) : Compare == BinaryOp.LessOrEqual ? bound : null)
            : (Compare == BinaryOp.Greater ? Shift(1) : Compare == BinaryOp.GreaterOrEqual ? bound : null, start);
    }

    /// <summary>
    /// Whether an index differs from a fixed one for every value of the counter: other − fixed = a·i + r is monotone in
    /// i, so it never vanishes when it has one strict sign at the end of the range where it is smallest (or largest); a
    /// difference free of i must be a nonzero constant.
    /// </summary>
    public bool NeverMeets(Expr other, LinearForm fixedIndex)
    {
        if (LinearForm.Of(other) is not { } form)
        {
            return false;
        }

        LinearForm difference = form.Plus(fixedIndex.Scale(-1));
        long a = difference.Coefficient(Counter);
        if (a == 0)
        {
            return difference.IsConstant && difference.Constant != 0;
        }

        (LinearForm? low, LinearForm? high) = Range();
        return Sign(difference, a > 0 ? low : high) > 0 || Sign(difference, a > 0 ? high : low) < 0;
    }

    private int Sign(LinearForm difference, LinearForm? at) =>
        at is not null && difference.Substitute(Counter, at) is { IsConstant: true } value ? System.Math.Sign(value.Constant) : 0;

    /// <summary><c>i</c>, <c>i + c</c> or <c>i - c</c> with a literal c (the shift to move to the other side, if any).</summary>
    private static bool IsCounter(Expr e, string i, out Expr? shift)
    {
        shift = null;
        switch (e)
        {
            case Var v when v.Name == i:
                return true;
            case Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: Var v, Right: Literal { Type.Element: ElementKind.Int } c } b when v.Name == i:
                shift = b.Op == BinaryOp.Add ? c : new Literal(TypeRef.Int, "-" + c.Text);
                return true;
            default:
                return false;
        }
    }

    private static Expr Shift(Expr bound, Expr? shift) =>
        shift is null ? bound
        : shift is Literal { Text: var text } && text.StartsWith("-", System.StringComparison.Ordinal)
            ? new Binary(TypeRef.Int, BinaryOp.Add, bound, new Literal(TypeRef.Int, text.Substring(1)))
            : new Binary(TypeRef.Int, BinaryOp.Subtract, bound, shift);

    private static BinaryOp Mirror(BinaryOp op) => op switch
    {
        BinaryOp.Less => BinaryOp.Greater,
        BinaryOp.LessOrEqual => BinaryOp.GreaterOrEqual,
        BinaryOp.Greater => BinaryOp.Less,
        BinaryOp.GreaterOrEqual => BinaryOp.LessOrEqual,
        _ => BinaryOp.Equal,
    };
}
