using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// Drops bounds checks the user's own code has already made. In one iteration of a fused loop, the forward code reads
/// <c>x[k]</c> before the adjoint code updates <c>dx[k]</c>; once the read has succeeded, <c>k</c> is in range for
/// <c>x</c>, and <c>dx</c> was checked on entry to have <c>x</c>'s length, so <c>dx[k]</c> cannot fail. Such updates are
/// marked <see cref="Elem.ProvenInRange"/>. Every user access keeps its check (and still throws where the user's code
/// throws); only the generator's second check goes.
/// </summary>
internal static class InRangeAccess
{
    /// <param name="forward">One iteration's forward code: plain assignments, run before <paramref name="adjoint"/>.</param>
    /// <param name="adjoint">The same iteration's adjoint code.</param>
    /// <param name="primalOf">Adjoint span → the primal span it was checked on entry to match in length.</param>
    public static List<Stmt> Apply(List<Stmt> forward, List<Stmt> adjoint, IReadOnlyDictionary<string, string> primalOf)
    {
        // (span, index) pairs the forward code has read, kept only while no later statement writes what the index reads.
        var proven = new HashSet<(string Array, Expr Index)>();
        foreach (Stmt statement in forward)
        {
            switch (statement)
            {
                case Assign { Target: Var target, Value: var value }:
                    CollectEvaluatedReads(value, proven);
                    Forget(proven, target.Name);
                    break;
                case Declare { Type.IsScalar: true } declare:
                    if (declare.Init is not null)
                    {
                        CollectEvaluatedReads(declare.Init, proven);
                    }

                    Forget(proven, declare.Name);
                    break;
                case Assign { Target: Elem element, Value: var stored }:
                    // A store reads its index (the store itself may still throw, before anything later runs).
                    CollectEvaluatedReads(stored, proven);
                    CollectEvaluatedReads(element, proven);
                    break;
                case Comment:
                    break;
                case If branch:
                    // The condition always runs; what the branches read proves nothing, what they write is forgotten.
                    CollectEvaluatedReads(branch.Condition, proven);
                    foreach (Stmt inner in IrWalk.Descendants(new[] { statement }))
                    {
                        if (IrWalk.DefinedScalar(inner) is { } written)
                        {
                            Forget(proven, written);
                        }
                        else if (inner is not (If or Block or Assign or Comment or Declare))
                        {
                            return adjoint;
                        }
                    }

                    break;
                default:
                    return adjoint;
            }
        }

        if (proven.Count == 0)
        {
            return adjoint;
        }

        var bound = new Dictionary<string, Expr>();
        return Mark(adjoint, proven, bound, primalOf);
    }

    private static List<Stmt> Mark(IEnumerable<Stmt> statements, HashSet<(string, Expr)> proven, Dictionary<string, Expr> bound, IReadOnlyDictionary<string, string> primalOf)
    {
        var output = new List<Stmt>();
        foreach (Stmt statement in statements)
        {
            switch (statement)
            {
                case Declare { Type: { IsScalar: true, IsReal: false }, Init: { } init } d when IsPureIndex(init):
                    // Index temporaries (int v1 = 2 * i + 1) stand for the expression they hold.
                    bound[d.Name] = Resolve(init, bound);
                    output.Add(statement);
                    break;
                case Assign { Target: Elem { ProvenInRange: false } element } assign
                    when primalOf.TryGetValue(element.Array, out string? primal) && proven.Contains((primal, Resolve(element.Index, bound))):
                    output.Add(assign with { Target = element with { ProvenInRange = true } });
                    break;
                case Assign { Target: Var target }:
                    Forget(proven, target.Name);
                    bound.Remove(target.Name);
                    output.Add(statement);
                    break;
                case If branch:
                    output.Add(branch with
                    {
                        Then = Block.Of(Mark(branch.Then.Statements, proven, new Dictionary<string, Expr>(bound), primalOf)),
                        Else = branch.Else is null ? null : Block.Of(Mark(branch.Else.Statements, proven, new Dictionary<string, Expr>(bound), primalOf)),
                    });
                    break;
                case Assign or Declare or Comment:
                    output.Add(statement);
                    break;
                default:
                    // Anything else (calls, loops, raw code) may write what an index reads: stop marking.
                    proven.Clear();
                    output.Add(statement);
                    break;
            }
        }

        return output;
    }

    /// <summary>Element reads evaluated whenever the expression is (not those under ?: branches or the right of &amp;&amp; / ||).</summary>
    private static void CollectEvaluatedReads(Expr expr, HashSet<(string, Expr)> into)
    {
        switch (expr)
        {
            case Elem { Type.IsScalar: true } element when IsPureIndex(element.Index):
                into.Add((element.Array, element.Index));
                break;
            case Conditional c:
                CollectEvaluatedReads(c.Condition, into);
                return;
            case Binary { Op: BinaryOp.And or BinaryOp.Or } logical:
                CollectEvaluatedReads(logical.Left, into);
                return;
        }

        foreach (Expr child in IrWalk.Children(expr))
        {
            CollectEvaluatedReads(child, into);
        }
    }

    /// <summary>Integer arithmetic over variables and literals: the same value each time it is evaluated in between writes.</summary>
    private static bool IsPureIndex(Expr expr) => expr switch
    {
        Var or Literal or LengthOf => expr.Type.Element == ElementKind.Int,
        Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } b => b.Type.Element == ElementKind.Int && IsPureIndex(b.Left) && IsPureIndex(b.Right),
        Unary { Op: UnaryOp.Negate or UnaryOp.Plus } u => u.Type.Element == ElementKind.Int && IsPureIndex(u.Operand),
        _ => false,
    };

    private static Expr Resolve(Expr index, Dictionary<string, Expr> bound) => index switch
    {
        Var v when bound.TryGetValue(v.Name, out Expr? value) => value,
        Binary b => b with { Left = Resolve(b.Left, bound), Right = Resolve(b.Right, bound) },
        Unary u => u with { Operand = Resolve(u.Operand, bound) },
        _ => index,
    };

    private static void Forget(HashSet<(string Array, Expr Index)> proven, string written) =>
        proven.RemoveWhere(p => p.Array == written || IrWalk.Mentions(p.Index, written));
}
