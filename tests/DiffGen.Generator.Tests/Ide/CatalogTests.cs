using System;
using System.IO;
using System.Linq;
using DiffGen.Generator.Analyzers;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DiffGen.Generator.Tests.Ide;

/// <summary>The catalog is complete: every id has a descriptor, a docs page, a release-tracking row, and an owner.</summary>
public class CatalogTests
{
    private static readonly DiagnosticDescriptor[] Descriptors =
        typeof(DiagnosticDescriptors).GetFields().Select(f => (DiagnosticDescriptor)f.GetValue(null)!).ToArray();

    [Fact]
    public void EveryIdHasADocsPage()
    {
        string docs = Path.Combine(RepositoryPaths.Root, "docs", "diagnostics");
        Assert.All(Descriptors, d => Assert.True(File.Exists(Path.Combine(docs, d.Id + ".md")), $"docs/diagnostics/{d.Id}.md is missing"));
        string index = File.ReadAllText(Path.Combine(docs, "README.md"));
        Assert.All(Descriptors, d => Assert.Contains($"[{d.Id}]({d.Id}.md)", index, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryIdIsTrackedForRelease()
    {
        string folder = Path.Combine(RepositoryPaths.Root, "generator", "DiffGen.Generator");
        string tracked = File.ReadAllText(Path.Combine(folder, "AnalyzerReleases.Shipped.md")) + File.ReadAllText(Path.Combine(folder, "AnalyzerReleases.Unshipped.md"));
        Assert.All(Descriptors, d => Assert.Contains($"{d.Id} | {d.Category} | {d.DefaultSeverity} |", tracked, StringComparison.Ordinal));
    }

    [Fact]
    public void AnalyzerReportsEverythingTheParserFinds()
    {
        // DG0018/DG0019 come from the [DerivativeOf] check on the pullback's own declaration: the generator reports them.
        var generatorOnly = new[] { DiagnosticIds.DerivativeSignatureMismatch, DiagnosticIds.DerivativeTargetNotFound };
        var supported = new DifferentiableAnalyzer().SupportedDiagnostics.Select(d => d.Id).ToHashSet();
        Assert.Equal(Descriptors.Select(d => d.Id).Where(id => !generatorOnly.Contains(id)).OrderBy(i => i), supported.OrderBy(i => i));
    }

    [Fact]
    public void OnlyAdviceIsBelowErrorSeverity()
    {
        Assert.Equal(
            new[] { DiagnosticIds.WrtParameterHasNoEffect, DiagnosticIds.NonSmoothOperation },
            Descriptors.Where(d => d.DefaultSeverity != DiagnosticSeverity.Error).Select(d => d.Id).OrderBy(i => i));
    }
}

/// <summary>The "Example" of every docs page really triggers its diagnostic (analyzer + generator, as in a build).</summary>
public class DocsExampleTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (string id in typeof(DiagnosticIds).GetFields().Select(f => (string)f.GetValue(null)!).Where(id => id != DiagnosticIds.InternalError).OrderBy(i => i))
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ExampleTriggersTheDiagnostic(string id)
    {
        string page = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "diagnostics", id + ".md"));
        string afterHeading = page.Substring(page.IndexOf("## Example", StringComparison.Ordinal));
        int start = afterHeading.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        string example = afterHeading.Substring(start, afterHeading.IndexOf("```", start, StringComparison.Ordinal) - start);
        string source = "using System;\nusing System.Linq;\nusing DiffGen;\n\n" + (example.Contains("class ", StringComparison.Ordinal)
            ? example
            : "public static partial class Examples\n{\n    [Differentiable]\n    public static double Half(double x) => x / 2;\n\n" + example + "\n}\n");

        (TestCompiler.Result result, var analyzer) = TestCompiler.RunWithAnalyzer(source);
        Assert.Contains(id, analyzer.Concat(result.GeneratorDiagnostics).Select(d => d.Id));
    }

    [Fact]
    public void GeneratedCodePageQuotesTheSnapshotBaseline()
    {
        // docs/generated-code.md shows the Horner baseline verbatim: regenerate the page when the baseline changes.
        string root = RepositoryPaths.Root;
        string baseline = File.ReadAllText(Path.Combine(root, "tests", "DiffGen.Generator.Tests", "Baselines", "HornerTapesOverwrittenAccumulator", "Demo.Poly.Horner.g.cs")).ReplaceLineEndings("\n").Trim();
        string page = File.ReadAllText(Path.Combine(root, "docs", "generated-code.md")).ReplaceLineEndings("\n");
        Assert.Contains(baseline, page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DotProductAccumulates", "Demo.Linear.Dot.g.cs", "DotPullback")]
    [InlineData("FusedAccumulationLoop", "Demo.Losses.ExtendedRosenbrock.g.cs", "ExtendedRosenbrockPullback")]
    public void GeneratedCodePageQuotesPullbacksOfTheBaselines(string test, string file, string method)
    {
        // The page quotes these pullbacks without the class around them (one indentation level less).
        string[] lines = File.ReadAllText(RepositoryPaths.Combine("tests", "DiffGen.Generator.Tests", "Baselines", test, file)).ReplaceLineEndings("\n").Split('\n');
        int first = Array.FindIndex(lines, l => l.Contains("public static", StringComparison.Ordinal) && l.Contains(method + "(", StringComparison.Ordinal));
        int last = Array.FindIndex(lines, first, l => l == "    }");
        Assert.True(first >= 0 && last > first, $"{method} not found in {file}");
        string quoted = string.Join("\n", lines[first..(last + 1)].Select(l => l.StartsWith("    ", StringComparison.Ordinal) ? l[4..] : l));
        string page = File.ReadAllText(RepositoryPaths.Combine("docs", "generated-code.md")).ReplaceLineEndings("\n");
        Assert.Contains(quoted, page, StringComparison.Ordinal);
    }
}
