using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Differentiation.Adjoints;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Differentiation.Sweeps;

/// <summary>One tape per element type, named and declared only when something is recorded on it.</summary>
internal sealed class Tapes
{
    private readonly AdjointScope _scope;
    private readonly Dictionary<ElementKind, string> _tapes = new();

    public Tapes(AdjointScope scope) => _scope = scope;

    public string For(ElementKind element)
    {
        if (!_tapes.TryGetValue(element, out string? name))
        {
            name = _scope.Temp(Keyword(element) + "Tape");
            _tapes[element] = name;
        }

        return name;
    }

    public IEnumerable<(string Name, ElementKind Element)> Used => _tapes.OrderBy(t => t.Value, System.StringComparer.Ordinal).Select(t => (t.Value, t.Key));

    private static string Keyword(ElementKind element) => element switch
    {
        ElementKind.Float => "float",
        ElementKind.Double => "double",
        ElementKind.Bool => "bool",
        _ => "int",
    };
}
