using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Emission;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation;

/// <summary>
/// One sweep instead of two for the commonest loss shape: a top-level loop that only accumulates,
/// <c>for (…) { temporaries; s += e; }</c>, followed by straight-line code whose adjoint does not depend on the
/// loop's results (<c>return s;</c>, <c>return s / n;</c>). Then each accumulator's adjoint is known before the loop
/// and stays constant through its reverse, iterations are independent, and each iteration's adjoint can run right
/// after its forward part while its temporaries are still live: no trip count, no recomputation, one pass over the
/// data, as a hand-written gradient does it.
/// </summary>
internal sealed partial class ReverseModeBuilder
{
    // Index into the body of the loop to fuse, or -1. Found from the IR once; dropped if a pass proves it unsafe.
    private int _fusedLoop = -1;

    // While the fused loop's body is processed: a branch's adjoint runs in the same iteration, so its decision stays in
    // a local instead of going on the tape.
    private bool _fusing;

    // The fused loop's temporaries (declared at the top of its body, assigned nowhere else) and the variables its
    // init and update step: live in each iteration's adjoint code, so never taped or recomputed.
    private List<Declare> _fusedTemporaries = new();
    private HashSet<string> _fusedTemporaryNames = new();

    /// <summary>The last top-level loop, if its body only accumulates and straight-line code follows it.</summary>
    private int FindFusionCandidate()
    {
        int index = -1;
        for (int i = _body.Statements.Count - 1; i >= 0 && index < 0; i--)
        {
            if (_body.Statements[i] is Loop)
            {
                index = i;
            }
        }

        if (index < 0)
        {
            return -1;
        }

        for (int i = index + 1; i < _body.Statements.Count; i++)
        {
            if (_body.Statements[i] is not (Declare { Type.IsScalar: true } or Assign { Target: Var }))
            {
                return -1;
            }
        }

        var loop = (Loop)_body.Statements[index];
        var reads = new HashSet<string>();

        // Init and update may only step integer variables (the counter): nothing there has an adjoint.
        foreach (Stmt statement in loop.Init.Statements.Concat(loop.Update.Statements))
        {
            switch (statement)
            {
                case Declare { Type.IsReal: false, Type.IsScalar: true } d:
                    if (d.Init is not null)
                    {
                        IrWalk.CollectReads(d.Init, reads);
                    }

                    break;
                case Assign { Target: Var { Type.IsReal: false } } a:
                    IrWalk.CollectReads(a.Value, reads);
                    break;
                default:
                    return -1;
            }
        }

        var temporaries = new List<Declare>();
        var accumulators = new HashSet<string>();
        if (!OnlyAccumulates(loop.Body, temporaries, accumulators, reads))
        {
            return -1;
        }

        // A temporary must be assigned once per iteration; an accumulator read anywhere else in the loop would make
        // its adjoint vary between iterations.
        if (loop.Condition is not null)
        {
            IrWalk.CollectReads(loop.Condition, reads);
        }

        if (temporaries.Any(t => accumulators.Contains(t.Name)) || !accumulators.Overlaps(_active) || accumulators.Overlaps(reads))
        {
            return -1;
        }

        // The loop's own integer variables are live in the iteration's adjoint code too.
        _fusedTemporaries = temporaries;
        _fusedTemporaryNames = new HashSet<string>(temporaries.Select(t => t.Name)
            .Concat(loop.Init.Statements.Concat(loop.Update.Statements).Select(IrWalk.DefinedScalar).OfType<string>()));
        return index;
    }

    /// <summary>
    /// Whether the block only declares temporaries and accumulates, possibly under <c>if</c> (a branch's decision is
    /// then held in a local through the iteration instead of taped).
    /// </summary>
    private static bool OnlyAccumulates(Block block, List<Declare> temporaries, HashSet<string> accumulators, HashSet<string> reads)
    {
        foreach (Stmt statement in block.Statements)
        {
            switch (statement)
            {
                case Declare { Type.IsScalar: true, Init: not null } d:
                    temporaries.Add(d);
                    IrWalk.CollectReads(d.Init, reads);
                    break;
                case Assign { Kind: AssignKind.Set, Target: Var target, Value: Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: Var left } sum }
                    when left.Name == target.Name && target.Type.IsScalar && !IrWalk.Mentions(sum.Right, target.Name):
                    accumulators.Add(target.Name);
                    IrWalk.CollectReads(sum.Right, reads);
                    break;
                case If branch:
                    IrWalk.CollectReads(branch.Condition, reads);
                    if (!OnlyAccumulates(branch.Then, temporaries, accumulators, reads)
                        || (branch.Else is not null && !OnlyAccumulates(branch.Else, temporaries, accumulators, reads)))
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Forward: prefix; the suffix's adjoint (it gives the accumulators' adjoints); the loop with each iteration's
    /// adjoint appended; the suffix. Reverse: the prefix's only. Null when this pass shows fusion would be wrong.
    /// </summary>
    private (List<Stmt> Forward, List<Stmt> Reverse)? TryProcessFused(int index)
    {
        var loop = (Loop)_body.Statements[index];
        var prefix = Block.Of(_body.Statements.Take(index));
        var suffix = Block.Of(_body.Statements.Skip(index + 1));
        (List<Stmt> prefixForward, List<Stmt> prefixReverse) = ProcessBlock(prefix, inLoop: false, depth: 0);
        _context.Site = index;
        _fusing = true;
        (List<Stmt> bodyForward, List<Stmt> bodyReverse) = ProcessBlock(loop.Body, inLoop: true, depth: 1);
        _fusing = false;
        (List<Stmt> suffixForward, List<Stmt> suffixReverse) = ProcessBlock(suffix, inLoop: false, depth: 0, siteOffset: index + 1);

        // A tape push (or anything but plain assignments) means some value is restored in reverse order; the
        // adjoint code moved ahead of the forward code must not restore (write) a primal value either.
        if (bodyReverse.Count == 0 || !IrWalk.Descendants(bodyForward).All(s => s is Assign or If or Block) || suffixForward.Any(s => s is not (Assign or Declare))
            || WritesPrimal(bodyReverse) || WritesPrimal(suffixReverse))
        {
            return null;
        }

        // A purely elementwise adjoint (dw[i] += g·x[i]) is better as a second, TensorPrimitives sweep.
        if (_options.UseTensorPrimitives && loop.Counter is not null && _fusedTemporaries.Count == 0
            && VectorLowering.TryLower(bodyReverse, loop.Counter, new Var(TypeRef.Int, "start"), new Var(TypeRef.Int, "trips")) is not null)
        {
            return null;
        }

        // The suffix's adjoint runs before the loop and the suffix: it may read nothing they compute.
        var computedLater = new HashSet<string>();
        foreach (Stmt statement in IrWalk.Descendants(loop.Init).Concat(IrWalk.Descendants(loop.Body)).Concat(IrWalk.Descendants(loop.Update)).Concat(suffix.Statements))
        {
            if (IrWalk.DefinedScalar(statement) is { } name)
            {
                computedLater.Add(name);
            }
        }

        var suffixReads = new HashSet<string>();
        foreach (Stmt statement in IrWalk.Descendants(suffixReverse))
        {
            if (!IrWalk.TryCollectStatementReads(statement, suffixReads))
            {
                return null;
            }
        }

        if (suffixReads.Overlaps(computedLater))
        {
            return null;
        }

        bodyReverse = CleanUpIteration(_fusedTemporaries, bodyReverse, bodyForward);
        var invariants = new List<Stmt>();
        // What the loop writes; hoisting only rewrites expressions, so it stays the same for sign folding.
        HashSet<string>? written = LoopInvariantHoisting.WrittenIn(bodyForward.Concat(bodyReverse).Concat(loop.Init.Statements).Concat(loop.Update.Statements));
        if (written is not null)
        {
            Func<string> temp = () => _context.Temp("c");
            bodyReverse = LoopInvariantHoisting.Apply(bodyReverse, written, invariants, temp);
            bodyReverse = NegationFolding.Apply(bodyForward, bodyReverse, written, invariants, temp);
        }

        bodyReverse = InRangeAccess.Apply(bodyForward, bodyReverse, LengthCheckedGradients());

        var forward = new List<Stmt>(prefixForward);
        forward.Add(new Comment("Forward and reverse sweeps fused: the loop only accumulates, so its adjoints are known up front"));
        forward.AddRange(suffixReverse);
        forward.AddRange(invariants);
        List<Stmt> iteration = JoinBranches(bodyForward, bodyReverse);
        if (loop.Counter is not null)
        {
            forward.Add(loop with { Body = Block.Of(iteration) });
        }
        else
        {
            // As in the two-sweep form: init; while (condition) { body; update } (normalization removed continue).
            (List<Stmt> initForward, List<Stmt> _) = ProcessBlock(loop.Init, inLoop: false, depth: 1);
            (List<Stmt> updateForward, List<Stmt> _) = ProcessBlock(loop.Update, inLoop: true, depth: 1);
            forward.AddRange(initForward);
            forward.Add(new Loop(loop.Id, Block.Empty, loop.Condition, Block.Empty, Block.Of(iteration.Concat(updateForward).ToList()), null));
        }

        forward.AddRange(suffixForward);
        return (forward, prefixReverse);
    }

    /// <summary>
    /// The iteration's forward code, then its adjoint code. When the forward code ends with a branch and the adjoint code
    /// starts with the adjoint of that branch (same decision variable, which neither branch writes), they become one
    /// branch: <c>if (b) { forward; adjoint } else { … }</c>, so the decision is tested once per iteration.
    /// </summary>
    private static List<Stmt> JoinBranches(List<Stmt> forward, List<Stmt> adjoint)
    {
        var joined = new List<Stmt>(forward);
        int first = adjoint.FindIndex(s => s is not Comment);
        if (joined.Count > 0 && first >= 0
            && joined[joined.Count - 1] is If { Condition: Var decision } forwardBranch
            && adjoint[first] is If { Condition: Var same } adjointBranch && same.Name == decision.Name
            && !IrWalk.Descendants(new Stmt[] { forwardBranch, adjointBranch }).Any(s => IrWalk.DefinedScalar(s) == decision.Name))
        {
            joined[joined.Count - 1] = new If(
                decision,
                Block.Of(forwardBranch.Then.Statements.Concat(adjointBranch.Then.Statements)),
                forwardBranch.Else is null && adjointBranch.Else is null
                    ? null
                    : Block.Of((forwardBranch.Else?.Statements ?? Enumerable.Empty<Stmt>()).Concat(adjointBranch.Else?.Statements ?? Enumerable.Empty<Stmt>())));
            joined.AddRange(adjoint.Where((_, k) => k != first));
            return joined;
        }

        joined.AddRange(adjoint);
        return joined;
    }

    /// <summary>
    /// <see cref="ReverseBodyCleanup"/> for one iteration's adjoint code. The loop's temporaries start each iteration's
    /// adjoint code with zero adjoints (their definitions' adjoints reset them), and those that <paramref name="definitions"/>
    /// assign hold their values (assigned once per iteration from values the loop does not change).
    /// </summary>
    private List<Stmt> CleanUpIteration(List<Declare> temporaries, List<Stmt> adjointCode, List<Stmt> definitions)
    {
        var names = new HashSet<string>(temporaries.Select(t => t.Name));
        var liveValues = new Dictionary<Expr, Var>();
        foreach (Stmt statement in definitions)
        {
            if (statement is Assign { Target: Var target, Value: var value } && names.Contains(target.Name) && !liveValues.ContainsKey(value))
            {
                liveValues[value] = target;
            }
        }

        IEnumerable<string> zeroAdjoints = temporaries.Where(t => _adjoints.ContainsKey(t.Name)).Select(t => _adjoints[t.Name]);
        return ReverseBodyCleanup.Apply(adjointCode, zeroAdjoints, liveValues);
    }

    /// <summary>
    /// Gradient span → its primal span, for the span parameters whose gradient the entry check holds to the same length
    /// (and that the body never rebinds, so the check stays true).
    /// </summary>
    private Dictionary<string, string> LengthCheckedGradients()
    {
        var rebound = new HashSet<string>(IrWalk.Descendants(_body).OfType<Assign>().Select(a => a.Target).OfType<Var>().Select(v => v.Name));
        var primalOf = new Dictionary<string, string>();
        foreach (int index in _gradient.Wrt)
        {
            ParameterSpec p = _spec.Parameters[index];
            if (p.Type.IsVector && !rebound.Contains(p.Name) && _adjoints.TryGetValue(p.Name, out string? gradient))
            {
                primalOf[gradient] = p.Name;
            }
        }

        return primalOf;
    }

    private bool WritesPrimal(List<Stmt> statements) =>
        IrWalk.Descendants(statements).Any(s => s is Assign a && _types.ContainsKey(ActivityAnalysis.TargetName(a.Target)));
}
