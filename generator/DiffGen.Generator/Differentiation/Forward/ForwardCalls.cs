using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using static DiffGen.Generator.Simplification.ExprBuilder;

namespace DiffGen.Generator.Differentiation.Forward;

/// <summary>
/// Calls in forward mode: a call whose arguments carry a tangent becomes a call of the callee's pushforward (a
/// [Differentiable] callee's generated one, or a registered one), with the tangents passed as the callee's parameters
/// are; a call without tangents runs as it is. A callee's pullback (inside a pullback being pushed forward) needs the
/// callee's second-order form, which is not generated yet: it is refused unless nothing it reads carries a tangent.
/// </summary>
internal sealed class ForwardCalls
{
    public IEnumerable<Stmt> OfCall(CallStmt statement, ForwardPass pass)
    {
        TangentScope scope = pass.Scope;
        CallSpec call = statement.Call;
        bool[] varied = call.Args.Select((arg, i) => call.ParameterTypes[i].IsReal && (arg is Var { Type.IsVector: true } v ? scope.IsVaried(v.Name) : scope.IsVaried(arg))).ToArray();
        bool resultVaried = statement.ResultVar is { } r && call.ReturnType.IsReal && scope.IsVaried(r);
        var output = new List<Stmt>();
        if (!varied.Any(v => v))
        {
            // Flow-insensitively the result may carry tangents elsewhere; here it is a constant.
            output.Add(statement);
            if (resultVaried)
            {
                var zero = Lit(0, call.ReturnType);
                output.Add(statement.DeclaresResult
                    ? new Declare(scope.TangentOf(statement.ResultVar!), call.ReturnType, zero)
                    : new Assign(scope.TangentVar(statement.ResultVar!), zero));
            }

            return output;
        }

        PushforwardVariant variant = call.Pushforwards.FirstOrDefault(p => Enumerable.Range(0, varied.Length).All(i => !varied[i] || p.Slots[i] != TangentSlot.None))
            ?? throw new DifferentiationException(FailureKind.CalleeNotDifferentiable, call.Method + ": " + call.ParameterNames[Enumerable.Range(0, varied.Length).First(i => varied[i] && call.Pushforwards.All(p => p.Slots[i] == TangentSlot.None))]);

        var args = new List<Expr>(call.Args);
        var types = new List<TypeRef>(call.ParameterTypes);
        var names = new List<string>(call.ParameterNames);
        var after = new List<Stmt>();
        for (int i = 0; i < call.Args.Count; i++)
        {
            TypeRef type = call.ParameterTypes[i];
            Expr arg = call.Args[i];
            if (variant.Slots[i] != TangentSlot.None)
            {
                types.Add(variant.Slots[i] switch
                {
                    TangentSlot.InputVector => new TypeRef(type.Element, Shape.ReadOnlySpan),
                    TangentSlot.OutputVector => new TypeRef(type.Element, Shape.Span),
                    _ => type,
                });
                names.Add("d" + call.ParameterNames[i]);
            }

            switch (variant.Slots[i])
            {
                case TangentSlot.Scalar:
                    args.Add(pass.Tangent(arg, output) ?? Lit(0, type));
                    break;
                case TangentSlot.InputVector:
                    // An empty span is a zero tangent.
                    args.Add(!varied[i] ? new DefaultValue(new TypeRef(type.Element, Shape.ReadOnlySpan))
                        : arg is SliceOf slice ? slice with { Vector = scope.TangentOf(slice.Vector) } // a layer's leaf: the same part of its tangent
                        : new Var(new TypeRef(type.Element, Shape.ReadOnlySpan), scope.TangentOf(((Var)arg).Name)));
                    break;
                case TangentSlot.OutputVector:
                    {
                        var vector = (Var)arg;
                        TypeRef span = new(type.Element, Shape.Span);
                        if (scope.IsVaried(vector.Name))
                        {
                            args.Add(new Var(span, scope.TangentOf(vector.Name)));
                        }
                        else
                        {
                            // The output carries no tangent afterwards (nothing reads it as varied): a scratch one.
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

        if (call.ReturnType.IsRealScalar)
        {
            string tangent;
            if (resultVaried)
            {
                tangent = scope.TangentOf(statement.ResultVar!);
                if (statement.DeclaresResult)
                {
                    output.Add(new Declare(tangent, call.ReturnType, null));
                }
            }
            else
            {
                tangent = scope.Temp("unusedTangent");
                output.Add(new Declare(tangent, call.ReturnType, null));
            }

            args.Add(new RefArg(new Var(call.ReturnType, tangent), Out: true));
            types.Add(call.ReturnType);
            names.Add("tangent");
        }

        CallSpec pushforward = call with { Method = variant.Method, Args = args.ToEquatableArray(), ParameterTypes = types.ToEquatableArray(), ParameterNames = names.ToEquatableArray() };
        output.Add(statement with { Call = pushforward });
        output.AddRange(after);
        return output;
    }

    public IEnumerable<Stmt> OfPullbackCall(PullbackCall call, ForwardPass pass)
    {
        if (call.Args.Any(a => a.Type.IsReal && (a is Var { Type.IsVector: true } v ? pass.Scope.IsVaried(v.Name) : pass.Scope.IsVaried(a))))
        {
            throw new DifferentiationException(FailureKind.SecondOrderThroughCall, call.Method);
        }

        return new[] { call };
    }
}
