using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Preparation;

/// <summary>
/// Removes locals that are assigned but never read, where C# would warn CS0219 in the user's build: control-flow flags
/// (a <c>continue</c> or <c>return</c> that is the last statement of its block) and scalars that are only ever
/// assigned constants (after constant folding, even when the user's expression was not a C# constant).
/// Removing a constant store changes nothing else: it has no side effect.
/// </summary>
internal static class UnreadLocalElimination
{
    public static Block Apply(Block body, ISet<string> flags, string result)
    {
        var read = new HashSet<string>();
        var onlyConstants = new Dictionary<string, bool>();
        var declared = new HashSet<string>();
        foreach (Stmt statement in IrWalk.Descendants(body))
        {
            read.UnionWith(Effects.Of(statement).Reads);

            switch (statement)
            {
                case Declare { Type.IsScalar: true } d:
                    declared.Add(d.Name);
                    Note(onlyConstants, d.Name, d.Init is null or Literal);
                    break;
                case Assign { Target: Var v } a:
                    Note(onlyConstants, v.Name, a.Value is Literal);
                    break;
            }
        }

        IEnumerable<string> constantLocals = onlyConstants.Where(p => p.Value && declared.Contains(p.Key)).Select(p => p.Key);
        var unread = new HashSet<string>(flags.Concat(constantLocals).Where(n => n != result && !read.Contains(n)));
        return unread.Count == 0 ? body : Rewrite(body, unread);
    }

    private static void Note(Dictionary<string, bool> onlyConstants, string name, bool constant) =>
        onlyConstants[name] = constant && (!onlyConstants.TryGetValue(name, out bool before) || before);

    private static Block Rewrite(Block block, HashSet<string> unread) =>
        new(block.Statements.Where(s => !Writes(s, unread)).Select(s => RewriteOne(s, unread)).ToEquatableArray());

    private static bool Writes(Stmt statement, HashSet<string> unread) => statement switch
    {
        Declare d => unread.Contains(d.Name),
        Assign { Target: Var v } => unread.Contains(v.Name),
        _ => false,
    };

    private static Stmt RewriteOne(Stmt statement, HashSet<string> unread) => statement switch
    {
        Block b => Rewrite(b, unread),
        If i => i with { Then = Rewrite(i.Then, unread), Else = i.Else is null ? null : Rewrite(i.Else, unread) },
        Loop l => l with { Init = Rewrite(l.Init, unread), Update = Rewrite(l.Update, unread), Body = Rewrite(l.Body, unread) },
        _ => statement,
    };
}
