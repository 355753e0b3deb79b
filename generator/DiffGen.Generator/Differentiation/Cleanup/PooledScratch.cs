using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Differentiation.Cleanup;

/// <summary>
/// Scratch arrays the user's method allocates (<c>var h = new float[batch * 256];</c>, or a <c>stackalloc</c> whose size is
/// not a small constant) come from the pool in generated code: a top-level <c>new T[n]</c> that is only indexed, measured, sliced, taped or passed to span parameters becomes a
/// rented, cleared span of n elements (the zeros <c>new</c> gives), returned before the method returns. A generated
/// gradient then allocates nothing per call. An array that escapes (returned, stored, passed where an array is
/// expected, read by code DiffGen does not model) keeps its <c>new</c>: a span could not stand in for it.
/// </summary>
internal static class PooledScratch
{
    public static List<Stmt> Apply(List<Stmt> code, NameTable names)
    {
        if (code.Count == 0 || code[code.Count - 1] is not Return)
        {
            return code;
        }

        var candidates = new Dictionary<string, Declare>();
        foreach (Stmt statement in code)
        {
            if (statement is Declare { Type.Shape: Shape.Array, Type.IsReal: true, Init: NewVector { Stack: false } init } declare && IrWalk.IsPure(init.Length))
            {
                candidates[declare.Name] = declare;
            }
            else if (statement is Declare { Type.Shape: Shape.Span, Type.IsReal: true, Init: NewVector { Stack: true } stack } buffer && IrWalk.IsPure(stack.Length) && !SmallConstant(stack.Length))
            {
                // A stackalloc whose size the data decides: the generated code keeps more buffers alive than the
                // user's method, so above StackLimit elements it takes them from the pool rather than risk the stack.
                candidates[buffer.Name] = buffer;
            }
        }

        if (candidates.Count == 0)
        {
            return code;
        }

        var uses = new Dictionary<string, int>();
        var allowed = new Dictionary<string, int>();
        var declarations = new Dictionary<string, int>();
        foreach (Stmt statement in IrWalk.Descendants(code))
        {
            Count(statement, candidates, uses, allowed, declarations);
        }

        var pooled = new HashSet<string>(candidates.Keys
            .Where(n => declarations.TryGetValue(n, out int d) && d == 1 && Get(uses, n) == Get(allowed, n)));
        if (pooled.Count == 0)
        {
            return code;
        }

        var result = new List<Stmt>(code.Count + 2 * pooled.Count);
        var returns = new List<Stmt>();
        string? cleared = null;
        foreach (Stmt statement in code)
        {
            if (statement is ClearVector { Vector: var vector } && vector == cleared)
            {
                cleared = null;
                continue; // the rented span is cleared already
            }

            cleared = null;
            if (statement is Declare declare && pooled.Contains(declare.Name) && candidates[declare.Name] == declare)
            {
                var init = (NewVector)declare.Init!;
                string buffer = names.Unique(declare.Name + "Buffer");
                bool clear = !FirstUseOverwrites(code, code.IndexOf(statement), declare.Name);
                result.Add(new RentBuffer(buffer, declare.Name, declare.Type.Element, init.Length, StackLimit: init.Stack ? StackLimit : 0, Clear: clear));
                returns.Add(new ReturnBuffer(buffer, declare.Type.Element, MayBeNull: init.Stack));
                cleared = declare.Name;
            }
            else if (statement is Return)
            {
                result.AddRange(returns);
                result.Add(statement);
            }
            else
            {
                result.Add(statement);
            }
        }

        return result;
    }

    private static void Count(Stmt statement, Dictionary<string, Declare> candidates, Dictionary<string, int> uses, Dictionary<string, int> allowed, Dictionary<string, int> declarations)
    {
        switch (statement)
        {
            case Declare d when candidates.ContainsKey(d.Name):
                declarations[d.Name] = Get(declarations, d.Name) + 1;
                break;
            case Assign { Target: Var v } when candidates.ContainsKey(v.Name):
                // The array is replaced: a span cannot be.
                uses[v.Name] = Get(uses, v.Name) + 1;
                break;
            case CallStmt call:
                for (int i = 0; i < call.Call.Args.Count; i++)
                {
                    if (call.Call.Args[i] is Var { Name: var name } && candidates.ContainsKey(name)
                        && i < call.Call.ParameterTypes.Count && call.Call.ParameterTypes[i].Shape is Shape.Span or Shape.ReadOnlySpan)
                    {
                        allowed[name] = Get(allowed, name) + 1;
                    }
                }

                break;
            case PullbackCall pullback:
                // A pullback mirrors its primal's parameters: the primal's call (counted above) decides.
                foreach (Expr arg in pullback.Args)
                {
                    if (arg is Var { Name: var name } && candidates.ContainsKey(name))
                    {
                        allowed[name] = Get(allowed, name) + 1;
                    }
                }

                break;
            case Evaluate { Code.WrittenVectors: var written }:
                foreach (string name in written.Where(candidates.ContainsKey))
                {
                    uses[name] = Get(uses, name) + 1;
                }

                break;
        }

        foreach (Expr expr in IrWalk.OwnExpressions(statement).SelectMany(IrWalk.SelfAndDescendants))
        {
            if (expr is Var { Name: var name } && candidates.ContainsKey(name))
            {
                uses[name] = Get(uses, name) + 1;
            }
            else if (expr is Opaque { WrittenVectors: var written })
            {
                foreach (string w in written.Where(candidates.ContainsKey))
                {
                    uses[w] = Get(uses, w) + 1;
                }
            }
        }
    }

    /// <summary>
    /// True when the first statement after the declaration that touches <paramref name="name"/> is a primal op of
    /// <c>DiffGen.Ops</c> writing it as its output (each overwrites every element of its output, or throws on a length
    /// mismatch): the zeros of <c>new</c> are never seen, so the rented span need not be cleared.
    /// </summary>
    private static bool FirstUseOverwrites(List<Stmt> code, int declaredAt, string name)
    {
        for (int k = declaredAt + 1; k < code.Count; k++)
        {
            if (!Touches(code[k], name))
            {
                continue;
            }

            if (code[k] is not CallStmt { Call: { IsRegisteredPullback: true } call } || !call.Method.StartsWith("global::DiffGen.Ops.", System.StringComparison.Ordinal))
            {
                return false;
            }

            int at = -1;
            for (int i = 0; i < call.Args.Count; i++)
            {
                if (call.Args[i] is Var { Name: var arg } && arg == name)
                {
                    if (at >= 0)
                    {
                        return false; // passed twice: read as well as written
                    }

                    at = i;
                }
                else if (IrWalk.SelfAndDescendants(call.Args[i]).Any(e => Names(e).Contains(name)))
                {
                    return false;
                }
            }

            return at >= 0 && at < call.ParameterTypes.Count && call.ParameterTypes[at].Shape == Shape.Span;
        }

        return false;
    }

    private static bool Touches(Stmt statement, string name) =>
        IrWalk.Descendants(new[] { statement }).Any(s => s switch
        {
            PushRange p => p.Vector == name,
            PopRange p => p.Vector == name,
            ClearVector c => c.Vector == name,
            Evaluate { Code.WrittenVectors: var written } when written.Contains(name) => true,
            Declare d when d.Name == name => true,
            _ => IrWalk.OwnExpressions(s).SelectMany(IrWalk.SelfAndDescendants).Any(e => Names(e).Contains(name)),
        });

    /// <summary>The vectors an expression reads the elements of (its length alone reads none).</summary>
    private static IEnumerable<string> Names(Expr expr) => expr switch
    {
        Var v => new[] { v.Name },
        Elem e => new[] { e.Array },
        SliceOf s => new[] { s.Vector },
        _ => System.Array.Empty<string>(),
    };

    /// <summary>A stackalloc of at most this many elements stays on the stack (decided at run time when the size is not a literal).</summary>
    public const int StackLimit = 256;

    /// <summary>A literal length of at most <see cref="StackLimit"/> elements: cheap and safe on the stack.</summary>
    private static bool SmallConstant(Expr length) =>
        length is Literal { Text: var text } && int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n) && n <= StackLimit;

    private static int Get(Dictionary<string, int> counts, string name) => counts.TryGetValue(name, out int n) ? n : 0;
}
