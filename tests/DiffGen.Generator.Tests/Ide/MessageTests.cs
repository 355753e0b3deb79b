using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DiffGen.Generator.Tests.Ide;

/// <summary>Messages name the offending construct and the usual way around it.</summary>
public class MessageTests
{
    [Theory]
    [InlineData("try { r = r * x; } finally { }", "DG0007", "try statement", "move the try/catch to the caller")]
    [InlineData("switch ((int)x) { case 1: if (r > 2) break; r = 2; break; }", "DG0007", "break before the end of a switch section", "if/else")]
    [InlineData("r = r switch { double v when v > 1 => v, _ => 0 };", "DG0008", "pattern of this kind", "relational patterns")]
    [InlineData("lock (Gate) { r = r * x; }", "DG0007", "lock statement", "caller")]
    [InlineData("using (var m = new System.IO.MemoryStream()) { r = r * x; }", "DG0007", "using statement", "caller")]
    [InlineData("ref double a = ref r;", "DG0007", "ref local", "plain local")]
    [InlineData("r = r * double.Parse(x.ToString());", "DG0009", "'double.Parse(string)'", "[DerivativeOf]")]
    [InlineData("r = Tuple.Create(x).Item1;", "DG0008", "'Item1'", "flows through it")]
    [InlineData("Func<double, double> f = a => a * x; r = f(r);", "DG0023", "a call through a delegate", "local function")]
    [InlineData("r = r * xs.Select(a => a * x).OrderBy(a => a).First();", "DG0023", "the LINQ call 'First'", "write a loop")]
    [InlineData("r = new double[] { x }.Sum();", "DG0023", "the LINQ call 'Sum'", "write a loop")]
    public void NamesTheConstructAndTheFix(string statement, string id, string what, string fix)
    {
        string source = """
            using System;
            using System.Linq;
            using DiffGen;

            public static partial class Losses
            {
                private static readonly object Gate = new();
                private static readonly double[] xs = { 1, 2 };

                [Differentiable]
                public static double F(double x)
                {
                    double r = x;
                    STATEMENT
                    return r;
                }
            }
            """.Replace("STATEMENT", statement);
        (TestCompiler.Result result, var analyzer) = TestCompiler.RunWithAnalyzer(source);
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Diagnostic diagnostic = Assert.Single(analyzer, d => d.Id == id);
        Assert.Contains(what, diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains(fix, diagnostic.GetMessage(), System.StringComparison.Ordinal);
        if (id != "DG0009")
        {
            Assert.Contains("'F'", diagnostic.GetMessage(), System.StringComparison.Ordinal); // DG0009 names the callee
        }
    }
}
