using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// A fused iteration that overwrites a number its reverse part reads parks the new value, restores the old one for the
/// reverse, and puts the new one back:
/// <code>
/// double signOld = sign; sign = -sign; double signFinal = sign;
/// sign = signOld; … dprod = sign * ddet; … sign = signFinal;
/// </code>
/// When nothing between the restore and the put-back writes the number, the reverse reads the saved value instead and
/// both assignments go (and the copies nobody reads any more): <c>dprod = signOld * ddet</c>. Nothing between may leave
/// the block (a <c>continue</c> would skip the put-back), and the number must still hold the parked value at the
/// restore.
/// </summary>
internal static class RestoreElision
{
    public static List<Stmt> Apply(List<Stmt> code) => new Rewriter().Statements(code);

    private sealed class Rewriter : IrRewriter
    {
        public List<Stmt> Statements(IEnumerable<Stmt> statements) => RewriteList(statements).ToList();

        protected override IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements)
        {
            List<Stmt> list = statements.Select(Rewrite).ToList();
            for (int k = 0; k < list.Count; k++)
            {
                if (list[k] is Assign { Kind: AssignKind.Set, Target: Var { Type.IsScalar: true } target, Value: Var saved } && Elide(list, k, target, saved) is { } elided)
                {
                    list = elided;
                    k = -1;
                }
            }

            return list;
        }
    }

    private static List<Stmt>? Elide(List<Stmt> list, int restore, Var target, Var saved)
    {
        // The put-back: the next statement that writes the number or the saved value must be `x = final`.
        int putBack = -1;
        for (int m = restore + 1; m < list.Count; m++)
        {
            if (IrWalk.Descendants(new[] { list[m] }).Any(s => s is Break or Continue or Return))
            {
                return null;
            }

            Effects effects = Effects.Deep(list[m]);
            if (effects.Writes.Contains(target.Name) || effects.Writes.Contains(saved.Name))
            {
                putBack = m;
                break;
            }
        }

        if (putBack < 0 || list[putBack] is not Assign { Kind: AssignKind.Set, Target: Var { Name: var name }, Value: Var final } || name != target.Name)
        {
            return null;
        }

        // `final` copied the number, which nothing wrote from there to the restore.
        int parked = list.FindIndex(0, restore, s => s is Declare { Init: Var copied } d && d.Name == final.Name && copied.Name == target.Name);
        if (parked < 0 || list.Skip(parked + 1).Take(restore - parked - 1).Any(s => Effects.Deep(s).Writes.Contains(target.Name)))
        {
            return null;
        }

        var reads = new Substitution(new Dictionary<string, Expr> { [target.Name] = saved });
        var result = new List<Stmt>(list.Count);
        for (int k = 0; k < list.Count; k++)
        {
            if (k == restore || k == putBack)
            {
                continue;
            }

            result.Add(k > restore && k < putBack ? reads.Rewrite(list[k]) : list[k]);
        }

        return WithoutUnreadCopy(WithoutUnreadCopy(result, final.Name), saved.Name);
    }

    /// <summary>The list without <c>T name = v;</c> when nothing in it reads name any more.</summary>
    private static List<Stmt> WithoutUnreadCopy(List<Stmt> list, string name)
    {
        int declared = list.FindIndex(s => s is Declare { Init: Var } d && d.Name == name);
        return declared >= 0 && !list.Any(s => Effects.Deep(s).Reads.Contains(name))
            ? list.Where((_, k) => k != declared).ToList()
            : list;
    }
}
