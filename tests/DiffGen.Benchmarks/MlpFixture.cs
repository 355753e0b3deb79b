using System;
using DiffGen.Optimization;

namespace DiffGen.Benchmarks;

/// <summary>
/// The MLP 784 → 256 → 128 → 10 (ReLU) of <see cref="Functions.MlpLoss"/> with a batch of 64: parameters with their
/// gradient buffers, activations, the adjoint buffers the hand-written backward passes use, and those backward passes.
/// </summary>
public sealed class MlpFixture
{
    public const int Batch = 64;
    private const int Inputs = Functions.Inputs, Hidden1 = Functions.Hidden1, Hidden2 = Functions.Hidden2, Classes = Functions.Classes;

    // Activations (the [Differentiable] loss's scratch arguments).
    private readonly float[] _a1 = new float[Batch * Hidden1], _z1 = new float[Batch * Hidden1], _h1 = new float[Batch * Hidden1];
    private readonly float[] _a2 = new float[Batch * Hidden2], _z2 = new float[Batch * Hidden2], _h2 = new float[Batch * Hidden2];
    private readonly float[] _logits = new float[Batch * Classes];

    // Adjoints of the activations, for the hand-written backward passes.
    private readonly float[] _dz1 = new float[Batch * Hidden1], _dh1 = new float[Batch * Hidden1];
    private readonly float[] _dz2 = new float[Batch * Hidden2], _dh2 = new float[Batch * Hidden2];
    private readonly float[] _dlogits = new float[Batch * Classes];

    public MlpFixture(int seed)
    {
        var random = new Random(seed);
        Parameters = new Parameters<float>();
        W1 = Parameters.Add("W1", Inputs * Hidden1).InitKaimingUniform(random, Inputs);
        C = Parameters.Add("c", Hidden1).InitZeros();
        W2 = Parameters.Add("W2", Hidden1 * Hidden2).InitKaimingUniform(random, Hidden1);
        D = Parameters.Add("d", Hidden2).InitZeros();
        W3 = Parameters.Add("W3", Hidden2 * Classes).InitXavierUniform(random, Hidden2, Classes);
        X = HandWritten.Fill<float>(random, Batch * Inputs, 0, 1);
        Labels = HandWritten.Labels(random, Batch, Classes);
    }

    public Parameters<float> Parameters { get; }

    public Parameter<float> W1 { get; }

    public Parameter<float> C { get; }

    public Parameter<float> W2 { get; }

    public Parameter<float> D { get; }

    public Parameter<float> W3 { get; }

    /// <summary>A batch of 64 inputs in [0, 1).</summary>
    public float[] X { get; }

    public int[] Labels { get; }

    /// <summary>The loss alone (the primal).</summary>
    public float Loss(ReadOnlySpan<float> x) =>
        Functions.MlpLoss(x, Labels, W1.Value, C.Value, W2.Value, D.Value, W3.Value, _a1, _z1, _h1, _a2, _z2, _h2, _logits);

    /// <summary>Loss and ∇θ added into the parameters' gradient buffers, by the generated method.</summary>
    public float GeneratedParameterGradient() =>
        Functions.MlpLossGradient(
            X, Labels, W1.Value, C.Value, W2.Value, D.Value, W3.Value, _a1, _z1, _h1, _a2, _z2, _h2, _logits,
            W1.Grad, C.Grad, W2.Grad, D.Grad, W3.Grad);

    /// <summary>Loss and ∇ₓ added into <paramref name="dx"/>, by the generated method (the attacks' delegate).</summary>
    public float GeneratedInputGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, Span<float> dx) =>
        Functions.MlpLossInputGradient(x, labels, W1.Value, C.Value, W2.Value, D.Value, W3.Value, _a1, _z1, _h1, _a2, _z2, _h2, _logits, dx);

    /// <summary>Loss and ∇θ added into the parameters' gradient buffers, by hand.</summary>
    public float HandWrittenParameterGradient() =>
        HandWrittenBackward(X, default, W1.Grad, C.Grad, W2.Grad, D.Grad, W3.Grad);

    /// <summary>Loss and ∇ₓ added into <paramref name="dx"/>, by hand.</summary>
    public float HandWrittenInputGradient(ReadOnlySpan<float> x, Span<float> dx) =>
        HandWrittenBackward(x, dx, default, default, default, default, default);

    /// <summary>
    /// The forward pass through the Ops, then their pullbacks in reverse order, as a person would write them: the
    /// adjoint buffers a pullback accumulates into are cleared just before it, AddBias's input adjoint (dx = dy) is not
    /// materialised (the output adjoint is passed on to MatMul's pullback), and an adjoint that is not wanted is passed
    /// empty so the kernel skips that product.
    /// </summary>
    private float HandWrittenBackward(ReadOnlySpan<float> x, Span<float> dx, Span<float> dw1, Span<float> dc, Span<float> dw2, Span<float> dd, Span<float> dw3)
    {
        ReadOnlySpan<float> w1 = W1.Value, c = C.Value, w2 = W2.Value, d = D.Value, w3 = W3.Value;
        Ops.MatMul(x, w1, _a1, Batch, Inputs, Hidden1);
        Ops.AddBias(_a1, c, _z1);
        Ops.Relu(_z1, _h1);
        Ops.MatMul(_h1, w2, _a2, Batch, Hidden1, Hidden2);
        Ops.AddBias(_a2, d, _z2);
        Ops.Relu(_z2, _h2);
        Ops.MatMul(_h2, w3, _logits, Batch, Hidden2, Classes);
        float loss = Ops.SoftmaxCrossEntropy(_logits, Labels, Classes);

        Array.Clear(_dlogits);
        Ops.SoftmaxCrossEntropyPullback(_logits, Labels, Classes, 1f, _dlogits);
        Array.Clear(_dh2);
        Ops.MatMulPullback(_h2, w3, _logits, Batch, Hidden2, Classes, _dh2, dw3, _dlogits);
        Array.Clear(_dz2);
        Ops.ReluPullback(_z2, _h2, _dz2, _dh2);
        Ops.AddBiasPullback(_a2, d, _z2, default, dd, _dz2);
        Array.Clear(_dh1);
        Ops.MatMulPullback(_h1, w2, _a2, Batch, Hidden1, Hidden2, _dh1, dw2, _dz2);
        Array.Clear(_dz1);
        Ops.ReluPullback(_z1, _h1, _dz1, _dh1);
        Ops.AddBiasPullback(_a1, c, _z1, default, dc, _dz1);
        Ops.MatMulPullback(x, w1, _a1, Batch, Inputs, Hidden1, dx, dw1, _dz1);
        return loss;
    }
}
