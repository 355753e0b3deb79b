using System;
using DiffGen.Layers;
using DiffGen.Optimization;

namespace DiffGen.Benchmarks;

/// <summary>
/// The main job's CNN (<see cref="Functions.CnnLoss"/>: conv 3×3 32 → ReLU → max-pool 2 → conv 3×3 64 → ReLU → max-pool 2
/// → 3136→128 → ReLU → 128→10) with a batch of 64: parameters with their gradients, activations, the adjoint buffers the
/// hand-written backward pass uses, and that backward pass.
/// </summary>
public sealed class CnnFixture
{
    public const int Batch = 64;
    private static readonly Conv2D Conv1 = Functions.Conv1, Conv2 = Functions.Conv2;
    private static readonly Pool2D Pool1 = Functions.Pool1, Pool2 = Functions.Pool2;
    private static readonly Linear Fc1 = Functions.Fc1, Fc2 = Functions.Fc2;

    // Activations (the [Differentiable] loss's scratch arguments).
    private readonly float[] _c1 = new float[Batch * Conv1.OutputSize], _r1 = new float[Batch * Conv1.OutputSize], _p1 = new float[Batch * Pool1.OutputSize];
    private readonly float[] _c2 = new float[Batch * Conv2.OutputSize], _r2 = new float[Batch * Conv2.OutputSize], _p2 = new float[Batch * Pool2.OutputSize];
    private readonly float[] _f1 = new float[Batch * Fc1.OutFeatures], _h1 = new float[Batch * Fc1.OutFeatures], _logits = new float[Batch * Fc2.OutFeatures];

    // Adjoints of the activations, for the hand-written backward pass.
    private readonly float[] _dc1 = new float[Batch * Conv1.OutputSize], _dr1 = new float[Batch * Conv1.OutputSize], _dp1 = new float[Batch * Pool1.OutputSize];
    private readonly float[] _dc2 = new float[Batch * Conv2.OutputSize], _dr2 = new float[Batch * Conv2.OutputSize], _dp2 = new float[Batch * Pool2.OutputSize];
    private readonly float[] _df1 = new float[Batch * Fc1.OutFeatures], _dh1 = new float[Batch * Fc1.OutFeatures], _dlogits = new float[Batch * Fc2.OutFeatures];

    public CnnFixture(int seed)
    {
        var random = new Random(seed);
        Parameters = new Parameters<float>();
        Conv1W = Parameters.Add("conv1.weight", Conv1.WeightLength).InitKaimingUniform(random, Conv1.FanIn);
        Conv1B = Parameters.Add("conv1.bias", Conv1.BiasLength).InitUniform(random, -0.1, 0.1);
        Conv2W = Parameters.Add("conv2.weight", Conv2.WeightLength).InitKaimingUniform(random, Conv2.FanIn);
        Conv2B = Parameters.Add("conv2.bias", Conv2.BiasLength).InitUniform(random, -0.1, 0.1);
        Fc1W = Parameters.Add("fc1.weight", Fc1.WeightLength).InitKaimingUniform(random, Fc1.InFeatures);
        Fc1B = Parameters.Add("fc1.bias", Fc1.BiasLength).InitUniform(random, -0.1, 0.1);
        Fc2W = Parameters.Add("fc2.weight", Fc2.WeightLength).InitXavierUniform(random, Fc2.InFeatures, Fc2.OutFeatures);
        Fc2B = Parameters.Add("fc2.bias", Fc2.BiasLength).InitZeros();
        X = HandWritten.Fill<float>(random, Batch * Conv1.InputSize, 0, 1);
        Labels = HandWritten.Labels(random, Batch, Fc2.OutFeatures);
    }

    public Parameters<float> Parameters { get; }

    public Parameter<float> Conv1W { get; }

    public Parameter<float> Conv1B { get; }

    public Parameter<float> Conv2W { get; }

    public Parameter<float> Conv2B { get; }

    public Parameter<float> Fc1W { get; }

    public Parameter<float> Fc1B { get; }

    public Parameter<float> Fc2W { get; }

    public Parameter<float> Fc2B { get; }

    /// <summary>A batch of 64 images in [0, 1).</summary>
    public float[] X { get; }

    public int[] Labels { get; }

    /// <summary>The loss alone (the primal).</summary>
    public float Loss() =>
        Functions.CnnLoss(
            X, Labels, Conv1W.Value, Conv1B.Value, Conv2W.Value, Conv2B.Value, Fc1W.Value, Fc1B.Value, Fc2W.Value, Fc2B.Value,
            Conv1, Pool1, Conv2, Pool2, Fc1, Fc2, _c1, _r1, _p1, _c2, _r2, _p2, _f1, _h1, _logits);

    /// <summary>Loss and ∇θ added into the parameters' gradient buffers, by the generated method.</summary>
    public float GeneratedParameterGradient() =>
        Functions.CnnLossGradient(
            X, Labels, Conv1W.Value, Conv1B.Value, Conv2W.Value, Conv2B.Value, Fc1W.Value, Fc1B.Value, Fc2W.Value, Fc2B.Value,
            Conv1, Pool1, Conv2, Pool2, Fc1, Fc2, _c1, _r1, _p1, _c2, _r2, _p2, _f1, _h1, _logits,
            Conv1W.Grad, Conv1B.Grad, Conv2W.Grad, Conv2B.Grad, Fc1W.Grad, Fc1B.Grad, Fc2W.Grad, Fc2B.Grad);

    /// <summary>
    /// Loss and ∇θ by hand: the forward pass, then the pullbacks in reverse order, each adjoint buffer cleared just before
    /// the pullback that accumulates into it, and the first convolution's input adjoint not requested.
    /// </summary>
    public float HandWrittenParameterGradient()
    {
        Ops.Conv2D(X, Conv1W.Value, Conv1B.Value, _c1, Conv1);
        Ops.Relu(_c1, _r1);
        Ops.MaxPool2D(_r1, _p1, Pool1);
        Ops.Conv2D(_p1, Conv2W.Value, Conv2B.Value, _c2, Conv2);
        Ops.Relu(_c2, _r2);
        Ops.MaxPool2D(_r2, _p2, Pool2);
        Ops.Linear(_p2, Fc1W.Value, Fc1B.Value, _f1, Fc1);
        Ops.Relu(_f1, _h1);
        Ops.Linear(_h1, Fc2W.Value, Fc2B.Value, _logits, Fc2);
        float loss = Ops.SoftmaxCrossEntropy(_logits, Labels, Fc2.OutFeatures);

        Array.Clear(_dlogits);
        Ops.SoftmaxCrossEntropyPullback(_logits, Labels, Fc2.OutFeatures, 1f, _dlogits);
        Array.Clear(_dh1);
        Ops.LinearPullback(_h1, Fc2W.Value, Fc2B.Value, _logits, Fc2, _dh1, Fc2W.Grad, Fc2B.Grad, _dlogits);
        Array.Clear(_df1);
        Ops.ReluPullback(_f1, _h1, _df1, _dh1);
        Array.Clear(_dp2);
        Ops.LinearPullback(_p2, Fc1W.Value, Fc1B.Value, _f1, Fc1, _dp2, Fc1W.Grad, Fc1B.Grad, _df1);
        Array.Clear(_dr2);
        Ops.MaxPool2DPullback(_r2, _p2, Pool2, _dr2, _dp2);
        Array.Clear(_dc2);
        Ops.ReluPullback(_c2, _r2, _dc2, _dr2);
        Array.Clear(_dp1);
        Ops.Conv2DPullback(_p1, Conv2W.Value, Conv2B.Value, _c2, Conv2, _dp1, Conv2W.Grad, Conv2B.Grad, _dc2);
        Array.Clear(_dr1);
        Ops.MaxPool2DPullback(_r1, _p1, Pool1, _dr1, _dp1);
        Array.Clear(_dc1);
        Ops.ReluPullback(_c1, _r1, _dc1, _dr1);
        Ops.Conv2DPullback(X, Conv1W.Value, Conv1B.Value, _c1, Conv1, default, Conv1W.Grad, Conv1B.Grad, _dc1);
        return loss;
    }
}
