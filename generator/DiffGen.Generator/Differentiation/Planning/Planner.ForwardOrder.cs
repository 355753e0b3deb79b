using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Planning;

/// <summary>
/// Forward-order reverse loops. A two-sweep loop whose iterations' adjoint code commutes — every adjoint it changes
/// is only accumulated into (<c>dx[j] -= dr * power</c>), every adjoint it reads stays fixed (<c>dr</c>) — may run its
/// reverse iterations first to last. Then the values that adjoint code reads and the loop overwrites need not be
/// recorded when they come from an inactive recurrence the reverse can run again alongside (<c>power *= t</c> of a
/// polynomial): the reverse starts it from the value it had when the loop began and steps it after each iteration's
/// adjoint code, as the hand-written gradient does. Gradients then add up in another order than two sweeps would.
/// </summary>
internal sealed partial class Planner
{
    /// <summary>The recurrence variables when the loop qualifies, else null.</summary>
    private List<string>? ForwardOrderRecurrence(Block root, int position)
    {
        if (root.Statements[position] is not Loop { Counter: { } counter } loop || CountedLoopShape.Of(loop) is not { Step: 1 or -1 } shape
            || loop.Body.Statements.Any(s => s is not (Declare or Assign or Comment)))
        {
            return null;
        }

        Effects effects = _index.DeepEffects(loop);
        var written = new HashSet<string>(effects.Writes.Concat(effects.VectorWrites).Where(n => n != counter));
        List<Stmt> body = loop.Body.Statements.ToList();
        var adjointReads = new HashSet<string>(body.SelectMany(AdjointReads));
        var recurrence = new HashSet<string>(adjointReads.Where(written.Contains));
        if (recurrence.Count == 0 || !AdjointsCommute(loop))
        {
            return null;
        }

        // The recurrence: inactive scalars declared outside the loop, stepped by cheap statements of the body that read
        // only the recurrence, the counter and what the loop leaves alone; all adjoint readers come before them.
        int firstStep = int.MaxValue;
        for (int k = 0; k < body.Count; k++)
        {
            Stmt statement = body[k];
            HashSet<string> writes = Effects.Of(statement).Writes;
            if (!writes.Overlaps(recurrence))
            {
                continue;
            }

            firstStep = System.Math.Min(firstStep, k);
            if (statement is not Assign { Target: Var target, Value: var value } || HasAdjoint(statement) || _scope.IsActive(target.Name)
                || !IrWalk.IsPure(value) || IrWalk.SelfAndDescendants(value).Any(e => e is MathCall m && DerivativeRules.IsExpensive(m.Fn))
                || IrWalk.Reads(value).Any(n => written.Contains(n) && !recurrence.Contains(n)))
            {
                return null;
            }
        }

        for (int k = firstStep; k < body.Count; k++)
        {
            if (AdjointReads(body[k]).Overlaps(recurrence))
            {
                return null;
            }
        }

        if (recurrence.Any(n => _index.DeclaringBlock(n) is { } home && !_index.IsWithin(loop, home)))
        {
            return null;
        }

        // Adjoint code that runs after this loop's reverse must not need the recurrence's values (they are left as the
        // forward sweep left them); whatever else the loop writes, only adjoint code after it reads (which runs before
        // its reverse), so nothing in the loop is ever recorded: a reverse that runs first to last could not pop records
        // in order. Nor may anything after the loop change what its reverse reads or its bounds.
        var later = root.Statements.Skip(position + 1).ToList();
        List<Stmt> inLoop = IrWalk.Descendants(new Stmt[] { loop }).ToList();
        var others = new HashSet<string>(written.Where(n => !recurrence.Contains(n)));
        foreach (KeyValuePair<Stmt, HashSet<string>> reader in _adjointReads)
        {
            bool afterIt = later.Any(s => _index.IsWithin(reader.Key, s));
            if ((reader.Value.Overlaps(recurrence) && !inLoop.Contains(reader.Key, ReferenceComparer<Stmt>.Instance) && !afterIt)
                || (reader.Value.Overlaps(others) && !afterIt))
            {
                return null;
            }
        }

        // A saved element write elsewhere whose index reads what the loop writes would have the loop's writes saved too.
        if (IrWalk.Descendants(_index.Root).Any(s => s is Assign { Target: Elem stored } && !_index.IsWithin(s, loop) && IrWalk.Reads(stored.Index).Overlaps(written)))
        {
            return null;
        }

        var inputs = new HashSet<string>(effects.Reads.Concat(adjointReads).Concat(IrWalk.Reads(shape.Start)).Concat(IrWalk.Reads(shape.Bound)));
        inputs.ExceptWith(written);
        inputs.Remove(counter);
        if (IrWalk.Reads(shape.Start).Concat(IrWalk.Reads(shape.Bound)).Any(written.Contains) || later.Any(s => _index.DeepEffects(s).WritesAny(inputs)))
        {
            return null;
        }

        return recurrence.OrderBy(n => n, System.StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The loop's adjoint code from different iterations commutes: each adjoint it writes (other than its own
    /// temporaries and the adjoints of the body's locals) is only accumulated into and read nowhere else in the loop.
    /// </summary>
    private bool AdjointsCommute(Loop loop)
    {
        var bodyLocals = new HashSet<string>(_index.DeepEffects(loop).Declares.Where(_scope.IsActive).Select(_scope.AdjointOf));
        var accumulated = new HashSet<string>();
        var read = new HashSet<string>();
        foreach (Stmt statement in loop.Body.Statements)
        {
            if (!_plan.LocalAdjoints.TryGetValue(statement, out List<Stmt>? code))
            {
                continue;
            }

            var temporaries = new HashSet<string>(IrWalk.Descendants(code).OfType<Declare>().Select(d => d.Name));
            foreach (Stmt adjoint in IrWalk.Descendants(code))
            {
                if (adjoint is not (Declare or Assign or Comment))
                {
                    return false;
                }

                foreach (Expr expr in adjoint is Assign a ? new[] { a.Value }.Concat(a.Target is Elem e ? new[] { e.Index } : System.Array.Empty<Expr>()) : IrWalk.OwnExpressions(adjoint))
                {
                    read.UnionWith(IrWalk.Reads(expr).Where(n => _scope.IsGenerated(n) && !temporaries.Contains(n) && !bodyLocals.Contains(n)));
                }

                if (adjoint is Assign { Target: var target } assign)
                {
                    string name = IrWalk.TargetName(target);
                    if (temporaries.Contains(name) || bodyLocals.Contains(name))
                    {
                        continue;
                    }

                    if (assign.Kind is not (AssignKind.Add or AssignKind.Subtract))
                    {
                        return false;
                    }

                    accumulated.Add(name);
                }
            }
        }

        return !accumulated.Overlaps(read);
    }
}
