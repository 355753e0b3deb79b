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
    private readonly Dictionary<ElementKind, string> _parking = new();

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

    /// <summary>
    /// A second tape per type for the values a joint statement parks around its reverse: the reverse pops what the
    /// forward pushed before the parking, so parking on the same tape would break its last-in-first-out order.
    /// </summary>
    public string ForParking(ElementKind element)
    {
        if (!_parking.TryGetValue(element, out string? name))
        {
            name = _scope.Temp(Keyword(element) + "Parking");
            _parking[element] = name;
        }

        return name;
    }

    public IEnumerable<(string Name, ElementKind Element)> Used =>
        _tapes.Concat(_parking).OrderBy(t => t.Value, System.StringComparer.Ordinal).Select(t => (t.Value, t.Key));

    private static string Keyword(ElementKind element) => element switch
    {
        ElementKind.Float => "float",
        ElementKind.Double => "double",
        ElementKind.Bool => "bool",
        _ => "int",
    };
}
