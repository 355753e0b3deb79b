using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation;

internal sealed partial class ReverseModeBuilder
{
    /// <summary>
    /// Forward: the call itself (snapshotting outputs that are overwritten later and still needed). Reverse: the
    /// callee's pullback with the adjoint of the result as seed and the arguments' adjoints, then the outputs'
    /// adjoints are cleared (the call overwrote those values).
    /// </summary>
    private (List<Stmt> Forward, List<Stmt> Reverse) ProcessCall(CallStmt statement)
    {
        CallSpec call = statement.Call;
        var forward = new List<Stmt>();
        var reverse = new List<Stmt>();
        List<string> outputs = ActivityAnalysis.OutputArgs(call).ToList();
        List<string> snapshots = outputs.Where(_snapshots.Contains).ToList();
        foreach (string output in snapshots)
        {
            forward.Add(new Invoke(Tape(_types[output].Element) + ".PushRange", new Expr[] { new Var(_types[output], output) }.ToEquatableArrayOf()));
        }

        string? result = statement.ResultVar;
        if (result is not null)
        {
            _topDeclarations.Add(new Declare(result, call.ReturnType, Lit(0, call.ReturnType)));
            if (_tapedScalars.Contains(result))
            {
                string tape = Tape(call.ReturnType.Element);
                forward.Add(new Invoke(tape + ".Push", new Expr[] { new Var(call.ReturnType, result) }.ToEquatableArrayOf()));
                reverse.Add(new Assign(new Var(call.ReturnType, result), new RawExpr(call.ReturnType, tape + ".Pop()")));
            }
        }

        forward.Add(statement);
        bool resultActive = result is not null && _active.Contains(result);
        if (resultActive || outputs.Any(_active.Contains))
        {
            reverse.AddRange(Pullback(statement, resultActive));
        }

        snapshots.Reverse();
        foreach (string output in snapshots)
        {
            reverse.Add(new Invoke(Tape(_types[output].Element) + ".PopRange", new Expr[] { new Var(_types[output], output) }.ToEquatableArrayOf()));
        }

        return (forward, reverse);
    }

    private bool IsMultiWritten(string vector) =>
        _vectorWrittenInLoop.Contains(vector) || (_vectorWrites.TryGetValue(vector, out int count) && count > 1);

    private List<Stmt> Pullback(CallStmt statement, bool resultActive)
    {
        CallSpec call = statement.Call;
        var output = new List<Stmt>();
        bool[] needs = new bool[call.Args.Count];
        for (int i = 0; i < call.Args.Count; i++)
        {
            Expr arg = call.Args[i];
            needs[i] = call.ParameterTypes[i].IsReal && (call.ParameterTypes[i].Shape == Shape.Span
                ? arg is Var v && _active.Contains(v.Name)
                : _context.IsActive(arg));
        }

        CalleeVariant? variant = call.Variants.FirstOrDefault(v => Enumerable.Range(0, needs.Length).All(i => !needs[i] || v.Slots[i] != AdjointSlot.None));
        if (variant is null)
        {
            int missing = Enumerable.Range(0, needs.Length).First(i => needs[i] && call.Variants.All(v => v.Slots[i] == AdjointSlot.None));
            _failure = call.Method + "\n" + call.ParameterNames[missing];
            return output;
        }

        var args = new List<Expr>();
        foreach (Expr arg in call.Args)
        {
            _context.RecordReads(arg);
            args.Add(arg);
        }

        if (call.PullbackTakesSeed)
        {
            args.Add(resultActive ? new Var(call.ReturnType, _context.AdjointName(statement.ResultVar!)) : Lit(0, call.ReturnType));
        }

        var after = new List<Stmt>();
        var adjointPropagation = new ExpressionAdjoint(_context);
        for (int i = 0; i < call.Args.Count; i++)
        {
            AdjointSlot slot = variant.Slots[i];
            TypeRef type = call.ParameterTypes[i];
            Expr arg = call.Args[i];
            switch (slot)
            {
                case AdjointSlot.RefScalar:
                    if (arg is Var scalar && needs[i])
                    {
                        args.Add(new RefArg(new Var(type, _context.AdjointName(scalar.Name))));
                    }
                    else
                    {
                        string temp = _context.Temp("a");
                        output.Add(new Declare(temp, type, Lit(0, type)));
                        args.Add(new RefArg(new Var(type, temp)));
                        if (needs[i])
                        {
                            adjointPropagation.Propagate(arg, new Var(type, temp), after);
                        }
                    }

                    break;
                case AdjointSlot.InputVector:
                case AdjointSlot.OutputVector:
                    {
                        var vector = (Var)arg;
                        if (needs[i])
                        {
                            args.Add(new Var(type, _context.AdjointName(vector.Name)));
                            // The call overwrote the output: its adjoint is consumed. Clear it only if an earlier
                            // write of the same vector will read it again in this reverse sweep.
                            if (slot == AdjointSlot.OutputVector && IsMultiWritten(vector.Name))
                            {
                                after.Add(new RawStmt(_context.AdjointName(vector.Name) + ".Clear();"));
                            }
                        }
                        else if (slot == AdjointSlot.InputVector && call.IsRegisteredPullback)
                        {
                            // Not needed: an empty span tells a registered pullback to skip this adjoint (e.g. dX of X·W).
                            args.Add(new RawExpr(type, "default(global::System.Span<" + Keyword(type.Element) + ">)"));
                        }
                        else
                        {
                            // Not needed here: a zeroed scratch adjoint of the right length, returned right after.
                            string keyword = Keyword(type.Element);
                            string buffer = _context.Temp("unused");
                            output.Add(new RawStmt($"{keyword}[] {buffer} = {Pool}<{keyword}>.Shared.Rent({vector.Name}.Length);"));
                            output.Add(new RawStmt($"global::System.Array.Clear({buffer}, 0, {vector.Name}.Length);"));
                            args.Add(new RawExpr(type, $"new global::System.Span<{keyword}>({buffer}, 0, {vector.Name}.Length)"));
                            after.Add(new RawStmt($"{Pool}<{keyword}>.Shared.Return({buffer});"));
                        }

                        break;
                    }
            }
        }

        output.Add(new Invoke(variant.Pullback, args.ToEquatableArrayOf()));
        output.AddRange(after);
        if (resultActive && IsMultiAssigned(statement.ResultVar!))
        {
            output.Add(new Assign(new Var(call.ReturnType, _context.AdjointName(statement.ResultVar!)), Lit(0, call.ReturnType)));
        }

        return output;
    }
}
