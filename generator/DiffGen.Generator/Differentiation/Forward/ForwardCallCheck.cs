using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Forward;

/// <summary>
/// The check behind DG0026/DG0027, run by the parser: every call an argument of which carries a tangent needs a
/// pushforward that takes a tangent for each such argument.
/// </summary>
internal static class ForwardCallCheck
{
    /// <summary>A call forward mode cannot differentiate: the callee, and the parameter without a tangent (null: no pushforward at all).</summary>
    public readonly record struct Missing(string Method, string? Parameter, bool Registered);

    /// <summary>Calls an argument of which carries a tangent when <paramref name="wrt"/> are seeded.</summary>
    public static IEnumerable<string> VariedCalls(Block body, IEnumerable<string> wrt)
    {
        HashSet<string> varied = ForwardActivity.Varied(body, wrt);
        return IrWalk.Descendants(body).OfType<CallStmt>()
            .Where(s => s.Call.Args.Where((arg, i) => s.Call.ParameterTypes[i].IsReal && ForwardActivity.DependsOn(arg, varied)).Any())
            .Select(s => s.Call.Method);
    }

    public static IEnumerable<Missing> Find(Block body, IEnumerable<string> wrt)
    {
        HashSet<string> varied = ForwardActivity.Varied(body, wrt);
        foreach (CallStmt statement in IrWalk.Descendants(body).OfType<CallStmt>())
        {
            CallSpec call = statement.Call;
            bool[] needs = call.Args.Select((arg, i) => call.ParameterTypes[i].IsReal && ForwardActivity.DependsOn(arg, varied)).ToArray();
            if (!needs.Any(n => n))
            {
                continue;
            }

            if (call.Pushforwards.Count == 0)
            {
                yield return new Missing(call.Method, null, call.IsRegisteredPullback);
                continue;
            }

            if (!call.Pushforwards.Any(p => Enumerable.Range(0, needs.Length).All(i => !needs[i] || p.Slots[i] != TangentSlot.None)))
            {
                int missing = Enumerable.Range(0, needs.Length).First(i => needs[i] && call.Pushforwards.All(p => p.Slots[i] == TangentSlot.None));
                yield return new Missing(call.Method, call.ParameterNames[missing], call.IsRegisteredPullback);
            }
        }
    }
}
