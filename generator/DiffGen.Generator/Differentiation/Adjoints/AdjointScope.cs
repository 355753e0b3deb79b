using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Analysis;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Differentiation.Adjoints;

/// <summary>
/// What adjoint code of one gradient is written against: the activity, the adjoint name of every active variable
/// (<c>dz</c> for <c>z</c>), and fresh names for temporaries, all from one name table so nothing collides.
/// </summary>
internal sealed class AdjointScope
{
    private readonly Dictionary<string, string> _adjoints;
    private readonly HashSet<string> _adjointNames = new();
    private readonly HashSet<string> _temporaries = new();

    public AdjointScope(Activity activity, NameTable names, IReadOnlyDictionary<string, string> preset, ISet<string> multiWrittenVectors)
    {
        Activity = activity;
        Names = names;
        MultiWrittenVectors = multiWrittenVectors;
        _adjoints = preset.ToDictionary(p => p.Key, p => p.Value);
        _adjointNames.UnionWith(preset.Values);
    }

    public Activity Activity { get; }

    public NameTable Names { get; }

    /// <summary>Vectors written more than once: a call's output adjoint must be cleared after its pullback consumed it.</summary>
    public ISet<string> MultiWrittenVectors { get; }

    public IReadOnlyDictionary<string, string> Adjoints => _adjoints;

    /// <summary>Gradient span → its primal span, for spans checked on entry to have the same length and never rebound.</summary>
    public IReadOnlyDictionary<string, string> LengthChecked { get; init; } = new Dictionary<string, string>();

    public bool IsActive(string name) => Activity.IsActive(name);

    public bool IsActive(Expr e) => Activity.IsActive(e);

    public string AdjointOf(string primal)
    {
        if (!_adjoints.TryGetValue(primal, out string? adjoint))
        {
            adjoint = Names.Unique("d" + primal);
            _adjoints[primal] = adjoint;
            _adjointNames.Add(adjoint);
        }

        return adjoint;
    }

    public Var AdjointVar(string primal) => new(Activity.TypeOf(primal), AdjointOf(primal));

    /// <summary>True for names this scope made: adjoints and temporaries of adjoint code (never the user's variables).</summary>
    public bool IsGenerated(string name) => _adjointNames.Contains(name) || _temporaries.Contains(name);

    public bool IsAdjoint(string name) => _adjointNames.Contains(name);

    /// <summary>A fresh name for a temporary of adjoint code.</summary>
    public string Temp(string hint)
    {
        string name = Names.Unique(hint);
        _temporaries.Add(name);
        return name;
    }

    /// <summary>A readable hint for a temporary holding <paramref name="e"/>'s value (<c>exp</c>, <c>quot</c>, …).</summary>
    public static string HintFor(Expr e) => e switch
    {
        Var v => v.Name,
        MathCall m => m.Fn.ToString().ToLowerInvariant(),
        Binary { Op: BinaryOp.Add } => "sum",
        Binary { Op: BinaryOp.Subtract } => "diff",
        Binary { Op: BinaryOp.Multiply } => "prod",
        Binary { Op: BinaryOp.Divide } => "quot",
        Unary u => HintFor(u.Operand),
        Model.Convert c => HintFor(c.Operand),
        Elem el => el.Array + "Elem",
        Conditional => "choice",
        VectorReduce r => r.Op.ToString().ToLowerInvariant(),
        _ => "t",
    };
}
