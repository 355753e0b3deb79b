using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace DiffGen.Generator.Parsing;

/// <summary>Hands out identifiers that collide with nothing the user wrote and nothing handed out before.</summary>
internal sealed class NameTable
{
    private readonly HashSet<string> _used;

    public NameTable(IEnumerable<string> reserved) => _used = new HashSet<string>(reserved);

    public NameTable Clone() => new(_used);

    public void Reserve(string name) => _used.Add(name);

    public bool IsUsed(string name) => _used.Contains(name);

    /// <summary>Every name reserved or handed out so far.</summary>
    public IEnumerable<string> All => _used;

    public string Unique(string preferred)
    {
        // A hint taken from a member (layer.In → "in") may be a C# keyword: numbered like a taken name instead.
        if (SyntaxFacts.GetKeywordKind(preferred) == SyntaxKind.None && _used.Add(preferred))
        {
            return preferred;
        }

        for (int i = 2; ; i++)
        {
            string candidate = preferred + "_" + i.ToString(CultureInfo.InvariantCulture);
            if (_used.Add(candidate))
            {
                return candidate;
            }
        }
    }
}
