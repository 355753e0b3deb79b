using System;

namespace DiffGen.Tests.Adversarial;

/// <summary>
/// A softmax-regression classifier with a hand-written input gradient (what the generator will produce for
/// <c>[Differentiable(nameof(x))] MeanCrossEntropy(x, labels, W, b)</c>). Logits z = W·x + b with W row-major
/// <c>classes × features</c>; the loss is the mean cross-entropy over the batch (torch's F.cross_entropy default), so
/// ∇ₓ of row r is (1/rows)·Σ_c (softmax(z)_c − [c = y_r])·W_c. Float arithmetic like the float32 model it mirrors;
/// allocation-free after construction.
/// </summary>
internal sealed class SoftmaxRegression
{
    private readonly float[] _logits;

    public SoftmaxRegression(float[] weights, float[] bias)
    {
        if (weights.Length % bias.Length != 0)
        {
            throw new ArgumentException("weights must be classes × features", nameof(weights));
        }

        Weights = weights;
        Bias = bias;
        Classes = bias.Length;
        Features = weights.Length / bias.Length;
        _logits = new float[Classes];
    }

    public float[] Weights { get; }

    public float[] Bias { get; }

    public int Classes { get; }

    public int Features { get; }

    public static SoftmaxRegression Random(int features, int classes, Random random, float scale = 1f)
    {
        var w = new float[classes * features];
        var b = new float[classes];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = scale * ((2f * random.NextSingle()) - 1f);
        }

        for (int i = 0; i < b.Length; i++)
        {
            b[i] = 0.1f * ((2f * random.NextSingle()) - 1f);
        }

        return new SoftmaxRegression(w, b);
    }

    /// <summary>The <see cref="DiffGen.Adversarial.InputGradient"/>: returns the mean loss, adds ∇ₓ into gradient.</summary>
    public float InputGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, Span<float> gradient)
    {
        int rows = labels.Length;
        float loss = 0f;
        float inverseRows = 1f / rows;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = x.Slice(r * Features, Features);
            Span<float> g = gradient.Slice(r * Features, Features);
            float max = Logits(row);
            float sum = 0f;
            for (int c = 0; c < Classes; c++)
            {
                _logits[c] = MathF.Exp(_logits[c] - max);
                sum += _logits[c];
            }

            loss += MathF.Log(sum) + max - (MathF.Log(_logits[labels[r]]) + max);
            for (int c = 0; c < Classes; c++)
            {
                float coefficient = ((_logits[c] / sum) - (c == labels[r] ? 1f : 0f)) * inverseRows;
                for (int j = 0; j < Features; j++)
                {
                    g[j] += coefficient * Weights[(c * Features) + j];
                }
            }
        }

        return loss * inverseRows;
    }

    /// <summary>The <see cref="DiffGen.Adversarial.Classifier"/>: arg-max of the logits (first on ties).</summary>
    public void Classify(ReadOnlySpan<float> x, Span<int> predictions)
    {
        for (int r = 0; r < predictions.Length; r++)
        {
            Logits(x.Slice(r * Features, Features));
            int best = 0;
            for (int c = 1; c < Classes; c++)
            {
                if (_logits[c] > _logits[best])
                {
                    best = c;
                }
            }

            predictions[r] = best;
        }
    }

    /// <summary>Cross-entropy of one row for one label, in double (for property checks).</summary>
    public double RowLoss(ReadOnlySpan<float> row, int label)
    {
        Span<double> z = stackalloc double[Classes];
        double max = double.NegativeInfinity;
        for (int c = 0; c < Classes; c++)
        {
            double s = Bias[c];
            for (int j = 0; j < Features; j++)
            {
                s += (double)Weights[(c * Features) + j] * row[j];
            }

            z[c] = s;
            max = Math.Max(max, s);
        }

        double sum = 0;
        for (int c = 0; c < Classes; c++)
        {
            sum += Math.Exp(z[c] - max);
        }

        return Math.Log(sum) + max - z[label];
    }

    private float Logits(ReadOnlySpan<float> row)
    {
        float max = float.NegativeInfinity;
        for (int c = 0; c < Classes; c++)
        {
            float s = Bias[c];
            for (int j = 0; j < Features; j++)
            {
                s += Weights[(c * Features) + j] * row[j];
            }

            _logits[c] = s;
            max = Math.Max(max, s);
        }

        return max;
    }
}
