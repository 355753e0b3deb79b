using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Planning;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Sweeps;

/// <summary>The reverse sweep: each statement's adjoint code, restores of what its forward code saved, backwards.</summary>
internal sealed partial class SweepBuilder
{
    private List<Stmt> Reverse(Stmt statement)
    {
        var output = new List<Stmt>();
        switch (statement)
        {
            case Assign assign:
                {
                    var code = new List<Stmt>();
                    if (_plan.Inverted.Contains(assign) && assign.Value is Binary step)
                    {
                        // k = k + c undone: k = k - c.
                        code.Add(new Assign(assign.Target, step with { Op = step.Op == BinaryOp.Add ? BinaryOp.Subtract : BinaryOp.Add }));
                    }
                    else if (_plan.Saved.Contains(assign))
                    {
                        Expr old = _plan.SaveLocals.TryGetValue(assign, out string? local)
                            ? new Var(assign.Target.Type, local)
                            : new TapePop(assign.Target.Type, Tapes.For(assign.Target.Type.Element));
                        var restore = new Assign(assign.Target, old);

                        // An adjoint that reads the value this assignment made runs before the old value comes back.
                        if (assign.Target is Var target && Planner.ReadsOwnResult(assign, target.Name)
                            && IrWalk.Descendants(AdjointOf(assign)).SelectMany(IrWalk.OwnExpressions).Any(e => IrWalk.Mentions(e, target.Name)))
                        {
                            code.AddRange(AdjointOf(assign));
                            code.Add(restore);
                            output.AddRange(Commented(assign, code));
                            break;
                        }

                        code.Add(restore);
                    }

                    code.AddRange(AdjointOf(assign));
                    output.AddRange(Commented(assign, code));
                    break;
                }

            case CallStmt call:
                {
                    var code = new List<Stmt>(AdjointOf(call));
                    if (_plan.Saved.Contains(call))
                    {
                        // The pullback read the outputs as the call wrote them; then they get their earlier values back.
                        foreach (string vector in Outputs(call).Reverse())
                        {
                            code.Add(new PopRange(Tapes.For(_scope.Activity.TypeOf(vector).Element), vector));
                        }
                    }

                    output.AddRange(Commented(call, code));
                    break;
                }

            case Declare declare:
                output.AddRange(Commented(declare, AdjointOf(declare)));
                break;
            case If branch when _plan.HasReverse.Contains(branch):
                output.AddRange(ReverseIf(branch));
                break;
            case Loop loop when _plan.ForwardOrder.ContainsKey(loop):
                output.AddRange(ForwardOrderLoop(loop));
                break;
            case Loop loop when _plan.HasReverse.Contains(loop):
                output.AddRange(ReverseLoop(loop));
                break;
        }

        return output;
    }

    private List<Stmt> AdjointOf(Stmt statement) => _plan.LocalAdjoints.TryGetValue(statement, out List<Stmt>? code) ? code : new List<Stmt>();

    private IEnumerable<Stmt> ReverseIf(If branch)
    {
        Expr condition = _plan.RecordedDecisions.TryGetValue(branch, out string? decision) ? new Var(TypeRef.Bool, decision) : branch.Condition;
        Block then = ReverseBlock(branch.Then);
        Block? otherwise = branch.Else is null ? null : ReverseBlock(branch.Else);
        if (otherwise is { Statements.Count: 0 })
        {
            otherwise = null;
        }

        if (then.Statements.Count == 0 && otherwise is not null)
        {
            // if (c) {} else { … } reads better as if (!c) { … }.
            return Commented(branch, new List<Stmt> { new If(new Unary(TypeRef.Bool, UnaryOp.Not, condition), otherwise, null) });
        }

        return Commented(branch, new List<Stmt> { new If(condition, then, otherwise) });
    }

    private IEnumerable<Stmt> ReverseLoop(Loop loop)
    {
        // One reverse iteration undoes the update (it ran last), then the body.
        var body = new List<Stmt>();
        for (int k = loop.Update.Statements.Count - 1; k >= 0; k--)
        {
            body.AddRange(Reverse(loop.Update.Statements[k]));
        }

        body.AddRange(ReverseBlock(loop.Body).Statements);
        TripPlan trips = _plan.Trips[loop];
        var code = new List<Stmt> { ReverseLoops.Header(loop, trips, body, _scope) };
        if (_plan.BlockSaves.TryGetValue(loop, out List<(string Vector, Expr Count)>? saves))
        {
            // The elements the loop overwrote get their earlier values back, all at once.
            code.AddRange(saves.AsEnumerable().Reverse().Select(s => new PopRange(Tapes.For(_scope.Activity.TypeOf(s.Vector).Element), s.Vector, s.Count)));
        }

        return Commented(loop, code);
    }

    /// <summary>
    /// A forward-order loop's reverse: its own header, first to last; each iteration's adjoint code (backwards within the
    /// iteration, reading the recurrence as the iteration began), then the recurrence's steps.
    /// </summary>
    private IEnumerable<Stmt> ForwardOrderLoop(Loop loop)
    {
        var code = new List<Stmt> { new Comment("Iterations reversed first to last (their adjoints commute); the recurrence stepped again, not recorded") };
        foreach ((string variable, string entry) in _plan.ForwardOrder[loop])
        {
            TypeRef type = _scope.Activity.TypeOf(variable);
            code.Add(new Assign(new Var(type, variable), new Var(type, entry)));
        }

        var body = new List<Stmt>(ReverseBlock(loop.Body).Statements);
        HashSet<string> stepped = new(_plan.ForwardOrder[loop].Select(r => r.Variable));
        body.AddRange(loop.Body.Statements.Where(s => s is Assign { Target: Var target } && stepped.Contains(target.Name)));
        code.Add(loop with { Body = Block.Of(body) });
        return Commented(loop, code);
    }

    /// <summary>A nested block's reverse: re-create its locals (popped, then recomputed), declare its adjoints, then its statements backwards.</summary>
    private Block ReverseBlock(Block block)
    {
        var statements = new List<Stmt>();
        if (_plan.Provisions.TryGetValue(block, out List<Provision>? provisions))
        {
            foreach (Provision popped in provisions.Where(p => p.Recompute is null).Reverse())
            {
                string tape = Tapes.For(popped.Type.Element);
                statements.Add(popped.Type.IsVector ? new PopRange(tape, popped.Name, popped.Count) { Slot = popped.Slot } : new Declare(popped.Name, popped.Type, new TapePop(popped.Type, tape)));
            }

            foreach (Provision recomputed in provisions.Where(p => p.Recompute is not null).OrderBy(p => DeclarationOrder(block, p.Name)))
            {
                statements.Add(new Declare(recomputed.Name, recomputed.Type, recomputed.Recompute));
            }
        }

        statements.AddRange(AdjointDeclarations(block));
        for (int k = block.Statements.Count - 1; k >= 0; k--)
        {
            statements.AddRange(Reverse(block.Statements[k]));
        }

        return Block.Of(statements);
    }

    private int DeclarationOrder(Block block, string name) =>
        _index.DeclarationOf(name) is { } declaration && _index.TopLevelIn(block, declaration) is { } holder ? _index.IndexOf(holder) : -1;
}
