using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using DiffGen.Generator.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace DiffGen.Generator.Tests.Fuzz;

/// <summary>
/// Robustness: the generator and the analyzer see thousands of random and broken methods. No exception may escape
/// (CS8785 from the generator, AD0001 from the analyzer), generated code may add no compiler error or warning to the
/// user's build, and no method may take more than a generous time bound.
/// Set DIFFGEN_FUZZ_SEED and DIFFGEN_FUZZ_COUNT (programs per kind) to explore further.
/// </summary>
public class FuzzTests
{
    // Wall-clock time on shared, loaded CI machines varies tenfold: the bound only catches a pathological blow-up
    // (the measured worst case, ~0.6–1 s on a quiet machine, is printed in the test output and quoted in the docs).
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly CSharpCompilation Empty = CSharpCompilation.Create(
        "Fuzz",
        references: TestCompiler.References.Value,
        options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void GeneratorAndAnalyzerSurviveRandomAndBrokenMethods()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("DIFFGEN_FUZZ_SEED"), out int s) ? s : 20261125;
        int perKind = int.TryParse(Environment.GetEnvironmentVariable("DIFFGEN_FUZZ_COUNT"), out int c) ? c : 700;
        var random = new Random(seed);
        List<string> methods = RandomPrograms.DifferentiableMethods(FunctionsSource());
        Assert.True(methods.Count > 40, "Functions.cs should provide the seed methods");

        var programs = new List<(string Kind, string Source)>();
        for (int i = 0; i < perKind; i++)
        {
            programs.Add(("truncated", RandomPrograms.Wrap(RandomPrograms.Truncate(methods[random.Next(methods.Count)], random))));
            programs.Add(("damaged", RandomPrograms.Wrap(RandomPrograms.Damage(methods[random.Next(methods.Count)], random))));
            programs.Add(("grammar", RandomPrograms.Wrap(RandomPrograms.Grammar(random))));
        }

        // Warm up (JIT, metadata) so that the timings below are the methods' own.
        Check(RandomPrograms.Wrap(methods[0]));
        Phases.Clear();

        var failures = new List<string>();
        var stats = new Dictionary<string, int>();
        TimeSpan worst = TimeSpan.Zero;
        string worstSource = string.Empty;
        var total = Stopwatch.StartNew();
        foreach ((string kind, string source) in programs)
        {
            Outcome outcome = Check(source);
            Count(stats, kind + (outcome.UserCodeCompiles ? " compiling" : " not compiling"));
            Count(stats, outcome.Generated > 0 ? "gradient generated" : "no gradient generated");
            foreach (string id in outcome.DiffGenIds)
            {
                Count(stats, id);
            }

            if (outcome.Elapsed > worst)
            {
                worst = outcome.Elapsed;
                worstSource = source;
            }

            failures.AddRange(outcome.Failures.Select(f => $"[{kind}] {f}\n{source}"));
        }

        _output.WriteLine($"seed {seed}: {programs.Count} programs in {total.Elapsed.TotalSeconds:F1} s; worst time per program (the method plus a helper, generator + analyzer) {worst.TotalMilliseconds:F0} ms");
        foreach (KeyValuePair<string, double> phase in Phases)
        {
            _output.WriteLine($"  phase {phase.Key}: {phase.Value:F0} ms");
        }

        foreach (KeyValuePair<string, int> stat in stats.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"  {stat.Key}: {stat.Value}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures; first ones:\n" + string.Join("\n----\n", failures.Take(5)));
        Assert.True(worst < Bound, $"worst time {worst.TotalMilliseconds:F0} ms for:\n{worstSource}");
        Assert.True(stats.GetValueOrDefault("gradient generated") > programs.Count / 10, "the grammar should produce many methods that are differentiated");
    }

    private sealed record Outcome(bool UserCodeCompiles, int Generated, TimeSpan Elapsed, List<string> DiffGenIds, List<string> Failures);

    private static Outcome Check(string source)
    {
        var failures = new List<string>();
        var phaseClock = Stopwatch.StartNew();
        CSharpCompilation input = Empty.AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, TestCompiler.ParseOptions, path: "User.cs"));
        var inputProblems = new HashSet<string>(input.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(Key));

        Phase("input", ref phaseClock);
        var clock = Stopwatch.StartNew();
        GeneratorDriver driver = TestCompiler.Driver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();

        Phase("generator", ref phaseClock);
        var analyzerExceptions = new ConcurrentBag<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (ex, _, _) => analyzerExceptions.Add(ex),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> analyzerDiagnostics = output
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        clock.Stop();
        Phase("analyzer", ref phaseClock);

        // 1. No exception escapes: CS8785 is the compiler's report of a generator exception, AD0001 of an analyzer's.
        failures.AddRange(run.Results.Where(r => r.Exception is not null).Select(r => "generator threw: " + r.Exception));
        failures.AddRange(generatorDiagnostics.Where(d => d.Id == "CS8785").Select(d => "CS8785: " + d.GetMessage()));
        failures.AddRange(analyzerExceptions.Select(ex => "analyzer threw: " + ex));
        failures.AddRange(analyzerDiagnostics.Where(d => d.Id == "AD0001").Select(d => "AD0001: " + d.GetMessage()));

        // 2. Generated code adds no error to the user's build, and no warning either when the user's code compiles
        //    (warnings are errors in many builds; while the user's code is broken, the build fails anyway).
        //    A warning the user's code already has (an unused local copied into the forward sweep) is not counted again.
        bool userCodeCompiles = !inputProblems.Any(p => p.StartsWith("Error", StringComparison.Ordinal));
        foreach (Diagnostic d in output.GetDiagnostics().Where(d => d.Severity >= (userCodeCompiles ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error)))
        {
            bool repeatsUserWarning = d.Severity == DiagnosticSeverity.Warning && inputProblems.Any(p => p.StartsWith("Warning " + d.Id + " ", StringComparison.Ordinal));
            if (!inputProblems.Contains(Key(d)) && !repeatsUserWarning)
            {
                failures.Add($"generated code adds {d.Id} at {d.Location.SourceTree?.FilePath}{d.Location.GetLineSpan().StartLinePosition}: {d.GetMessage()}\n{d.Location.SourceTree?.ToString()}");
            }
        }

        Phase("output", ref phaseClock);
        // 3. The generator emits nothing for a method the analyzer rejects (the analyzer's errors explain the missing gradient).
        int generated = run.Results.SelectMany(r => r.GeneratedSources).Count(g => g.HintName.Contains(".Functions.", StringComparison.Ordinal));
        bool rejected = analyzerDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceSpan.Start > source.IndexOf("class Functions", StringComparison.Ordinal));
        if (rejected && run.Results.SelectMany(r => r.GeneratedSources).Any(g => g.HintName.Contains(".Functions.", StringComparison.Ordinal)))
        {
            failures.Add("a gradient was generated for a method the analyzer rejects: " + string.Join("; ", analyzerDiagnostics.Select(d => d.Id + " " + d.GetMessage())));
        }

        var ids = analyzerDiagnostics.Concat(generatorDiagnostics).Select(d => d.Id).Where(id => id.StartsWith("DG", StringComparison.Ordinal)).Distinct().ToList();
        return new Outcome(userCodeCompiles, generated, clock.Elapsed, ids, failures);
    }

    public static readonly ConcurrentDictionary<string, double> Phases = new();

    private static void Phase(string name, ref Stopwatch clock)
    {
        double ms = clock.Elapsed.TotalMilliseconds;
        Phases.AddOrUpdate(name, ms, (_, v) => v + ms);
        clock = Stopwatch.StartNew();
    }

    private static string Key(Diagnostic d) => d.Severity + " " + d.Id + " " + d.Location.SourceTree?.FilePath + " " + d.Location.SourceSpan;

    private static void Count(Dictionary<string, int> stats, string key) => stats[key] = stats.GetValueOrDefault(key) + 1;

    private static string FunctionsSource()
    {
        using Stream stream = typeof(FuzzTests).Assembly.GetManifestResourceStream("Fuzz.Functions.cs")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
