using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Differentiation.Forward;

/// <summary>
/// What tangent code of one forward pass is written against: the varied variables, every variable's type, and the
/// tangent name of each varied variable (preset for the inputs whose tangents the caller passes), all from one name
/// table so nothing collides.
/// </summary>
internal sealed class TangentScope
{
    private readonly Dictionary<string, string> _tangents;
    private readonly Dictionary<string, TypeRef> _types;
    private readonly HashSet<string> _generated = new();
    private readonly string _prefix;
    private readonly string _suffix;

    /// <param name="body">The body the pass transforms (its declarations give the types).</param>
    /// <param name="parameters">The method's parameters.</param>
    /// <param name="preset">Tangent names of the seeded inputs (parameters whose tangents are arguments).</param>
    /// <param name="names">The method's name table.</param>
    /// <param name="prefix">Tangent names are prefix + name + suffix: "d" for first order (dx), "" and "Dot" for second (dxDot).</param>
    /// <param name="suffix">See <paramref name="prefix"/>.</param>
    public TangentScope(Block body, IEnumerable<ParameterSpec> parameters, IReadOnlyDictionary<string, string> preset, NameTable names, string prefix, string suffix)
    {
        Names = names;
        _prefix = prefix;
        _suffix = suffix;
        _tangents = preset.ToDictionary(p => p.Key, p => p.Value);
        _types = parameters.ToDictionary(p => p.Name, p => p.Type);
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
                case RentBuffer r:
                    _types[r.Span] = new TypeRef(r.Element, Shape.Span);
                    break;
                case DeclareBuffer b:
                    _types[b.Span] = new TypeRef(b.Element, Shape.Span);
                    break;
                case DeclareTape t:
                    _types[t.Name] = new TypeRef(t.Element, Shape.Scalar);
                    break;
            }
        }

        Varied = ForwardActivity.Varied(body, preset.Keys);
    }

    public NameTable Names { get; }

    public HashSet<string> Varied { get; }

    public bool IsVaried(string name) => Varied.Contains(name);

    public bool IsVaried(Expr e) => ForwardActivity.DependsOn(e, Varied);

    public TypeRef TypeOf(string name) => _types[name];

    public bool TryGetType(string name, out TypeRef type) => _types.TryGetValue(name, out type!);

    public void DeclareType(string name, TypeRef type) => _types[name] = type;

    public bool HasPreset(string name) => _tangents.ContainsKey(name);

    public string TangentOf(string primal)
    {
        if (!_tangents.TryGetValue(primal, out string? tangent))
        {
            tangent = Names.Unique(_prefix + primal + _suffix);
            _tangents[primal] = tangent;
            _generated.Add(tangent);
        }

        return tangent;
    }

    public Var TangentVar(string primal) => new(_types[primal], TangentOf(primal));

    /// <summary>A fresh name for a temporary of tangent code.</summary>
    public string Temp(string hint)
    {
        string name = Names.Unique(hint);
        _generated.Add(name);
        return name;
    }

    /// <summary>True for names this scope made (tangents and temporaries), never the body's own variables.</summary>
    public bool IsGenerated(string name) => _generated.Contains(name);
}
