using System;

namespace DiffGen.Benchmarks;

/// <summary>
/// The functions whose generated gradients the gradient benchmarks measure. Each is an ordinary [Differentiable] method;
/// the generator adds <c>…Gradient</c> (and, for the MLP, <c>MlpLossInputGradient</c>) to this class at compile time.
/// </summary>
public static partial class Functions
{
    /// <summary>Features, hidden widths and classes of the MLP (784 → 256 → 128 → 10), as in the FashionMnist sample.</summary>
    public const int Inputs = 784, Hidden1 = 256, Hidden2 = 128, Classes = 10;

    /// <summary>The 2-D Rosenbrock function (1 − x)² + 100(y − x²)².</summary>
    [Differentiable]
    public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

    /// <summary>Extended Rosenbrock: Σᵢ 100(x₂ᵢ₊₁ − x₂ᵢ²)² + (1 − x₂ᵢ)² over consecutive pairs (0-based), x.Length even.</summary>
    [Differentiable(Generate = Derivatives.Reverse | Derivatives.Forward | Derivatives.HessianVectorProduct)]
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

    /// <summary>The same sum written over the pairs with a stride of two, as the hand-written gradient walks them.</summary>
    [Differentiable]
    public static double ExtendedRosenbrockStepped(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i + 1 < x.Length; i += 2)
        {
            double a = x[i];
            double t = x[i + 1] - a * a;
            double u = 1 - a;
            sum += 100 * t * t + u * u;
        }

        return sum;
    }

    /// <summary>
    /// A squared hinge with a branch per element (margin m = yᵢ·wᵢ·xᵢ: (1 − m)² below 1, −0.1·m above), averaged; with
    /// respect to w. Its loop branches, which the generator fuses into one sweep with the decision kept in a local.
    /// </summary>
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

    /// <summary>
    /// Softmax regression: mean cross-entropy of softmax(x·W + b) over a batch (rows of x, 784 features, 10 classes).
    /// <paramref name="scores"/> and <paramref name="logits"/> are scratch the caller owns.
    /// </summary>
    [Differentiable(nameof(w), nameof(b))]
    public static float SoftmaxRegressionLoss(
        ReadOnlySpan<float> x, ReadOnlySpan<int> labels, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> scores, Span<float> logits)
    {
        int batch = labels.Length;
        Ops.MatMul(x, w, scores, batch, Inputs, Classes);
        Ops.AddBias(scores, b, logits);
        return Ops.SoftmaxCrossEntropy(logits, labels, Classes);
    }

    /// <summary>
    /// The FashionMnist sample's network: mean cross-entropy of W3ᵀ·relu(W2ᵀ·relu(W1ᵀ·x + c) + d), 784 → 256 → 128 → 10.
    /// Gradients with respect to θ (training) and to x (attacks); the spans after w3 are scratch the caller owns.
    /// </summary>
    [Differentiable(nameof(w1), nameof(c), nameof(w2), nameof(d), nameof(w3))]
    [Differentiable(nameof(x), Name = "MlpLossInputGradient")]
    public static float MlpLoss(
        ReadOnlySpan<float> x, ReadOnlySpan<int> labels,
        ReadOnlySpan<float> w1, ReadOnlySpan<float> c, ReadOnlySpan<float> w2, ReadOnlySpan<float> d, ReadOnlySpan<float> w3,
        Span<float> a1, Span<float> z1, Span<float> h1, Span<float> a2, Span<float> z2, Span<float> h2, Span<float> logits)
    {
        int batch = labels.Length;
        Ops.MatMul(x, w1, a1, batch, Inputs, Hidden1);
        Ops.AddBias(a1, c, z1);
        Ops.Relu(z1, h1);
        Ops.MatMul(h1, w2, a2, batch, Hidden1, Hidden2);
        Ops.AddBias(a2, d, z2);
        Ops.Relu(z2, h2);
        Ops.MatMul(h2, w3, logits, batch, Hidden2, Classes);
        return Ops.SoftmaxCrossEntropy(logits, labels, Classes);
    }
}
