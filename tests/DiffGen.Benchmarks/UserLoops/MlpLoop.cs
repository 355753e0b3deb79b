using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// A two-layer perceptron on one sample written with loops: a tanh hidden layer in a <c>stackalloc</c> buffer, then
/// softmax cross-entropy over the output layer's logits (another <c>stackalloc</c>), the maximum subtracted first.
/// </summary>
public static partial class MlpLoop
{
    /// <summary>
    /// Cross-entropy at <paramref name="label"/> of softmax(W2·tanh(W1·x + b1) + b2); W1 is row-major [hidden × inputs],
    /// W2 [classes × hidden].
    /// </summary>
    [Differentiable(nameof(w1), nameof(b1), nameof(w2), nameof(b2))]
    [Differentiable(nameof(w1), nameof(b1), nameof(w2), nameof(b2), Name = "LossFastGradient", AllowReassociation = true)]
    public static float Loss(
        ReadOnlySpan<float> w1, ReadOnlySpan<float> b1, ReadOnlySpan<float> w2, ReadOnlySpan<float> b2, ReadOnlySpan<float> x, int label)
    {
        int inputs = x.Length;
        int hidden = b1.Length;
        int classes = b2.Length;
        Span<float> h = stackalloc float[hidden];
        for (int i = 0; i < hidden; i++)
        {
            float z = b1[i];
            for (int j = 0; j < inputs; j++)
            {
                z += w1[i * inputs + j] * x[j];
            }

            h[i] = MathF.Tanh(z);
        }

        Span<float> logits = stackalloc float[classes];
        for (int k = 0; k < classes; k++)
        {
            float s = b2[k];
            for (int i = 0; i < hidden; i++)
            {
                s += w2[k * hidden + i] * h[i];
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
