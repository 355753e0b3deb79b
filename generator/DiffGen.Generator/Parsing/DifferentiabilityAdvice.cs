using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Differentiation.Analysis;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Non-error findings on a method that can be differentiated, from the IR's activity analysis:
/// a differentiated parameter the result does not depend on (DG0020), and a non-smooth math function
/// applied to a varied value (DG0021).
/// </summary>
internal static class DifferentiabilityAdvice
{
    /// <summary>One differentiated parameter as written in an attribute (or the attribute itself when the list is implicit).</summary>
    /// <summary>A name the user listed; for a model, <paramref name="Leaves"/> are the inputs it stands for.</summary>
    public readonly record struct WrtSite(string Parameter, Location Location, IReadOnlyList<string>? Leaves = null)
    {
        public IEnumerable<string> Inputs => Leaves ?? new[] { Parameter };
    }

    /// <param name="output">A vector result's [Output] span, or "" (a scalar result: returns seed the analysis).</param>
    public static IEnumerable<Diagnostic> Find(string methodName, Block body, IReadOnlyList<WrtSite> wrt, IEnumerable<(MathCall Call, Location Location)> mathCalls, string output)
    {
        // Useful: the result depends on it.
        HashSet<string> useful = ActivityAnalysis.Useful(body, output);
        var reported = new HashSet<string>();
        foreach (WrtSite site in wrt)
        {
            if (!site.Inputs.Any(useful.Contains) && reported.Add(site.Parameter + "@" + site.Location.SourceSpan))
            {
                yield return Diagnostic.Create(DiagnosticDescriptors.WrtParameterHasNoEffect, site.Location, methodName, site.Parameter);
            }
        }

        HashSet<string> varied = ActivityAnalysis.Varied(body, wrt.SelectMany(w => w.Inputs).Distinct());
        List<Expr> flowing = ExpressionsReachingResult(body, useful);
        foreach ((MathCall call, Location location) in mathCalls)
        {
            if (Convention(call.Fn) is { } convention && call.Args.Any(a => ActivityAnalysis.DependsOn(a, varied)) && flowing.Any(e => Contains(e, call)))
            {
                yield return Diagnostic.Create(DiagnosticDescriptors.NonSmoothOperation, location, call.Fn.ToString(), convention);
            }
        }
    }

    /// <summary>
    /// Expressions whose value can reach the result: returned values, values stored into useful variables, call
    /// arguments. A kink in a value nobody uses, or in a branch condition, changes no gradient.
    /// </summary>
    private static List<Expr> ExpressionsReachingResult(Block body, HashSet<string> useful)
    {
        var expressions = new List<Expr>();
        foreach (Stmt statement in IrWalk.Descendants(body))
        {
            switch (statement)
            {
                case Declare { Init: { } init } d when useful.Contains(d.Name):
                    expressions.Add(init);
                    break;
                case Assign a when useful.Contains(ActivityAnalysis.TargetName(a.Target)):
                    expressions.Add(a.Value);
                    break;
                case Return { Value: { } value }:
                    expressions.Add(value);
                    break;
                case CallStmt c:
                    expressions.AddRange(c.Call.Args);
                    break;
            }
        }

        return expressions;
    }

    private static bool Contains(Expr expression, Expr part) =>
        expression.Equals(part) || IrWalk.Children(expression).Any(child => Contains(child, part));

    /// <summary>The convention used at the non-differentiable points (see DerivativeRules), or null for a smooth function.</summary>
    public static string? Convention(MathFn fn) => fn switch
    {
        MathFn.Abs => "Abs'(0) = 0",
        MathFn.Max => "on a tie the whole gradient goes to the first argument",
        MathFn.Min => "on a tie the whole gradient goes to the first argument",
        MathFn.Clamp => "the gradient goes to the value when lo <= value <= hi, otherwise to the bound that is returned",
        MathFn.Floor or MathFn.Ceiling or MathFn.Round or MathFn.Truncate or MathFn.Sign =>
            "the derivative is 0 everywhere (also at the jumps), so no gradient flows through it",
        _ => null,
    };
}
