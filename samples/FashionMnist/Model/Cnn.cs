using System;
using DiffGen;
using DiffGen.Layers;
using DiffGen.Optimization;

namespace FashionMnist.Model;

/// <summary>
/// A small convolutional network for 1 × 28 × 28 images, the PyTorch tutorial's shape:
/// conv 3×3 (32) → ReLU → max-pool 2 → conv 3×3 (64) → ReLU → max-pool 2 → flatten → linear 3136→128 → ReLU →
/// linear 128→10, and its loss, the mean softmax cross-entropy of a batch. As for <see cref="Mlp"/>, DiffGen generates
/// the gradient with respect to θ (training) and with respect to x (attacks) from the same function.
/// </summary>
public sealed partial class Cnn
{
    public static readonly Conv2D Conv1 = new(inChannels: 1, outChannels: 32, kernelHeight: 3, kernelWidth: 3, inputHeight: 28, inputWidth: 28, padding: 1);
    public static readonly Pool2D Pool1 = new(channels: 32, inputHeight: 28, inputWidth: 28, kernelSize: 2);
    public static readonly Conv2D Conv2 = new(inChannels: 32, outChannels: 64, kernelHeight: 3, kernelWidth: 3, inputHeight: 14, inputWidth: 14, padding: 1);
    public static readonly Pool2D Pool2 = new(channels: 64, inputHeight: 14, inputWidth: 14, kernelSize: 2);
    public static readonly Linear Fc1 = new(inFeatures: Pool2.OutputSize, outFeatures: 128);
    public static readonly Linear Fc2 = new(inFeatures: 128, outFeatures: Network.Classes);

    /// <summary>Binds θ to the parameters of <paramref name="parameters"/> named as PyTorch's state_dict (conv1.weight, …).</summary>
    public Cnn(Parameters<float> parameters)
    {
        Conv1W = parameters["conv1.weight"];
        Conv1B = parameters["conv1.bias"];
        Conv2W = parameters["conv2.weight"];
        Conv2B = parameters["conv2.bias"];
        Fc1W = parameters["fc1.weight"];
        Fc1B = parameters["fc1.bias"];
        Fc2W = parameters["fc2.weight"];
        Fc2B = parameters["fc2.bias"];
    }

    public Parameter<float> Conv1W { get; }

    public Parameter<float> Conv1B { get; }

    public Parameter<float> Conv2W { get; }

    public Parameter<float> Conv2B { get; }

    public Parameter<float> Fc1W { get; }

    public Parameter<float> Fc1B { get; }

    public Parameter<float> Fc2W { get; }

    public Parameter<float> Fc2B { get; }

    /// <summary>Adds θ to <paramref name="parameters"/>: Kaiming-uniform weights for the ReLU layers, Xavier for the output layer, zero biases.</summary>
    public static Cnn Create(Parameters<float> parameters, Random random)
    {
        parameters.Add("conv1.weight", Conv1.WeightLength).InitKaimingUniform(random, Conv1.FanIn);
        parameters.Add("conv1.bias", Conv1.BiasLength).InitZeros();
        parameters.Add("conv2.weight", Conv2.WeightLength).InitKaimingUniform(random, Conv2.FanIn);
        parameters.Add("conv2.bias", Conv2.BiasLength).InitZeros();
        parameters.Add("fc1.weight", Fc1.WeightLength).InitKaimingUniform(random, Fc1.InFeatures);
        parameters.Add("fc1.bias", Fc1.BiasLength).InitZeros();
        parameters.Add("fc2.weight", Fc2.WeightLength).InitXavierUniform(random, Fc2.InFeatures, Fc2.OutFeatures);
        parameters.Add("fc2.bias", Fc2.BiasLength).InitZeros();
        return new Cnn(parameters);
    }

    /// <summary>Mean cross-entropy of a batch (NCHW images, one label each).</summary>
    [Differentiable(nameof(model))]
    [Differentiable(nameof(x), Name = "LossInputGradient")]
    public static float Loss(Cnn model, ReadOnlySpan<float> x, ReadOnlySpan<int> labels)
    {
        int batch = labels.Length;
        var c1 = new float[batch * Conv1.OutputSize];
        var r1 = new float[batch * Conv1.OutputSize];
        var p1 = new float[batch * Pool1.OutputSize];
        var c2 = new float[batch * Conv2.OutputSize];
        var r2 = new float[batch * Conv2.OutputSize];
        var p2 = new float[batch * Pool2.OutputSize];
        var f1 = new float[batch * Fc1.OutFeatures];
        var h1 = new float[batch * Fc1.OutFeatures];
        var logits = new float[batch * Fc2.OutFeatures];
        Ops.Conv2D(x, model.Conv1W.Value, model.Conv1B.Value, c1, Conv1);   // 1×28×28 → 32×28×28
        Ops.Relu(c1, r1);
        Ops.MaxPool2D(r1, p1, Pool1);                                       // → 32×14×14
        Ops.Conv2D(p1, model.Conv2W.Value, model.Conv2B.Value, c2, Conv2);  // → 64×14×14
        Ops.Relu(c2, r2);
        Ops.MaxPool2D(r2, p2, Pool2);                                       // → 64×7×7; flattened (NCHW) it is the 3136-feature row fc1 reads
        Ops.Linear(p2, model.Fc1W.Value, model.Fc1B.Value, f1, Fc1);        // → 128
        Ops.Relu(f1, h1);
        Ops.Linear(h1, model.Fc2W.Value, model.Fc2B.Value, logits, Fc2);    // → 10
        return Ops.SoftmaxCrossEntropy(logits, labels, Network.Classes);
    }

    /// <summary>The same forward pass without the loss: logits for each image of x.</summary>
    public static void Logits(
        Cnn model, ReadOnlySpan<float> x,
        Span<float> c1, Span<float> r1, Span<float> p1, Span<float> c2, Span<float> r2, Span<float> p2, Span<float> f1, Span<float> h1, Span<float> logits)
    {
        Ops.Conv2D(x, model.Conv1W.Value, model.Conv1B.Value, c1, Conv1);
        Ops.Relu(c1, r1);
        Ops.MaxPool2D(r1, p1, Pool1);
        Ops.Conv2D(p1, model.Conv2W.Value, model.Conv2B.Value, c2, Conv2);
        Ops.Relu(c2, r2);
        Ops.MaxPool2D(r2, p2, Pool2);
        Ops.Linear(p2, model.Fc1W.Value, model.Fc1B.Value, f1, Fc1);
        Ops.Relu(f1, h1);
        Ops.Linear(h1, model.Fc2W.Value, model.Fc2B.Value, logits, Fc2);
    }
}
