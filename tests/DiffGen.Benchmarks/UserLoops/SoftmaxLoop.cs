using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// Softmax regression on one sample, written the way a newcomer writes it: a dot-product loop nested in the class loop,
/// the logits in a <c>stackalloc</c> buffer, the maximum subtracted before the exponentials.
/// </summary>
public static partial class SoftmaxLoop
{
    /// <summary>Cross-entropy of softmax(W·x + b) at <paramref name="label"/>; W is row-major [classes × features], read as W[k·features + j].</summary>
    [Differentiable(nameof(w), nameof(b))]
    [Differentiable(nameof(w), nameof(b), Name = "LossFastGradient", AllowReassociation = true)]
    public static float Loss(ReadOnlySpan<float> w, ReadOnlySpan<float> b, ReadOnlySpan<float> x, int label)
    {
        int classes = b.Length;
        int features = x.Length;
        Span<float> logits = stackalloc float[classes];
        for (int k = 0; k < classes; k++)
        {
            float s = b[k];
            for (int j = 0; j < features; j++)
            {
                s += w[k * features + j] * x[j];
            }

            logits[k] = s;
        }

        float max = logits[0];
        for (int k = 1; k < classes; k++)
        {
            if (logits[k] > max)
            {
                max = logits[k];
            }
        }

        float sum = 0;
        for (int k = 0; k < classes; k++)
        {
            sum += MathF.Exp(logits[k] - max);
        }

        return MathF.Log(sum) + max - logits[label];
    }
}
