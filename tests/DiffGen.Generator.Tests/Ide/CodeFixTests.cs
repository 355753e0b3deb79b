using System.Threading.Tasks;
using DiffGen.CodeFixes;
using Xunit;

namespace DiffGen.Generator.Tests.Ide;

/// <summary>Each code fix, before and after, through Roslyn's harness (the fixed code must compile and be diagnostic-free).</summary>
public class CodeFixTests
{
    [Fact]
    public Task MakeTypePartial_FixesEveryEnclosingType() => new CodeFixTest<MakeTypePartialCodeFixProvider>("""
        public class {|DG0001:Outer|}
        {
            internal static class {|DG0001:Losses|}
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }
        }
        """, """
        public partial class Outer
        {
            internal static partial class Losses
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }
        }
        """)
    {
        // One fix makes the whole chain partial, so a single iteration clears both diagnostics.
        NumberOfFixAllIterations = 1,
        CodeActionIndex = 0,
    }.RunAsync();

    [Fact]
    public Task MakeTypePartial_NoModifiers() => new CodeFixTest<MakeTypePartialCodeFixProvider>("""
        class {|DG0001:Losses|}
        {
            [Differentiable]
            public static double F(double x) => x * x;
        }
        """, """
        partial class Losses
        {
            [Differentiable]
            public static double F(double x) => x * x;
        }
        """).RunAsync();

    [Fact]
    public Task MakeMethodNonVirtual() => new CodeFixTest<MakeMethodNonVirtualCodeFixProvider>("""
        public abstract class Shape
        {
            public abstract double F(double x);
        }

        public partial class Losses : Shape
        {
            [Differentiable]
            public override double {|DG0002:F|}(double x) => x * x;

            [Differentiable]
            protected virtual double {|DG0002:G|}(double x) => x * x;
        }
        """, """
        public abstract class Shape
        {
            public abstract double F(double x);
        }

        public partial class Losses : Shape
        {
            [Differentiable]
            public sealed override double F(double x) => x * x;

            [Differentiable]
            protected double G(double x) => x * x;
        }
        """).RunAsync();

    [Fact]
    public Task CopyDifferentiatedInput() => new CodeFixTest<CopyDifferentiatedInputCodeFixProvider>("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double[] w)
            {
                {|DG0012:w[0]|} = w[0] * w[1];
                return w[0] + w[1];
            }
        }
        """, """
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double[] w)
            {
                double[] wCopy = new double[w.Length];
                for (int i = 0; i < w.Length; i++)
                {
                    wCopy[i] = w[i];
                }

                wCopy[0] = wCopy[0] * wCopy[1];
                return wCopy[0] + wCopy[1];
            }
        }
        """).RunAsync();

    [Fact]
    public Task FixMisspelledWrtName() => new CodeFixTest<FixWrtNameCodeFixProvider>("""
        public static partial class Losses
        {
            [Differentiable({|DG0004:"wieght"|}, nameof(x))]
            public static double F(double weight, double x) => weight * x;
        }
        """, """
        public static partial class Losses
        {
            [Differentiable(nameof(weight), nameof(x))]
            public static double F(double weight, double x) => weight * x;
        }
        """).RunAsync();

    [Fact]
    public Task StopGradientAroundCallWithoutDerivative() => new CodeFixTest<CallWithoutDerivativeCodeFixProvider>(Helpers + """
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x) => x * {|DG0009:Helpers.Scale(x)|};
        }
        """, Helpers + """
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x) => x * Gradient.StopGradient(Helpers.Scale(x));
        }
        """)
    {
        CodeActionEquivalenceKey = CallWithoutDerivativeCodeFixProvider.StopGradientKey,
        CodeActionIndex = 0,
    }.RunAsync();

    [Fact]
    public Task DerivativeOfStubForCallWithoutDerivative() => new CodeFixTest<CallWithoutDerivativeCodeFixProvider>(Helpers + """
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x, double[] w) => x * {|DG0009:Helpers.Weighted(x, w, 3)|};
        }
        """, Helpers + """
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x, double[] w) => x * Helpers.Weighted(x, w, 3);

            [DerivativeOf(typeof(Helpers), nameof(Helpers.Weighted))]
            private static void WeightedPullback(double v, double[] w, int n, double seed, ref double dV, System.Span<double> dW)
            {
                throw new System.NotImplementedException();
            }
        }
        """)
    {
        CodeActionEquivalenceKey = CallWithoutDerivativeCodeFixProvider.PullbackStubKey,
        CodeActionIndex = 1,
    }.RunAsync();

    private const string Helpers = """
        public static class Helpers
        {
            // Native code: no body to inline, so no derivative.
            [System.Runtime.InteropServices.DllImport("native")]
            public static extern double Scale(double v);

            [System.Runtime.InteropServices.DllImport("native")]
            public static extern double Weighted(double v, double[] w, int n);
        }


        """;
}
