using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Analysis;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Planning;

/// <summary>
/// Joint statements. A loop (or branch) of a region can run forward-then-reverse in place, iteration by iteration,
/// when the adjoints of everything it hands on are known before it starts and stay fixed while it runs:
/// <list type="bullet">
/// <item>it writes outside itself only accumulators (<c>s += e</c>, <c>s</c> read nowhere else in it), locals it
/// assigns before reading in every iteration and nobody reads afterwards, and inactive variables (a branch may write
/// anything: it runs once);</item>
/// <item>the statements downstream of it (reading what it writes, transitively) are plain statements whose adjoint
/// code reads only values that exist before it, and nothing later overwrites what it writes (except by accumulation):
/// their adjoints then run early, before it;</item>
/// <item>no adjoint code of an earlier statement reads what it writes (it cannot restore them).</item>
/// </list>
/// Data then never flows backwards through it, so it needs no tape; its body is a region of its own, planned the
/// same way (loop nests fuse level by level).
/// </summary>
internal sealed partial class Planner
{
    private void PlanRegion(Block root)
    {
        for (int j = root.Statements.Count - 1; j >= 0; j--)
        {
            Stmt statement = root.Statements[j];
            if (statement is not (Loop or If) || !HasAdjoint(statement))
            {
                continue;
            }

            if (!TryJoint(root, j, out List<Stmt> early))
            {
                if (ForwardOrderRecurrence(root, j) is { } recurrence)
                {
                    _plan.ForwardOrder[(Loop)statement] = recurrence.Select(n => (n, _scope.Temp(n + "Entry"))).ToList();
                }

                continue;
            }

            _plan.Joint.Add(statement);
            foreach (Stmt member in early)
            {
                _plan.EarlyBefore[member] = statement;
            }

            foreach (Block region in RegionBlocks(statement))
            {
                _plan.RegionRoots.Add(region);
                PlanRegion(region);
            }
        }
    }

    private static IEnumerable<Block> RegionBlocks(Stmt joint) => joint switch
    {
        Loop loop => new[] { loop.Body },
        If branch => branch.Else is null ? new[] { branch.Then } : new[] { branch.Then, branch.Else },
        _ => System.Array.Empty<Block>(),
    };

    private bool TryJoint(Block root, int position, out List<Stmt> downstream)
    {
        downstream = new List<Stmt>();
        Stmt candidate = root.Statements[position];
        Effects effects = _index.DeepEffects(candidate);
        var inside = new HashSet<string>(effects.Declares);
        if (candidate is Loop { Counter: { } counter })
        {
            inside.Add(counter);
        }

        var written = new HashSet<string>(effects.Writes.Concat(effects.VectorWrites).Where(n => !inside.Contains(n)));
        if (candidate is Loop loop && !JointLoopWritesOnlyWhatItMay(loop, written, root, position))
        {
            return false;
        }

        // The adjoint code of earlier statements must find these values as they were.
        for (int k = 0; k < position; k++)
        {
            if (IrWalk.Descendants(new[] { root.Statements[k] }).Any(s => AdjointReads(s).Overlaps(written)))
            {
                return false;
            }
        }

        // What the candidate adds into runs early, so nothing later may consume those adjoints: no later statement
        // overwrites a variable it reads. Accumulating a constant into it (s += 1) leaves the adjoint as it is and
        // reads it nowhere; accumulating a value with a derivative (s += f(x)) hands ds to f's adjoint, which must not
        // see the candidate's early share of ds (that belongs to s before the accumulation). An accumulator of the
        // candidate (s = s ± e, s read nowhere else in it) adds nothing into ds: its adjoint passes ds on unchanged.
        var inputs = new HashSet<string>(ActiveReads(candidate).Where(n => !inside.Contains(n) && !OnlyAccumulatesInto(candidate, new HashSet<string> { n })));
        for (int k = position + 1; k < root.Statements.Count; k++)
        {
            Effects laterEffects = _index.DeepEffects(root.Statements[k]);
            var overwritten = new HashSet<string>(laterEffects.Writes.Concat(laterEffects.VectorWrites).Where(inputs.Contains));
            if (overwritten.Count > 0 && (!OnlyAccumulatesInto(root.Statements[k], overwritten) || AccumulatesActiveValueInto(root.Statements[k], overwritten)))
            {
                return false;
            }
        }

        // Downstream statements: their adjoints run before the candidate, so they read nothing written from here on.
        var outputs = new HashSet<string>(written.Where(IsReal));
        var writtenFromHere = new HashSet<string>(written);
        for (int k = position + 1; k < root.Statements.Count; k++)
        {
            Effects laterEffects = _index.DeepEffects(root.Statements[k]);
            writtenFromHere.UnionWith(laterEffects.Writes);
            writtenFromHere.UnionWith(laterEffects.VectorWrites);
        }

        for (int k = position + 1; k < root.Statements.Count; k++)
        {
            Stmt later = root.Statements[k];
            Effects laterEffects = _index.DeepEffects(later);
            // A later statement that only adds into a loop's accumulators reads their adjoints, which the loop leaves as
            // they are (a branch's writes, by contrast, consume the adjoints of what they overwrite).
            if (candidate is Loop && OnlyAccumulatesInto(later, outputs))
            {
                continue;
            }

            bool overwrites = laterEffects.Writes.Concat(laterEffects.VectorWrites).Any(outputs.Contains);
            if (overwrites && !IsAccumulation(later, outputs))
            {
                return false;
            }

            if (!ActiveReads(later).Overlaps(outputs))
            {
                continue;
            }

            if (!IsPrimitive(later) || AdjointReads(later).Overlaps(writtenFromHere) || _adjointReadsAnywhere.Value.Overlaps(laterEffects.Writes.Concat(laterEffects.VectorWrites)))
            {
                return false;
            }

            // Its adjoint runs before the candidate, where a vector declared after the candidate has no adjoint buffer yet.
            if (laterEffects.Reads.Overlaps(root.Statements.Skip(position + 1).Take(k - position - 1)
                .SelectMany(s => IrWalk.Descendants(new[] { s })).OfType<Declare>().Where(d => d.Type.IsVector).Select(d => d.Name)))
            {
                return false;
            }

            downstream.Add(later);
            outputs.UnionWith(laterEffects.Writes.Concat(laterEffects.VectorWrites).Where(IsReal));
        }

        return true;
    }

    /// <summary>Every variable some adjoint code reads (a downstream statement's target must be none of them: it is not saved).</summary>
    private System.Lazy<HashSet<string>> _adjointReadsAnywhere => _adjointReadsAll ??= new System.Lazy<HashSet<string>>(() => new HashSet<string>(_adjointReads.Values.SelectMany(r => r)));

    private System.Lazy<HashSet<string>>? _adjointReadsAll;

    private bool JointLoopWritesOnlyWhatItMay(Loop loop, HashSet<string> written, Block root, int position)
    {
        // The loop's own stepping has no adjoint.
        if (loop.Init.Statements.Concat(loop.Update.Statements).Any(HasAdjoint))
        {
            return false;
        }

        foreach (string name in written)
        {
            if (!_scope.Activity.TryGetType(name, out TypeRef type))
            {
                return false;
            }

            if (type.IsVector)
            {
                if (IsIterationScratch(name, loop, root, position))
                {
                    continue;
                }

                return false;
            }

            // An inactive number (a sign flipped per term, a step length) has no adjoint to hand on: like an int counter.
            if (!type.IsReal || !_scope.Activity.IsActive(name) || IsAccumulator(name, loop) || IsIterationLocal(name, loop, root, position))
            {
                continue;
            }

            return false;
        }

        return true;
    }

    /// <summary>
    /// A vector the loop overwrites before it reads it in every iteration and that nothing reads after the loop: each
    /// iteration's values (and adjoints) are its own.
    /// </summary>
    private bool IsIterationScratch(string vector, Loop loop, Block root, int position)
    {
        var after = new HashSet<string>();
        for (int k = position + 1; k < root.Statements.Count; k++)
        {
            foreach (Stmt statement in IrWalk.Descendants(new[] { root.Statements[k] }))
            {
                foreach (Expr expr in IrWalk.OwnExpressions(statement))
                {
                    CollectValueReads(expr, after);
                }
            }
        }

        var stepping = new HashSet<string>();
        if (loop.Condition is not null)
        {
            CollectValueReads(loop.Condition, stepping);
        }

        foreach (Stmt statement in IrWalk.Descendants(loop.Update.Statements))
        {
            foreach (Expr expr in IrWalk.OwnExpressions(statement))
            {
                CollectValueReads(expr, stepping);
            }
        }

        return !after.Contains(vector) && !stepping.Contains(vector)
            && (_coverage.ReadsOnlyAfterOverwrite(loop.Body, vector) || _coverage.ReadsOnlyAfterPrefixOverwrite(loop, vector, HasAdjoint));
    }

    /// <summary><c>s = s ± e</c> is every write of s in the loop, and nothing else there reads s.</summary>
    private bool IsAccumulator(string name, Loop loop)
    {
        foreach (Stmt statement in IrWalk.Descendants(new Stmt[] { loop }))
        {
            if (AddedTo(statement, out string target) is { } added && target == name && !IrWalk.Mentions(added, name))
            {
                continue;
            }

            Effects own = Effects.Of(statement);
            if (own.Reads.Contains(name) || own.Writes.Contains(name))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Assigned (not accumulated) before any read in every iteration, and read by nothing after the loop: in effect a
    /// new variable per iteration.
    /// </summary>
    private bool IsIterationLocal(string name, Loop loop, Block root, int position)
    {
        if ((loop.Condition is { } condition && IrWalk.Mentions(condition, name)) || Effects.Deep(loop.Update.Statements).Reads.Contains(name))
        {
            return false;
        }

        Stmt? first = loop.Body.Statements.FirstOrDefault(s => Effects.Deep(s).Reads.Contains(name) || Effects.Deep(s).Writes.Contains(name));
        if (first is not Assign { Kind: AssignKind.Set, Target: Var target, Value: var value } || target.Name != name || IrWalk.Mentions(value, name))
        {
            return false;
        }

        for (int k = position + 1; k < root.Statements.Count; k++)
        {
            if (_index.DeepEffects(root.Statements[k]).Reads.Contains(name))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Every write of an output in the statement is <c>s = s ± e</c> with e reading no output, and nothing else in it
    /// reads an output: its adjoint neither reads nor changes the outputs' adjoints beyond passing them on unchanged.
    /// </summary>
    private static bool OnlyAccumulatesInto(Stmt statement, HashSet<string> outputs)
    {
        bool touches = false;
        foreach (Stmt inner in IrWalk.Descendants(new[] { statement }))
        {
            if (AddedTo(inner, out string target) is { } added && outputs.Contains(target))
            {
                if (IrWalk.Reads(added).Overlaps(outputs))
                {
                    return false;
                }

                touches = true;
                continue;
            }

            Effects own = Effects.Of(inner);
            if (own.Reads.Overlaps(outputs) || own.Writes.Overlaps(outputs) || own.VectorWrites.Overlaps(outputs))
            {
                return false;
            }
        }

        return touches;
    }

    /// <summary>Some <c>s = s ± e</c> in the statement, s one of <paramref name="names"/>, whose e carries a derivative (its adjoint reads ds).</summary>
    private bool AccumulatesActiveValueInto(Stmt statement, HashSet<string> names) =>
        IrWalk.Descendants(new[] { statement }).Any(inner =>
            AddedTo(inner, out string target) is { } added && names.Contains(target) && _scope.Activity.IsActive(added));

    /// <summary>A later write that leaves the adjoint of what it writes unchanged: <c>s = s ± e</c> of an output.</summary>
    private static bool IsAccumulation(Stmt statement, HashSet<string> outputs) =>
        AddedTo(statement, out string target) is { } added && !IrWalk.Mentions(added, target) && outputs.Contains(target);

    /// <summary>e when the statement is <c>s = s ± e</c> (s in <paramref name="target"/>), else null.</summary>
    private static Expr? AddedTo(Stmt statement, out string target)
    {
        if (statement is Assign { Target: Var written, Value: Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: Var left } sum } && written.Name == left.Name)
        {
            target = written.Name;
            return sum.Right;
        }

        target = string.Empty;
        return null;
    }

    /// <summary>Variables a derivative can flow from into the statement (deep).</summary>
    private static HashSet<string> ActiveReads(Stmt statement)
    {
        var reads = new HashSet<string>();
        foreach (Stmt inner in IrWalk.Descendants(new[] { statement }))
        {
            switch (inner)
            {
                case Declare { Init: { } init }:
                    ActivityAnalysis.CollectDifferentiable(init, reads);
                    break;
                case Assign a:
                    ActivityAnalysis.CollectDifferentiable(a.Value, reads);
                    break;
                case CallStmt c:
                    foreach (Expr arg in c.Call.Args)
                    {
                        ActivityAnalysis.CollectDifferentiable(arg, reads);
                    }

                    break;
            }
        }

        return reads;
    }

    private bool IsReal(string name) => _scope.Activity.TryGetType(name, out TypeRef type) && type.IsReal;
}
