using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace DiffGen.PackageTests;

/// <summary>
/// The ten-line example of README.md, read from the README itself so that README and test are the same code. The
/// block declares a partial type and then calls its gradient; C# wants top-level statements before type declarations,
/// so the declarations (with the usings) go to <c>Losses.cs</c> and the statements to <c>Program.cs</c>.
/// </summary>
internal sealed partial record ReadmeQuickstart(string Declarations, string Statements, double X, double Y, double ClaimedF, double ClaimedDx, double ClaimedDy)
{
    /// <summary>Appended to the statements: prints what the README computes, round-trippably.</summary>
    public const string PrintLine = "System.Console.WriteLine(System.FormattableString.Invariant($\"f={f:R} dx={dx:R} dy={dy:R}\"));";

    public static ReadmeQuickstart Load(string repositoryRoot)
    {
        string readme = File.ReadAllText(Path.Combine(repositoryRoot, "README.md")).ReplaceLineEndings("\n");
        Match block = FirstCSharpBlock().Match(readme);
        if (!block.Success)
        {
            throw new InvalidOperationException("README.md has no ```csharp block.");
        }

        string[] lines = block.Groups["code"].Value.Split('\n');
        int typeEnd = Array.FindIndex(lines, line => line == "}");
        if (typeEnd < 0)
        {
            throw new InvalidOperationException("README.md's first C# block has no top-level type declaration ending in '}'.");
        }

        string declarations = string.Join('\n', lines.Take(typeEnd + 1)) + "\n";
        string statements = string.Join('\n', lines.Skip(typeEnd + 1)).Trim() + "\n";
        Match call = GradientCall().Match(statements);
        Match claim = ClaimedValues().Match(statements);
        if (!call.Success || !claim.Success)
        {
            throw new InvalidOperationException($"README.md's example no longer has the shape this test reads ('RosenbrockGradient(x, y, ref dx, ref dy); // f = …, (dx, dy) = (…, …)'):\n{statements}");
        }

        return new ReadmeQuickstart(
            declarations, statements,
            Parse(call.Groups["x"].Value), Parse(call.Groups["y"].Value),
            Parse(claim.Groups["f"].Value), Parse(claim.Groups["dx"].Value), Parse(claim.Groups["dy"].Value));
    }

    /// <summary>Writes the example into a consumer project created by <c>dotnet new console</c>.</summary>
    public void WriteTo(string projectDirectory)
    {
        File.WriteAllText(Path.Combine(projectDirectory, "Losses.cs"), Declarations);
        File.WriteAllText(Path.Combine(projectDirectory, "Program.cs"), Statements + PrintLine + "\n");
    }

    /// <summary>Rosenbrock's value and gradient in closed form: f = (1−x)² + 100(y−x²)², ∂f/∂x = −2(1−x) − 400x(y−x²), ∂f/∂y = 200(y−x²).</summary>
    public (double F, double Dx, double Dy) ClosedForm()
    {
        double a = 1 - X, b = Y - X * X;
        return (a * a + 100 * b * b, -2 * a - 400 * X * b, 200 * b);
    }

    /// <summary>Reads the line printed by <see cref="PrintLine"/>.</summary>
    public static (double F, double Dx, double Dy) ParsePrinted(string output)
    {
        Match match = PrintedValues().Match(output);
        return match.Success
            ? (Parse(match.Groups["f"].Value), Parse(match.Groups["dx"].Value), Parse(match.Groups["dy"].Value))
            : throw new InvalidOperationException($"The program did not print 'f=… dx=… dy=…':\n{output}");
    }

    private static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex FirstCSharpBlock();

    [GeneratedRegex(@"RosenbrockGradient\(\s*(?<x>[-+0-9.eE]+)\s*,\s*(?<y>[-+0-9.eE]+)\s*,\s*ref\s+dx\s*,\s*ref\s+dy\s*\)")]
    private static partial Regex GradientCall();

    [GeneratedRegex(@"//\s*f\s*=\s*(?<f>[-+0-9.eE]+)\s*,\s*\(dx,\s*dy\)\s*=\s*\(\s*(?<dx>[-+0-9.eE]+)\s*,\s*(?<dy>[-+0-9.eE]+)\s*\)")]
    private static partial Regex ClaimedValues();

    [GeneratedRegex(@"^f=(?<f>\S+) dx=(?<dx>\S+) dy=(?<dy>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PrintedValues();
}
