using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DiffGen.Generator.Tests.Ide;

/// <summary>
/// Every construct issue #13 made valid compiles without a single diagnostic: none from the analyzer (as the user
/// types), none from the generator, no warning or error in the generated code. (Their gradients are checked against
/// finite differences in DiffGen.IntegrationTests: RealCodeTests and the corpus.)
/// </summary>
public class RealCSharpAcceptanceTests
{
    [Theory]
    [InlineData("reassigned value parameter", "public static double F(double x) { for (int i = 0; i < 3; i++) x = Math.Sin(x); return x; }")]
    [InlineData("code without a derivative", "public static double F(double x) { if (double.IsNaN(x)) throw new ArgumentException(\"NaN\"); var r = new Random(1); Console.WriteLine($\"x = {x}\"); System.Diagnostics.Debug.Assert(x < 1e9); return x * r.NextDouble(); }")]
    [InlineData("static helper with early return", "public static double F(double x) => H.Softplus(x) * 2;")]
    [InlineData("instance helper of another object", "public static double F(double x) { var s = new Scaler(2); return s.Apply(x); }")]
    [InlineData("out and ref helpers", "public static double F(double x) { H.Split(x, out double a, out double b); H.AddSquare(ref a, b); return a; }")]
    [InlineData("local function with a capture", "public static double F(double x) { double k = 3; double G(double v) => k * v * v; return G(x) + G(2 * x); }")]
    [InlineData("switch statement", "public static double F(double x, int k) { switch (k) { case 0: return x; case > 3: x *= x; break; default: x = -x; break; } return x; }")]
    [InlineData("switch expression", "public static double F(double x, int k) => k switch { 0 => x, 1 or 2 => x * x, _ => Math.Exp(x) };")]
    [InlineData("do/while", "public static double F(double x) { int n = 0; do { x = 0.5 * x + 1; n++; } while (n < 4); return x; }")]
    [InlineData("LINQ over arrays", "public static double F(double[] xs) => xs.Sum(v => v * v) + xs.Select((v, i) => v * i).Max() + xs.Zip(xs, (a, b) => a * b).Average();")]
    [InlineData("foreach over a list", "public static double F(double[] w) { var picks = new System.Collections.Generic.List<int> { 0, 1 }; double s = 0; foreach (int p in picks) s += w[p]; return s; }")]
    [InlineData("throw expression and checked", "public static double F(double x, int k) => checked(k >= 0 ? x * k : throw new ArgumentOutOfRangeException(nameof(k)));")]
    [InlineData("Math constants of other classes", "public static double F(double x) => Math.PI * x * x + Math.E;")]
    [InlineData("tuples and deconstruction", "public static double F(double x, double y) { var (a, b) = (x * y, x - y); (a, b) = (b, a); var t = (Sum: a + b, Count: 2); return t.Sum / t.Count; }")]
    [InlineData("System.Numerics vectors", "public static float F(float x, float y) { var a = new System.Numerics.Vector3(x, y, 1); var b = System.Numerics.Vector3.UnitX * y; return System.Numerics.Vector3.Cross(a, b).Length() + System.Numerics.Vector3.Dot(-a, b) + (a / 2f).Y; }")]
    [InlineData("System.Numerics.Complex", "public static double F(double x, double y) { var z = new System.Numerics.Complex(x, y); var s = System.Numerics.Complex.Zero; s += z * z / (1.0 + z); s -= System.Numerics.Complex.Exp(System.Numerics.Complex.Conjugate(z)); return s.Magnitude + s.Phase + s.Real; }")]
    [InlineData("struct compound assignment", "public static double F(double x, double y) { var a = new P(x, y); a += new P(y, x); var v = new System.Numerics.Vector3(1, 2, 3); v *= (float)x; return a.X + v.Y; }")]
    [InlineData("struct values", "public static double F(double x, double y) { var a = new P(x, y); P b = a; b.X *= 2; return (a + b).Norm2 + new P { Y = x }.Y; }")]
    public void StaticConstructCompilesCleanly(string construct, string method) => AssertClean(construct, """
        public static partial class Losses
        {
            [Differentiable]
            METHOD
        }
        """.Replace("METHOD", method));

    [Fact]
    public void InstanceMethodAndNamedMembersCompileCleanly() => AssertClean("instance method with named members", """
        public sealed partial class Model
        {
            public double[] Weights { get; } = new double[3];
            public double Bias;
            private readonly double _scale = 0.5;

            [Differentiable(nameof(Weights), nameof(Bias))]
            public double Loss(double[] x) => _scale * Predict(x) * Predict(x);

            [Differentiable]
            public double OfInput(double[] x) => Predict(x);

            private double Predict(double[] x)
            {
                double s = Bias;
                for (int i = 0; i < Weights.Length; i++)
                {
                    s += Weights[i] * x[i];
                }

                return s;
            }
        }

        public partial struct Spring
        {
            public double K;

            [Differentiable]
            public readonly double Energy(double x) => 0.5 * K * x * x;
        }
        """);

    [Fact]
    public void ModelTypesAndArraysOfStructsCompileCleanly() => AssertClean("model types, \"this\", struct parameters and arrays of structs", """
        public sealed class Layer
        {
            public double[] Weight = new double[4];
            public double[] Bias = new double[2];
            public int Outputs = 2;
        }

        public sealed partial class Net
        {
            public Layer Hidden = new();
            public DiffGen.Optimization.Parameter<double> Readout = null!;

            [NoDerivative]
            public double Temperature = 1;

            [Differentiable(nameof(net), Generate = Derivatives.Reverse | Derivatives.PooledPrimal)]
            public static double Loss(Net net, double[] x)
            {
                var h = new double[net.Hidden.Outputs];
                Forward(net.Hidden, x, h);
                double y = 0;
                for (int j = 0; j < h.Length; j++)
                {
                    y += net.Readout.Value[j] * h[j];
                }

                return y * y / net.Temperature;
            }

            [Differentiable("this")]
            public double Own(double[] x) => Readout.Value[0] * x[0] + Hidden.Bias[1] * Hidden.Weight[0];

            private static void Forward(Layer layer, double[] x, double[] h)
            {
                for (int j = 0; j < layer.Outputs; j++)
                {
                    h[j] = Math.Tanh(layer.Bias[j] + layer.Weight[2 * j] * x[0] + layer.Weight[2 * j + 1] * x[1]);
                }
            }
        }

        public static partial class Particles
        {
            [Differentiable(nameof(points))]
            public static double Energy(P[] points, System.Numerics.Vector3 axis)
            {
                double e = axis.X;
                foreach (P p in points)
                {
                    e += p.Norm2;
                }

                return e + (points[0] + points[1]).X;
            }

            [Differentiable(nameof(axis))]
            public static float Along(System.Numerics.Vector3 axis, System.Numerics.Vector3 v) => System.Numerics.Vector3.Dot(axis, v);
        }
        """);

    private static void AssertClean(string construct, string code)
    {
        string source = """
            using System;
            using System.Linq;
            using DiffGen;

            public static class H
            {
                public static double Softplus(double z)
                {
                    if (z > 30) return z;
                    return Math.Log(1 + Math.Exp(z));
                }

                public static void Split(double v, out double a, out double b)
                {
                    a = v * v;
                    b = Math.Sin(v);
                }

                public static void AddSquare(ref double total, double v) => total += v * v;
            }

            public struct P
            {
                public P(double x, double y) { X = x; Y = y; }
                public double X;
                public double Y;
                public double Norm2 => X * X + Y * Y;
                public static P operator +(P a, P b) => new P(a.X + b.X, a.Y + b.Y);
            }

            public sealed class Scaler
            {
                private readonly double _factor;
                public Scaler(double factor) => _factor = factor;
                public double Factor => _factor;
                public double Apply(double v) => Factor * v * v;
            }

            """ + code;
        (TestCompiler.Result result, var analyzer) = TestCompiler.RunWithAnalyzer(source);
        Assert.True(analyzer.IsEmpty, construct + ": analyzer reported " + string.Join("; ", analyzer));
        Assert.True(result.GeneratorDiagnostics.IsEmpty, construct + ": generator reported " + string.Join("; ", result.GeneratorDiagnostics));
        Assert.NotEmpty(result.Sources);
        var problems = result.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, construct + ": " + string.Join("; ", problems));
    }
}
