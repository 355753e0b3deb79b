using DiffGen.Generator.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace DiffGen.Generator.Tests.Ide;

/// <summary>
/// Roslyn's analyzer and code-fix test harness, set up with this machine's framework assemblies and DiffGen
/// (no reference-assembly download). Every diagnostic must be written in the markup: an unexpected one fails the test.
/// </summary>
internal static class TestSetup
{
    public const string Usings = "using System;\nusing DiffGen;\n\n";

    // An empty package-less set: the references come from TestCompiler (the running framework + DiffGen.dll).
    public static readonly ReferenceAssemblies NoDownload = new("net10.0");

    public static void Configure(SolutionState state)
    {
        state.AdditionalReferences.AddRange(TestCompiler.References.Value);
    }

    public static ParseOptions Latest(ParseOptions options) => ((CSharpParseOptions)options).WithLanguageVersion(LanguageVersion.Latest);

    public static CompilationOptions AllowUnsafe(CompilationOptions options) => ((CSharpCompilationOptions)options).WithAllowUnsafe(true);
}

internal sealed class AnalyzerTest : CSharpAnalyzerTest<DifferentiableAnalyzer, DefaultVerifier>
{
    public AnalyzerTest(string markup)
    {
        ReferenceAssemblies = TestSetup.NoDownload;
        TestSetup.Configure(TestState);
        TestCode = TestSetup.Usings + markup;
    }

    protected override ParseOptions CreateParseOptions() => TestSetup.Latest(base.CreateParseOptions());

    protected override CompilationOptions CreateCompilationOptions() => TestSetup.AllowUnsafe(base.CreateCompilationOptions());
}

internal sealed class CodeFixTest<TFix> : CSharpCodeFixTest<DifferentiableAnalyzer, TFix, DefaultVerifier>
    where TFix : CodeFixProvider, new()
{
    public CodeFixTest(string before, string after)
    {
        ReferenceAssemblies = TestSetup.NoDownload;
        TestSetup.Configure(TestState);
        TestSetup.Configure(FixedState);
        TestCode = TestSetup.Usings + before;
        FixedCode = TestSetup.Usings + after;
    }

    protected override ParseOptions CreateParseOptions() => TestSetup.Latest(base.CreateParseOptions());

    protected override CompilationOptions CreateCompilationOptions() => TestSetup.AllowUnsafe(base.CreateCompilationOptions());
}
