using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Analysis;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Forward;

/// <summary>
/// Which variables of a body carry a tangent: those a seeded input flows into (flow-insensitive, like reverse mode's
/// "varied"). The body may be a user's method or generated derivative code, so tapes count as variables: a tape that
/// receives a varied value is varied, and what is popped from it is too. A tape's pushes and pops are mirrored on its
/// tangent tape one for one, so a vector pushed whole onto a varied tape, or popped from one, is varied as well (its
/// tangent holds zeros until a varied value reaches it).
/// </summary>
internal static class ForwardActivity
{
    public static HashSet<string> Varied(Block body, IEnumerable<string> seeds)
    {
        var varied = new HashSet<string>(seeds);
        List<Stmt> statements = IrWalk.Descendants(body).ToList();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Stmt statement in statements)
            {
                foreach (string name in VariedBy(statement, varied))
                {
                    changed |= varied.Add(name);
                }
            }
        }

        return varied;
    }

    private static IEnumerable<string> VariedBy(Stmt statement, HashSet<string> varied)
    {
        switch (statement)
        {
            case Declare { Init: { } init } d when d.Type.IsReal && DependsOn(init, varied):
                yield return d.Name;
                break;
            case Assign a when a.Target.Type.IsReal && DependsOn(a.Value, varied):
                yield return IrWalk.TargetName(a.Target);
                break;
            case CallStmt call:
                if (call.Call.Args.Where((a, i) => IsRealArgument(a, call.Call.ParameterTypes[i]) && call.Call.ParameterTypes[i].Shape != Shape.Span).Any(a => DependsOn(a, varied)))
                {
                    if (call.ResultVar is { } result && call.Call.ReturnType.IsReal)
                    {
                        yield return result;
                    }

                    // An array passed to a Span parameter is written too (its argument keeps the array's type).
                    foreach (string written in WrittenArguments(call.Call.Args).Concat(ActivityAnalysis.OutputArgs(call.Call)))
                    {
                        yield return written;
                    }
                }

                break;
            case PullbackCall p:
                if (p.Args.Any(a => a.Type.IsReal && a.Type.Shape != Shape.Span && DependsOn(a, varied)))
                {
                    foreach (string written in WrittenArguments(p.Args))
                    {
                        yield return written;
                    }
                }

                break;
            case Push push when DependsOn(push.Value, varied):
                yield return push.Tape;
                break;
            case PushRange push when varied.Contains(push.Vector) || varied.Contains(push.Tape):
                yield return push.Tape;
                yield return push.Vector;
                break;
            case PopRange pop when varied.Contains(pop.Tape) || varied.Contains(pop.Vector):
                yield return pop.Tape;
                yield return pop.Vector;
                break;
            case VectorKernel k when k.Operands.Any(o => DependsOn(o, varied)):
                yield return k.Destination.Vector;
                break;
        }
    }

    private static bool IsRealArgument(Expr arg, TypeRef parameter) => parameter.IsReal && arg.Type.IsReal;

    /// <summary>Variables a call writes: <c>ref</c>/<c>out</c> targets and span arguments.</summary>
    public static IEnumerable<string> WrittenArguments(IEnumerable<Expr> args)
    {
        foreach (Expr arg in args)
        {
            switch (arg)
            {
                case RefArg { Target: Var v } when v.Type.IsReal:
                    yield return v.Name;
                    break;
                case RefArg { Target: Elem e } when e.Type.IsReal:
                    yield return e.Array;
                    break;
                case Var { Type: { IsReal: true, Shape: Shape.Span } } span:
                    yield return span.Name;
                    break;
                case SliceOf { Type: { IsReal: true, Shape: Shape.Span } } slice:
                    yield return slice.Vector;
                    break;
            }
        }
    }

    public static bool DependsOn(Expr expr, HashSet<string> names)
    {
        var sources = new HashSet<string>();
        CollectSources(expr, sources);
        return sources.Overlaps(names);
    }

    /// <summary>Names a tangent can flow from into <paramref name="expr"/> (tapes popped included, out arguments not).</summary>
    public static void CollectSources(Expr expr, HashSet<string> into) => ActivityAnalysis.CollectDifferentiable(expr, into, tangents: true);
}
