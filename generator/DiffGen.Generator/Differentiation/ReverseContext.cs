using System.Collections.Generic;
using System.Globalization;
using DiffGen.Generator.Model;
using DiffGen.Generator.Parsing;

namespace DiffGen.Generator.Differentiation;

/// <summary>What one reverse sweep knows: the active variables, their adjoint names, and what it reads.</summary>
internal sealed class ReverseContext
{
    private readonly HashSet<string> _active;
    private readonly Dictionary<string, string> _adjoints;
    private readonly NameTable _names;
    private int _nextTemp;

    public ReverseContext(HashSet<string> active, Dictionary<string, string> adjoints, NameTable names)
    {
        _active = active;
        _adjoints = adjoints;
        _names = names;
    }

    /// <summary>Primal variables the reverse sweep reads: their values must be the ones the forward sweep saw.</summary>
    public HashSet<string> Reads { get; } = new();

    public bool IsActive(string name) => _active.Contains(name);

    public bool IsActive(Expr e)
    {
        var sources = new HashSet<string>();
        ActivityAnalysis.CollectDifferentiable(e, sources);
        return sources.Overlaps(_active);
    }

    public string AdjointName(string name)
    {
        if (!_adjoints.TryGetValue(name, out string? adjoint))
        {
            adjoint = _names.Unique("d" + name);
            _adjoints[name] = adjoint;
        }

        return adjoint;
    }

    /// <summary>The top-level statement (index into the body) whose reverse sweep is being built.</summary>
    public int Site { get; set; }

    /// <summary>Per variable read, the earliest top-level statement whose reverse sweep reads it.</summary>
    public Dictionary<string, int> FirstReadSite { get; } = new();

    public void RecordReads(Expr e)
    {
        var names = new HashSet<string>();
        IrWalk.CollectReads(e, names);
        foreach (string name in names)
        {
            Reads.Add(name);
            if (!FirstReadSite.TryGetValue(name, out int site) || Site < site)
            {
                FirstReadSite[name] = Site;
            }
        }
    }

    public string Temp(string prefix)
    {
        while (true)
        {
            string candidate = prefix + _nextTemp.ToString(CultureInfo.InvariantCulture);
            _nextTemp++;
            if (!_names.IsUsed(candidate))
            {
                _names.Reserve(candidate);
                return candidate;
            }
        }
    }
}
