using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Ir;

/// <summary>An integer expression as Σ cᵥ·v + k (variables times constant coefficients, plus a constant), when it is one.</summary>
internal sealed class LinearForm
{
    private LinearForm(Dictionary<string, long> terms, long constant)
    {
        Terms = terms;
        Constant = constant;
    }

    public Dictionary<string, long> Terms { get; }

    public long Constant { get; }

    public bool IsConstant => Terms.Values.All(c => c == 0);

    public long Coefficient(string name) => Terms.TryGetValue(name, out long c) ? c : 0;

    public static LinearForm? Of(Expr e)
    {
        switch (e)
        {
            case Literal { Type.Element: ElementKind.Int } l when long.TryParse(l.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value):
                return new LinearForm(new Dictionary<string, long>(), value);
            case Var { Type.Element: ElementKind.Int, Type.IsScalar: true } v:
                return new LinearForm(new Dictionary<string, long> { [v.Name] = 1 }, 0);
            case Unary { Op: UnaryOp.Negate } u:
                return Of(u.Operand)?.Scale(-1);
            case Binary { Op: BinaryOp.Add or BinaryOp.Subtract } b when Of(b.Left) is { } left && Of(b.Right) is { } right:
                return left.Plus(b.Op == BinaryOp.Add ? right : right.Scale(-1));
            case Binary { Op: BinaryOp.Multiply } b:
                {
                    LinearForm? left = Of(b.Left);
                    LinearForm? right = Of(b.Right);
                    if (left is { IsConstant: true })
                    {
                        return right?.Scale(left.Constant);
                    }

                    return right is { IsConstant: true } ? left?.Scale(right.Constant) : null;
                }

            default:
                return null;
        }
    }

    public LinearForm Scale(long factor) => new(Terms.ToDictionary(p => p.Key, p => p.Value * factor), Constant * factor);

    public LinearForm Plus(LinearForm other)
    {
        var terms = new Dictionary<string, long>(Terms);
        foreach (KeyValuePair<string, long> term in other.Terms)
        {
            terms[term.Key] = (terms.TryGetValue(term.Key, out long c) ? c : 0) + term.Value;
        }

        return new LinearForm(terms, Constant + other.Constant);
    }

    /// <summary>The form with <paramref name="name"/> replaced by <paramref name="value"/>.</summary>
    public LinearForm Substitute(string name, LinearForm value)
    {
        long coefficient = Coefficient(name);
        var rest = new LinearForm(Terms.Where(p => p.Key != name).ToDictionary(p => p.Key, p => p.Value), Constant);
        return coefficient == 0 ? rest : rest.Plus(value.Scale(coefficient));
    }
}
