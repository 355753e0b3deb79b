using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Analysis;

/// <summary>
/// The cheap check behind DG0015, run by the parser (and so by the analyzer as the user types) without building any
/// sweep: for each call whose result or outputs are active, some pullback the callee offers must take an adjoint for
/// every argument that carries a derivative. Activity here is that of the body as written (returns are useful).
/// </summary>
internal static class CallAdjointCheck
{
    public readonly record struct Missing(string Method, string Parameter);

    /// <param name="output">A vector result's [Output] span, or "" for a scalar result.</param>
    public static IEnumerable<Missing> Find(Block body, IEnumerable<string> wrt, string output)
    {
        HashSet<string> varied = ActivityAnalysis.Varied(body, wrt);
        HashSet<string> useful = ActivityAnalysis.Useful(body, output);
        bool Active(Expr e)
        {
            var sources = new HashSet<string>();
            ActivityAnalysis.CollectDifferentiable(e, sources);
            return sources.Any(n => varied.Contains(n) && useful.Contains(n));
        }

        foreach (CallStmt statement in IrWalk.Descendants(body).OfType<CallStmt>())
        {
            CallSpec call = statement.Call;
            bool resultActive = statement.ResultVar is { } r && varied.Contains(r) && useful.Contains(r);
            bool outputsActive = ActivityAnalysis.OutputArgs(call).Any(o => varied.Contains(o) && useful.Contains(o));
            if (!resultActive && !outputsActive)
            {
                continue;
            }

            bool[] needs = call.Args.Select((arg, i) => call.ParameterTypes[i].IsReal && Active(arg)).ToArray();
            bool covered = call.Variants.Any(v => Enumerable.Range(0, needs.Length).All(i => !needs[i] || v.Slots[i] != AdjointSlot.None));
            if (!covered)
            {
                int missing = Enumerable.Range(0, needs.Length).First(i => needs[i] && call.Variants.All(v => v.Slots[i] == AdjointSlot.None));
                yield return new Missing(call.Method, call.ParameterNames[missing]);
            }
        }
    }
}
