using System;
using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Adjoints;

/// <summary>
/// The adjoint code of one primitive statement (declaration, assignment, call), written as if every primal variable
/// still held the value the statement saw: the taping plan later makes that true (keeping, saving or recomputing
/// values), so this code never depends on where the statement ends up.
/// </summary>
internal static class LocalAdjoint
{
    /// <param name="statement">A declaration, assignment or call.</param>
    /// <param name="scope">Activity and names.</param>
    /// <param name="known">Values that locals hold where the statement is (a costly call kept by a neighbour).</param>
    /// <param name="readsBack">
    /// Locals whose assigned value the adjoint may read back (not the result or a parameter: the reverse sweep may
    /// restore those, and the caller sees their final values).
    /// </param>
    public static List<Stmt> Of(Stmt statement, AdjointScope scope, IReadOnlyList<(Expr Value, Var Holder)> known, System.Func<string, bool> readsBack)
    {
        var output = new List<Stmt>();
        var adjoint = new ExpressionAdjoint(scope);
        foreach ((Expr value, Var holder) in known)
        {
            adjoint.Know(value, holder);
        }

        switch (statement)
        {
            case Declare { Init: { } init, Type.IsScalar: true } d when scope.IsActive(d.Name):
                adjoint.Know(init, new Var(d.Type, d.Name));
                adjoint.Propagate(init, scope.AdjointVar(d.Name), output);
                break;
            case Assign a when scope.IsActive(IrWalk.TargetName(a.Target)):
                OfAssignment(a, adjoint, scope, output, readsBack);
                break;
            case CallStmt call:
                OfCall(call, scope, output);
                break;
        }

        return output;
    }

    private static void OfAssignment(Assign assign, ExpressionAdjoint adjoint, AdjointScope scope, List<Stmt> output, System.Func<string, bool> readsBack)
    {
        string name = IrWalk.TargetName(assign.Target);
        Expr target = assign.Target is Elem element
            ? new Elem(element.Type, scope.AdjointOf(element.Array), adjoint.Index(element.Index, output))
            : scope.AdjointVar(name);

        // s = s ± e: the adjoint of s passes through unchanged; only e receives a contribution.
        if (assign.Value is Binary { Op: BinaryOp.Add or BinaryOp.Subtract } sum && sum.Left.Equals(assign.Target) && !IrWalk.Mentions(sum.Right, name))
        {
            adjoint.Propagate(sum.Right, sum.Op == BinaryOp.Add ? target : Neg(target), output);
            return;
        }

        // An overwrite consumes the target's adjoint: what flows into the old value starts from zero. (Resets nothing
        // reads again are removed later.)
        Expr zero = Lit(0, assign.Target.Type);
        if (!IrWalk.Mentions(assign.Value, name))
        {
            // The target holds the value just assigned (a quotient the rule needs is read, not divided again).
            if (assign.Target is Var assigned && readsBack(assigned.Name))
            {
                adjoint.Know(assign.Value, assigned);
            }

            adjoint.Propagate(assign.Value, target, output);
            output.Add(new Assign(target, zero));
            return;
        }

        string g = scope.Temp("d" + (assign.Target is Var ? name : name + "Elem"));
        output.Add(new Declare(g, assign.Target.Type, target));
        output.Add(new Assign(target, zero));
        adjoint.Propagate(assign.Value, new Var(assign.Target.Type, g), output);
    }

    /// <summary>
    /// The callee's pullback with the adjoint of the result as seed and the arguments' adjoints; then the adjoints of
    /// what the call overwrote (its result, its output vectors) are consumed.
    /// </summary>
    private static void OfCall(CallStmt statement, AdjointScope scope, List<Stmt> output)
    {
        CallSpec call = statement.Call;
        bool resultActive = statement.ResultVar is { } r && scope.IsActive(r);
        bool[] needs = new bool[call.Args.Count];
        for (int i = 0; i < call.Args.Count; i++)
        {
            Expr arg = call.Args[i];
            needs[i] = call.ParameterTypes[i].IsReal && (call.ParameterTypes[i].Shape == Shape.Span
                ? arg is Var v && scope.IsActive(v.Name)
                : scope.IsActive(arg));
        }

        if (!resultActive && !ActivityAnalysisOutputs(call).Any(scope.IsActive))
        {
            return;
        }

        CalleeVariant variant = call.Variants.FirstOrDefault(v => Enumerable.Range(0, needs.Length).All(i => !needs[i] || v.Slots[i] != AdjointSlot.None))
            ?? throw new DifferentiationException(FailureKind.CalleeNotDifferentiable, call.Method + ": " + call.ParameterNames[Enumerable.Range(0, needs.Length).First(i => needs[i] && call.Variants.All(v => v.Slots[i] == AdjointSlot.None))]);

        var args = new List<Expr>(call.Args);
        if (call.PullbackTakesSeed)
        {
            args.Add(resultActive ? scope.AdjointVar(statement.ResultVar!) : Lit(0, call.ReturnType));
        }

        var after = new List<Stmt>();
        var adjoint = new ExpressionAdjoint(scope);
        for (int i = 0; i < call.Args.Count; i++)
        {
            AdjointSlot slot = variant.Slots[i];
            TypeRef type = call.ParameterTypes[i];
            Expr arg = call.Args[i];
            switch (slot)
            {
                case AdjointSlot.RefScalar when arg is Var scalar && needs[i]:
                    args.Add(new RefArg(scope.AdjointVar(scalar.Name)));
                    break;
                case AdjointSlot.RefScalar:
                    {
                        // A ref for the callee to add into; an expression argument's share flows on from there.
                        var temp = new Var(type, scope.Temp("d" + call.ParameterNames[i]));
                        output.Add(new Declare(temp.Name, type, Lit(0, type)));
                        args.Add(new RefArg(temp));
                        if (needs[i])
                        {
                            adjoint.Propagate(arg, temp, after);
                        }

                        break;
                    }

                case AdjointSlot.InputVector when arg is SliceOf slice:
                    {
                        // A part of a vector (a layer's leaf): the callee adds into the same part of its adjoint.
                        TypeRef span = new(type.Element, Shape.Span);
                        if (needs[i])
                        {
                            args.Add(slice with { Type = span, Vector = scope.AdjointOf(slice.Vector) });
                        }
                        else if (call.IsRegisteredPullback)
                        {
                            args.Add(new DefaultValue(span));
                        }
                        else
                        {
                            string buffer = scope.Temp("unusedBuffer");
                            string unused = scope.Temp("unused");
                            output.Add(new RentBuffer(buffer, unused, type.Element, slice.Length));
                            args.Add(new Var(span, unused));
                            after.Add(new ReturnBuffer(buffer, type.Element, MayBeNull: false));
                        }

                        break;
                    }

                case AdjointSlot.InputVector or AdjointSlot.OutputVector:
                    {
                        var vector = (Var)arg;
                        TypeRef span = new(type.Element, Shape.Span);
                        if (needs[i])
                        {
                            args.Add(new Var(span, scope.AdjointOf(vector.Name)));

                            // The call overwrote the output: its adjoint is consumed. Clear it only if an earlier write
                            // of the same vector reads it again.
                            if (slot == AdjointSlot.OutputVector && scope.MultiWrittenVectors.Contains(vector.Name))
                            {
                                after.Add(new ClearVector(scope.AdjointOf(vector.Name)));
                            }
                        }
                        else if (slot == AdjointSlot.InputVector && call.IsRegisteredPullback)
                        {
                            // An empty span tells a registered pullback to skip this adjoint (e.g. dX of X·W).
                            args.Add(new DefaultValue(span));
                        }
                        else
                        {
                            // Not needed: a zeroed scratch adjoint of the right length, returned right after.
                            string buffer = scope.Temp("unusedBuffer");
                            string unused = scope.Temp("unused");
                            output.Add(new RentBuffer(buffer, unused, type.Element, new LengthOf(vector.Name)));
                            args.Add(new Var(span, unused));
                            after.Add(new ReturnBuffer(buffer, type.Element, MayBeNull: false));
                        }

                        break;
                    }
            }
        }

        output.Add(new PullbackCall(variant.Pullback, args.ToEquatableArray(), variant.ReturnsValue && call.PullbackTakesSeed ? call.Method : null));
        output.AddRange(after);
        if (resultActive)
        {
            output.Add(new Assign(scope.AdjointVar(statement.ResultVar!), Lit(0, call.ReturnType)));
        }
    }

    private static IEnumerable<string> ActivityAnalysisOutputs(CallSpec call) => Analysis.ActivityAnalysis.OutputArgs(call);
}

internal enum FailureKind
{
    /// <summary>A callee has no pullback for an argument that carries a derivative (DG0015).</summary>
    CalleeNotDifferentiable,
    /// <summary>A construct reached differentiation that the parser should have refused (a generator defect).</summary>
    Unsupported,
    /// <summary>A second-order form meets a call whose pullback carries tangents (the callee's second-order form is not generated).</summary>
    SecondOrderThroughCall,
}

/// <summary>A typed failure inside differentiation; <see cref="Differentiator"/> turns it into a result, never a crash.</summary>
internal sealed class DifferentiationException : Exception
{
    public DifferentiationException(FailureKind kind, string detail)
        : base(detail)
    {
        Kind = kind;
    }

    public FailureKind Kind { get; }
}
