using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation;

/// <summary>
/// Reverse sweep of one expression: given the adjoint of its value, emits one adjoint update per active leaf.
/// Intermediate values a partial derivative needs are recomputed once into named temporaries (the state is the
/// one the statement saw, thanks to the tape), so nothing is recomputed twice within a statement.
/// </summary>
internal sealed class ExpressionAdjoint
{
    private readonly ReverseContext _context;
    private readonly Dictionary<Expr, Expr> _values = new();

    public ExpressionAdjoint(ReverseContext context) => _context = context;

    public void Propagate(Expr e, Expr g, List<Stmt> output)
    {
        if (!_context.IsActive(e))
        {
            return;
        }

        switch (e)
        {
            case Var v:
                Accumulate(new Var(v.Type, _context.AdjointName(v.Name)), g, output);
                break;
            case Elem el:
                Accumulate(new Elem(el.Type, _context.AdjointName(el.Array), Value(el.Index, output)), g, output);
                break;
            case Unary { Op: UnaryOp.Negate } u:
                Propagate(u.Operand, Neg(g), output);
                break;
            case Unary { Op: UnaryOp.Plus } u:
                Propagate(u.Operand, g, output);
                break;
            case Binary b:
                PropagateBinary(b, g, output);
                break;
            case Conditional c:
                {
                    Expr condition = Value(c.Condition, output);
                    Expr shared = Share(g, output);
                    var whenTrue = new List<Stmt>();
                    var whenFalse = new List<Stmt>();
                    // Temporaries bound inside a branch are scoped to it.
                    var saved = new Dictionary<Expr, Expr>(_values);
                    Propagate(c.WhenTrue, shared, whenTrue);
                    _values.Clear();
                    foreach (var pair in saved)
                    {
                        _values[pair.Key] = pair.Value;
                    }

                    Propagate(c.WhenFalse, shared, whenFalse);
                    _values.Clear();
                    foreach (var pair in saved)
                    {
                        _values[pair.Key] = pair.Value;
                    }

                    output.Add(new If(condition, Block.Of(whenTrue), whenFalse.Count > 0 ? Block.Of(whenFalse) : null));
                    break;
                }

            case MathCall m:
                PropagateMath(m, g, output);
                break;
            case Convert c when c.Operand.Type.IsReal:
                Propagate(c.Operand, ConvertTo(g, c.Operand.Type), output);
                break;
        }
    }

    private void PropagateBinary(Binary b, Expr g, List<Stmt> output)
    {
        bool left = _context.IsActive(b.Left);
        bool right = _context.IsActive(b.Right);
        if (left && right)
        {
            g = Share(g, output);
        }

        switch (b.Op)
        {
            case BinaryOp.Add:
                Propagate(b.Left, g, output);
                Propagate(b.Right, g, output);
                break;
            case BinaryOp.Subtract:
                Propagate(b.Left, g, output);
                Propagate(b.Right, Neg(g), output);
                break;
            case BinaryOp.Multiply when left && b.Left.Equals(b.Right):
                // a·a: one contribution 2a·ḡ instead of two equal ones. The adjoint comes last: 2a is ready early, and
                // (2a)·ḡ equals (2ḡ)·a exactly (doubling is exact), so the chain that waits for ḡ is one multiply.
                Propagate(b.Left, Mul(Mul(Lit(2, b.Type), Value(b.Left, output)), g), output);
                break;
            case BinaryOp.Multiply when right && b.Left is Binary { Op: BinaryOp.Multiply } scaled && scaled.Right.Equals(b.Right) && !_context.IsActive(scaled.Left):
                // (k·a)·a, as in 100 * t * t: one contribution 2k·a·ḡ.
                Propagate(b.Right, Mul(Mul(Mul(Lit(2, b.Type), Value(scaled.Left, output)), g), Value(b.Right, output)), output);
                break;
            case BinaryOp.Multiply:
                if (left)
                {
                    Propagate(b.Left, Mul(g, Value(b.Right, output)), output);
                }

                if (right)
                {
                    Propagate(b.Right, Mul(Value(b.Left, output), g), output);
                }

                break;
            case BinaryOp.Divide:
                {
                    Expr denominator = Value(b.Right, output);
                    if (left)
                    {
                        Propagate(b.Left, Div(g, denominator), output);
                    }

                    if (right)
                    {
                        // d(a/b)/db = -(a/b)/b
                        Expr quotient = Value(b, output);
                        Propagate(b.Right, Neg(Div(Mul(g, quotient), denominator)), output);
                    }

                    break;
                }
        }
    }

    private void PropagateMath(MathCall m, Expr g, List<Stmt> output)
    {
        var args = m.Args.Select(a => Value(a, output)).ToList();
        bool[] active = m.Args.Select(a => _context.IsActive(a)).ToArray();
        Expr? y = DerivativeRules.UsesValue(m.Fn) ? Value(new MathCall(m.Type, m.Fn, args.ToEquatableArrayOf()), output) : null;
        g = Share(g, output);
        Expr?[] contributions = DerivativeRules.Contributions(m.Fn, args, y, g, active, e => Bind(e, output));
        for (int i = 0; i < m.Args.Count; i++)
        {
            if (active[i] && contributions[i] is { } contribution)
            {
                Propagate(m.Args[i], contribution, output);
            }
        }
    }

    private static void Accumulate(Expr target, Expr g, List<Stmt> output)
    {
        if (g is Unary { Op: UnaryOp.Negate } negated)
        {
            output.Add(new Assign(target, negated.Operand, AssignKind.Subtract));
        }
        else
        {
            output.Add(new Assign(target, g, AssignKind.Add));
        }
    }

    /// <summary>The value of a primal subexpression as an atom, computing it into a temporary once if needed.</summary>
    public Expr Value(Expr e, List<Stmt> output)
    {
        _context.RecordReads(e);
        if (IsAtomic(e))
        {
            return e;
        }

        if (_values.TryGetValue(e, out Expr? known))
        {
            return known;
        }

        Expr bound = Bind(e, output);
        _values[e] = bound;
        return bound;
    }

    private Expr Bind(Expr e, List<Stmt> output, string prefix = "v")
    {
        if (IsAtomic(e))
        {
            return e;
        }

        string name = _context.Temp(prefix);
        output.Add(new Declare(name, e.Type, e));
        return new Var(e.Type, name);
    }

    /// <summary>An adjoint used more than once is bound to a temporary.</summary>
    private Expr Share(Expr g, List<Stmt> output) => Bind(g, output, "g");
}

internal static class EquatableArrayOfExtensions
{
    public static Helpers.EquatableArray<T> ToEquatableArrayOf<T>(this IEnumerable<T> items)
        => new(items);
}
