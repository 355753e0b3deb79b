using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// In a run of tape statements, a number pushed or popped on one tape moves past a vector pushed or popped on another:
/// pushes of numbers first, pops of numbers last. <c>PushRange</c> and <c>PopRange</c> are calls (a copy), and RyuJIT
/// keeps a value that is live across a call in a stack slot for its whole life — a row's running index pushed after
/// the copy of its vectors was counted up in memory through the whole inner loop (GMM: about 10% of the gradient). Each
/// tape keeps its own order, so every pop still takes back what its push recorded.
/// </summary>
internal static class ScalarTapeOrder
{
    public static List<Stmt> Apply(List<Stmt> code) => new Rewriter().RewriteBlock(Block.Of(code)).Statements.ToList();

    private sealed class Rewriter : IrRewriter
    {
        protected override IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements)
        {
            List<Stmt> list = statements.Select(Rewrite).ToList();

            // Bubble each number's push back over the vector pushes before it, each number's pop forward over the
            // vector pops after it, while the tapes differ and the number is not what the vector's count reads.
            for (int k = 1; k < list.Count; k++)
            {
                for (int m = k; m > 0 && list[m] is Push push && IrWalk.IsPure(push.Value) && list[m - 1] is PushRange range && range.Tape != push.Tape
                    && !(range.Count is { } count && IrWalk.Reads(count).Overlaps(IrWalk.Reads(push.Value))); m--)
                {
                    (list[m - 1], list[m]) = (list[m], list[m - 1]);
                }
            }

            for (int k = list.Count - 2; k >= 0; k--)
            {
                for (int m = k; m + 1 < list.Count && PoppedNumber(list[m]) is { } pop && list[m + 1] is PopRange range && range.Tape != pop.Tape
                    && !(range.Count is { } count && IrWalk.Mentions(count, pop.Name)); m++)
                {
                    (list[m], list[m + 1]) = (list[m + 1], list[m]);
                }
            }

            return list;
        }

        /// <summary><c>T name = tape.Pop();</c> (or an assignment of it): the tape and the name.</summary>
        private static (string Tape, string Name)? PoppedNumber(Stmt s) => s switch
        {
            Declare { Init: TapePop pop } d => (pop.Tape, d.Name),
            Assign { Target: Var v, Value: TapePop pop, Kind: AssignKind.Set } => (pop.Tape, v.Name),
            _ => null,
        };
    }
}
