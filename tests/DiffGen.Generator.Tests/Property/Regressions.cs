using System;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Xunit;

namespace DiffGen.Generator.Tests.Property;

/// <summary>
/// The smallest reproducers of the generator bugs the random-program property test found
/// (<see cref="GradientPropertyTests"/>). Each one compiles user code with the generator and asks for no generator
/// diagnostic, no compiler error or warning, and the right gradient.
/// </summary>
public sealed class Regressions
{
    /// <summary>
    /// A <c>continue</c> that is the last statement of a loop body: the normalizer's flag <c>continued</c> is assigned
    /// and never read, so the generated file has warning CS0219 (an error for users with TreatWarningsAsErrors).
    /// Found in random programs such as batch 1, P11.
    /// </summary>
    [Fact]
    public void ContinueAsLastStatementOfLoopCompilesWithoutWarnings()
    {
        const string source = """
            using System;
            using DiffGen;

            public static partial class C
            {
                [Differentiable]
                public static double F(double[] x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        s += x[i] * x[i];
                        if (x[i] > 0)
                        {
                            continue;
                        }
                    }

                    return s;
                }

                public static double Gradient(double[] x, double[] dx) => FGradient(x, dx);
            }
            """;
        double[] x = { 0.5, -1.5, 2 };
        double[] dx = CompileAndRun(source, x);
        Assert.Equal(new[] { 1.0, -3.0, 4.0 }, dx);
    }

    /// <summary>
    /// A local function parameter the body never reads, called with a constant: the inliner declares
    /// <c>double q = 0.5;</c> and never reads it, warning CS0219 in the generated file. (The user's code has no warning.)
    /// Found in random programs such as batch 2514, P15.
    /// </summary>
    [Fact]
    public void UnusedLocalFunctionParameterCompilesWithoutWarnings()
    {
        const string source = """
            using System;
            using DiffGen;

            public static partial class C
            {
                [Differentiable]
                public static double F(double[] x)
                {
                    double Square(double p, double q) => p * p;
                    return Square(x[0], 0.5);
                }

                public static double Gradient(double[] x, double[] dx) => FGradient(x, dx);
            }
            """;
        double[] dx = CompileAndRun(source, new[] { 3.0 });
        Assert.Equal(new[] { 6.0 }, dx);
    }

    /// <summary>
    /// <c>Math.Min(s, s)</c> (and Max): the adjoint compares <c>s &lt;= s</c>, warning CS1718 in the generated file.
    /// Found in random programs such as batch 1, P18. Fixed in DerivativeRules (same argument twice: the first gets the gradient).
    /// </summary>
    [Fact]
    public void MinOfTheSameVariableCompilesWithoutWarnings()
    {
        const string source = """
            using System;
            using DiffGen;

            public static partial class C
            {
                [Differentiable]
                public static double F(double[] x)
                {
                    double s = x[0] * x[0];
                    return Math.Min(s, s) + Math.Max(s, s);
                }

                public static double Gradient(double[] x, double[] dx) => FGradient(x, dx);
            }
            """;
        double[] dx = CompileAndRun(source, new[] { 1.5 });
        Assert.Equal(new[] { 6.0 }, dx);
    }

    /// <summary>
    /// Passing an array to a [Differentiable] method that takes <c>ReadOnlySpan&lt;double&gt;</c>: before C# 14 the
    /// conversion is the span's user-defined implicit operator, which the generator rejected (DG0008 "user-defined
    /// conversion", then "vector argument that is not a variable"). Found in random programs such as batch 1, P20.
    /// Fixed in BodyLowering.LowerConversion (array/span/read-only span conversions of the same element type view the
    /// same elements, whatever the compiler version calls them).
    /// </summary>
    [Fact]
    public void ArrayPassedToReadOnlySpanCallee()
    {
        const string source = """
            using System;
            using DiffGen;

            public static partial class C
            {
                [Differentiable]
                public static double SumSquares(ReadOnlySpan<double> v)
                {
                    double s = 0;
                    for (int i = 0; i < v.Length; i++)
                    {
                        s += v[i] * v[i];
                    }

                    return s;
                }

                [Differentiable]
                public static double F(double[] x)
                {
                    Span<double> t = stackalloc double[x.Length];
                    for (int i = 0; i < x.Length; i++)
                    {
                        t[i] = 2 * x[i];
                    }

                    return SumSquares(x) + SumSquares(t);
                }

                public static double Gradient(double[] x, double[] dx) => FGradient(x, dx);
            }
            """;
        double[] dx = CompileAndRun(source, new[] { 1.0, -2.0 });
        Assert.Equal(new[] { 10.0, -20.0 }, dx);
    }

    /// <summary>
    /// A local vector declared at the top level after an early return: the normalizer moves the rest of the method
    /// into <c>if (!returned) { … }</c>, so the vector and its adjoint buffer (<c>t</c>, <c>dt</c>, <c>dtBuffer</c>) are
    /// declared inside that block while the reverse sweep and the final <c>ArrayPool.Return(dtBuffer)</c> use them
    /// outside it: the generated file does not compile (CS0103 "The name 'dt' does not exist in the current context").
    /// Found by the property test (e.g. batch 1, P10; P12, P19 in the default run). NOT fixed: the fix (hoisting vector
    /// declarations and their adjoint buffers out of the guard, renting only when the declaration runs) belongs to the
    /// generator author.
    /// </summary>
    [Fact]
    public void VectorDeclaredAfterEarlyReturn()
    {
        const string source = """
            using System;
            using DiffGen;

            public static partial class C
            {
                [Differentiable]
                public static double F(double[] x)
                {
                    if (x[0] > 2)
                    {
                        return x[0];
                    }

                    double[] t = new double[1];
                    t[0] = x[1] * x[1];
                    return t[0];
                }

                public static double Gradient(double[] x, double[] dx) => FGradient(x, dx);
            }
            """;
        Assert.Equal(new[] { 0.0, 3.0 }, CompileAndRun(source, new[] { 1.0, 1.5 }));
        Assert.Equal(new[] { 1.0, 0.0 }, CompileAndRun(source, new[] { 3.0, 1.5 }));
    }

    /// <summary>Compiles with the generator, requires a clean build, and returns the gradient at <paramref name="x"/>.</summary>
    /// <summary>
    /// In a reverse loop body, a callee's pullback adds into the temporary's adjoint through <c>ref de</c>; the cleanup
    /// that assigns (rather than increments) an adjoint known to be zero did not see that write and overwrote it, losing
    /// the callee's contribution. Found in random programs (seed 0000001diAi5, batch 2099768224745, P18).
    /// </summary>
    [Fact]
    public void PullbackRefWriteIsNotOverwrittenByLaterAdjointAssignment()
    {
        const string source = """
            using System;
            using DiffGen;

            public static partial class C
            {
                [Differentiable]
                public static double H(double u, double a) => 0.5 * u + a * a;

                [Differentiable]
                public static double F(double[] x)
                {
                    double s = 1;
                    foreach (double e in x)
                    {
                        s -= e * e;
                        s = H(s, e);
                    }

                    return s;
                }

                public static double Gradient(double[] x, double[] dx) => FGradient(x, dx);
            }
            """;

        // s₁ = ½s₀ + ½e₁², s₂ = ½s₁ + ½e₂²: ∂s₂/∂e₁ = ½e₁, ∂s₂/∂e₂ = e₂.
        Assert.Equal(new[] { 0.5, -2.0 }, CompileAndRun(source, new[] { 1.0, -2.0 }));
    }

    private static double[] CompileAndRun(string source, double[] x)
    {
        TestCompiler.Result result = TestCompiler.Run(source);
        string generated = string.Join("\n", result.Sources.Select(s => s.Text));
        Assert.True(result.GeneratorDiagnostics.IsEmpty, "generator diagnostics:\n" + string.Join("\n", result.GeneratorDiagnostics) + "\n" + generated);
        Assert.True(!result.CompilerErrorsAndWarnings.Any(), "compiler diagnostics:\n" + string.Join("\n", result.CompilerErrorsAndWarnings) + "\n" + generated);
        Assembly assembly = TestCompiler.Load(result.Output, out AssemblyLoadContext context);
        try
        {
            var gradient = assembly.GetType("C", throwOnError: true)!.GetMethod("Gradient")!.CreateDelegate<Func<double[], double[], double>>();
            double[] dx = new double[x.Length];
            gradient(x, dx);
            return dx;
        }
        finally
        {
            context.Unload();
        }
    }
}
