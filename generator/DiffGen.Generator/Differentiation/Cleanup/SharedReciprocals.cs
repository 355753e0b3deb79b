using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// Adjoint code that divides by the same value more than once in a block (the adjoints of p0 = c0 / c2 and
/// p1 = c1 / c2 both divide by c2; those of w_i = r_i / θ by θ) divides once: <c>double inverse = 1.0 / c2;</c> before
/// the first, products after. A division costs several multiplications. Only in statements that write generated names
/// (the function's own values keep their bits), only by values of variables that nothing between the first and the
/// last use writes, and never by an element read (evaluating it earlier could fail where the original did not).
/// The gradient may differ from the divided one in the last bit.
/// </summary>
internal static class SharedReciprocals
{
    public static List<Stmt> Apply(List<Stmt> code, Func<string, bool> isGenerated, Func<string, string> temp) =>
        new Rewriter(isGenerated, temp).Statements(code);

    /// <summary>
    /// A value that may be divided into once, ahead of the divisions: not a literal, pure, and made of scalar variables
    /// and arithmetic only (an element read evaluated earlier could fail where the original did not).
    /// </summary>
    public static bool IsSafeDenominator(Expr denominator) =>
        denominator is not Literal
        && IrWalk.SelfAndDescendants(denominator).All(e => e is Var { Type.IsScalar: true } or Literal or Binary or Unary or MathCall or Model.Convert)
        && IrWalk.IsPure(denominator);

    /// <summary>Rewrites a / d as a · inverse for each real division whose d <c>inverseOf</c> gives an inverse for.</summary>
    public sealed class Products : IrRewriter
    {
        private readonly Func<Expr, Var?> _inverseOf;

        public Products(Func<Expr, Var?> inverseOf) => _inverseOf = inverseOf;

        protected override Expr VisitBinary(Binary binary) =>
            binary is { Op: BinaryOp.Divide, Type.IsReal: true } && _inverseOf(binary.Right) is { } inverse
                ? Mul(Rewrite(binary.Left), inverse)
                : base.VisitBinary(binary);
    }

    private sealed class Rewriter : IrRewriter
    {
        private readonly Func<string, bool> _isGenerated;
        private readonly Func<string, string> _temp;

        public Rewriter(Func<string, bool> isGenerated, Func<string, string> temp)
        {
            _isGenerated = isGenerated;
            _temp = temp;
        }

        public List<Stmt> Statements(IEnumerable<Stmt> statements) => RewriteList(statements).ToList();

        protected override IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements)
        {
            List<Stmt> list = statements.Select(Rewrite).ToList();
            var uses = new Dictionary<Expr, List<int>>();
            for (int k = 0; k < list.Count; k++)
            {
                if (AdjointValue(list[k]) is not { } value)
                {
                    continue;
                }

                foreach (Binary division in IrWalk.SelfAndDescendants(value).OfType<Binary>().Where(IsCandidate))
                {
                    if (!uses.TryGetValue(division.Right, out List<int>? at))
                    {
                        uses[division.Right] = at = new List<int>();
                    }

                    at.Add(k);
                }
            }

            var inverses = new List<(int First, int Last, Expr Denominator, Var Inverse)>();
            foreach (KeyValuePair<Expr, List<int>> use in uses.Where(u => u.Value.Count >= 2))
            {
                int first = use.Value[0];
                int last = use.Value[use.Value.Count - 1];
                HashSet<string> reads = IrWalk.Reads(use.Key);
                bool unchanged = true;
                for (int k = first; k <= last && unchanged; k++)
                {
                    Effects effects = Effects.Deep(list[k]);
                    unchanged = !effects.Opaque && !effects.Writes.Overlaps(reads) && !effects.VectorWrites.Overlaps(reads);
                }

                if (unchanged)
                {
                    inverses.Add((first, last, use.Key, new Var(use.Key.Type, _temp("inverse"))));
                }
            }

            if (inverses.Count == 0)
            {
                return list;
            }

            var result = new List<Stmt>();
            for (int k = 0; k < list.Count; k++)
            {
                foreach (var inverse in inverses.Where(i => i.First == k))
                {
                    result.Add(new Declare(inverse.Inverse.Name, inverse.Inverse.Type, new Binary(inverse.Inverse.Type, BinaryOp.Divide, Lit(1, inverse.Inverse.Type), inverse.Denominator)));
                }

                var active = inverses.Where(i => i.First <= k && k <= i.Last).ToDictionary(i => i.Denominator, i => i.Inverse);
                result.Add(active.Count == 0 || AdjointValue(list[k]) is null ? list[k] : new Products(d => active.TryGetValue(d, out Var? v) ? v : null).Rewrite(list[k]));
            }

            return result;
        }

        /// <summary>The value a statement of adjoint code assigns (its target a generated name), or null.</summary>
        private Expr? AdjointValue(Stmt statement) => statement switch
        {
            Declare { Init: { } init } declare when _isGenerated(declare.Name) => init,
            Assign { Target: Var target } assign when _isGenerated(target.Name) => assign.Value,
            Assign { Target: Elem target } assign when _isGenerated(target.Array) => assign.Value,
            _ => null,
        };

        private static bool IsCandidate(Binary division) =>
            division is { Op: BinaryOp.Divide, Type.IsReal: true } && IsSafeDenominator(division.Right);
    }
}
