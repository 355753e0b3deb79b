using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DiffGen.Generator.Tests;

/// <summary>Compiles user code in memory with the generator, the way a user's build does.</summary>
internal static class TestCompiler
{
    internal static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var paths = trusted.Split(Path.PathSeparator).Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll").ToList();
        paths.Add(typeof(DifferentiableAttribute).Assembly.Location);
        paths.Add(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "UserCode" + Guid.NewGuid().ToString("N"),
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"User{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    public static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public sealed record Result(Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Run, GeneratorDriver Driver)
    {
        public IEnumerable<Diagnostic> CompilerErrorsAndWarnings => Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning);

        public IReadOnlyList<(string HintName, string Text)> Sources =>
            Run.Results.SelectMany(r => r.GeneratedSources).Select(s => (s.HintName, s.SourceText.ToString())).ToList();
    }

    public static Result Run(params string[] sources)
    {
        CSharpCompilation compilation = Compilation(sources);
        GeneratorDriver driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new Result(output, diagnostics, driver.GetRunResult(), driver);
    }

    /// <summary>Runs the generator and <see cref="Analyzers.DifferentiableAnalyzer"/>, as a build does; the analyzer sees the generated code too.</summary>
    public static (Result Generator, ImmutableArray<Diagnostic> Analyzer) RunWithAnalyzer(params string[] sources)
    {
        Result result = Run(sources);
        ImmutableArray<Diagnostic> analyzer = result.Output
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new Analyzers.DifferentiableAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return (result, analyzer);
    }

    /// <summary>Emits the compilation and loads it into a collectible context; fails with the compiler's errors.</summary>
    public static Assembly Load(Compilation compilation, out AssemblyLoadContext context)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        if (!emit.Success)
        {
            throw new InvalidOperationException("Compilation failed:\n" + string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        stream.Position = 0;
        context = new AssemblyLoadContext("DiffGenTest" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return context.LoadFromStream(stream);
    }
}
