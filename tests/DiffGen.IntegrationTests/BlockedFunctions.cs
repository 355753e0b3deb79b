using System;
using DiffGen;

namespace DiffGen.IntegrationTests;

/// <summary>
/// Sliding windows (convolutions) whose gradient additions the generator runs a block of outputs at a time (see
/// docs/generator-internals.md, BlockInterchange), checked in BlockedTests.
/// </summary>
public static partial class BlockedFunctions
{
    /// <summary>A valid convolution, tanh and squared error: one fused loop, blocks going up.</summary>
    [Differentiable(nameof(kernel), nameof(signal))]
    [Differentiable(nameof(kernel), nameof(signal), Name = "ConvolutionReassociatedGradient", AllowReassociation = true)]
    public static double Convolution(ReadOnlySpan<double> kernel, ReadOnlySpan<double> signal, ReadOnlySpan<double> target)
    {
        double loss = 0;
        for (int t = 0; t < signal.Length - kernel.Length + 1; t++)
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

    /// <summary>With a bias (a scalar adjoint added to per output), the log of the loss: two sweeps, blocks going down.</summary>
    [Differentiable(nameof(kernel), nameof(signal), nameof(bias))]
    public static double LogLoss(double[] kernel, double[] signal, double bias)
    {
        double loss = 0;
        for (int t = 0; t < signal.Length - kernel.Length + 1; t++)
        {
            double y = bias;
            for (int k = 0; k < kernel.Length; k++)
            {
                y -= kernel[k] * signal[t + k];
            }

            double h = Math.Tanh(y);
            loss += h * h;
        }

        return Math.Log(1 + loss);
    }

    /// <summary>The tap weights a parameter times the tap's position: the scalar is added to by a sum over the block.</summary>
    [Differentiable(nameof(scale), nameof(signal))]
    public static double ScaledTaps(double scale, double[] signal, int taps)
    {
        double loss = 0;
        for (int t = 0; t < signal.Length - taps + 1; t++)
        {
            double y = 0;
            for (int k = 0; k < taps; k++)
            {
                y += scale * (k + 1) * signal[t + k];
            }

            loss += Math.Sin(y);
        }

        return loss;
    }

    /// <summary>Two layers of convolution through a hidden vector: the first layer's reverse waits for the second's.</summary>
    [Differentiable(nameof(w1), nameof(w2), nameof(x))]
    public static double TwoLayers(double[] w1, double[] w2, double[] x, double[] hidden)
    {
        int n1 = x.Length - w1.Length + 1;
        for (int t = 0; t < n1; t++)
        {
            double y = 0;
            for (int k = 0; k < w1.Length; k++)
            {
                y += w1[k] * x[t + k];
            }

            hidden[t] = Math.Tanh(y);
        }

        double loss = 0;
        for (int t = 0; t < n1 - w2.Length + 1; t++)
        {
            double y = 0;
            for (int k = 0; k < w2.Length; k++)
            {
                y += w2[k] * hidden[t + k];
            }

            loss += y * y;
        }

        return loss;
    }

    /// <summary>Two windows over one signal in one inner loop (t up to and including the last): two scalars kept per output, one destination shared.</summary>
    [Differentiable(nameof(a), nameof(b), nameof(s))]
    public static double TwoFilters(double[] a, double[] b, double[] s)
    {
        double loss = 0;
        for (int t = 0; t <= s.Length - a.Length; t++)
        {
            double y = 0;
            double z = 0;
            for (int k = 0; k < a.Length; k++)
            {
                y += a[k] * s[t + k];
                z += s[t + k] * b[k];
            }

            loss += Math.Tanh(y) * z;
        }

        return loss;
    }

    /// <summary>A signal correlated with itself (the kernel is its own head): one vector both destination and input.</summary>
    [Differentiable]
    public static double SelfCorrelation(double[] x, int taps)
    {
        double loss = 0;
        for (int t = 0; t < x.Length - taps + 1; t++)
        {
            double y = 0;
            for (int k = 0; k < taps; k++)
            {
                y += x[k] * x[t + k];
            }

            loss += y * y;
        }

        return loss;
    }

    /// <summary>In single precision, the product of three factors per tap (the additions stay per output).</summary>
    [Differentiable(nameof(kernel), nameof(signal))]
    public static float SquaredTaps(float[] kernel, float[] signal)
    {
        float loss = 0;
        for (int t = 0; t < signal.Length - kernel.Length + 1; t++)
        {
            float y = 0;
            for (int k = 0; k < kernel.Length; k++)
            {
                y += kernel[k] * signal[t + k] * signal[t + k];
            }

            loss += MathF.Tanh(y);
        }

        return loss;
    }

    /// <summary>In single precision, a plain convolution: float blocks.</summary>
    [Differentiable(nameof(kernel), nameof(signal))]
    public static float FloatConvolution(float[] kernel, float[] signal)
    {
        float loss = 0;
        for (int t = 0; t < signal.Length - kernel.Length + 1; t++)
        {
            float y = 0;
            for (int k = 0; k < kernel.Length; k++)
            {
                y += kernel[k] * signal[t + k];
            }

            loss += MathF.Tanh(y) * 0.5f;
        }

        return loss;
    }

    /// <summary>A convolution's activations as a vector result: its Jacobian rows each run the blocked reverse.</summary>
    [Differentiable(nameof(kernel), nameof(signal), Generate = Derivatives.Jacobian)]
    public static void Activations(ReadOnlySpan<double> kernel, ReadOnlySpan<double> signal, [Output] Span<double> y)
    {
        for (int t = 0; t < y.Length; t++)
        {
            double z = 0;
            for (int k = 0; k < kernel.Length; k++)
            {
                z += kernel[k] * signal[t + k];
            }

            y[t] = Math.Tanh(z);
        }
    }
}
