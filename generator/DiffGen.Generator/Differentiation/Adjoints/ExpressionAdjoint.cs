using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using DiffGen.Generator.Ir;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Adjoints;

/// <summary>
/// Reverse sweep of one expression: given the adjoint of its value, one adjoint update per active leaf. A value a
/// partial derivative needs is computed once into a named temporary (the forward sweep has already kept the costly
/// ones in locals, see <see cref="Preparation.ValueExtraction"/>), and an adjoint used twice is shared.
/// </summary>
internal sealed class ExpressionAdjoint
{
    private readonly AdjointScope _scope;
    private readonly Dictionary<Expr, Expr> _values = new();

    public ExpressionAdjoint(AdjointScope scope) => _scope = scope;

    /// <summary>A value a variable already holds (a declaration's own initializer): read it instead of computing it again.</summary>
    public void Know(Expr e, Var holder) => _values[e] = holder;

    public void Propagate(Expr e, Expr g, List<Stmt> output)
    {
        if (!_scope.IsActive(e))
        {
            return;
        }

        switch (e)
        {
            case Var v:
                Accumulate(_scope.AdjointVar(v.Name), g, output);
                break;
            case Elem el:
                Accumulate(new Elem(el.Type, _scope.AdjointOf(el.Array), Index(el.Index, output)), g, output);
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
                    Expr shared = Share(g, c, output);
                    var whenTrue = new List<Stmt>();
                    var whenFalse = new List<Stmt>();

                    // Temporaries bound inside a branch are scoped to it.
                    var saved = new Dictionary<Expr, Expr>(_values);
                    Propagate(c.WhenTrue, shared, whenTrue);
                    Restore(saved);
                    Propagate(c.WhenFalse, shared, whenFalse);
                    Restore(saved);
                    output.Add(new If(condition, Block.Of(whenTrue), whenFalse.Count > 0 ? Block.Of(whenFalse) : null));
                    break;
                }

            case MathCall m:
                PropagateMath(m, g, output);
                break;
            case Model.Convert c when c.Operand.Type.IsReal:
                Propagate(c.Operand, ConvertTo(g, c.Operand.Type), output);
                break;
            case VectorReduce r:
                PropagateReduction(r, Share(g, r, output), output);
                break;
        }
    }

    /// <summary>Σ aᵢ: each daᵢ += ḡ; Σ aᵢbᵢ: daᵢ += ḡ·bᵢ, dbᵢ += ḡ·aᵢ; Σ aᵢ²: daᵢ += 2ḡ·aᵢ — one vector kernel each.</summary>
    private void PropagateReduction(VectorReduce reduce, Expr g, List<Stmt> output)
    {
        SliceOf AdjointSlice(SliceOf s) => new(new TypeRef(s.Type.Element, Shape.Span), _scope.AdjointOf(s.Vector), s.Start, s.Length);
        bool Active(Expr operand) => operand is SliceOf s && _scope.IsActive(s.Vector);
        var a = (SliceOf)reduce.Operands[0];
        switch (reduce.Op)
        {
            case ReduceOp.Sum when Active(a):
                output.Add(new VectorKernel(KernelOp.AddScalar, AdjointSlice(a), new[] { g }.ToEquatableArray()));
                break;
            case ReduceOp.SumOfSquares when Active(a):
                output.Add(new VectorKernel(KernelOp.MultiplyAdd, AdjointSlice(a), new Expr[] { a, Mul(Lit(2, reduce.Type), g) }.ToEquatableArray()));
                break;
            case ReduceOp.Dot:
                {
                    var b = (SliceOf)reduce.Operands[1];
                    if (Active(a))
                    {
                        output.Add(new VectorKernel(KernelOp.MultiplyAdd, AdjointSlice(a), new Expr[] { b, g }.ToEquatableArray()));
                    }

                    if (Active(b))
                    {
                        output.Add(new VectorKernel(KernelOp.MultiplyAdd, AdjointSlice(b), new Expr[] { a, g }.ToEquatableArray()));
                    }

                    break;
                }
        }
    }

    private void Restore(Dictionary<Expr, Expr> saved)
    {
        _values.Clear();
        foreach (KeyValuePair<Expr, Expr> pair in saved)
        {
            _values[pair.Key] = pair.Value;
        }
    }

    private void PropagateBinary(Binary b, Expr g, List<Stmt> output)
    {
        bool left = _scope.IsActive(b.Left);
        bool right = _scope.IsActive(b.Right);
        if (left && right)
        {
            g = Share(g, b, output);
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
            case BinaryOp.Multiply when right && b.Left is Binary { Op: BinaryOp.Multiply } scaled && scaled.Right.Equals(b.Right) && !_scope.IsActive(scaled.Left):
                // (k·a)·a, as in 100 * t * t: one contribution 2k·a·ḡ.
                Propagate(b.Right, Mul(Mul(Mul(Lit(2, b.Type), Value(scaled.Left, output)), g), Value(b.Right, output)), output);
                break;
            case BinaryOp.Multiply when RepeatedFactors(b, _scope.IsActive) is { } factors:
                PropagateProduct(factors, g, output);
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
                    if (left && right)
                    {
                        // Both sides need g/b: d(a/b)/db = -(a/b)/b, so b's share is -(g/b)·(a/b), one division for both.
                        Expr perDenominator = Share(Div(g, denominator), b.Left, output);
                        Propagate(b.Left, perDenominator, output);
                        Propagate(b.Right, Neg(Mul(perDenominator, Value(b, output))), output);
                    }
                    else if (left)
                    {
                        Propagate(b.Left, Div(g, denominator), output);
                    }
                    else if (right)
                    {
                        // For 1/b, -(1/b)² is a product instead of a second division.
                        Expr quotient = Value(b, output);
                        Expr contribution = IsLiteral(b.Left, 1) ? Neg(Mul(g, Mul(quotient, quotient))) : Neg(Div(Mul(g, quotient), denominator));
                        Propagate(b.Right, contribution, output);
                    }

                    break;
                }
        }
    }

    /// <summary>
    /// A product of three or more in which an active factor repeats (<c>u * u * u</c>, <c>x * x * y</c>): each distinct
    /// active factor f, appearing m times, receives m·f^(m−1)·(the other factors)·ḡ. Taken pairwise, <c>u * u * u</c>
    /// costs five products and a recomputed <c>u * u</c>; as a power it is one contribution 3u²·ḡ.
    /// </summary>
    private void PropagateProduct(List<Expr> factors, Expr g, List<Stmt> output)
    {
        foreach ((Expr factor, int count, List<Expr> others) in PowerShares(factors, _scope.IsActive))
        {
            Expr rest = others.Select(other => Value(other, output)).Aggregate(Mul);
            Propagate(factor, Mul(count == 1 ? rest : Mul(Lit(count, g.Type), rest), g), output);
        }
    }

    private void PropagateMath(MathCall m, Expr g, List<Stmt> output)
    {
        bool[] active = m.Args.Select(a => _scope.IsActive(a)).ToArray();
        var args = m.Args.Select((a, i) => DerivativeRules.UsesArgument(m.Fn, i) || m.Fn == MathFn.Pow ? Value(a, output) : a).ToList();
        Expr? y = DerivativeRules.UsesValue(m.Fn, exponentActive: m.Fn != MathFn.Pow || active[1])
            ? Value(new MathCall(m.Type, m.Fn, args.ToEquatableArray()), output)
            : null;
        g = Share(g, m, output);
        Expr?[] contributions = DerivativeRules.Contributions(m.Fn, args, y, g, active, e => Bind(e, "t", output), e => Value(e, output));
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

    /// <summary>An element index: integer arithmetic on variables is written again (the JIT shares it), anything else kept once.</summary>
    public Expr Index(Expr index, List<Stmt> output) => IsIntegerArithmetic(index) ? index : Value(index, output);

    private static bool IsIntegerArithmetic(Expr e) => e switch
    {
        Var or Literal or LengthOf => e.Type.Element == ElementKind.Int,
        Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } b => b.Type.Element == ElementKind.Int && IsIntegerArithmetic(b.Left) && IsIntegerArithmetic(b.Right),
        _ => false,
    };

    /// <summary>The value of a primal subexpression as an atom, computing it into a temporary once if needed.</summary>
    public Expr Value(Expr e, List<Stmt> output)
    {
        if (IsAtomic(e))
        {
            return e;
        }

        if (_values.TryGetValue(e, out Expr? known))
        {
            return known;
        }

        // Parts already held in locals are read from them (the quotient a/b reuses the bound b).
        Expr bound = Bind(new KnownParts(_values).Rewrite(e), AdjointScope.HintFor(e), output);
        _values[e] = bound;
        return bound;
    }

    /// <summary>Replaces each subexpression whose value a local already holds by that local.</summary>
    private sealed class KnownParts(Dictionary<Expr, Expr> values) : IrRewriter
    {
        public override Expr Rewrite(Expr e) => values.TryGetValue(e, out Expr? known) ? known : base.Rewrite(e);
    }

    private Expr Bind(Expr e, string hint, List<Stmt> output)
    {
        if (IsAtomic(e))
        {
            return e;
        }

        string name = _scope.Temp(hint);
        output.Add(new Declare(name, e.Type, e));
        return new Var(e.Type, name);
    }

    /// <summary>The adjoint of <paramref name="of"/>, used more than once, in a temporary named after it.</summary>
    private Expr Share(Expr g, Expr of, List<Stmt> output) => Bind(g, "d" + AdjointScope.HintFor(of), output);
}
