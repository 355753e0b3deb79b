using System.Text;
using System.Text.RegularExpressions;

namespace DiffGen.Generator.Tests.Property;

/// <summary>
/// A plain (not [Differentiable]) copy of a generated program, <c>Probe_M</c>, in which every stored real value — each
/// declaration, assignment, compound assignment, element write, increment and return — goes through <c>Chk</c>,
/// which notes a value beyond 1e4 in magnitude or not finite. <c>Overflows_M(z)</c> runs it. Helper calls go to the helpers' probes.
/// The copy is made from the program's text, which the builder writes one statement per line, always with braces.
/// </summary>
internal static class ProbeSource
{
    private static readonly Regex Return = new(@"^(\s*)return (.*);$", RegexOptions.CultureInvariant);
    private static readonly Regex Store = new(@"^(\s*)(?:double )?([A-Za-z_]\w*(?:\[[^\]]*\])?) ?(?:=|\+=|-=|\*=|/=|\+\+|--)(?: .*)?;$", RegexOptions.CultureInvariant);
    private static readonly Regex HelperCall = new(@"\b(H\d+)\(", RegexOptions.CultureInvariant);

    public static string Copy(GeneratedProgram m)
    {
        var output = new StringBuilder();
        foreach (string line in m.Source.Split('\n'))
        {
            string text = HelperCall.Replace(line, "Probe_$1(");
            if (text.Trim() == "[Differentiable]")
            {
                continue;
            }

            text = text.Replace($"public static double {m.Name}(", $"public static double Probe_{m.Name}(", System.StringComparison.Ordinal);
            Match r = Return.Match(text);
            if (r.Success)
            {
                output.Append(r.Groups[1].Value).Append("return Chk(").Append(r.Groups[2].Value).Append(");\n");
                continue;
            }

            output.Append(text).Append('\n');
            string trimmed = text.TrimStart();
            Match store = Store.Match(text);
            if (store.Success && !trimmed.StartsWith("int ", System.StringComparison.Ordinal) && !trimmed.StartsWith("double[]", System.StringComparison.Ordinal)
                && !trimmed.StartsWith("Span<", System.StringComparison.Ordinal))
            {
                output.Append(store.Groups[1].Value).Append("Chk(").Append(store.Groups[2].Value).Append(");\n");
            }
        }

        return output.ToString();
    }

    public static string Wrapper(GeneratedProgram m)
    {
        string n = m.Name;
        string call = m.Shape == ProgramShape.TwoScalars
            ? $"Probe_{n}(z[0], z[1])"
            : $"Probe_{n}({(m.VectorType == "double[]" ? "z[..^1]" : "new ReadOnlySpan<double>(z, 0, z.Length - 1)")}, z[^1])";
        return $"    public static bool Overflows_{n}(double[] z)\n    {{\n        overflowed = false;\n        {call};\n        return overflowed;\n    }}\n\n";
    }
}
