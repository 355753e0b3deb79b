using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Analysis;

/// <summary>The active variables of one gradient (varied ∧ useful, real-valued) and the type of every variable.</summary>
internal sealed class Activity
{
    private readonly HashSet<string> _active;
    private readonly Dictionary<string, TypeRef> _types;

    public Activity(Block body, IEnumerable<ParameterSpec> parameters, IEnumerable<string> wrt, string result)
    {
        _types = parameters.ToDictionary(p => p.Name, p => p.Type);
        Parameters = _types.Keys.ToList();
        foreach (Stmt statement in IrWalk.Descendants(body))
        {
            switch (statement)
            {
                case Declare d:
                    _types[d.Name] = d.Type;
                    break;
                case CallStmt { ResultVar: { } r } c:
                    _types[r] = c.Call.ReturnType;
                    break;
            }
        }

        HashSet<string> varied = ActivityAnalysis.Varied(body, wrt);
        HashSet<string> useful = ActivityAnalysis.Useful(body, result);
        _active = new HashSet<string>(varied.Where(n => useful.Contains(n) && _types.TryGetValue(n, out TypeRef? t) && t.IsReal));
    }

    public IReadOnlyCollection<string> ActiveNames => _active;

    public IReadOnlyCollection<string> Parameters { get; }

    public bool IsActive(string name) => _active.Contains(name);

    /// <summary>True when a derivative can flow into the expression from an active variable.</summary>
    public bool IsActive(Expr e)
    {
        var sources = new HashSet<string>();
        ActivityAnalysis.CollectDifferentiable(e, sources);
        return sources.Overlaps(_active);
    }

    public TypeRef TypeOf(string name) => _types[name];

    public bool TryGetType(string name, out TypeRef type) => _types.TryGetValue(name, out type!);
}
