using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// Moves a fused loop's sign flips into the constants before the loop. Adjoints of subtractions come out as
/// <c>dx[k] -= g4 + 2.0 * v2 * g0</c> or <c>da = -g3</c>; when a term is a product with a hoisted invariant
/// (<c>g4 = c7 * u</c>), the sign can go into a negated copy of that invariant instead (<c>c8 = -c7</c>), giving
/// <c>dx[k] += g4 - 2.0 * v2 * g0</c>: the JIT then folds the load of <c>dx[k]</c> into the add (a subtraction cannot
/// take its memory operand on the left) and no negation runs per iteration. Every rewrite is exact in IEEE arithmetic
/// (rounding is symmetric in sign: <c>(−a) − b = −(a + b)</c>, <c>(−c)·u = −(c·u)</c>), so the gradient keeps its bits.
/// </summary>
internal static class NegationFolding
{
    /// <param name="forward">The iteration's forward code (read, to count uses).</param>
    /// <param name="adjoint">The iteration's adjoint code, after hoisting.</param>
    /// <param name="written">What the loop writes (<see cref="LoopInvariantHoisting.WrittenIn"/>): the rest is invariant.</param>
    /// <param name="hoisted">The declarations hoisted before the loop; negated invariants are appended.</param>
    /// <param name="temp">Makes a fresh temporary name.</param>
    public static List<Stmt> Apply(List<Stmt> forward, List<Stmt> adjoint, HashSet<string> written, List<Stmt> hoisted, Func<string> temp)
    {
        var code = new List<Stmt>(adjoint);
        var reads = new Dictionary<string, int>();
        foreach (Stmt statement in IrWalk.Descendants(forward.Concat(code)))
        {
            if (!CountReads(statement, reads))
            {
                return adjoint;
            }
        }

        var folder = new Folder(code, reads, written, hoisted, temp);
        for (int k = 0; k < code.Count; k++)
        {
            code[k] = folder.Statement(k, code[k]);
        }

        return code;
    }

    private static bool CountReads(Stmt statement, Dictionary<string, int> reads)
    {
        IEnumerable<Expr> expressions = statement switch
        {
            Declare d => d.Init is null ? Array.Empty<Expr>() : new[] { d.Init },
            Assign { Target: Elem e } a => new[] { a.Value, e.Index },
            Assign { Target: Var v, Kind: not AssignKind.Set } a => new[] { a.Value, v },
            Assign a => new[] { a.Value },
            If i => new[] { i.Condition },
            Comment or Block => Array.Empty<Expr>(),
            _ => null!,
        };
        if (expressions is null)
        {
            return false;
        }

        foreach (Expr e in expressions)
        {
            Count(e, reads);
        }

        return true;
    }

    private static void Count(Expr e, Dictionary<string, int> reads)
    {
        if (e is Var v)
        {
            reads[v.Name] = reads.TryGetValue(v.Name, out int n) ? n + 1 : 1;
        }

        foreach (Expr child in IrWalk.Children(e))
        {
            Count(child, reads);
        }
    }

    private sealed class Folder
    {
        private readonly List<Stmt> _code;
        private readonly Dictionary<string, int> _reads;
        private readonly List<Stmt> _hoisted;
        private readonly Func<string> _temp;
        private readonly HashSet<string> _written;
        private readonly Dictionary<string, Var> _negatedInvariants = new();

        public Folder(List<Stmt> code, Dictionary<string, int> reads, HashSet<string> written, List<Stmt> hoisted, Func<string> temp)
        {
            _code = code;
            _reads = reads;
            _written = written;
            _hoisted = hoisted;
            _temp = temp;
        }

        public Stmt Statement(int index, Stmt statement)
        {
            switch (statement)
            {
                // dx[k] -= a + b  →  dx[k] += (−a) − b, when −a costs nothing (a + b = b + a exactly, so b may go first).
                case Assign { Target: Elem, Kind: AssignKind.Subtract, Value: var value } assign:
                    {
                        List<Expr> terms = Terms(value);
                        for (int first = 0; first < Math.Min(2, terms.Count); first++)
                        {
                            if (Negated(terms[first], index, commit: false) is not null)
                            {
                                Expr sum = Negated(terms[first], index, commit: true)!;
                                for (int k = 0; k < terms.Count; k++)
                                {
                                    if (k != first)
                                    {
                                        sum = new Binary(sum.Type, BinaryOp.Subtract, sum, terms[k]);
                                    }
                                }

                                return assign with { Value = sum, Kind = AssignKind.Add };
                            }
                        }

                        return statement;
                    }

                // da = −g3  →  da = g3 with g3's definition negated.
                case Assign { Target: Var, Kind: AssignKind.Set, Value: Unary { Op: UnaryOp.Negate, Operand: var operand } } assign
                    when Negated(operand, index, commit: false) is not null:
                    return assign with { Value = Negated(operand, index, commit: true)! };
                default:
                    return statement;
            }
        }

        /// <summary>a + b + c as [a, b, c] (left-nested sums only: that is the evaluation order to keep).</summary>
        private static List<Expr> Terms(Expr e)
        {
            var terms = new List<Expr>();
            Expr current = e;
            var right = new Stack<Expr>();
            while (current is Binary { Op: BinaryOp.Add } add)
            {
                right.Push(add.Right);
                current = add.Left;
            }

            terms.Add(current);
            while (right.Count > 0)
            {
                terms.Add(right.Pop());
            }

            return terms;
        }

        /// <summary>−e at no cost per iteration, or null. With <paramref name="commit"/>, rewrites what it relies on.</summary>
        private Expr? Negated(Expr e, int use, bool commit)
        {
            switch (e)
            {
                case Literal l when IsFinite(l):
                    return Neg(l);
                case Unary { Op: UnaryOp.Negate } u:
                    return u.Operand;
                case Binary { Op: BinaryOp.Multiply or BinaryOp.Divide } b:
                    if (Negated(b.Left, use, commit: false) is not null)
                    {
                        return b with { Left = Negated(b.Left, use, commit)! };
                    }

                    if (Negated(b.Right, use, commit: false) is not null)
                    {
                        return b with { Right = Negated(b.Right, use, commit)! };
                    }

                    return null;
                case Var v when v.Type.IsRealScalar && !_written.Contains(v.Name):
                    // Loop-invariant: negate it once, before the loop.
                    if (!commit)
                    {
                        return v;
                    }

                    if (!_negatedInvariants.TryGetValue(v.Name, out Var? negated))
                    {
                        negated = new Var(v.Type, _temp());
                        _hoisted.Add(new Declare(negated.Name, v.Type, new Unary(v.Type, UnaryOp.Negate, v)));
                        _negatedInvariants[v.Name] = negated;
                    }

                    return negated;
                case Var v when v.Type.IsReal && _reads.TryGetValue(v.Name, out int n) && n == 1 && Definition(v.Name, use) is { } at
                    && _code[at] is Declare { Init: { } init } declaration && Negated(init, at, commit: false) is not null:
                    // A temporary read only here: it can hold the negated value instead.
                    if (commit)
                    {
                        _code[at] = declaration with { Init = Negated(init, at, commit: true) };
                    }

                    return v;
                case Var v when v.Type.IsReal && _reads.TryGetValue(v.Name, out int n) && n == 1 && Definition(v.Name, use) is { } at
                    && _code[at] is Declare { Init: Var handed } && HandedOn(handed, at) is { } source
                    && Negated(((Assign)_code[source]).Value, source, commit: false) is not null:
                    // d = e; double g = d; d = 0.0: an adjoint handed on to g and reset. d can hold −e instead.
                    if (commit)
                    {
                        var assign = (Assign)_code[source];
                        _code[source] = assign with { Value = Negated(assign.Value, source, commit: true)! };
                    }

                    return v;
                default:
                    return null;
            }
        }

        /// <summary>
        /// For <c>double g = d;</c> at <paramref name="copy"/>: the index of <c>d = e;</c> right before it, when
        /// <c>d = 0.0;</c> follows it and nothing else reads d.
        /// </summary>
        private int? HandedOn(Var d, int copy) =>
            copy > 0 && copy + 1 < _code.Count
            && _code[copy - 1] is Assign { Target: Var assigned, Kind: AssignKind.Set, Value: var value } && assigned.Name == d.Name && !IrWalk.Mentions(value, d.Name)
            && _code[copy + 1] is Assign { Target: Var reset, Kind: AssignKind.Set, Value: var zero } && reset.Name == d.Name && IsLiteral(zero, 0)
            && _reads.TryGetValue(d.Name, out int n) && n == 1
                ? copy - 1
                : null;

        /// <summary>The top-level declaration of a temporary before <paramref name="use"/>, if nothing else assigns it.</summary>
        private int? Definition(string name, int use)
        {
            int? found = null;
            for (int k = 0; k < _code.Count; k++)
            {
                foreach (Stmt inner in IrWalk.Descendants(new[] { _code[k] }))
                {
                    if (inner is Declare d && d.Name == name)
                    {
                        if (found is not null || k >= use || !ReferenceEquals(inner, _code[k]))
                        {
                            return null;
                        }

                        found = k;
                    }
                    else if (inner is Assign { Target: Var target } && target.Name == name)
                    {
                        return null;
                    }
                }
            }

            return found;
        }

        private static bool IsFinite(Literal l) => !l.Text.Contains("NaN") && !l.Text.Contains("Infinity");
    }
}
