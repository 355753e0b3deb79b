using System;
using DiffGen.Optimization;

namespace DiffGen.IntegrationTests;

/// <summary>A layer as users write it: its weights and biases in arrays, its sizes as ints (constants).</summary>
public sealed partial class DenseLayer
{
    public DenseLayer(int inputs, int outputs)
    {
        Inputs = inputs;
        Outputs = outputs;
        Weight = new double[inputs * outputs];
        Bias = new double[outputs];
    }

    public int Inputs { get; }

    public int Outputs { get; }

    public double[] Weight { get; }

    public double[] Bias { get; }
}

/// <summary>
/// θ as one value: a nested layer, a <see cref="Parameter{T}"/> read through <c>.Value</c>, a trained scalar-free model,
/// a [NoDerivative] scale and an int size. The loss allocates its scratch with <c>new</c>, calls a helper that takes
/// the layer, and loops.
/// </summary>
public sealed partial class TwoLayerModel
{
    public TwoLayerModel(Parameters<double> parameters, int inputs, int hidden)
    {
        Hidden = new DenseLayer(inputs, hidden);
        Readout = parameters.Add("readout", hidden);
    }

    public DenseLayer Hidden { get; }

    public Parameter<double> Readout;

    [NoDerivative]
    public double OutputScale = 0.5;

    [Differentiable(nameof(model), Generate = Derivatives.Reverse | Derivatives.Forward)]
    [Differentiable(nameof(model), nameof(x), Name = "LossModelAndInputGradient")]
    public static double Loss(TwoLayerModel model, double[] x, double target)
    {
        DenseLayer layer = model.Hidden;
        var h = new double[layer.Outputs];
        Forward(model.Hidden, x, h);
        double y = 0;
        for (int j = 0; j < h.Length; j++)
        {
            y += model.Readout.Value[j] * h[j];
        }

        double r = model.OutputScale * y - target;
        return r * r;
    }

    private static void Forward(DenseLayer layer, double[] x, double[] h)
    {
        for (int j = 0; j < layer.Outputs; j++)
        {
            double a = layer.Bias[j];
            for (int i = 0; i < layer.Inputs; i++)
            {
                a += layer.Weight[j * layer.Inputs + i] * x[i];
            }

            h[j] = Math.Tanh(a);
        }
    }
}

/// <summary>A struct model with scalar fields: its gradient argument is passed by ref.</summary>
public partial struct Line
{
    public double Slope;
    public double Intercept;

    [Differentiable(nameof(line), Generate = Derivatives.Reverse | Derivatives.Forward)]
    public static double SquaredError(Line line, double[] xs, double[] ys)
    {
        double sum = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double r = line.Slope * xs[i] + line.Intercept - ys[i];
            sum += r * r;
        }

        return sum / xs.Length;
    }

    /// <summary>A loss built from another [Differentiable] loss of the same model (inlined: its pullback takes no model gradient from here).</summary>
    [Differentiable(nameof(line))]
    public static double BothWays(Line line, double[] xs, double[] ys) => SquaredError(line, xs, ys) + (0.5 * SquaredError(line, ys, xs));
}

/// <summary>A model of Parameter&lt;float&gt;s only: it is its own gradient argument, and IModel&lt;float&gt; is generated.</summary>
public sealed partial class SoftmaxRegression
{
    public const int Features = 6;
    public const int Classes = 3;

    public SoftmaxRegression(Parameters<float> parameters)
    {
        Weight = parameters.Add("Weight", Features * Classes);
        Bias = parameters.Add("Bias", Classes);
    }

    public Parameter<float> Weight { get; }

    public Parameter<float> Bias { get; }

    [Differentiable(nameof(model), Generate = Derivatives.Reverse | Derivatives.PooledPrimal)]
    public static float Loss(SoftmaxRegression model, ReadOnlySpan<float> x, ReadOnlySpan<int> labels)
    {
        int batch = labels.Length;
        var z = new float[batch * Classes];
        Span<float> logits = stackalloc float[batch * Classes];
        Ops.MatMul(x, model.Weight.Value, z, batch, Features, Classes);
        Ops.AddBias(z, model.Bias.Value, logits);
        return Ops.SoftmaxCrossEntropy(logits, labels, Classes);
    }
}

/// <summary>A layer-normalised linear model with nested parameter structs: Ops.Linear, Ops.LayerNorm and a squared error.</summary>
public sealed partial class NormedLinear
{
    public static readonly DiffGen.Layers.Linear Fc = new(4, 6);
    public static readonly DiffGen.Layers.LayerNorm Norm = new(6);

    public double[] Weight = new double[Fc.WeightLength];
    public double[] Bias = new double[Fc.BiasLength];
    public NormScale Scale = new();

    [Differentiable(nameof(model))]
    public static double Loss(NormedLinear model, double[] x, double[] target)
    {
        int batch = x.Length / Fc.InFeatures;
        var z = new double[batch * Fc.OutFeatures];
        var y = new double[z.Length];
        Ops.Linear(x, model.Weight, model.Bias, z, Fc);
        Ops.LayerNorm(z, model.Scale.Gamma, model.Scale.Beta, y, Norm);
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double r = y[i] - target[i];
            sum += r * r;
        }

        return sum;
    }
}

/// <summary>LayerNorm's γ and β, a nested model type.</summary>
public sealed class NormScale
{
    public double[] Gamma = { 1.0, 0.5, -0.3, 2.0, 1.1, 0.9 };
    public double[] Beta = new double[6];
}

/// <summary>The loss as an instance method of the model (PyTorch's <c>forward</c> style): <c>[Differentiable("this")]</c>.</summary>
public sealed partial class TanhRegression
{
    public TanhRegression(Parameters<double> parameters, int features)
    {
        Weight = parameters.Add("Weight", features);
        Bias = parameters.Add("Bias", 1);
    }

    public Parameter<double> Weight { get; }

    public Parameter<double> Bias { get; }

    public int Features => Weight.Length;

    [Differentiable("this")]
    public double Loss(double[] x, double y)
    {
        double z = Bias.Value[0];
        for (int i = 0; i < Features; i++)
        {
            z += Weight.Value[i] * x[i];
        }

        double r = Math.Tanh(z) - y;
        return r * r;
    }
}

/// <summary>A struct whose instance method differentiates the struct itself: the gradient is a <c>ref</c> of its type.</summary>
public partial struct Damped
{
    public double Amplitude;
    public double Decay;
    public double Frequency;

    [Differentiable("this")]
    public double At(double t) => Amplitude * Math.Exp(-Decay * t) * Math.Cos(Frequency * t);
}
