using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Analysis;

/// <summary>
/// Activity analysis (flow-insensitive, per variable): varied = depends on a differentiated input; useful = the result
/// depends on it; active = both. Only active values get adjoints.
/// </summary>
internal static class ActivityAnalysis
{
    public static HashSet<string> Varied(Block body, IEnumerable<string> wrt)
    {
        var varied = new HashSet<string>(wrt);
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Stmt statement in IrWalk.Descendants(body))
            {
                foreach (string name in VariedTargets(statement, varied))
                {
                    changed |= varied.Add(name);
                }
            }
        }

        return varied;
    }

    public static HashSet<string> Useful(Block body, string result)
    {
        var useful = new HashSet<string> { result };
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Stmt statement in IrWalk.Descendants(body))
            {
                var sources = new HashSet<string>();
                switch (statement)
                {
                    case Declare { Init: { } init } d when useful.Contains(d.Name):
                        CollectDifferentiable(init, sources);
                        break;
                    case Assign a when useful.Contains(TargetName(a.Target)):
                        CollectDifferentiable(a.Value, sources);
                        break;
                    case Return { Value: { } value }:
                        CollectDifferentiable(value, sources);
                        break;
                    case CallStmt call when (call.ResultVar is { } r && useful.Contains(r)) || OutputArgs(call.Call).Any(useful.Contains):
                        for (int i = 0; i < call.Call.Args.Count; i++)
                        {
                            if (call.Call.ParameterTypes[i].IsReal)
                            {
                                CollectDifferentiable(call.Call.Args[i], sources);
                            }
                        }

                        break;
                }

                foreach (string name in sources)
                {
                    changed |= useful.Add(name);
                }
            }
        }

        return useful;
    }

    private static IEnumerable<string> VariedTargets(Stmt statement, HashSet<string> varied)
    {
        switch (statement)
        {
            case Declare { Init: { } init } d when d.Type.IsReal && DependsOn(init, varied):
                yield return d.Name;
                break;
            case Assign a when a.Target.Type.IsReal && DependsOn(a.Value, varied):
                yield return TargetName(a.Target);
                break;
            case CallStmt call:
                bool anyVaried = false;
                for (int i = 0; i < call.Call.Args.Count; i++)
                {
                    if (call.Call.ParameterTypes[i].IsReal && call.Call.ParameterTypes[i].Shape != Shape.Span && DependsOn(call.Call.Args[i], varied))
                    {
                        anyVaried = true;
                    }
                }

                if (anyVaried)
                {
                    if (call.ResultVar is { } result)
                    {
                        yield return result;
                    }

                    foreach (string output in OutputArgs(call.Call))
                    {
                        yield return output;
                    }
                }

                break;
        }
    }

    public static IEnumerable<string> OutputArgs(CallSpec call)
    {
        for (int i = 0; i < call.Args.Count; i++)
        {
            if (call.ParameterTypes[i].Shape == Shape.Span && call.ParameterTypes[i].IsReal && call.Args[i] is Var v)
            {
                yield return v.Name;
            }
        }
    }

    public static string TargetName(Expr target) => target switch
    {
        Var v => v.Name,
        Elem e => e.Array,
        _ => string.Empty,
    };

    /// <summary>True when a derivative can flow from a name in <paramref name="names"/> into <paramref name="expr"/>.</summary>
    public static bool DependsOn(Expr expr, HashSet<string> names)
    {
        var sources = new HashSet<string>();
        CollectDifferentiable(expr, sources);
        return sources.Overlaps(names);
    }

    /// <summary>
    /// Names through which a derivative flows into the expression (not conditions, indices or constants). With
    /// <paramref name="tangents"/> (forward mode, over a pullback's IR): tapes popped are sources too, and an <c>out</c>
    /// argument is not (the callee does not read it).
    /// </summary>
    public static void CollectDifferentiable(Expr expr, HashSet<string> into, bool tangents = false)
    {
        switch (expr)
        {
            case Var v when v.Type.IsReal:
                into.Add(v.Name);
                break;
            case Elem e when e.Type.IsReal:
                into.Add(e.Array);
                break;
            case TapePop p when tangents && p.Type.IsReal:
                into.Add(p.Tape);
                break;
            case Unary { Op: not UnaryOp.Not } u:
                CollectDifferentiable(u.Operand, into, tangents);
                break;
            case Binary b when b.Type.IsReal:
                CollectDifferentiable(b.Left, into, tangents);
                CollectDifferentiable(b.Right, into, tangents);
                break;
            case Conditional c when c.Type.IsReal:
                CollectDifferentiable(c.WhenTrue, into, tangents);
                CollectDifferentiable(c.WhenFalse, into, tangents);
                break;
            case MathCall m when m.Type.IsReal && !DerivativeRules.IsPiecewiseConstant(m.Fn):
                foreach (Expr arg in m.Args)
                {
                    CollectDifferentiable(arg, into, tangents);
                }

                break;
            case Convert c when c.Type.IsReal && c.Operand.Type.IsReal:
                CollectDifferentiable(c.Operand, into, tangents);
                break;
            case RefArg r when !(tangents && r.Out):
                CollectDifferentiable(r.Target, into, tangents);
                break;
            case SliceOf s when s.Type.IsReal:
                into.Add(s.Vector);
                break;
            case VectorReduce v:
                foreach (Expr operand in v.Operands)
                {
                    CollectDifferentiable(operand, into, tangents);
                }

                break;
        }
    }
}
