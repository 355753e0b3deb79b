using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>A valid 1-D convolution (cross-correlation, as in deep learning) followed by tanh and a squared error, written with two nested loops.</summary>
public static partial class Conv1DLoop
{
    /// <summary>Σₜ (tanh(Σₖ kernel[k]·signal[t + k]) − target[t])² over the signal.Length − kernel.Length + 1 valid positions.</summary>
    [Differentiable(nameof(kernel), nameof(signal))]
    [Differentiable(nameof(kernel), nameof(signal), Name = "LossFastGradient", AllowReassociation = true)]
    public static double Loss(ReadOnlySpan<double> kernel, ReadOnlySpan<double> signal, ReadOnlySpan<double> target)
    {
        int outputs = signal.Length - kernel.Length + 1;
        double loss = 0;
        for (int t = 0; t < outputs; t++)
        {
            double y = 0;
            for (int k = 0; k < kernel.Length; k++)
            {
                y += kernel[k] * signal[t + k];
            }

            double e = Math.Tanh(y) - target[t];
            loss += e * e;
        }

        return loss;
    }
}
