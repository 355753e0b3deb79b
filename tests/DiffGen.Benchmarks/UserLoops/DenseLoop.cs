using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>One dense tanh layer and its squared error against a target, written with two nested loops.</summary>
public static partial class DenseLoop
{
    /// <summary>Σᵢ (tanh(bᵢ + Σⱼ W[i·inputs + j]·xⱼ) − targetᵢ)²; W is row-major [outputs × inputs].</summary>
    [Differentiable(nameof(w), nameof(b))]
    [Differentiable(nameof(w), nameof(b), Name = "LossFastGradient", AllowReassociation = true)]
    public static float Loss(ReadOnlySpan<float> w, ReadOnlySpan<float> b, ReadOnlySpan<float> x, ReadOnlySpan<float> target)
    {
        int outputs = b.Length;
        int inputs = x.Length;
        float loss = 0;
        for (int i = 0; i < outputs; i++)
        {
            float z = b[i];
            for (int j = 0; j < inputs; j++)
            {
                z += w[i * inputs + j] * x[j];
            }

            float e = MathF.Tanh(z) - target[i];
            loss += e * e;
        }

        return loss;
    }
}
