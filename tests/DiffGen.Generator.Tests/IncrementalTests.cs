using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using DiffGen.Generator.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DiffGen.Generator.Tests;

/// <summary>The pipeline caches: edits that do not touch a [Differentiable] method leave its model step cached.</summary>
public class IncrementalTests
{
    private const string Losses = """
        using System;
        using DiffGen;

        namespace Demo;

        public static partial class Losses
        {
            [Differentiable]
            public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

            [Differentiable]
            public static double UsesHelper(double x) => 2 * Helper(x);
        }
        """;

    private const string Helper = """
        using DiffGen;

        namespace Demo;

        public static partial class Losses
        {
            [Differentiable]
            public static double Helper(double a) => a * a;
        }
        """;

    private const string Unrelated = "namespace Demo; public static class Other { public static int Answer() => 42; }";

    [Fact]
    public void UnrelatedEdit_LeavesModelsCached()
    {
        (GeneratorDriver driver, Compilation compilation) = FirstRun(Losses, Helper, Unrelated);
        Compilation edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText(Unrelated.Replace("42", "43"), TestCompiler.ParseOptions, path: "User2.cs"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        IncrementalStepRunReason[] reasons = Reasons(result, TrackingNames.MethodSpec);
        Assert.Equal(3, reasons.Length);
        Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step ran: {r}"));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output regenerated: {o.Reason}"));
    }

    [Fact]
    public void AddingAnUnrelatedFile_LeavesModelsCached()
    {
        (GeneratorDriver driver, Compilation compilation) = FirstRun(Losses, Helper);
        Compilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Unrelated, TestCompiler.ParseOptions, path: "Added.cs"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.All(Reasons(result, TrackingNames.MethodSpec), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step ran: {r}"));
    }

    [Fact]
    public void BodyChange_Regenerates()
    {
        (GeneratorDriver driver, Compilation compilation) = FirstRun(Losses, Helper);
        Compilation edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText(Losses.Replace("100 *", "50 *"), TestCompiler.ParseOptions, path: "User0.cs"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        IncrementalStepRunReason[] reasons = Reasons(result, TrackingNames.MethodSpec);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains(result.GeneratedSources, s => s.HintName == "Demo.Losses.Rosenbrock.g.cs" && s.SourceText.ToString().Contains("50.0"));
    }

    [Fact]
    public void CalleeSignatureChange_RegeneratesCaller()
    {
        (GeneratorDriver driver, Compilation compilation) = FirstRun(Losses, Helper);
        Compilation edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText(Helper.Replace("[Differentiable]", "[Differentiable(nameof(a), Name = \"HelperGrad\")]"), TestCompiler.ParseOptions, path: "User1.cs"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        string caller = result.GeneratedSources.Single(s => s.HintName == "Demo.Losses.UsesHelper.g.cs").SourceText.ToString();
        Assert.Contains("Losses.HelperGradPullback(", caller);
        Assert.DoesNotContain("Losses.HelperPullback(", caller);
    }

    [Fact]
    public void ModelHoldsNoRoslynObjects()
    {
        var banned = new[] { typeof(ISymbol), typeof(Compilation), typeof(SyntaxNode), typeof(Location), typeof(SemanticModel), typeof(SyntaxTree) };
        var visited = new HashSet<Type>();
        var pending = new Stack<Type>();
        pending.Push(typeof(DifferentiableGenerator).Assembly.GetType("DiffGen.Generator.Model.DifferentiableMethodSpec", throwOnError: true)!);
        while (pending.Count > 0)
        {
            Type type = pending.Pop();
            if (!visited.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum)
            {
                continue;
            }

            Assert.DoesNotContain(banned, b => b.IsAssignableFrom(type));
            foreach (Type nested in type.Assembly.GetTypes().Where(t => t.IsSubclassOf(type)))
            {
                pending.Push(nested);
            }

            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                pending.Push(field.FieldType);
                foreach (Type argument in field.FieldType.GetGenericArguments())
                {
                    pending.Push(argument);
                }
            }
        }

        Assert.True(visited.Count > 10, "the walk should reach the IR types");
    }

    private static (GeneratorDriver Driver, Compilation Compilation) FirstRun(params string[] sources)
    {
        Compilation compilation = TestCompiler.Compilation(sources);
        GeneratorDriver driver = TestCompiler.Driver().RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        return (driver, compilation);
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
}
