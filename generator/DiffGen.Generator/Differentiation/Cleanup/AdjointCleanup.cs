using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// Dataflow cleanups of generated code, each touching only generated names (adjoints and their temporaries, never a
/// user's variable): an adjoint known to be zero is assigned rather than incremented; a temporary that only copies a
/// value nobody changes is replaced by it; stores nothing reads again (resets, unused temporaries) go; a declaration
/// <c>T d = 0</c> whose first use assigns it becomes that assignment, declared where it is first needed; a comment that
/// no code follows goes.
/// </summary>
internal static class AdjointCleanup
{
    public static List<Stmt> Apply(List<Stmt> code, Func<string, bool> isGenerated)
    {
        // Twice: a declaration merged with its first assignment can make a copy that the second round propagates.
        return Round(Round(code, isGenerated), isGenerated);
    }

    private static List<Stmt> Round(List<Stmt> code, Func<string, bool> isGenerated)
    {
        code = KnownZeros(code, new HashSet<string>(), isGenerated);
        code = PropagateCopies(code, isGenerated);
        // Removing a store can leave a declaration nothing mentions any more: again until nothing changes.
        for (int round = 0; round < 8; round++)
        {
            int before = IrWalk.Descendants(code).Count();
            code = RemoveDeadStores(code, isGenerated);
            if (IrWalk.Descendants(code).Count() == before)
            {
                break;
            }
        }

        code = SinkDeclarations(code, isGenerated);
        return DropOrphanComments(code);
    }

    // ---- Known zeros (forward) ----

    private static List<Stmt> KnownZeros(IEnumerable<Stmt> statements, HashSet<string> zero, Func<string, bool> isGenerated)
    {
        var output = new List<Stmt>();
        foreach (Stmt statement in statements)
        {
            switch (statement)
            {
                case Declare { Type.IsScalar: true } d when isGenerated(d.Name):
                    Note(zero, d.Name, d.Init is { } init && IsLiteral(init, 0));
                    output.Add(statement);
                    break;
                case Assign { Target: Var v, Kind: AssignKind.Add } a when zero.Contains(v.Name):
                    zero.Remove(v.Name);
                    output.Add(a with { Kind = AssignKind.Set });
                    break;
                case Assign { Target: Var v, Kind: AssignKind.Subtract } a when zero.Contains(v.Name):
                    zero.Remove(v.Name);
                    output.Add(a with { Kind = AssignKind.Set, Value = Neg(a.Value) });
                    break;
                case Assign { Target: Var v, Kind: AssignKind.Set } a when isGenerated(v.Name):
                    Note(zero, v.Name, IsLiteral(a.Value, 0));
                    output.Add(statement);
                    break;
                case If branch:
                    {
                        var thenZero = new HashSet<string>(zero);
                        var elseZero = new HashSet<string>(zero);
                        Block then = Block.Of(KnownZeros(branch.Then.Statements, thenZero, isGenerated));
                        Block? otherwise = branch.Else is null ? null : Block.Of(KnownZeros(branch.Else.Statements, elseZero, isGenerated));
                        zero.Clear();
                        zero.UnionWith(thenZero.Intersect(elseZero));
                        output.Add(branch with { Then = then, Else = otherwise });
                        break;
                    }

                case Loop loop:
                    {
                        // The body may run many times: only what the loop never writes stays known.
                        zero.ExceptWith(Effects.Deep(loop).Writes);
                        var inside = new HashSet<string>(zero);
                        Block body = Block.Of(KnownZeros(loop.Body.Statements, inside, isGenerated));
                        output.Add(loop with { Body = body });
                        break;
                    }

                case Block block:
                    output.Add(Block.Of(KnownZeros(block.Statements, zero, isGenerated)));
                    break;
                default:
                    zero.ExceptWith(Effects.Deep(statement).Writes);
                    output.Add(statement);
                    break;
            }
        }

        return output;
    }

    private static void Note(HashSet<string> zero, string name, bool isZero)
    {
        if (isZero)
        {
            zero.Add(name);
        }
        else
        {
            zero.Remove(name);
        }
    }

    // ---- Copies ----

    /// <summary><c>T g = a</c> with <c>a</c> a literal or a variable nothing assigns, and <c>g</c> never assigned again: uses of g read a.</summary>
    private static List<Stmt> PropagateCopies(List<Stmt> code, Func<string, bool> isGenerated)
    {
        Effects all = Effects.Deep(code);
        var assignCounts = new Dictionary<string, int>();
        var declaredOnce = new HashSet<string>();
        foreach (Stmt statement in IrWalk.Descendants(code))
        {
            foreach (string written in Effects.Of(statement).Writes)
            {
                assignCounts[written] = assignCounts.TryGetValue(written, out int n) ? n + 1 : 1;
            }

            if (statement is Declare { Init: not null } declared)
            {
                declaredOnce.Add(declared.Name);
            }
        }

        // A source nothing assigns, or assigns only where it is declared, holds one value wherever it is in scope.
        bool Unchanging(string name) => !assignCounts.TryGetValue(name, out int count) || (count == 1 && declaredOnce.Contains(name));

        var map = new Dictionary<string, Expr>();
        foreach (Declare d in IrWalk.Descendants(code).OfType<Declare>())
        {
            if (isGenerated(d.Name) && d.Type.IsScalar && assignCounts.TryGetValue(d.Name, out int count) && count == 1
                && d.Init is Literal or StaticValue or Var
                && (d.Init is not Var source || (Unchanging(source.Name) && source.Type == d.Type)))
            {
                map[d.Name] = d.Init!;
            }
        }

        if (map.Count == 0)
        {
            return code;
        }

        // Chains (g = h, h = seed) resolve to the end.
        foreach (string name in map.Keys.ToList())
        {
            Expr value = map[name];
            for (int guard = 0; value is Var v && map.TryGetValue(v.Name, out Expr? next) && guard < 100; guard++)
            {
                value = next;
            }

            map[name] = value;
        }

        var substitution = new Substitution(map);
        var output = new List<Stmt>();
        foreach (Stmt statement in code)
        {
            output.Add(substitution.Rewrite(statement));
        }

        return RemoveDeclarations(output, map.Keys);
    }

    private static List<Stmt> RemoveDeclarations(List<Stmt> statements, IEnumerable<string> names)
    {
        var set = new HashSet<string>(names);
        return new DeclarationRemover(set).RewriteBlock(Block.Of(statements)).Statements.ToList();
    }

    private sealed class DeclarationRemover : IrRewriter
    {
        private readonly HashSet<string> _names;

        public DeclarationRemover(HashSet<string> names) => _names = names;

        protected override IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements) =>
            statements.Where(s => s is not Declare d || !_names.Contains(d.Name)).Select(Rewrite);
    }

    // ---- Dead stores (backward) ----

    private static List<Stmt> RemoveDeadStores(List<Stmt> code, Func<string, bool> isGenerated)
    {
        // Generated names this code uses but does not declare belong to the surroundings: assume them live after it.
        Effects all = Effects.Deep(code);
        var live = new HashSet<string>(all.Reads.Concat(all.Writes).Where(n => isGenerated(n) && !all.Declares.Contains(n)));

        // A declaration stays while anything else mentions the name (the store is dead, the variable is not).
        var mentions = new Dictionary<string, int>();
        foreach (Stmt statement in IrWalk.Descendants(code))
        {
            Effects own = Effects.Of(statement);
            foreach (string name in own.Reads.Concat(own.Writes).Concat(own.VectorWrites).Distinct())
            {
                mentions[name] = mentions.TryGetValue(name, out int n) ? n + 1 : 1;
            }
        }

        return Backward(code, live, name => isGenerated(name), name => mentions.TryGetValue(name, out int n) && n > 1);
    }

    private static List<Stmt> Backward(IReadOnlyList<Stmt> statements, HashSet<string> live, Func<string, bool> isGenerated, Func<string, bool> mentionedElsewhere)
    {
        var output = new List<Stmt>();
        for (int k = statements.Count - 1; k >= 0; k--)
        {
            Stmt statement = statements[k];
            switch (statement)
            {
                case Assign { Target: Var v } a when isGenerated(v.Name) && !live.Contains(v.Name) && IrWalk.IsPure(a.Value):
                    continue;
                case Declare d when isGenerated(d.Name) && !live.Contains(d.Name) && (d.Init is null || IrWalk.IsPure(d.Init)) && !mentionedElsewhere(d.Name):
                    continue;
                case If branch:
                    {
                        var thenLive = new HashSet<string>(live);
                        var elseLive = new HashSet<string>(live);
                        List<Stmt> then = Backward(branch.Then.Statements, thenLive, isGenerated, mentionedElsewhere);
                        List<Stmt>? otherwise = branch.Else is null ? null : Backward(branch.Else.Statements, elseLive, isGenerated, mentionedElsewhere);
                        live.UnionWith(thenLive);
                        live.UnionWith(elseLive);
                        live.UnionWith(IrWalk.Reads(branch.Condition));
                        if (then.Count == 0 && (otherwise is null || otherwise.Count == 0) && IrWalk.IsPure(branch.Condition))
                        {
                            continue;
                        }

                        output.Add(branch with { Then = Block.Of(then), Else = otherwise is null || otherwise.Count == 0 ? null : Block.Of(otherwise) });
                        continue;
                    }

                case Loop loop:
                    {
                        // Live on entry to an iteration: what the rest of the loop and what follows it read, to a fixpoint.
                        var exit = new HashSet<string>(live);
                        if (loop.Condition is not null)
                        {
                            exit.UnionWith(IrWalk.Reads(loop.Condition));
                        }

                        var entry = new HashSet<string>(exit);
                        for (int round = 0; round < 64; round++)
                        {
                            var probe = new HashSet<string>(entry);
                            Backward(loop.Update.Statements, probe, isGenerated, mentionedElsewhere);
                            Backward(loop.Body.Statements, probe, isGenerated, mentionedElsewhere);
                            probe.UnionWith(exit);
                            if (probe.SetEquals(entry))
                            {
                                break;
                            }

                            entry = probe;
                        }

                        var bodyLive = new HashSet<string>(entry);
                        List<Stmt> update = Backward(loop.Update.Statements, bodyLive, isGenerated, mentionedElsewhere);
                        List<Stmt> body = Backward(loop.Body.Statements, bodyLive, isGenerated, mentionedElsewhere);
                        live.UnionWith(entry);
                        var init = new HashSet<string>(live);
                        List<Stmt> initCode = Backward(loop.Init.Statements, init, isGenerated, mentionedElsewhere);
                        live.UnionWith(init);
                        output.Add(loop with { Init = Block.Of(initCode), Body = Block.Of(body), Update = Block.Of(update) });
                        continue;
                    }

                case Block block:
                    output.Add(Block.Of(Backward(block.Statements, live, isGenerated, mentionedElsewhere)));
                    continue;
            }

            Effects effects = Effects.Of(statement);
            if (statement is Assign { Kind: AssignKind.Set, Target: Var set })
            {
                live.Remove(set.Name);
            }
            else if (statement is Declare declared)
            {
                live.Remove(declared.Name);
            }

            live.UnionWith(effects.Reads);
            output.Add(statement);
        }

        output.Reverse();
        return output;
    }

    // ---- Declarations where first assigned ----

    private static List<Stmt> SinkDeclarations(List<Stmt> code, Func<string, bool> isGenerated) =>
        new Sinker(isGenerated).RewriteBlock(Block.Of(code)).Statements.ToList();

    private sealed class Sinker : IrRewriter
    {
        private readonly Func<string, bool> _isGenerated;

        public Sinker(Func<string, bool> isGenerated) => _isGenerated = isGenerated;

        protected override IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements)
        {
            List<Stmt> list = statements.Select(Rewrite).ToList();
            for (int k = 0; k < list.Count; k++)
            {
                if (list[k] is not Declare { Type.IsScalar: true, Init: { } init } d || !_isGenerated(d.Name) || !IrWalk.IsPure(init))
                {
                    continue;
                }

                int first = list.FindIndex(k + 1, s => Mentions(s, d.Name));
                if (first < 0)
                {
                    continue;
                }

                if (list[first] is Assign { Kind: AssignKind.Set, Target: Var target, Value: var value } && target.Name == d.Name && !IrWalk.Mentions(value, d.Name))
                {
                    list[first] = new Declare(d.Name, d.Type, value) { Source = list[first].Source };
                    list.RemoveAt(k);
                    k--;
                }
                else if (list[first] is If branch && !IrWalk.Mentions(branch.Condition, d.Name) && !list.Skip(first + 1).Any(s => Mentions(s, d.Name))
                    && !WrittenBetween(list, k + 1, first).Overlaps(IrWalk.Reads(init)))
                {
                    // Only one branch uses it: declare it there.
                    bool inThen = branch.Then.Statements.Any(s => Mentions(s, d.Name));
                    bool inElse = branch.Else?.Statements.Any(s => Mentions(s, d.Name)) ?? false;
                    if (inThen != inElse)
                    {
                        Block home = inThen ? branch.Then : branch.Else!;
                        Block moved = Block.Of(RewriteList(new Stmt[] { d }.Concat(home.Statements)));
                        list[first] = inThen ? branch with { Then = moved } : branch with { Else = moved };
                        list.RemoveAt(k);
                        k--;
                    }
                }
            }

            return list;
        }

        /// <summary>What the statements from <paramref name="from"/> up to (not including) <paramref name="to"/> write.</summary>
        private static HashSet<string> WrittenBetween(List<Stmt> list, int from, int to)
        {
            Effects effects = Effects.Deep(list.Skip(from).Take(to - from));
            var written = new HashSet<string>(effects.Writes);
            written.UnionWith(effects.VectorWrites);
            return written;
        }

        private static bool Mentions(Stmt statement, string name)
        {
            Effects effects = Effects.Deep(statement);
            return effects.Reads.Contains(name) || effects.Writes.Contains(name) || effects.VectorWrites.Contains(name);
        }
    }

    // ---- Comments ----

    private static List<Stmt> DropOrphanComments(List<Stmt> code) =>
        new CommentTidier().RewriteBlock(Block.Of(code)).Statements.ToList();

    private sealed class CommentTidier : IrRewriter
    {
        protected override IEnumerable<Stmt> RewriteList(IEnumerable<Stmt> statements)
        {
            List<Stmt> list = statements.Select(Rewrite).ToList();
            for (int k = list.Count - 1; k >= 0; k--)
            {
                bool orphan = list[k] is Comment { Section: false } && (k + 1 == list.Count || list[k + 1] is Comment);
                if (orphan)
                {
                    list.RemoveAt(k);
                }
            }

            return list;
        }
    }
}
