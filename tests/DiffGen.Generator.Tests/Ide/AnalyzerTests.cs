using System.Threading.Tasks;
using Xunit;

namespace DiffGen.Generator.Tests.Ide;

/// <summary>
/// DifferentiableAnalyzer through Roslyn's test harness: each diagnostic at its exact span; the harness fails on any
/// diagnostic the markup does not list (see <see cref="UnexpectedDiagnosticFailsTheTest"/>).
/// </summary>
public class AnalyzerTests
{
    [Fact]
    public Task ValidMethodHasNoDiagnostics() => new AnalyzerTest("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x, double y) => x * Math.Exp(y);
        }
        """).RunAsync();

    [Fact]
    public async Task UnexpectedDiagnosticFailsTheTest()
    {
        // The type is not partial, but the markup does not say so: the harness must reject the run.
        var test = new AnalyzerTest("""
            public static class Losses
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }
            """);
        await Assert.ThrowsAnyAsync<System.Exception>(() => test.RunAsync());
    }

    [Fact]
    public Task NotPartialAndVirtual() => new AnalyzerTest("""
        public class {|DG0001:Outer|}
        {
            public class {|DG0001:Losses|}
            {
                [Differentiable]
                public virtual double {|DG0002:F|}(double x) => x * x;
            }
        }
        """).RunAsync();

    [Fact]
    public Task MisspelledWrt() => new AnalyzerTest("""
        public static partial class Losses
        {
            [Differentiable({|DG0004:"wieght"|})]
            public static double F(double weight, double x) => weight * x;
        }
        """).RunAsync();

    [Fact]
    public Task UnsupportedStatements() => new AnalyzerTest("""
        public static partial class Losses
        {
            private static readonly object Gate = new();

            [Differentiable]
            public static double F(double x)
            {
                double r = x;
                {|DG0007:lock (Gate) { r = r * x; }|}
                switch ((int)x) { case 1: r = r + 1; break; }
                {|DG0007:using (var d = new System.IO.MemoryStream()) { r = r * 2; }|}
                do { r = r * 0.5; } while (r > 1);
                return r;
            }
        }
        """).RunAsync();

    [Fact]
    public Task UnsupportedExpressions() => new AnalyzerTest("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x)
            {
                double r = x * new Random(1).NextDouble();
                r = r * ("v" + x).Length;
                var pair = Tuple.Create(r, 2.0);
                return {|DG0008:pair.Item1|};
            }
        }
        """).RunAsync();

    [Fact]
    public Task LambdaAndLinq() => new AnalyzerTest("""
        using System.Linq;

        public static partial class Losses
        {
            [Differentiable]
            public static double F(double[] xs)
            {
                Func<double, double> square = v => v * v;
                return xs.Sum(v => v * v) + {|DG0023:xs.OrderBy(v => v).First()|} + {|DG0023:square(xs[0])|};
            }
        }
        """).RunAsync();

    [Fact]
    public Task CallWithoutDerivative() => new AnalyzerTest("""
        public static class Helpers
        {
            [System.Runtime.InteropServices.DllImport("native")]
            public static extern double Scale(double v);
        }

        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x) => x * {|DG0009:Helpers.Scale(x)|} + Helpers.Scale(3.0) + Gradient.StopGradient(Helpers.Scale(x));
        }
        """).RunAsync();

    [Fact]
    public Task WriteToInputAndRecursion() => new AnalyzerTest("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double[] w)
            {
                {|DG0012:w[0]|} = 1;
                return w[0];
            }

            [Differentiable]
            public static double G(double x) => H(x);

            private static double H(double x) => x < 1 ? x : {|DG0014:H(x / 2)|};
        }
        """).RunAsync();

    [Fact]
    public Task WrtParameterWithoutEffectIsAWarning() => new AnalyzerTest("""
        public static partial class Losses
        {
            [Differentiable(nameof(x), {|DG0020:nameof(bias)|})]
            public static double F(double x, double bias) => x * x + {|DG0021:Math.Floor(bias)|};
        }
        """).RunAsync();

    [Fact]
    public Task WrtParameterStoppedByStopGradientIsAWarning() => new AnalyzerTest("""
        public static partial class Losses
        {
            [{|DG0020:Differentiable|}]
            public static double F(double x, double t) => x * Gradient.StopGradient(t);
        }
        """).RunAsync();

    [Fact]
    public Task NonSmoothOperationsAreInformational() => new AnalyzerTest("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x, double y) =>
                {|DG0021:Math.Abs(x)|} + {|DG0021:Math.Max(x, y)|} + {|DG0021:Math.Clamp(y, 0.0, 1.0)|} + Math.Abs(3.0) + Math.Exp(x);
        }
        """).RunAsync();

    // A kink in a value the result never uses, or in a branch condition, changes no gradient: nothing to say.
    [Fact]
    public Task NonSmoothOperationOnlyReportedWhereItReachesTheResult() => new AnalyzerTest("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x, double y)
            {
                double unused = Math.Abs(x);
                double r = x * y;
                if (Math.Max(x, y) > 1)
                {
                    r += {|DG0021:Math.Min(x, 2.0)|};
                }

                return r;
            }
        }
        """).RunAsync();

    [Fact]
    public Task CallInLoopConditionMustBeHoisted() => new AnalyzerTest("""
        public static partial class Losses
        {
            [Differentiable]
            public static double Half(double x) => x / 2;

            [Differentiable]
            public static double F(double x)
            {
                double r = x;
                while ({|DG0022:Half(r)|} > 1)
                {
                    r = r * 0.5;
                }

                return r;
            }
        }
        """).RunAsync();

    [Fact]
    public Task VectorLocalInLoop() => new AnalyzerTest("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x)
            {
                double s = 0;
                for (int i = 0; i < 3; i++)
                {
                    double[] {|DG0024:t = new double[i + 1]|};
                    t[0] = x;
                    s += t[0];
                }

                return s;
            }
        }
        """).RunAsync();

    [Fact]
    public Task MidTypingBodyReportsOnlyCompilerErrors() => new AnalyzerTest("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x)
            {
                double r = x * {|CS0103:undefinedName|};
                return r;
            }
        }
        """).RunAsync();

    [Fact]
    public Task SuppressedWithPragma() => new AnalyzerTest("""
        public static partial class Losses
        {
            [Differentiable]
        #pragma warning disable DG0021
            public static double F(double x) => Math.Abs(x);
        #pragma warning restore DG0021
        }
        """).RunAsync();
}
