using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Planning;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Sweeps;

/// <summary>The forward sweep: the user's statements, plus what the plan records for the reverse sweep.</summary>
internal sealed partial class SweepBuilder
{
    private List<Stmt> Forward(Stmt statement)
    {
        var output = new List<Stmt>();
        switch (statement)
        {
            case Declare { Type.IsVector: true } vector:
                output.AddRange(ForwardVector(vector));
                break;
            case Declare declare:
                if (_plan.HoistedNames.Contains(declare.Name))
                {
                    if (declare.Init is not null)
                    {
                        output.Add(new Assign(new Var(declare.Type, declare.Name), declare.Init) { Source = declare.Source });
                    }
                }
                else
                {
                    output.Add(declare);
                }

                break;
            case Assign assign:
                if (_plan.Saved.Contains(assign) && !_plan.Inverted.Contains(assign))
                {
                    output.Add(_plan.SaveLocals.TryGetValue(assign, out string? local)
                        ? SaveInto(local, assign.Target)
                        : new Push(Tapes.For(assign.Target.Type.Element), assign.Target));
                }

                output.Add(assign);
                break;
            case CallStmt call:
                if (_plan.Saved.Contains(call))
                {
                    foreach (string vector in Outputs(call))
                    {
                        output.Add(new PushRange(Tapes.For(_scope.Activity.TypeOf(vector).Element), vector));
                    }
                }

                output.Add(call.ResultVar is { } result && _plan.HoistedNames.Contains(result) ? call with { DeclaresResult = false } : call);
                break;
            case If branch:
                output.AddRange(ForwardIf(branch));
                break;
            case Loop loop:
                if (_plan.ForwardOrder.TryGetValue(loop, out List<(string Variable, string Entry)>? recurrence))
                {
                    // The recurrence's values on entry, where the forward-order reverse starts it again.
                    output.AddRange(recurrence.Select(r => new Declare(r.Entry, _scope.Activity.TypeOf(r.Variable), new Var(_scope.Activity.TypeOf(r.Variable), r.Variable))));
                }

                if (_plan.BlockSaves.TryGetValue(loop, out List<(string Vector, Expr Count)>? saves))
                {
                    output.AddRange(saves.Select(s => new PushRange(Tapes.For(_scope.Activity.TypeOf(s.Vector).Element), s.Vector, s.Count)));
                }

                output.AddRange(ForwardLoop(loop));
                break;
            default:
                output.Add(statement);
                break;
        }

        return output;
    }

    private Stmt SaveInto(string local, Expr target) =>
        _plan.HoistedNames.Contains(local) ? new Assign(new Var(target.Type, local), target) : new Declare(local, target.Type, target);

    private static IEnumerable<string> Outputs(CallStmt call) => Analysis.ActivityAnalysis.OutputArgs(call.Call);

    private IEnumerable<Stmt> ForwardVector(Declare vector)
    {
        bool hoisted = _plan.HoistedNames.Contains(vector.Name);
        yield return hoisted ? new Assign(new Var(vector.Type, vector.Name), vector.Init!) { Source = vector.Source } : vector;
        if (!_scope.IsActive(vector.Name))
        {
            yield break;
        }

        // The adjoint lives where the vector does: on the stack if the user put it there, else in a pooled buffer.
        string adjoint = _scope.AdjointOf(vector.Name);
        Expr length = new LengthOf(vector.Name);
        if (vector.Init is NewVector { Stack: true })
        {
            var span = new TypeRef(vector.Type.Element, Shape.Span);
            var stack = new NewVector(span, length, Stack: true);
            yield return hoisted ? new Assign(new Var(span, adjoint), stack) : new Declare(adjoint, span, stack);
            yield return new ClearVector(adjoint);
        }
        else
        {
            // Returned at the end of the pullback: a buffer rented in a nested block is declared at the top.
            string buffer = BufferName(adjoint);
            bool nested = !ReferenceEquals(_index.BlockOf(vector), _index.Root);
            if (nested)
            {
                MethodDeclarations.Add(new DeclareBuffer(buffer, adjoint, vector.Type.Element));
            }

            yield return new RentBuffer(buffer, adjoint, vector.Type.Element, length, Declared: !nested);
            Returns.Add(new ReturnBuffer(buffer, vector.Type.Element, MayBeNull: nested));
        }
    }

    private IEnumerable<Stmt> ForwardIf(If branch)
    {
        Block then = ForwardBlock(branch.Then);
        Block? otherwise = branch.Else is null ? null : ForwardBlock(branch.Else);
        if (_plan.RecordedDecisions.TryGetValue(branch, out string? decision))
        {
            var variable = new Var(TypeRef.Bool, decision);
            yield return _plan.HoistedNames.Contains(decision) ? new Assign(variable, branch.Condition) : new Declare(decision, TypeRef.Bool, branch.Condition);
            yield return branch with { Condition = variable, Then = then, Else = otherwise };
        }
        else
        {
            yield return branch with { Then = then, Else = otherwise };
        }
    }

    private IEnumerable<Stmt> ForwardLoop(Loop loop)
    {
        Block body = ForwardBlock(loop.Body);
        Block update = ForwardBlock(loop.Update);
        if (!_plan.Trips.TryGetValue(loop, out TripPlan? trips) || trips.FromBounds)
        {
            yield return loop with { Body = body, Update = update };
            yield break;
        }

        // Recorded: the trip count (and a counted loop's start) in locals of the enclosing block.
        var count = new Var(TypeRef.Int, trips.Trips!);
        yield return Local(trips.Trips!, TypeRef.Int, new Literal(TypeRef.Int, "0"));
        Block init = loop.Init;
        if (trips.Start is { } start && trips.Shape is { } shape)
        {
            yield return Local(start, TypeRef.Int, shape.Start);
            init = Block.Of(new Stmt[] { new Declare(shape.Counter, TypeRef.Int, new Var(TypeRef.Int, start)) });
        }

        var counted = new List<Stmt> { new Assign(count, new Binary(TypeRef.Int, BinaryOp.Add, count, new Literal(TypeRef.Int, "1"))) };
        counted.AddRange(body.Statements);
        yield return loop with { Init = init, Body = Block.Of(counted), Update = update };
    }

    private Stmt Local(string name, TypeRef type, Expr value) =>
        _plan.HoistedNames.Contains(name) ? new Assign(new Var(type, name), value) : new Declare(name, type, value);

    /// <summary>A nested block's forward code; inside a two-sweep loop it ends by recording what its reverse re-creates.</summary>
    private Block ForwardBlock(Block block)
    {
        var statements = new List<Stmt>();
        foreach (Stmt statement in block.Statements)
        {
            statements.AddRange(Forward(statement));
        }

        if (_plan.Provisions.TryGetValue(block, out List<Provision>? provisions))
        {
            foreach (Provision provision in provisions.Where(p => p.Recompute is null))
            {
                string tape = Tapes.For(provision.Type.Element);
                statements.Add(provision.Type.IsVector ? new PushRange(tape, provision.Name, provision.Count) { Slot = provision.Slot } : new Push(tape, new Var(provision.Type, provision.Name)));
            }
        }

        return Block.Of(statements);
    }
}
