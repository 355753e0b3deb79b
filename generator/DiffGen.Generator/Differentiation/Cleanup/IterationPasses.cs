using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// Tidies one fused iteration's adjoint code so the JIT gets what a person would write: primal values are loaded
/// before the first store into an adjoint array (the JIT must assume a store may alias a later load), and
/// contributions to the same adjoint element are summed into one read-modify-write.
/// </summary>
internal static class IterationPasses
{
    public static List<Stmt> Apply(List<Stmt> statements) => MergeElementAccumulations(LoadsFirst(statements));

    /// <summary>Declarations that read nothing the statements write move to the front, in order.</summary>
    private static List<Stmt> LoadsFirst(List<Stmt> statements)
    {
        var written = new HashSet<string>();
        foreach (Stmt statement in IrWalk.Descendants(statements))
        {
            switch (statement)
            {
                case Assign { Target: Var v }:
                    written.Add(v.Name);
                    break;
                case Assign { Target: Elem e }:
                    written.Add(e.Array);
                    break;
                case Declare or If or Comment or Block:
                    break;
                default:
                    return statements;
            }
        }

        var hoisted = new List<Stmt>();
        var rest = new List<Stmt>();
        foreach (Stmt statement in statements)
        {
            if (statement is Declare { Init: not null } d && !Reads(d.Init).Overlaps(written))
            {
                hoisted.Add(d);
            }
            else
            {
                if (statement is Declare other)
                {
                    written.Add(other.Name);
                }

                rest.Add(statement);
            }
        }

        hoisted.AddRange(rest);
        return hoisted;
    }

    /// <summary><c>dx[k] -= a; …; dx[k] -= b;</c> becomes <c>dx[k] -= a + b;</c> where nothing else touches dx.</summary>
    private static List<Stmt> MergeElementAccumulations(List<Stmt> statements)
    {
        // Index temporaries resolve to their definitions, so 2 * i bound twice compares equal.
        var definitions = new Dictionary<string, Expr>();
        foreach (Stmt statement in statements)
        {
            if (statement is Declare { Type.Element: ElementKind.Int, Type.IsScalar: true, Init: not null } d)
            {
                definitions[d.Name] = d.Init;
            }
        }

        var readArrays = new HashSet<string>();
        foreach (Stmt statement in IrWalk.Descendants(statements))
        {
            switch (statement)
            {
                case Declare { Init: not null } d:
                    CollectElementArrays(d.Init, readArrays);
                    break;
                case Assign a:
                    CollectElementArrays(a.Value, readArrays);
                    if (a.Target is Elem target)
                    {
                        CollectElementArrays(target.Index, readArrays);
                        if (a.Kind == AssignKind.Set)
                        {
                            readArrays.Add(target.Array);
                        }
                    }

                    break;
                case If i:
                    CollectElementArrays(i.Condition, readArrays);
                    break;
            }
        }

        var groups = new Dictionary<(string Array, Expr Index), List<int>>();
        for (int k = 0; k < statements.Count; k++)
        {
            if (statements[k] is Assign { Kind: AssignKind.Add or AssignKind.Subtract, Target: Elem e } && !readArrays.Contains(e.Array))
            {
                var key = (e.Array, Resolve(e.Index, definitions));
                if (!groups.TryGetValue(key, out List<int>? members))
                {
                    groups[key] = members = new List<int>();
                }

                members.Add(k);
            }
        }

        var replaced = new Dictionary<int, Stmt?>();
        foreach (List<int> members in groups.Values.Where(m => m.Count > 1 && !Overwritten(statements, m)))
        {
            var terms = members.Select(k => (Assign)statements[k]).ToList();
            bool allSubtract = terms.All(t => t.Kind == AssignKind.Subtract);
            Expr sum = terms[0].Kind == AssignKind.Subtract && !allSubtract ? Neg(terms[0].Value) : terms[0].Value;
            foreach (Assign term in terms.Skip(1))
            {
                sum = allSubtract || term.Kind == AssignKind.Add ? Add(sum, term.Value) : Sub(sum, term.Value);
            }

            foreach (int k in members.Take(members.Count - 1))
            {
                replaced[k] = null;
            }

            Assign last = terms[terms.Count - 1];
            replaced[members[members.Count - 1]] = new Assign(last.Target, sum, allSubtract ? AssignKind.Subtract : AssignKind.Add);
        }

        var output = new List<Stmt>();
        for (int k = 0; k < statements.Count; k++)
        {
            if (!replaced.TryGetValue(k, out Stmt? replacement))
            {
                output.Add(statements[k]);
            }
            else if (replacement is not null)
            {
                output.Add(replacement);
            }
        }

        return output;
    }

    /// <summary>Whether a statement between the first and last member writes something an earlier member reads (a pop).</summary>
    private static bool Overwritten(List<Stmt> statements, List<int> members)
    {
        int last = members[members.Count - 1];
        var reads = new HashSet<string>();
        for (int k = members[0]; k < last; k++)
        {
            if (members.Contains(k))
            {
                var assign = (Assign)statements[k];
                IrWalk.CollectReads(assign.Value, reads);
                IrWalk.CollectReads(((Elem)assign.Target).Index, reads);
            }
            else
            {
                foreach (Stmt inner in IrWalk.Descendants(new[] { statements[k] }))
                {
                    if (inner is not Assign and not Declare and not If and not Comment)
                    {
                        return true;
                    }

                    string? written = inner is Assign a ? IrWalk.TargetName(a.Target) : IrWalk.DefinedScalar(inner);
                    if (written is not null && reads.Contains(written))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static Expr Resolve(Expr index, Dictionary<string, Expr> definitions) =>
        index is Var v && definitions.TryGetValue(v.Name, out Expr? definition) ? definition : index;

    private static void CollectElementArrays(Expr expr, HashSet<string> into)
    {
        if (expr is Elem e)
        {
            into.Add(e.Array);
        }

        foreach (Expr child in IrWalk.Children(expr))
        {
            CollectElementArrays(child, into);
        }
    }

    private static HashSet<string> Reads(Expr e)
    {
        var reads = new HashSet<string>();
        IrWalk.CollectReads(e, reads);
        return reads;
    }
}
