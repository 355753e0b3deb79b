using System;

namespace DiffGen.Benchmarks.UserLoops;

/// <summary>
/// One LSTM cell step written with loops: the four gates' pre-activations by matrix-vector loops into a
/// <c>stackalloc</c> buffer, then the cell and hidden state unit by unit, and the squared error of the new hidden state.
/// </summary>
public static partial class LstmLoop
{
    /// <summary>
    /// Σⱼ (h'ⱼ − targetⱼ)² with z = W·x + U·h + b (W row-major [4H × inputs], U [4H × H], rows in gate order input,
    /// forget, cell, output), c' = σ(z_f)·c + σ(z_i)·tanh(z_g), h' = σ(z_o)·tanh(c').
    /// </summary>
    [Differentiable(nameof(w), nameof(u), nameof(b), nameof(x))]
    [Differentiable(nameof(w), nameof(u), nameof(b), nameof(x), Name = "LossFastGradient", AllowReassociation = true)]
    public static double Loss(
        ReadOnlySpan<double> w, ReadOnlySpan<double> u, ReadOnlySpan<double> b, ReadOnlySpan<double> x,
        ReadOnlySpan<double> h, ReadOnlySpan<double> c, ReadOnlySpan<double> target)
    {
        int hidden = h.Length;
        int inputs = x.Length;
        Span<double> gates = stackalloc double[4 * hidden];
        for (int r = 0; r < 4 * hidden; r++)
        {
            double z = b[r];
            for (int k = 0; k < inputs; k++)
            {
                z += w[r * inputs + k] * x[k];
            }

            for (int k = 0; k < hidden; k++)
            {
                z += u[r * hidden + k] * h[k];
            }

            gates[r] = z;
        }

        double loss = 0;
        for (int j = 0; j < hidden; j++)
        {
            double inputGate = 1 / (1 + Math.Exp(-gates[j]));
            double forgetGate = 1 / (1 + Math.Exp(-gates[hidden + j]));
            double candidate = Math.Tanh(gates[2 * hidden + j]);
            double outputGate = 1 / (1 + Math.Exp(-gates[3 * hidden + j]));
            double cellNew = forgetGate * c[j] + inputGate * candidate;
            double hiddenNew = outputGate * Math.Tanh(cellNew);
            double e = hiddenNew - target[j];
            loss += e * e;
        }

        return loss;
    }
}
