using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Each misuse is reported at its exact span, written as <c>{|DG0001:text|}</c> markup. Any diagnostic the test does not
/// expect fails it; nothing is generated for a rejected method and the user's build has no other errors.
/// </summary>
public class DiagnosticTests
{
    private const string Usings = "using System;\nusing DiffGen;\n\n";

    [Fact]
    public void TypeNotPartial() => Verify("""
        public static class {|DG0001:Losses|}
        {
            [Differentiable]
            public static double F(double x) => x * x;
        }
        """);

    [Fact]
    public void EnclosingTypeNotPartial() => Verify("""
        public class {|DG0001:Outer|}
        {
            public static partial class Inner
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }
        }
        """);

    [Fact]
    public void VirtualMethod() => Verify("""
        public partial class Losses
        {
            [Differentiable]
            public virtual double {|DG0002:F|}(double x) => x * x;
        }

        public partial class Derived : Losses
        {
            [Differentiable]
            public override double {|DG0002:F|}(double x) => x * x * x;
        }
        """);

    [Fact]
    public void WriteToANamedMember() => Verify("""
        public partial class Model
        {
            public double[] Weights = new double[2];
            public double Bias;

            [Differentiable(nameof(Weights), nameof(Bias))]
            public double F(double x)
            {
                {|DG0012:Bias|} = Bias * 0.5;
                {|DG0012:Weights[0]|} = 1;
                return Weights[0] * x + Weights[1] + Bias;
            }
        }
        """);

    [Fact]
    public void UnknownNameIsNeitherParameterNorMember() => Verify("""
        public partial class Model
        {
            public double Bias;
            public string Label = "";

            [Differentiable({|DG0004:"Bais"|}, {|DG0005:nameof(Label)|})]
            public double F(double x) => x * Bias;
        }
        """);

    [Fact]
    public void InstanceMethodReadsItsFields() => Verify("""
        public partial class Losses
        {
            private readonly double _scale = 2;
            public double[] Weights { get; } = { 1, 2 };

            [Differentiable]
            public double F(double x) => _scale * x * x + Weights[0] * x;
        }
        """, expectGeneratedFor: "F");

    [Fact]
    public void ReturnTypeNotFloatOrDouble() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static {|DG0003:int|} F(double x) => (int)x;
        }
        """);

    [Fact]
    public void UnknownWrtNameSuggestsTheClosest()
    {
        var diagnostics = Verify("""
            public static partial class Losses
            {
                [Differentiable({|DG0004:"wieght"|})]
                public static double F(double weight, double x) => weight * x;
            }
            """);
        Assert.Contains("did you mean 'weight'", diagnostics.Single().GetMessage());
    }

    [Fact]
    public void WrtParameterNotDifferentiable() => Verify("""
        public static partial class Losses
        {
            [Differentiable(nameof(x), {|DG0005:nameof(label)|})]
            public static double F(double x, int label) => x * label;
        }
        """);

    [Fact]
    public void ModelWithAScalarPropertyIsRefusedAtTheWrtName() => Verify("""
        public sealed class Model
        {
            public double[] Weights = new double[3];
            public double Scale { get; set; }
        }

        public static partial class Losses
        {
            [Differentiable({|DG0010:nameof(model)|})]
            public static double F(Model model) => model.Weights[0] * model.Scale;
        }
        """);

    [Fact]
    public void ModelWithAPrivateLeafIsRefusedAtTheWrtName() => Verify("""
        public sealed class Model
        {
            private double[] _weights = new double[3];
            public double First => _weights[0];
        }

        public static partial class Losses
        {
            [Differentiable({|DG0010:nameof(model)|})]
            public static double F(Model model) => model.First;
        }
        """);

    [Fact]
    public void WriteToAModelLeafIsReportedAtTheWrite() => Verify("""
        public sealed class Model
        {
            public double[] Weights = new double[3];
        }

        public static partial class Losses
        {
            [Differentiable(nameof(model))]
            public static double F(Model model, double x)
            {
                {|DG0012:model.Weights[0]|} = x;
                return model.Weights[0] * model.Weights[1];
            }
        }
        """);

    [Fact]
    public void LayerLeafUsedWholeIsReportedAtTheUse() => Verify("""
        public sealed class Dense
        {
            public double[] W = new double[4];
        }

        public sealed class Model
        {
            public Dense[] Layers = { new Dense() };
        }

        public static partial class Losses
        {
            [Differentiable(nameof(model))]
            public static double F(Model model)
            {
                double s = 0;
                for (int l = 0; l < model.Layers.Length; l++)
                {
                    s += Sum({|DG0008:model.Layers[l].W|});
                }

                return s;
            }

            private static double Sum(ReadOnlySpan<double> v) => v[0] + v[1];
        }
        """);

    [Fact]
    public void WriteToALayerLeafIsReportedAtTheWrite() => Verify("""
        public sealed class Dense
        {
            public double[] W = new double[4];
        }

        public sealed class Model
        {
            public System.Collections.Generic.List<Dense> Layers = new();
        }

        public static partial class Losses
        {
            [Differentiable(nameof(model))]
            public static double F(Model model, double x)
            {
                foreach (Dense layer in model.Layers)
                {
                    {|DG0012:layer.W[0]|} = x;
                }

                return model.Layers[0].W[0];
            }
        }
        """);

    [Fact]
    public void LayerBufferAllocatedPerLayerIsReportedAtTheDeclaration() => Verify("""
        public sealed class Dense
        {
            public double[] W = new double[4];
            public int Out = 4;
        }

        public sealed class Model
        {
            public Dense[] Layers = { new Dense() };
        }

        public static partial class Losses
        {
            [Differentiable(nameof(model))]
            public static double F(Model model)
            {
                double s = 0;
                foreach (Dense layer in model.Layers)
                {
                    double[] {|DG0024:h = new double[layer.Out]|};
                    h[0] = layer.W[0];
                    s += h[0];
                }

                return s;
            }
        }
        """);

    [Fact]
    public void ReassignedLayerLocalIsReportedAtItsDeclaration() => Verify("""
        public sealed class Dense
        {
            public double[] W = new double[4];
        }

        public sealed class Model
        {
            public Dense[] Layers = { new Dense(), new Dense() };
        }

        public static partial class Losses
        {
            [Differentiable(nameof(model))]
            public static double F(Model model)
            {
                Dense {|DG0007:layer = model.Layers[0]|};
                layer = model.Layers[1];
                return layer.W[0];
            }
        }
        """);

    [Fact]
    public void LayerWithAScalarFieldIsRefusedAtTheWrtName() => Verify("""
        public sealed class Dense
        {
            public double[] W = new double[4];
            public double Gain;
        }

        public sealed class Model
        {
            public Dense[] Layers = { new Dense() };
        }

        public static partial class Losses
        {
            [Differentiable({|DG0010:nameof(model)|})]
            public static double F(Model model) => model.Layers[0].W[0] * model.Layers[0].Gain;
        }
        """);

    [Fact]
    public void LayersOfLayersAreRefusedAtTheWrtName() => Verify("""
        public sealed class Dense
        {
            public double[] W = new double[4];
        }

        public sealed class Block
        {
            public Dense[] Inner = { new Dense() };
        }

        public sealed class Model
        {
            public Block[] Blocks = { new Block() };
        }

        public static partial class Losses
        {
            [Differentiable({|DG0010:nameof(model)|})]
            public static double F(Model model) => model.Blocks[0].Inner[0].W[0];
        }
        """);

    [Fact]
    public void SecondOrderWithRespectToAModelIsRefusedAtGenerate() => Verify("""
        public sealed class Model
        {
            public double[] Weights = new double[3];
        }

        public static partial class Losses
        {
            [Differentiable(nameof(model), {|DG0025:Generate = Derivatives.Hessian|})]
            public static double F(Model model) => model.Weights[0] * model.Weights[1];
        }
        """);

    [Fact]
    public void ModelWithoutLeavesCannotBeDifferentiated() => Verify("""
        public sealed class Settings
        {
            public int Size = 3;
        }

        public static partial class Losses
        {
            [Differentiable(nameof(x), {|DG0005:nameof(settings)|})]
            public static double F(double x, Settings settings) => x * settings.Size;
        }
        """);

    [Fact]
    public void ModelPassedToCodeWithoutADerivativeIsReportedAtTheCall() => Verify("""
        public sealed class Model
        {
            public double[] Weights = new double[3];
        }

        public static partial class Losses
        {
            [Differentiable(nameof(model))]
            public static double F(Model model) => model.Weights[1] + {|DG0009:Convert.ToDouble(model)|};
        }
        """);

    [Fact]
    public void DuplicateGeneratedNameBetweenAttributes() => Verify("""
        public static partial class Losses
        {
            [Differentiable(nameof(x), Name = "G")]
            [Differentiable(nameof(y), {|DG0006:Name = "G"|})]
            public static double F(double x, double y) => x * y;
        }
        """);

    [Fact]
    public void DuplicateGeneratedNameWithExistingMember() => Verify("""
        public static partial class Losses
        {
            [{|DG0006:Differentiable|}]
            public static double F(double x) => x * x;

            public static double FGradient(double x, ref double dx) => 0;
        }
        """);

    [Fact]
    public void SecondAttributeNeedsName() => Verify("""
        public static partial class Losses
        {
            [Differentiable(nameof(x))]
            [{|DG0013:Differentiable(nameof(y))|}]
            public static double F(double x, double y) => x * y;
        }
        """);

    [Fact]
    public void UnsupportedStatementTry() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x)
            {
                double r = x;
                {|DG0007:try { r = x * x; } finally { }|}
                return r;
            }
        }
        """);

    [Fact]
    public void UnsupportedStatementTryCatch() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x)
            {
                double r = x;
                {|DG0007:try { r = r * 2; } catch (ArithmeticException) { r = 0; }|}
                return r;
            }
        }
        """);

    [Fact]
    public void UnsupportedStatementGoto() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x)
            {
                double r = x;
                {|DG0007:goto done;|}
                done:
                return r;
            }
        }
        """.Replace("done:\n        return r;", "done: return r;"), allowExtra: new[] { "DG0007" });

    [Fact]
    public void ValueThroughAnObjectIsLocatedWhereItIsReadBack() => Verify("""
        public sealed class Box
        {
            public Box(double v) => V = v;
            public double V { get; }
        }

        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x)
            {
                var box = new Box(x);
                return x * {|DG0008:box.V|};
            }
        }
        """);

    [Fact]
    public void CodeWithoutDerivativeIsFineWhereNoDerivativeIsLost() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x)
            {
                if (double.IsNaN(x)) throw new ArgumentException("x is NaN: " + x.ToString());
                Console.WriteLine($"F at {x}");
                var random = new Random(1);
                return x * x.ToString().Length * random.NextDouble();
            }
        }
        """, expectGeneratedFor: "F");

    [Fact]
    public void UnsupportedExpressionLambda() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x)
            {
                Func<double, double> f = y => y * x;
                return {|DG0023:f(x)|};
            }
        }
        """);

    [Fact]
    public void CallWithoutDerivative() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x) => x * {|DG0009:Math.ScaleB(x, 1)|} + Math.ScaleB(3.0, 1);
        }
        """);

    [Fact]
    public void WriteToDifferentiatedInput() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double[] w)
            {
                {|DG0012:w[0]|} = 1;
                return w[0] * w[1];
            }
        }
        """);

    [Fact]
    public void MultiDimensionalArraysAreReportedWhereTheirElementsWouldBeLost() => Verify("""
        public static partial class Losses
        {
            [Differentiable(nameof(w))]
            public static double Write(double[,] w)
            {
                {|DG0012:w[0, 1]|} = 1;
                return w[0, 0];
            }

            [Differentiable(nameof(w))]
            public static double Reassign(double[,] w, double[,] other)
            {
                {|DG0012:w = other|};
                return w[0, 0];
            }

            [Differentiable(nameof(w))]
            public static double Passed(double[,] w) => w[0, 0] + Sum(w) + {|DG0008:(double)w.GetValue(0, 1)!|};

            [Differentiable]
            public static double LocalPassed(double[] x)
            {
                var h = new double[2, x.Length];
                h[0, 0] = x[0];
                return Sum(h) + (double){|DG0008:h|}.GetValue(0, 0)!;
            }

            [Differentiable]
            public static double LocalInLoop(double[] x)
            {
                double s = 0;
                for (int i = 0; i < 2; i++)
                {
                    var {|DG0024:h = new double[2, 2]|};
                    h[0, 0] = x[i];
                    s += h[0, 0];
                }

                return s;
            }

            private static double Sum(double[,] a) => a[0, 0] + a[1, 1];
        }
        """);

    [Fact]
    public void SpanViewsAreReportedWhereTheyWouldNeedAVectorOfTheirOwn() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double Other(double[] x, double[] y)
            {
                ReadOnlySpan<double> v = x.AsSpan(1);
                {|DG0008:v = y.AsSpan(1)|};
                return v[0];
            }

            [Differentiable]
            public static double Passed(double[] x)
            {
                ReadOnlySpan<double> v = x.AsSpan(1);
                return v[0] + {|DG0008:v|}.ToArray()[0];
            }
        }
        """);

    [Fact]
    public void IncrementsInsideExpressionsThatCannotGoFirstAreReported() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double Twice(double[] x)
            {
                int i = 0;
                double s = x[{|DG0008:i++|}] * x[i];
                return s;
            }

            [Differentiable]
            public static double Conditional(double[] x, bool b)
            {
                int i = 0;
                double s = b ? x[{|DG0008:i++|}] : 0;
                return s + x[0];
            }
        }
        """);

    [Fact]
    public void RecursionThroughAHelper() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double x) => Halve(x);

            private static double Halve(double x)
            {
                if (x < 1)
                {
                    return x;
                }

                return {|DG0014:Halve(x / 2)|};
            }
        }
        """);

    [Fact]
    public void CallersOfAMethodThatCannotBeDifferentiatedAreNotGenerated() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double Inner(double x)
            {
                {|DG0007:try
                {
                    return x * x;
                }
                finally
                {
                }|}
            }

            // Their generated code would call InnerPullback, which is not generated: left out, not uncompilable.
            [Differentiable]
            public static double Outer(double x) => Inner(x) * 2;

            [Differentiable]
            public static double OuterOfOuter(double x) => Outer(x) + x;
        }
        """);

    [Fact]
    public void RecursionOfAnInstanceMethod() => Verify("""
        public partial class Model
        {
            [Differentiable]
            public double F(double x) => x < 1 ? x : {|DG0014:F(x / 2)|};
        }
        """);

    [Fact]
    public void GenericMethod() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double {|DG0011:F|}<T>(double x) => x * x;
        }
        """);

    [Fact]
    public void RefParameter() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F({|DG0010:ref double x|}) => x * x;
        }
        """);

    [Fact]
    public void NoDifferentiableParameters() => Verify("""
        public static partial class Losses
        {
            [{|DG0017:Differentiable|}]
            public static double F(int n) => n * 2.0;
        }
        """);

    [Fact]
    public void NoBody() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static extern double {|DG0016:F|}(double x);
        }
        """, allowCompilerErrors: true);

    [Fact]
    public void VectorDeclaredInLoop() => Verify("""
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
        """);

    [Fact]
    public void ArrayOfArraysHoldsDataWithoutDerivative() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double[] w, double[][] scratch)
            {
                double s = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    scratch[0][i] = 2 * w[i];
                    s += {|DG0008:scratch[0][i]|};
                }

                return s;
            }

            [Differentiable]
            public static double G(double[] w, System.Collections.Generic.List<double[]> scratch)
            {
                double s = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    scratch[0][i] = 2 * w[i];
                    s += {|DG0008:scratch[0][i]|};
                }

                return s;
            }
        }
        """);

    [Fact]
    public void RowOfArrayOfArraysWrittenIsAVectorInALoop() => Verify("""
        public static partial class Losses
        {
            [Differentiable]
            public static double F(double[] w, double[][] scratch)
            {
                double s = 0;
                for (int i = 0; i < scratch.Length; i++)
                {
                    double[] {|DG0024:row = scratch[i]|};
                    row[0] = w[0];
                    s += row[0];
                }

                return s;
            }
        }
        """);

    // A sequence that is not indexed, looped over inside another loop (at the top level it is read into a list once; in
    // a loop that would be once per iteration), and a deconstruction through a Deconstruct written by hand: DG0007 at
    // the foreach, saying what to pass instead.
    [Fact]
    public void ForeachOverASequenceOrAHandWrittenDeconstruct() => Verify("""
        public struct Sample
        {
            public double X, Y;

            public void Deconstruct(out double x, out double y) => (x, y) = (X, Y);
        }

        public static partial class Losses
        {
            [Differentiable(nameof(a))]
            public static double Sequence(double a, System.Collections.Generic.IEnumerable<double> data)
            {
                double s = 0;
                for (int k = 0; k < 2; k++)
                {
                    {|DG0007:foreach (double v in data)
                    {
                        s += a * v * v * k;
                    }|}
                }

                return s;
            }

            [Differentiable(nameof(a))]
            public static double Records(double a, Sample[] data)
            {
                double s = 0;
                {|DG0007:foreach (var (x, y) in data)
                {
                    double r = a * x - y;
                    s += r * r;
                }|}

                return s;
            }
        }
        """);

    // An array of tuples of numbers is read in place as data only while the method never writes it: one it writes
    // (here with a differentiated value) stays DG0008 at the read, since the derivative would be lost there.
    [Fact]
    public void WrittenArrayOfTuplesIsNotReadAsData() => Verify("""
        public static partial class Losses
        {
            [Differentiable(nameof(a))]
            public static double F(double a, (double T, double Y)[] samples)
            {
                samples[0] = (a, 1.0);
                double s = 0;
                for (int i = 0; i < samples.Length; i++)
                {
                    s += {|DG0008:samples[i]|}.T * a;
                }

                return s;
            }
        }
        """, allowExtra: new[] { "DG0008" });

    // An array field of a data parameter is read once at the top only when the method never assigns it: one the method
    // replaces (batch.X = …) stays DG0008 where a loop reads it.
    [Fact]
    public void ReassignedMemberOfAParameterIsNotReadOnce() => Verify("""
        public struct Batch
        {
            public double[] X;
        }

        public static partial class Losses
        {
            [Differentiable(nameof(w))]
            public static double F(double[] w, Batch batch, double[] other)
            {
                double s = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    s += w[i] * {|DG0008:batch.X|}[i];
                    batch.X = other;
                }

                return s;
            }
        }
        """);

    // A library call without a derivative that reads a differentiated value and writes a vector the result is computed
    // from (TensorPrimitives writing into a destination span): DG0009 at the call (the gradient was silently zero, with
    // only DG0020's warning). A call writing a vector the result never reads stays code without a derivative.
    [Fact]
    public void CallWritingAVectorTheResultReadsLosesTheDerivative() => Verify("""
        using System.Numerics.Tensors;

        public static partial class Losses
        {
            [Differentiable(nameof(w))]
            public static float F(float[] w, float[] x)
            {
                Span<float> h = stackalloc float[x.Length];
                Span<float> log = stackalloc float[x.Length];
                {|DG0009:TensorPrimitives.Multiply(w, x, h)|};
                TensorPrimitives.Abs(w, log);
                float s = 0;
                for (int i = 0; i < h.Length; i++)
                {
                    s += h[i] * w[i];
                }

                return s;
            }
        }
        """);

    [Fact]
    public void HelperReturningAVectorInsideALoop() => Verify("""
        public static partial class Losses
        {
            private static double[] Twice(double[] x, int extra)
            {
                var y = new double[x.Length + extra];
                for (int i = 0; i < x.Length; i++) y[i] = 2 * x[i];
                return y;
            }

            private static double[] EarlyOut(double[] x)
            {
                var y = new double[x.Length];
                if (x.Length == 0) return y;
                y[0] = x[0];
                return y;
            }

            [Differentiable]
            public static double F(double[] x)
            {
                double s = 0;
                for (int k = 0; k < 2; k++)
                {
                    double[] {|DG0024:t = Twice(x, k)|};
                    s += t[0];
                }

                double[] {|DG0007:e = EarlyOut(x)|};
                return s + e[0];
            }
        }
        """);

    [Fact]
    public void OutResultOfAnotherTypeIsRefused() => Verify("""
        public static partial class Losses
        {
            [Differentiable(nameof(w))]
            public static double F(double[] w, {|DG0010:out int argmax|})
            {
                argmax = 0;
                for (int i = 1; i < w.Length; i++) if (w[i] > w[argmax]) argmax = i;
                return w[argmax] * w[argmax];
            }
        }
        """);

    [Fact]
    public void DifferentiatedArrayOfArraysIsReadOnlyAndFirstOrder() => Verify("""
        public static partial class Losses
        {
            [Differentiable(nameof(w))]
            public static double Written(double[][] w)
            {
                double[] row = w[0];
                {|DG0012:row[0]|} = 1;
                return row[1] * w[1][0];
            }

            [Differentiable(nameof(w), {|DG0025:Generate = Derivatives.Reverse | Derivatives.HessianVectorProduct|})]
            public static double Second(double[][] w) => w[0][0] * w[0][0];

            [Differentiable(nameof(w))]
            public static double Replaced(double[][] w, double[][] other)
            {
                {|DG0012:w = other|};
                return w[0][0];
            }
        }
        """);

    [Fact]
    public void CalleeNotDifferentiatedWithRespectToActiveArgument()
    {
        var diagnostics = Verify("""
            public static partial class Losses
            {
                [Differentiable(nameof(w))]
                public static double Dot(ReadOnlySpan<double> w, ReadOnlySpan<double> x) => w[0] * x[0];

                [Differentiable]
                public static double F(double[] w, double[] x) => {|DG0015:Dot(w, x)|};
            }
            """, expectGeneratedFor: "Dot");
        Assert.Contains("'x'", diagnostics.Single().GetMessage());
    }

    [Fact]
    public void NestedCallOfAMethodWithoutNestingHelpersIsReportedAtTheCall()
    {
        var diagnostics = Verify("""
            public static partial class Losses
            {
                [Differentiable]
                public static double Half(double x) => 0.5 * x * x;

                [Differentiable]
                public static double Slope(double x)
                {
                    double d = 0;
                    {|DG0029:HalfGradient(x, ref d)|};
                    return d * x;
                }
            }
            """, expectGeneratedFor: "Half");
        Assert.Contains("add Derivatives.Nested to the Generate of 'Half'", diagnostics.Single().GetMessage());
    }

    [Fact]
    public void NestedCallOfASecondOrderDerivativeIsReportedAtTheCall()
    {
        var diagnostics = Verify("""
            public static partial class Losses
            {
                [Differentiable(Generate = Derivatives.Reverse | Derivatives.HessianVectorProduct | Derivatives.Nested)]
                public static double Half(double x) => 0.5 * x * x;

                [Differentiable]
                public static double Curvature(double x)
                {
                    double h = 0;
                    {|DG0029:HalfHessianVectorProduct(x, 1.0, ref h)|};
                    return h * x;
                }
            }
            """, expectGeneratedFor: "Half");
        Assert.Contains("only a gradient, pullback or pushforward", diagnostics.Single().GetMessage());
    }

    [Fact]
    public void NestedCallWithNamedArgumentsIsReportedAtTheCall()
    {
        var diagnostics = Verify("""
            public static partial class Losses
            {
                [Differentiable(Generate = Derivatives.Reverse | Derivatives.Nested)]
                public static double Half(double x) => 0.5 * x * x;

                [Differentiable]
                public static double Slope(double x)
                {
                    double d = 0;
                    {|DG0029:Losses.HalfGradient(x: x, dx: ref d)|};
                    return d * x;
                }
            }
            """, expectGeneratedFor: "Half");
        Assert.Contains("positional", diagnostics.Single().GetMessage());
    }

    [Fact]
    public void NestedCallOfTheMethodsOwnDerivativeIsReportedAtTheCall()
    {
        var diagnostics = Verify("""
            public static partial class Losses
            {
                [Differentiable(Generate = Derivatives.Reverse | Derivatives.Nested)]
                public static double Loop(double x)
                {
                    double d = 0;
                    {|DG0029:LoopGradient(x, ref d)|};
                    return d * x;
                }
            }
            """, allowCompilerErrors: true);
        Assert.Contains("its own derivative", diagnostics.Single().GetMessage());
    }

    [Fact]
    public void NestedCallWhoseValueHasNoTypeInTheGeneratorIsReportedAtTheCall()
    {
        var diagnostics = Verify("""
            public static partial class Losses
            {
                [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Nested)]
                public static double Half(double x) => 0.5 * x * x;

                [Differentiable]
                public static double Slope(double x)
                {
                    double d = 0;
                    double twice = 2 * {|DG0029:HalfGradient(x, ref d)|};
                    var value = {|DG0029:HalfGradient(x, ref d)|};
                    {|DG0029:HalfPushforward(x, 1.0, out var t)|};
                    return d * x * twice * value * t;
                }
            }
            """, expectGeneratedFor: "Half");
        Assert.Equal(3, diagnostics.Count(d => d.GetMessage().Contains("with its type", StringComparison.Ordinal)));
    }

    [Fact]
    public void NestingHelpersOfAMethodThatItselfNestsAreRefusedAtGenerate()
    {
        var diagnostics = Verify("""
            public static partial class Losses
            {
                [Differentiable(Generate = Derivatives.Reverse | Derivatives.Nested)]
                public static double Half(double x) => 0.5 * x * x;

                [Differentiable({|DG0025:Generate = Derivatives.Reverse | Derivatives.Nested|})]
                public static double Slope(double x)
                {
                    double d = 0;
                    HalfGradient(x, ref d);
                    return d * x;
                }
            }
            """, expectGeneratedFor: "Half");
        Assert.Contains("nesting helpers (Derivatives.Nested) through a call", diagnostics.Single().GetMessage());
    }

    [Fact]
    public void NestingHelpersOfAVectorInputAreRefusedAtGenerate() => Verify("""
        public static partial class Losses
        {
            [Differentiable({|DG0025:Generate = Derivatives.Reverse | Derivatives.Nested|})]
            public static double First(ReadOnlySpan<double> x) => x[0] * x[0];
        }
        """);

    [Fact]
    public void NestedCallsInEveryFormCompileWithoutDiagnostics()
    {
        // The analyzer binds the calls to the generated methods, the generator sees them unbound: both lower them the
        // same way, so neither reports anything, and the generated code compiles.
        (TestCompiler.Result result, ImmutableArray<Diagnostic> analyzer) = TestCompiler.RunWithAnalyzer(Usings + """
            public static partial class Losses
            {
                [Differentiable(nameof(x), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.Nested)]
                public static double Inner(double x, double a) => a * x * x * x;

                [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
                public static double Outer(double p)
                {
                    double g = 0, s = 0, t;
                    double value = Inner(p, p);
                    InnerGradient(p, 2 * p, ref g);
                    InnerPullback(p, p, p, ref s);
                    Losses.InnerPushforward(p, p, p, out t);
                    InnerPushforward(p, 1.0, 2.0, out double u);
                    double w = InnerPushforward(2.0, p, p, out double v);
                    w = (InnerGradient(w, p, ref g));
                    return (g * s) + t + value + (u * v) + w;
                }
            }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(analyzer.Where(d => d.Id.StartsWith("DG", StringComparison.Ordinal) || d.Id == "AD0001"));
        Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains(result.Sources, s => s.HintName.EndsWith(".Outer.g.cs", StringComparison.Ordinal) && s.Text.Contains("InnerNestedTangentPullback"));
    }

    [Fact]
    public void EveryDescriptorHasAHelpLinkAndACatalogId()
    {
        var ids = typeof(DiagnosticIds).GetFields().Select(f => (string)f.GetValue(null)!).ToList();
        var descriptors = typeof(DiagnosticDescriptors).GetFields().Select(f => (DiagnosticDescriptor)f.GetValue(null)!).ToList();
        Assert.Equal(ids.OrderBy(i => i), descriptors.Select(d => d.Id).OrderBy(i => i));
        Assert.All(descriptors, d => Assert.EndsWith("docs/diagnostics/" + d.Id + ".md", d.HelpLinkUri));
    }

    private static IReadOnlyList<Diagnostic> Verify(string markup, string[]? allowExtra = null, bool allowCompilerErrors = false, string? expectGeneratedFor = null)
    {
        (string source, List<(string Id, TextSpan Span)> expected) = Parse(Usings + markup);
        (TestCompiler.Result result, ImmutableArray<Diagnostic> analyzer) = TestCompiler.RunWithAnalyzer(source);

        // The analyzer reports the parser's diagnostics; the generator adds none of its own for these methods.
        Assert.Empty(result.GeneratorDiagnostics);
        var all = analyzer.Where(d => d.Id.StartsWith("DG", StringComparison.Ordinal) || d.Id == "AD0001").ToList();
        var actual = all.Select(d => (d.Id, d.Location.SourceSpan)).OrderBy(d => d.SourceSpan.Start).ToList();
        foreach ((string id, TextSpan span) in expected)
        {
            Assert.True(actual.Contains((id, span)), $"Expected {id} at {span} ('{source.Substring(span.Start, span.Length)}'); got: {Describe(all, source)}");
        }

        foreach ((string id, TextSpan span) in actual)
        {
            bool wasExpected = expected.Contains((id, span)) || (allowExtra?.Contains(id) ?? false);
            Assert.True(wasExpected, $"Unexpected {id} at {span}: {Describe(all, source)}");
        }

        // No duplicates: each problem is reported once in a build.
        Assert.Equal(actual.Count, actual.Distinct().Count());

        // Nothing is generated for a rejected method, and the user's build has no errors from us.
        Assert.All(result.Sources, s => Assert.True(expectGeneratedFor is not null && s.HintName.EndsWith("." + expectGeneratedFor + ".g.cs", StringComparison.Ordinal), s.HintName));
        if (!allowCompilerErrors)
        {
            Assert.Empty(result.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        }

        return all;
    }

    private static string Describe(IEnumerable<Diagnostic> diagnostics, string source) =>
        string.Join("; ", diagnostics.Select(d => d.Location.IsInSource
            ? $"{d.Id} at {d.Location.SourceSpan} '{source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)}': {d.GetMessage()}"
            : $"{d.Id}: {d.GetMessage()}"));

    private static (string Source, List<(string Id, TextSpan Span)> Expected) Parse(string markup)
    {
        var builder = new StringBuilder();
        var expected = new List<(string, TextSpan)>();
        var open = new Stack<(string Id, int Start)>();
        for (int i = 0; i < markup.Length; i++)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                int colon = markup.IndexOf(':', i);
                open.Push((markup.Substring(i + 2, colon - i - 2), builder.Length));
                i = colon;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}' && open.Count > 0)
            {
                (string id, int start) = open.Pop();
                expected.Add((id, TextSpan.FromBounds(start, builder.Length)));
                i++;
            }
            else
            {
                builder.Append(markup[i]);
            }
        }

        return (builder.ToString(), expected);
    }
}

public class DerivativeOfDiagnosticTests
{
    [Fact]
    public void WrongPullbackSignatureIsReportedAtThePullback()
    {
        TestCompiler.Result result = TestCompiler.Run("""
            using System;
            using DiffGen;

            public static class M
            {
                public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

                [DerivativeOf(typeof(M), nameof(Softplus))]
                public static void SoftplusPullback(double x, ref double dx) => dx += 1;
            }
            """);
        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(Diagnostics.DiagnosticIds.DerivativeSignatureMismatch, diagnostic.Id);
        Assert.Equal("SoftplusPullback", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Contains("static void SoftplusPullback(double x, double seed, ref double dx)", diagnostic.GetMessage());
    }

    [Fact]
    public void MissingTargetIsReportedAtTheAttribute()
    {
        TestCompiler.Result result = TestCompiler.Run("""
            using DiffGen;

            public static class M
            {
                [DerivativeOf(typeof(M), "Nope")]
                public static void P(double x, double seed, ref double dx) => dx += seed;
            }
            """);
        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(Diagnostics.DiagnosticIds.DerivativeTargetNotFound, diagnostic.Id);
        Assert.StartsWith("DerivativeOf(", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public async System.Threading.Tasks.Task CallToPrimalWithMismatchedPullbackHasNoDerivative()
    {
        TestCompiler.Result result = TestCompiler.Run("""
            using System;
            using DiffGen;

            public static class M
            {
                public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

                [DerivativeOf(typeof(M), nameof(Softplus))]
                public static void SoftplusPullback(double x, ref double dx) => dx += 1;
            }

            public static partial class L
            {
                [Differentiable]
                public static double F(double x) => M.Softplus(x);
            }
            """);
        // The call gets DG0009 from the analyzer (as the user types); the build gets DG0018 and generates nothing.
        Assert.Contains(result.GeneratorDiagnostics, d => d.Id == Diagnostics.DiagnosticIds.DerivativeSignatureMismatch);
        Assert.Empty(result.Sources);
        var analyzerDiagnostics = await Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzerExtensions.WithAnalyzers(result.Output, System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new Analyzers.DifferentiableAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        Assert.Contains(analyzerDiagnostics, d => d.Id == Diagnostics.DiagnosticIds.CallWithoutDerivative);
    }
}
