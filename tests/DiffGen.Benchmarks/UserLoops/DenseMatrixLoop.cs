using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// <see cref="DenseLoop.Loss"/> written two more ways people write it: the weights as a <c>float[,]</c> matrix, and as
/// rows sliced out of the flat weights (<c>ReadOnlySpan&lt;float&gt; row = w.Slice(i * n, n)</c>). The same arithmetic in
/// the same order, so the same value bit for bit.
/// </summary>
public static partial class DenseMatrixLoop
{
    [Differentiable(nameof(w), nameof(b))]
    public static float Loss(float[,] w, ReadOnlySpan<float> b, ReadOnlySpan<float> x, ReadOnlySpan<float> target)
    {
        float loss = 0;
        for (int i = 0; i < w.GetLength(0); i++)
        {
            float z = b[i];
            for (int j = 0; j < w.GetLength(1); j++)
            {
                z += w[i, j] * x[j];
            }

            float e = MathF.Tanh(z) - target[i];
            loss += e * e;
        }

        return loss;
    }

    [Differentiable(nameof(w), nameof(b))]
    public static float RowsLoss(ReadOnlySpan<float> w, ReadOnlySpan<float> b, ReadOnlySpan<float> x, ReadOnlySpan<float> target)
    {
        float loss = 0;
        for (int i = 0; i < b.Length; i++)
        {
            ReadOnlySpan<float> row = w.Slice(i * x.Length, x.Length);
            float z = b[i];
            for (int j = 0; j < row.Length; j++)
            {
                z += row[j] * x[j];
            }

            float e = MathF.Tanh(z) - target[i];
            loss += e * e;
        }

        return loss;
    }
}
