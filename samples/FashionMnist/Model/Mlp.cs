using System;
using DiffGen;
using DiffGen.Optimization;

namespace FashionMnist.Model;

/// <summary>
/// The lecture's network θ = (W1, c, W2, d, W3): x ↦ W3ᵀ·relu(W2ᵀ·relu(W1ᵀ·x + c) + d), 784 → 256 → 128 → 10,
/// and its loss: the mean softmax cross-entropy over a minibatch. θ is one value, this model; DiffGen generates two
/// gradients of the same function: with respect to θ (training moves θ) and with respect to x (an attack moves x).
/// </summary>
public sealed partial class Mlp
{
    public const int Inputs = 784;
    public const int Hidden1 = 256;
    public const int Hidden2 = 128;
    public const int Classes = 10;

    /// <summary>Binds θ to the parameters of <paramref name="parameters"/> named W1, c, W2, d and W3.</summary>
    public Mlp(Parameters<float> parameters)
    {
        W1 = parameters["W1"];
        C = parameters["c"];
        W2 = parameters["W2"];
        D = parameters["d"];
        W3 = parameters["W3"];
    }

    public Parameter<float> W1 { get; }

    public Parameter<float> C { get; }

    public Parameter<float> W2 { get; }

    public Parameter<float> D { get; }

    public Parameter<float> W3 { get; }

    /// <summary>Adds θ to <paramref name="parameters"/> (Kaiming-uniform weights for the ReLU layers, Xavier for the output, zero biases).</summary>
    public static Mlp Create(Parameters<float> parameters, Random random)
    {
        parameters.Add("W1", Inputs * Hidden1).InitKaimingUniform(random, Inputs);
        parameters.Add("c", Hidden1).InitZeros();
        parameters.Add("W2", Hidden1 * Hidden2).InitKaimingUniform(random, Hidden1);
        parameters.Add("d", Hidden2).InitZeros();
        parameters.Add("W3", Hidden2 * Classes).InitXavierUniform(random, Hidden2, Classes);
        return new Mlp(parameters);
    }

    /// <summary>Mean cross-entropy of a batch (rows of x, one label each).</summary>
    [Differentiable(nameof(model))]
    [Differentiable(nameof(x), Name = "LossInputGradient")]
    public static float Loss(Mlp model, ReadOnlySpan<float> x, ReadOnlySpan<int> labels)
    {
        int batch = labels.Length;
        var a1 = new float[batch * Hidden1];
        var z1 = new float[batch * Hidden1];
        var h1 = new float[batch * Hidden1];
        var a2 = new float[batch * Hidden2];
        var z2 = new float[batch * Hidden2];
        var h2 = new float[batch * Hidden2];
        var logits = new float[batch * Classes];
        Ops.MatMul(x, model.W1.Value, a1, batch, Inputs, Hidden1);
        Ops.AddBias(a1, model.C.Value, z1);
        Ops.Relu(z1, h1);
        Ops.MatMul(h1, model.W2.Value, a2, batch, Hidden1, Hidden2);
        Ops.AddBias(a2, model.D.Value, z2);
        Ops.Relu(z2, h2);
        Ops.MatMul(h2, model.W3.Value, logits, batch, Hidden2, Classes);
        return Ops.SoftmaxCrossEntropy(logits, labels, Classes);
    }

    /// <summary>The same forward pass without the loss: logits for each row of x (the scratch is the caller's, for evaluation loops).</summary>
    public static void Logits(
        Mlp model, ReadOnlySpan<float> x, int batch,
        Span<float> a1, Span<float> z1, Span<float> h1, Span<float> a2, Span<float> z2, Span<float> h2, Span<float> logits)
    {
        Ops.MatMul(x, model.W1.Value, a1, batch, Inputs, Hidden1);
        Ops.AddBias(a1, model.C.Value, z1);
        Ops.Relu(z1, h1);
        Ops.MatMul(h1, model.W2.Value, a2, batch, Hidden1, Hidden2);
        Ops.AddBias(a2, model.D.Value, z2);
        Ops.Relu(z2, h2);
        Ops.MatMul(h2, model.W3.Value, logits, batch, Hidden2, Classes);
    }
}
