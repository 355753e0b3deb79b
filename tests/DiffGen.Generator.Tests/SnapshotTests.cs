using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace DiffGen.Generator.Tests;

/// <summary>
/// Expected-output tests: the generated file for each representative function must equal the checked-in
/// Baselines/{Test}/{Hint}. Set DIFFGEN_UPDATE_BASELINES=1 to rewrite them after an intended change (then review the diff).
/// Every snapshot also compiles with zero errors and zero warnings.
/// </summary>
public class SnapshotTests
{
    private const string Usings = "using System;\nusing DiffGen;\n\nnamespace Demo;\n\n";

    [Fact]
    public void Rosenbrock() => Verify(nameof(Rosenbrock), """
        public static partial class Losses
        {
            [Differentiable]
            public static double Rosenbrock(double x, double y)
                => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
        }
        """);

    // A matrix parameter named by the attribute is read as the span of its elements (row-major) with its extents in
    // locals, so the loops are counted and the row update vectorises as with a span; the gradient is a matrix of the
    // same shape. A local matrix is a pooled vector of rows × columns.
    [Fact]
    public void MatrixParameterAndLocalMatrix() => Verify(nameof(MatrixParameterAndLocalMatrix), """
        public static partial class Losses
        {
            [Differentiable(nameof(w), nameof(x))]
            public static double Layer(double[,] w, double[] x)
            {
                var h = new double[2, w.GetLength(0)];
                double s = 0;
                for (int i = 0; i < w.GetLength(0); i++)
                {
                    double z = 0;
                    for (int j = 0; j < w.GetLength(1); j++)
                    {
                        z += w[i, j] * x[j];
                    }

                    h[0, i] = Math.Tanh(z);
                    h[1, i] = h[0, i] * h[0, i];
                    s += h[1, i];
                }

                return s;
            }
        }
        """);

    // A span that views part of a vector (a row sliced in the loop) is its start and length in ints declared where the
    // user declared it, checked as Slice checks; its elements are the vector's, so the row update still vectorises.
    [Fact]
    public void RowViewSlicedInTheLoop() => Verify(nameof(RowViewSlicedInTheLoop), """
        public static partial class Losses
        {
            [Differentiable]
            public static double Rows(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
            {
                double s = 0;
                for (int i = 0; i < w.Length / x.Length; i++)
                {
                    ReadOnlySpan<double> row = w.Slice(i * x.Length, x.Length);
                    double z = 0;
                    for (int j = 0; j < row.Length; j++)
                    {
                        z += row[j] * x[j];
                    }

                    s += Math.Tanh(z) + row[^1];
                }

                return s;
            }
        }
        """);

    // Sizes read from objects that cannot change during the call (a get-only auto-property of a layer held in a local,
    // a readonly field of this) are read once where the object is bound: the loops they bound are counted loops, and
    // nothing is re-read or taped per iteration.
    [Fact]
    public void StableSizesReadOnce() => Verify(nameof(StableSizesReadOnce), """
        public sealed class Layer
        {
            public int In { get; }
            public int Out { get; init; }
            public readonly double[] W = new double[0];
        }

        public sealed partial class Net
        {
            private readonly int _repeats = 2;
            public Layer Hidden = new();

            [Differentiable]
            public double Loss(double[] x)
            {
                Layer layer = Hidden;
                double s = 0;
                for (int r = 0; r < _repeats; r++)
                {
                    for (int o = 0; o < layer.Out; o++)
                    {
                        double a = 0;
                        for (int i = 0; i < layer.In; i++)
                        {
                            a += layer.W[(o * layer.In) + i] * x[i];
                        }

                        s += Math.Tanh(a);
                    }
                }

                return s;
            }
        }
        """);

    // Forward mode: the primal statements unchanged, each followed (or, when it reads the old value, preceded) by its
    // tangent; a call of another [Differentiable] method becomes a call of its pushforward.
    [Fact]
    public void PushforwardWithLoopBranchAndCall() => Verify(nameof(PushforwardWithLoopBranchAndCall), """
        public static partial class Losses
        {
            [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
            public static double Softplus(double z) => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));

            [Differentiable(nameof(w), Generate = Derivatives.Forward)]
            public static double Loss(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
            {
                double s = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    double z = w[i] * x[i];
                    if (z > 1)
                    {
                        z = Math.Sqrt(z);
                    }

                    s += Softplus(z);
                }

                return s * s;
            }
        }
        """);

    // Forward over reverse: the pullback's tape gets a tangent tape (push for push), the gradient a pooled buffer whose
    // tangent is hv; the dense Hessian and the diagonals are drivers over the product.
    [Fact]
    public void HessianVectorProductOverTape() => Verify(nameof(HessianVectorProductOverTape), """
        public static partial class Losses
        {
            [Differentiable(Generate = Derivatives.Hessian)]
            public static double Horner(ReadOnlySpan<double> c, double x)
            {
                double s = 0;
                for (int i = 0; i < c.Length; i++)
                {
                    s = s * x + Math.Sin(c[i]);
                }

                return s;
            }
        }
        """);

    // Nesting: the outer method calls the inner's generated gradient; the call becomes FNestedPartial calls whose
    // pullbacks (reverse) and pushforwards (forward) are Hessian-vector products of the inner with respect to all
    // its inputs, so the outer derivative also sees the inner gradient move with w, which the inner does not differentiate.
    [Fact]
    public void NestedGradientInsideLoop() => Verify(nameof(NestedGradientInsideLoop), """
        public static partial class Losses
        {
            [Differentiable(nameof(x0), nameof(x1), Generate = Derivatives.Reverse | Derivatives.Nested)]
            public static double Potential(double x0, double x1, double w) => 1 / Math.Sqrt((x0 * x0) + ((x1 - w) * (x1 - w)));

            [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward)]
            public static double Fall(double w)
            {
                double x0 = 0, x1 = 1, v0 = 1, v1 = 0;
                for (int step = 0; step < 10; step++)
                {
                    double f0 = 0, f1 = 0;
                    PotentialGradient(x0, x1, w, ref f0, ref f1);
                    x0 += 0.1 * v0;
                    x1 += 0.1 * v1;
                    v0 -= 0.1 * f0;
                    v1 -= 0.1 * f1;
                }

                return x0 * x0;
            }
        }
        """);

    [Fact]
    public void LogisticWithInputGradient() => Verify(nameof(LogisticWithInputGradient), """
        public static partial class Losses
        {
            [Differentiable(nameof(w), nameof(b))]
            [Differentiable(nameof(x), Name = "LogisticInputGradient")]
            public static float Logistic(ReadOnlySpan<float> w, float b, ReadOnlySpan<float> x, float y)
            {
                float z = b;
                for (int i = 0; i < w.Length; i++)
                {
                    z += w[i] * x[i];
                }

                float p = 1 / (1 + MathF.Exp(-z));
                return -(y * MathF.Log(p) + (1 - y) * MathF.Log(1 - p));
            }
        }
        """);

    [Fact]
    public void DotProductAccumulates() => Verify(nameof(DotProductAccumulates), """
        public static partial class Linear
        {
            [Differentiable]
            public static double Dot(double[] w, ReadOnlySpan<double> x)
            {
                double s = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    s += w[i] * x[i];
                }

                return s;
            }
        }
        """);

    // One sweep: the loop only accumulates and its adjoint (dsum = seed) is known before it runs.
    [Fact]
    public void FusedAccumulationLoop() => Verify(nameof(FusedAccumulationLoop), """
        public static partial class Losses
        {
            [Differentiable]
            public static double ExtendedRosenbrock(ReadOnlySpan<double> x)
            {
                double sum = 0;
                int pairs = x.Length / 2;
                for (int i = 0; i < pairs; i++)
                {
                    double t = x[2 * i + 1] - x[2 * i] * x[2 * i];
                    double u = 1 - x[2 * i];
                    sum += 100 * t * t + u * u;
                }

                return sum;
            }
        }
        """);

    // dx[i] without a bounds check (x[i] was read in the condition, every iteration); dw[i] keeps its check, since w[i]
    // is read only when the condition holds.
    [Fact]
    public void FusedLoopDropsOnlyProvenGradientChecks() => Verify(nameof(FusedLoopDropsOnlyProvenGradientChecks), """
        public static partial class Losses
        {
            [Differentiable]
            public static double GatedSquares(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    double g = x[i] > 0 ? w[i] * x[i] : 0.5 * x[i];
                    sum += g * g;
                }

                return sum;
            }
        }
        """);

    // One sweep with a branch: the decision is kept in a local for the iteration instead of taped.
    [Fact]
    public void FusedLoopWithBranch() => Verify(nameof(FusedLoopWithBranch), """
        public static partial class Losses
        {
            [Differentiable(nameof(w))]
            public static double SquaredHinge(ReadOnlySpan<double> w, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    double m = y[i] * w[i] * x[i];
                    if (m < 1)
                    {
                        double slack = 1 - m;
                        sum += slack * slack;
                    }
                    else
                    {
                        sum -= 0.1 * m;
                    }
                }

                return sum / x.Length;
            }
        }
        """);

    // Two sweeps: log's adjoint 1/(1 + sum) needs the loop's result.
    [Fact]
    public void AccumulationLoopNotFusedWhenSuffixNeedsItsResult() => Verify(nameof(AccumulationLoopNotFusedWhenSuffixNeedsItsResult), """
        public static partial class Losses
        {
            [Differentiable]
            public static double LogOfSum(ReadOnlySpan<double> x)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    double e = Math.Exp(x[i]);
                    sum += e * x[i];
                }

                return Math.Log(1 + sum);
            }
        }
        """);

    [Fact]
    public void HornerTapesOverwrittenAccumulator() => Verify(nameof(HornerTapesOverwrittenAccumulator), """
        public static partial class Poly
        {
            [Differentiable]
            public static double Horner(ReadOnlySpan<double> c, double x)
            {
                double acc = 0;
                for (int i = c.Length - 1; i >= 0; i--)
                {
                    acc = acc * x + c[i];
                }

                return acc;
            }
        }
        """);

    [Fact]
    public void BranchRunsItsAdjointInPlace() => Verify(nameof(BranchRunsItsAdjointInPlace), """
        public static partial class Pieces
        {
            [Differentiable]
            public static double Piecewise(double x)
            {
                double r;
                if (x > 0)
                {
                    r = x * x;
                }
                else
                {
                    r = Math.Sin(x);
                }

                return r + 1;
            }
        }
        """);

    [Fact]
    public void WhileLoopWithTripCount() => Verify(nameof(WhileLoopWithTripCount), """
        public static partial class Iteration
        {
            [Differentiable]
            public static double Grow(double x)
            {
                int k = 0;
                double s = x;
                while (s < 10 && k < 20)
                {
                    s = s * 1.5 + 0.1 * Math.Sin(s);
                    k++;
                }

                return s;
            }
        }
        """);

    [Fact]
    public void BreakContinueAndEarlyReturn() => Verify(nameof(BreakContinueAndEarlyReturn), """
        public static partial class Control
        {
            [Differentiable]
            public static double Scan(ReadOnlySpan<double> v, double x)
            {
                if (x > 5)
                {
                    return x;
                }

                double s = x;
                for (int i = 0; i < v.Length; i++)
                {
                    if (v[i] < 0)
                    {
                        continue;
                    }

                    s = s * v[i];
                    if (s > 100)
                    {
                        break;
                    }
                }

                return s;
            }
        }
        """);

    [Fact]
    public void CallsOtherDifferentiableMethod() => Verify(nameof(CallsOtherDifferentiableMethod), """
        public static partial class Composite
        {
            [Differentiable]
            public static double Square(double a) => a * a;

            [Differentiable]
            public static double Outer(double x, double y) => Square(x * y) + 3 * Square(Math.Sin(x));
        }
        """);

    [Fact]
    public void RecursionFoldsTheValueIntoThePullback() => Verify(nameof(RecursionFoldsTheValueIntoThePullback), """
        public static partial class Determinants
        {
            [Differentiable(nameof(a))]
            public static double Minor(ReadOnlySpan<double> a, int n, int row, int used)
            {
                if (row == n - 1)
                {
                    int last = 0;
                    while ((used & (1 << last)) != 0)
                    {
                        last++;
                    }

                    return a[row * n + last];
                }

                double det = 0;
                double sign = 1;
                for (int c = 0; c < n; c++)
                {
                    if ((used & (1 << c)) != 0)
                    {
                        continue;
                    }

                    det += sign * (a[row * n + c] * Minor(a, n, row + 1, used | (1 << c)));
                    sign = -sign;
                }

                return det;
            }

            [Differentiable]
            public static double Halve(double x) => x < 1 ? x * x : Math.Sin(Halve(x / 2));
        }
        """);

    [Fact]
    public void ReductionsJammedFourAtATime() => Verify(nameof(ReductionsJammedFourAtATime), """
        public static partial class Dense
        {
            [Differentiable(nameof(w), nameof(b), Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.HessianVectorProduct)]
            public static double Loss(ReadOnlySpan<double> w, ReadOnlySpan<double> b, ReadOnlySpan<double> x, ReadOnlySpan<double> target)
            {
                double loss = 0;
                for (int i = 0; i < b.Length; i++)
                {
                    double z = b[i];
                    for (int j = 0; j < x.Length; j++)
                    {
                        z += w[i * x.Length + j] * x[j];
                    }

                    double e = Math.Tanh(z) - target[i];
                    loss += e * e;
                }

                return loss;
            }
        }
        """);

    [Fact]
    public void ConvolutionGradientAddedABlockAtATime() => Verify(nameof(ConvolutionGradientAddedABlockAtATime), """
        public static partial class Convolution
        {
            // Fused (blocks going up), with a bias whose adjoint is a sum over the block.
            [Differentiable(nameof(kernel), nameof(signal), nameof(bias))]
            public static double Loss(ReadOnlySpan<double> kernel, ReadOnlySpan<double> signal, double bias, ReadOnlySpan<double> target)
            {
                double loss = 0;
                for (int t = 0; t < signal.Length - kernel.Length + 1; t++)
                {
                    double y = bias;
                    for (int k = 0; k < kernel.Length; k++)
                    {
                        y += kernel[k] * signal[t + k];
                    }

                    double e = Math.Tanh(y) - target[t];
                    loss += e * e;
                }

                return loss;
            }

            // Two sweeps (the log needs the whole sum): the reverse sweep's blocks go down.
            [Differentiable(nameof(kernel), nameof(signal))]
            public static double LogLoss(ReadOnlySpan<double> kernel, ReadOnlySpan<double> signal)
            {
                double loss = 0;
                for (int t = 0; t < signal.Length - kernel.Length + 1; t++)
                {
                    double y = 0;
                    for (int k = 0; k < kernel.Length; k++)
                    {
                        y += kernel[k] * signal[t + k];
                    }

                    loss += y * y;
                }

                return Math.Log(1 + loss);
            }
        }
        """);

    [Fact]
    public void InactiveCarriedNumbersFuse() => Verify(nameof(InactiveCarriedNumbersFuse), """
        public static partial class Series
        {
            [Differentiable(nameof(x))]
            public static double AlternatingWeighted(ReadOnlySpan<double> x, double ratio)
            {
                double s = 0;
                double sign = 1;
                double weight = 1;
                for (int i = 0; i < x.Length; i++)
                {
                    s += sign * weight * Math.Exp(0.5 * x[i]);
                    sign = -sign;
                    weight *= ratio;
                }

                return s;
            }
        }
        """);

    [Fact]
    public void LocalFunctionInlined() => Verify(nameof(LocalFunctionInlined), """
        public static partial class Local
        {
            [Differentiable]
            public static double WithLocal(double x, double y)
            {
                double Cube(double a) => a * a * a;
                return Cube(x) - Cube(y) * x;
            }
        }
        """);

    [Fact]
    public void HelperReturningAVectorInlinedFlat() => Verify(nameof(HelperReturningAVectorInlinedFlat), """
        public static partial class Layers
        {
            private static double[] Dense(ReadOnlySpan<double> w, double[] x, int rows)
            {
                var y = new double[rows];
                for (int r = 0; r < rows; r++)
                {
                    double s = 0;
                    for (int c = 0; c < x.Length; c++) s += w[r * x.Length + c] * x[c];
                    y[r] = Math.Tanh(s);
                }

                return y;
            }

            [Differentiable(nameof(w))]
            public static double Loss(ReadOnlySpan<double> w, double[] x, double[][] targets)
            {
                double[] h = Dense(w, x, 3);
                double[] target = targets[0];
                double loss = 0;
                for (int i = 0; i < h.Length; i++) loss += (h[i] - target[i]) * (h[i] - target[i]);
                return loss + w[^1] * w[^1];
            }
        }
        """);

    [Fact]
    public void LocalArrayWithPooledAdjoint() => Verify(nameof(LocalArrayWithPooledAdjoint), """
        public static partial class Arrays
        {
            [Differentiable]
            public static double Neighbours(ReadOnlySpan<double> v)
            {
                double[] t = new double[v.Length];
                for (int i = 0; i < v.Length; i++)
                {
                    t[i] = Math.Tanh(v[i]);
                }

                double s = 0;
                for (int i = 0; i + 1 < v.Length; i++)
                {
                    s += t[i] * t[i + 1];
                }

                return s;
            }
        }
        """);

    [Fact]
    public void NestedGenericTypeAndWrtSubset() => Verify(nameof(NestedGenericTypeAndWrtSubset), """
        public partial class Outer<T>
        {
            internal static partial class Inner
            {
                [Differentiable(nameof(a))]
                internal static double Scaled(double a, double b, int n, bool flip) => flip ? -a * b * n : Math.Exp(a) / (1 + b * b);
            }
        }
        """);

    [Fact]
    public void FloatMathAndConditional() => Verify(nameof(FloatMathAndConditional), """
        public static partial class Activations
        {
            [Differentiable]
            public static float Mix(float x, float y) => x > y ? MathF.Tanh(x) * y : MathF.Sqrt(1 + y * y) + Math.Abs(x) + Math.Max(x, 0.5f);
        }
        """);

    // Loop nests fused level by level: the pair loop's iterations run their adjoints in place, atom i's gradient is
    // summed in locals and its coordinates loaded once per i; no tape.
    [Fact]
    public void FusedLoopNestPairPotential() => Verify(nameof(FusedLoopNestPairPotential), """
        public static partial class Molecules
        {
            [Differentiable]
            public static double LennardJones(ReadOnlySpan<double> x)
            {
                int n = x.Length / 3;
                double e = 0;
                for (int i = 0; i < n; i++)
                {
                    for (int j = i + 1; j < n; j++)
                    {
                        double dx = x[3 * i] - x[3 * j];
                        double dy = x[3 * i + 1] - x[3 * j + 1];
                        double dz = x[3 * i + 2] - x[3 * j + 2];
                        double inv2 = 1 / (dx * dx + dy * dy + dz * dz);
                        double inv6 = inv2 * inv2 * inv2;
                        e += 4 * (inv6 * inv6 - inv6);
                    }
                }

                return e;
            }
        }
        """);

    // The outer loop is fused; the inner dot product (z is needed by tanh, after it) is reversed in place, and its
    // reverse, dW[o * n + i] += dz * x[i], is one TensorPrimitives call on the row.
    [Fact]
    public void DenseLayerInnerReverseVectorised() => Verify(nameof(DenseLayerInnerReverseVectorised), """
        public static partial class Layers
        {
            [Differentiable(nameof(w), nameof(b))]
            public static float Dense(ReadOnlySpan<float> w, ReadOnlySpan<float> b, ReadOnlySpan<float> x, ReadOnlySpan<float> y)
            {
                float loss = 0;
                for (int o = 0; o < b.Length; o++)
                {
                    float z = b[o];
                    for (int i = 0; i < x.Length; i++)
                    {
                        z += w[o * x.Length + i] * x[i];
                    }

                    float d = MathF.Tanh(z) - y[o];
                    loss += d * d;
                }

                return loss;
            }
        }
        """);

    // Two sweeps (the loss needs every logit): the to-be-recorded analysis keeps one decision and one exponential per
    // class and nothing per inner iteration; the reverse of the dot product is a strided-row axpy.
    [Fact]
    public void SoftmaxNestedLoopsRecordOncePerIteration() => Verify(nameof(SoftmaxNestedLoopsRecordOncePerIteration), """
        public static partial class Classifier
        {
            [Differentiable(nameof(w), nameof(b))]
            public static float Loss(ReadOnlySpan<float> w, ReadOnlySpan<float> b, ReadOnlySpan<float> x, int label)
            {
                Span<float> logits = stackalloc float[b.Length];
                float max = float.NegativeInfinity;
                for (int k = 0; k < b.Length; k++)
                {
                    float a = b[k];
                    for (int j = 0; j < x.Length; j++)
                    {
                        a += w[k * x.Length + j] * x[j];
                    }

                    logits[k] = a;
                    if (a > max)
                    {
                        max = a;
                    }
                }

                float sum = 0;
                for (int k = 0; k < b.Length; k++)
                {
                    sum += MathF.Exp(logits[k] - max);
                }

                return MathF.Log(sum) + max - logits[label];
            }
        }
        """);

    // AllowReassociation: the dot product becomes TensorPrimitives.Dot (the value within rounding) and its adjoint an axpy.
    [Fact]
    public void ReassociatedDotProducts() => Verify(nameof(ReassociatedDotProducts), """
        public static partial class Layers
        {
            [Differentiable(nameof(w), AllowReassociation = true)]
            public static double Score(ReadOnlySpan<double> w, ReadOnlySpan<double> x, int rows)
            {
                double loss = 0;
                for (int r = 0; r < rows; r++)
                {
                    double z = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        z += w[r * x.Length + i] * x[i];
                    }

                    loss += Math.Log(1 + Math.Exp(z));
                }

                return loss;
            }
        }
        """);

    // An element an inner loop touches at an index it never changes — the row adjoint dx[i] summed over j, the load
    // x[i] — is kept in a local across the loop in both sweeps (read once before it, stored once after it), under the
    // loop's first test, so an empty inner loop reads nothing.
    [Fact]
    public void InvariantElementsKeptInLocals() => Verify(nameof(InvariantElementsKeptInLocals), """
        public static partial class Lower
        {
            [Differentiable(nameof(l), nameof(x))]
            public static double Norm(ReadOnlySpan<double> l, ReadOnlySpan<double> x)
            {
                int d = x.Length;
                Span<double> y = stackalloc double[d];
                int k = 0;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        y[j] += l[k] * x[i];
                        k++;
                    }
                }

                double s = 0;
                for (int j = 0; j < d; j++)
                {
                    s += y[j] * y[j];
                }

                return Math.Log(s);
            }
        }
        """);

    // A loop over points whose scratch is the caller's spans (of unknown length, each point using a prefix: d of xc, k
    // of beta) runs forward then reverse in place per point, as if the spans were its own locals; only the prefixes
    // the point's reverse restores are parked around it — except xc, which each component writes in place on a tape of
    // its own (PushSlot/PopSlot: xc is used only in the component loop and its reverse, so its final values are never
    // read and need no parking). A read outside the prefix is allowed where no adjoint flows (the log-sum-exp's maximum
    // under StopGradient reads beta[0] even when k = 0).
    [Fact]
    public void ScratchPrefixFusedPerPoint() => Verify(nameof(ScratchPrefixFusedPerPoint), """
        public static partial class Mixture
        {
            [Differentiable(nameof(mu))]
            public static double LogLikelihood(ReadOnlySpan<double> mu, ReadOnlySpan<double> x, int d, int k, Span<double> xc, Span<double> beta)
            {
                int n = x.Length / d;
                double total = 0;
                for (int i = 0; i < n; i++)
                {
                    for (int c = 0; c < k; c++)
                    {
                        double dist = 0;
                        for (int j = 0; j < d; j++)
                        {
                            xc[j] = x[i * d + j] - mu[c * d + j];
                            dist += xc[j] * xc[j];
                        }

                        beta[c] = -0.5 * dist;
                    }

                    double max = beta[0];
                    for (int c = 1; c < k; c++)
                    {
                        max = Math.Max(max, beta[c]);
                    }

                    double shift = Gradient.StopGradient(max);
                    double sum = 0;
                    for (int c = 0; c < k; c++)
                    {
                        sum += Math.Exp(beta[c] - shift);
                    }

                    total += Math.Log(sum) + shift;
                }

                return total;
            }
        }
        """);

    // The logistic sigmoid written out, 1 / (1 + exp(-z)), is one function to the generator: its derivative is
    // s * (1 - s) from the gate's value alone (no exponential kept, no second division), and it prints back as the
    // same arithmetic (double and float).
    [Fact]
    public void LogisticGateDerivativeFromItsValue() => Verify(nameof(LogisticGateDerivativeFromItsValue), """
        public static partial class Gates
        {
            [Differentiable(nameof(z))]
            public static double Gated(ReadOnlySpan<double> z, ReadOnlySpan<double> c)
            {
                double sum = 0;
                for (int j = 0; j < c.Length; j++)
                {
                    double forget = 1 / (1 + Math.Exp(-z[j]));
                    double input = 1.0 / (Math.Exp(-z[c.Length + j]) + 1.0);
                    sum += forget * c[j] + input * Math.Tanh(z[2 * c.Length + j]);
                }

                return sum;
            }

            [Differentiable]
            public static float Logit(float w, float x, float y)
            {
                float p = 1f / (1f + MathF.Exp(-(w * x)));
                return y * MathF.Log(p) + (1 - y) * MathF.Log(1 - p);
            }
        }
        """);

    // The Jacobian of a vector result with more inputs than outputs, whose reverse sweep only reads what the forward
    // sweep left: a private FJacobianByRows runs the forward sweep once and the reverse sweep once per row, seeded with
    // that row's unit adjoint and accumulating into the Jacobian's row; values the reverse recomputes move before the
    // row loop (the branch's copy included). The output's adjoint is on the stack up to 64 elements.
    [Fact]
    public void JacobianRowsShareOneForwardSweep() => Verify(nameof(JacobianRowsShareOneForwardSweep), """
        public static partial class Camera
        {
            [Differentiable(nameof(pose), nameof(point), Generate = Derivatives.Jacobian)]
            public static void Project(ReadOnlySpan<double> pose, ReadOnlySpan<double> point, double focal, [Output] Span<double> uv)
            {
                double angle = pose[0];
                double x = point[0] - pose[1];
                double y = point[1] - pose[2];
                double z = point[2] - pose[3];
                if (angle != 0)
                {
                    double c = Math.Cos(angle);
                    double s = Math.Sin(angle);
                    double rotated = c * x - s * y;
                    y = s * x + c * y;
                    x = rotated;
                }

                uv[0] = focal * x / z;
                uv[1] = focal * y / z;
            }
        }
        """);

    // An assignment's adjoint that needs the value it assigned (the quotient of a Newton step) reads the assigned local
    // back instead of dividing again; the local's old value, recorded at the next iteration's write, is restored after
    // that adjoint code (not before). (x is still recorded here: the step's derivative reads it.)
    [Fact]
    public void AssignedQuotientReadBack() => Verify(nameof(AssignedQuotientReadBack), """
        public static partial class Newton
        {
            [Differentiable(nameof(a))]
            public static double Root(double a)
            {
                double x = a;
                double step = 1;
                for (int k = 0; k < 6; k++)
                {
                    step = (x * x - a) / (2 * x);
                    x -= step;
                }

                return Math.Sin(x);
            }
        }
        """);

    // A loop that overwrites elements of a vector below its bound, whose adjoint code does not read that vector, saves
    // the vector's first n elements once before it runs and restores them once after its reverse (PushRange/PopRange
    // of n), instead of recording each element it overwrites: the stage and the state of each explicit step.
    [Fact]
    public void OverwrittenBlockSavedOnce() => Verify(nameof(OverwrittenBlockSavedOnce), """
        public static partial class Steps
        {
            [Differentiable(nameof(a))]
            public static double Run(ReadOnlySpan<double> a, int steps, Span<double> y, Span<double> stage)
            {
                int n = a.Length;
                for (int step = 0; step < steps; step++)
                {
                    for (int i = 1; i < n; i++)
                    {
                        stage[i] = y[i] + 0.1 * a[i] * y[i - 1] * y[i - 1];
                    }

                    for (int i = 1; i < n; i++)
                    {
                        y[i] += 0.2 * stage[i] * stage[i - 1];
                    }
                }

                return y[n - 1];
            }
        }
        """);

    // A two-sweep loop whose iterations' adjoint code commutes (dc[j] only accumulated, ds fixed) and whose adjoint
    // reads an inactive recurrence (power *= t): the reverse runs first to last, steps the power again from its value
    // on entry, and records nothing.
    [Fact]
    public void PassiveRecurrenceSteppedAgain() => Verify(nameof(PassiveRecurrenceSteppedAgain), """
        public static partial class Series
        {
            [Differentiable(nameof(c))]
            public static double SineOf(ReadOnlySpan<double> c, double t)
            {
                double s = 0;
                double power = 1;
                for (int j = 0; j < c.Length; j++)
                {
                    s += c[j] * power;
                    power *= t;
                }

                return Math.Sin(s);
            }
        }
        """);

    // A caller's scratch span of unknown length, of which each iteration writes the first d elements (and the loop
    // nothing beyond): those d are recorded once per iteration, not each element write — written in place, the span
    // bound to slots of its own tape (xc = xcSlots.PushSlot(xc.Length)), since nothing outside the loop reads it; an
    // element read right after its store in the same loop (xc[j] * xc[j]) does not stop it.
    [Fact]
    public void ScratchSpanPrefixRecordedOncePerIteration() => Verify(nameof(ScratchSpanPrefixRecordedOncePerIteration), """
        public static partial class Mixture
        {
            [Differentiable(nameof(mu))]
            public static double Terms(ReadOnlySpan<double> mu, ReadOnlySpan<double> x, Span<double> xc, Span<double> terms)
            {
                int d = x.Length;
                int k = terms.Length;
                for (int c = 0; c < k; c++)
                {
                    double dist = 0;
                    for (int j = 0; j < d; j++)
                    {
                        xc[j] = x[j] - mu[c * d + j];
                        dist += xc[j] * xc[j];
                    }

                    for (int j = 1; j < d; j++)
                    {
                        dist += xc[j] * xc[j - 1];
                    }

                    terms[c] = dist;
                }

                double s = 0;
                for (int c = 0; c < k; c++)
                {
                    s += Math.Exp(-terms[c]);
                }

                return Math.Log(s);
            }
        }
        """);

    // A scratch vector overwritten whole in each iteration of a two-sweep loop is recorded once per iteration, not at each
    // element write: the iteration writes it in place, on slots of a tape of its own (xc = xcSlots.PushSlot(…) at the
    // iteration's start, PopSlot at its reverse's; nothing copied); the loop-local integer stepping through the weights
    // is undone in the reverse sweep (k = k - 1), not recorded.
    [Fact]
    public void ScratchVectorRecordedOncePerIteration() => Verify(nameof(ScratchVectorRecordedOncePerIteration), """
        public static partial class Mixture
        {
            [Differentiable(nameof(mu), nameof(l))]
            public static double Terms(ReadOnlySpan<double> mu, ReadOnlySpan<double> l, ReadOnlySpan<double> x, int d)
            {
                int components = mu.Length / d;
                Span<double> xc = stackalloc double[d];
                Span<double> terms = stackalloc double[components];
                for (int c = 0; c < components; c++)
                {
                    for (int i = 0; i < d; i++)
                    {
                        xc[i] = x[i] - mu[c * d + i];
                    }

                    int k = c * d;
                    double q = 0;
                    for (int i = 0; i < d; i++)
                    {
                        q += l[k] * xc[i] * xc[i];
                        k++;
                    }

                    terms[c] = q;
                }

                double best = terms[0];
                for (int c = 1; c < components; c++)
                {
                    best = Math.Min(best, terms[c]);
                }

                return best;
            }
        }
        """);

    // The same scratch, read after its loop (the last component's centred point): it cannot be written in place on slots
    // (its final values must be in the span when the loop ends), so its iterations keep PushRange/PopRange copies.
    [Fact]
    public void ScratchReadAfterItsLoopKeepsItsCopies() => Verify(nameof(ScratchReadAfterItsLoopKeepsItsCopies), """
        public static partial class Mixture
        {
            [Differentiable(nameof(mu))]
            public static double Terms(ReadOnlySpan<double> mu, ReadOnlySpan<double> x)
            {
                int d = x.Length;
                int k = mu.Length / d;
                Span<double> xc = stackalloc double[d];
                double s = 0;
                for (int c = 0; c < k; c++)
                {
                    for (int j = 0; j < d; j++)
                    {
                        xc[j] = x[j] - mu[c * d + j];
                    }

                    double dist = 0;
                    for (int j = 0; j < d; j++)
                    {
                        dist += xc[j] * xc[j];
                    }

                    s = Math.Sqrt(s * s + Math.Exp(-dist));
                }

                return Math.Log(s) + xc[0] * xc[d - 1];
            }
        }
        """);

    // Locals of a two-sweep loop body are re-created at the start of each reverse iteration: a cheap one recomputed, a
    // value also stored in a vector read back from it, a costly one popped (one push per iteration).
    [Fact]
    public void LoopLocalsRecomputedReadBackOrRecorded() => Verify(nameof(LoopLocalsRecomputedReadBackOrRecorded), """
        public static partial class Chain
        {
            [Differentiable]
            public static double Run(ReadOnlySpan<double> x, double a)
            {
                double[] h = new double[x.Length];
                double s = a;
                for (int i = 0; i < x.Length; i++)
                {
                    double u = x[i] * a;
                    double t = Math.Tanh(u + s);
                    h[i] = t;
                    double e = Math.Exp(-u);
                    s = s * e + t;
                }

                return s + h[0];
            }
        }
        """);

    // θ as one value: the gradient argument has the model's type; each leaf's values and gradient buffer are read once at
    // the top (an array as it is, a Parameter<T>'s ValueArray and GradArray); IModel<float> lists the buffers; the loss's
    // scratch arrays are rented from the pool.
    [Fact]
    public void ModelTypeParameter() => Verify(nameof(ModelTypeParameter), """
        public sealed partial class Layer
        {
            public float[] Weight = new float[12];
            public float[] Bias = new float[4];
        }

        public sealed partial class Net
        {
            public Layer Hidden = new();
            public DiffGen.Optimization.Parameter<float> Readout = null!;

            [Differentiable(nameof(net))]
            public static float Loss(Net net, ReadOnlySpan<float> x, ReadOnlySpan<int> labels)
            {
                int batch = labels.Length;
                var h = new float[batch * 4];
                var logits = new float[batch * 2];
                Ops.Linear(x, net.Hidden.Weight, net.Hidden.Bias, h, new DiffGen.Layers.Linear(3, 4));
                Ops.Relu(h, h);
                Ops.MatMul(h, net.Readout.Value, logits, batch, 4, 2);
                return Ops.SoftmaxCrossEntropy(logits, labels, 2);
            }
        }
        """);

    // A collection of layers (issue #15): each leaf of the layers packed into one pooled vector with its layers' offsets,
    // the layer's elements read at offset + index through the plain IR; the gradient object's layers checked (count,
    // then each buffer naming its path), the packed gradient added into each layer's Grad before the return; IModel<T>
    // counts the layers at run time.
    [Fact]
    public void ArrayOfLayers() => Verify(nameof(ArrayOfLayers), """
        public sealed class Dense
        {
            public DiffGen.Optimization.Parameter<float> W = null!;
            public DiffGen.Optimization.Parameter<float> B = null!;
            public int In;
            public int Out;
        }

        public sealed partial class Deep
        {
            public float[] Scale = new float[1];
            public Dense[] Layers = System.Array.Empty<Dense>();

            [Differentiable(nameof(model))]
            public static float Loss(Deep model, ReadOnlySpan<float> x, int width)
            {
                var h = new float[width];
                var next = new float[width];
                for (int i = 0; i < x.Length; i++)
                {
                    h[i] = x[i];
                }

                foreach (Dense layer in model.Layers)
                {
                    int fanIn = layer.In;
                    for (int o = 0; o < layer.Out; o++)
                    {
                        float a = layer.B.Value[o];
                        for (int i = 0; i < fanIn; i++)
                        {
                            a += layer.W.Value[o * fanIn + i] * h[i];
                        }

                        next[o] = MathF.Max(a, 0);
                    }

                    for (int o = 0; o < layer.Out; o++)
                    {
                        h[o] = next[o];
                    }
                }

                return model.Scale[0] * h[0];
            }
        }
        """);

    private static void Verify(string test, string code)
    {
        TestCompiler.Result result = TestCompiler.Run(Usings + code);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilerErrorsAndWarnings);
        Assert.NotEmpty(result.Sources);

        string directory = RepositoryPaths.Combine("tests", "DiffGen.Generator.Tests", "Baselines", test);
        bool update = Environment.GetEnvironmentVariable("DIFFGEN_UPDATE_BASELINES") == "1";
        foreach ((string hint, string text) in result.Sources)
        {
            string actual = Scrub(text);
            string path = Path.Combine(directory, hint);
            if (update)
            {
                Directory.CreateDirectory(directory);
                File.WriteAllText(path, actual);
                continue;
            }

            Assert.True(File.Exists(path), $"Missing baseline {path}; run with DIFFGEN_UPDATE_BASELINES=1 and review it.");
            string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
            Assert.Equal(expected, actual);
        }

        if (!update)
        {
            string[] baselineFiles = Directory.GetFiles(directory).Select(Path.GetFileName).ToArray()!;
            Assert.Equal(baselineFiles.OrderBy(f => f), result.Sources.Select(s => s.HintName).OrderBy(f => f));
        }
    }

    private static string Scrub(string text) =>
        Regex.Replace(text.ReplaceLineEndings("\n"), "GeneratedCode\\(\"DiffGen\", \"[^\"]+\"\\)", "GeneratedCode(\"DiffGen\", \"VERSION\")").TrimStart('\uFEFF');
}
