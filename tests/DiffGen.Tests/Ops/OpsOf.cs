using System;
using System.Numerics;
using DiffGen.Layers;

namespace DiffGen.Tests.Ops;

/// <summary>
/// The float or double overloads of <see cref="DiffGen.Ops"/> as delegates over <typeparamref name="T"/>, so that
/// every test is written once and run for both element types.
/// </summary>
internal static class OpsOf<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static readonly Func<ReadOnlySpan<T>, ReadOnlySpan<T>, T> Dot = Pick<Func<ReadOnlySpan<T>, ReadOnlySpan<T>, T>>(
        new Func<ReadOnlySpan<float>, ReadOnlySpan<float>, float>(DiffGen.Ops.Dot),
        new Func<ReadOnlySpan<double>, ReadOnlySpan<double>, double>(DiffGen.Ops.Dot));

    public static readonly Action<ReadOnlySpan<T>, ReadOnlySpan<T>, T, Span<T>, Span<T>> DotPullback = Pick<Action<ReadOnlySpan<T>, ReadOnlySpan<T>, T, Span<T>, Span<T>>>(
        new Action<ReadOnlySpan<float>, ReadOnlySpan<float>, float, Span<float>, Span<float>>(DiffGen.Ops.DotPullback),
        new Action<ReadOnlySpan<double>, ReadOnlySpan<double>, double, Span<double>, Span<double>>(DiffGen.Ops.DotPullback));

    public static readonly Func<ReadOnlySpan<T>, T> Sum = Pick<Func<ReadOnlySpan<T>, T>>(
        new Func<ReadOnlySpan<float>, float>(DiffGen.Ops.Sum),
        new Func<ReadOnlySpan<double>, double>(DiffGen.Ops.Sum));

    public static readonly Action<ReadOnlySpan<T>, T, Span<T>> SumPullback = Pick<Action<ReadOnlySpan<T>, T, Span<T>>>(
        new Action<ReadOnlySpan<float>, float, Span<float>>(DiffGen.Ops.SumPullback),
        new Action<ReadOnlySpan<double>, double, Span<double>>(DiffGen.Ops.SumPullback));

    public static readonly Action<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, int, int> MatVec = Pick<Action<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, int, int>>(
        new Action<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, int, int>(DiffGen.Ops.MatVec),
        new Action<ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>, int, int>(DiffGen.Ops.MatVec));

    public static readonly Action<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, int, int, Span<T>, Span<T>, ReadOnlySpan<T>> MatVecPullback = Pick<Action<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, int, int, Span<T>, Span<T>, ReadOnlySpan<T>>>(
        new Action<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, int, int, Span<float>, Span<float>, ReadOnlySpan<float>>(DiffGen.Ops.MatVecPullback),
        new Action<ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>, int, int, Span<double>, Span<double>, ReadOnlySpan<double>>(DiffGen.Ops.MatVecPullback));

    public static readonly Action<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, int, int, int> MatMul = Pick<Action<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, int, int, int>>(
        new Action<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, int, int, int>(DiffGen.Ops.MatMul),
        new Action<ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>, int, int, int>(DiffGen.Ops.MatMul));

    public static readonly Action<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, int, int, int, Span<T>, Span<T>, ReadOnlySpan<T>> MatMulPullback = Pick<Action<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, int, int, int, Span<T>, Span<T>, ReadOnlySpan<T>>>(
        new Action<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, int, int, int, Span<float>, Span<float>, ReadOnlySpan<float>>(DiffGen.Ops.MatMulPullback),
        new Action<ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>, int, int, int, Span<double>, Span<double>, ReadOnlySpan<double>>(DiffGen.Ops.MatMulPullback));

    public static readonly Action<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>> AddBias = Pick<Action<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>>>(
        new Action<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>>(DiffGen.Ops.AddBias),
        new Action<ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>>(DiffGen.Ops.AddBias));

    public static readonly Action<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, Span<T>, Span<T>, ReadOnlySpan<T>> AddBiasPullback = Pick<Action<ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, Span<T>, Span<T>, ReadOnlySpan<T>>>(
        new Action<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, Span<float>, Span<float>, ReadOnlySpan<float>>(DiffGen.Ops.AddBiasPullback),
        new Action<ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>, Span<double>, Span<double>, ReadOnlySpan<double>>(DiffGen.Ops.AddBiasPullback));

    public static readonly Action<ReadOnlySpan<T>, Span<T>> Relu = Unary(DiffGen.Ops.Relu, DiffGen.Ops.Relu);

    public static readonly Action<ReadOnlySpan<T>, Span<T>, Span<T>, ReadOnlySpan<T>> ReluPullback = UnaryPullback(DiffGen.Ops.ReluPullback, DiffGen.Ops.ReluPullback);

    public static readonly Action<ReadOnlySpan<T>, Span<T>> Sigmoid = Unary(DiffGen.Ops.Sigmoid, DiffGen.Ops.Sigmoid);

    public static readonly Action<ReadOnlySpan<T>, Span<T>, Span<T>, ReadOnlySpan<T>> SigmoidPullback = UnaryPullback(DiffGen.Ops.SigmoidPullback, DiffGen.Ops.SigmoidPullback);

    public static readonly Action<ReadOnlySpan<T>, Span<T>> Tanh = Unary(DiffGen.Ops.Tanh, DiffGen.Ops.Tanh);

    public static readonly Action<ReadOnlySpan<T>, Span<T>, Span<T>, ReadOnlySpan<T>> TanhPullback = UnaryPullback(DiffGen.Ops.TanhPullback, DiffGen.Ops.TanhPullback);

    public static readonly Action<ReadOnlySpan<T>, Span<T>, int> Softmax = Pick<Action<ReadOnlySpan<T>, Span<T>, int>>(
        new Action<ReadOnlySpan<float>, Span<float>, int>(DiffGen.Ops.Softmax),
        new Action<ReadOnlySpan<double>, Span<double>, int>(DiffGen.Ops.Softmax));

    public static readonly Action<ReadOnlySpan<T>, Span<T>, int, Span<T>, ReadOnlySpan<T>> SoftmaxPullback = Pick<Action<ReadOnlySpan<T>, Span<T>, int, Span<T>, ReadOnlySpan<T>>>(
        new Action<ReadOnlySpan<float>, Span<float>, int, Span<float>, ReadOnlySpan<float>>(DiffGen.Ops.SoftmaxPullback),
        new Action<ReadOnlySpan<double>, Span<double>, int, Span<double>, ReadOnlySpan<double>>(DiffGen.Ops.SoftmaxPullback));

    public static readonly Func<ReadOnlySpan<T>, T> LogSumExp = Pick<Func<ReadOnlySpan<T>, T>>(
        new Func<ReadOnlySpan<float>, float>(DiffGen.Ops.LogSumExp),
        new Func<ReadOnlySpan<double>, double>(DiffGen.Ops.LogSumExp));

    public static readonly Action<ReadOnlySpan<T>, T, Span<T>> LogSumExpPullback = Pick<Action<ReadOnlySpan<T>, T, Span<T>>>(
        new Action<ReadOnlySpan<float>, float, Span<float>>(DiffGen.Ops.LogSumExpPullback),
        new Action<ReadOnlySpan<double>, double, Span<double>>(DiffGen.Ops.LogSumExpPullback));

    public static readonly Func<ReadOnlySpan<T>, ReadOnlySpan<int>, int, T> SoftmaxCrossEntropy = Pick<Func<ReadOnlySpan<T>, ReadOnlySpan<int>, int, T>>(
        new Func<ReadOnlySpan<float>, ReadOnlySpan<int>, int, float>(DiffGen.Ops.SoftmaxCrossEntropy),
        new Func<ReadOnlySpan<double>, ReadOnlySpan<int>, int, double>(DiffGen.Ops.SoftmaxCrossEntropy));

    public static readonly Action<ReadOnlySpan<T>, ReadOnlySpan<int>, int, T, Span<T>> SoftmaxCrossEntropyPullback = Pick<Action<ReadOnlySpan<T>, ReadOnlySpan<int>, int, T, Span<T>>>(
        new Action<ReadOnlySpan<float>, ReadOnlySpan<int>, int, float, Span<float>>(DiffGen.Ops.SoftmaxCrossEntropyPullback),
        new Action<ReadOnlySpan<double>, ReadOnlySpan<int>, int, double, Span<double>>(DiffGen.Ops.SoftmaxCrossEntropyPullback));

    public static readonly Func<ReadOnlySpan<T>, ReadOnlySpan<T>, T> Mse = Pick<Func<ReadOnlySpan<T>, ReadOnlySpan<T>, T>>(
        new Func<ReadOnlySpan<float>, ReadOnlySpan<float>, float>(DiffGen.Ops.Mse),
        new Func<ReadOnlySpan<double>, ReadOnlySpan<double>, double>(DiffGen.Ops.Mse));

    public static readonly Action<ReadOnlySpan<T>, ReadOnlySpan<T>, T, Span<T>, Span<T>> MsePullback = Pick<Action<ReadOnlySpan<T>, ReadOnlySpan<T>, T, Span<T>, Span<T>>>(
        new Action<ReadOnlySpan<float>, ReadOnlySpan<float>, float, Span<float>, Span<float>>(DiffGen.Ops.MsePullback),
        new Action<ReadOnlySpan<double>, ReadOnlySpan<double>, double, Span<double>, Span<double>>(DiffGen.Ops.MsePullback));

    public static readonly Action<ReadOnlySpan<T>, Span<int>, int> ArgMaxRows = Pick<Action<ReadOnlySpan<T>, Span<int>, int>>(
        new Action<ReadOnlySpan<float>, Span<int>, int>(DiffGen.Ops.ArgMaxRows),
        new Action<ReadOnlySpan<double>, Span<int>, int>(DiffGen.Ops.ArgMaxRows));

    public static readonly Action<ReadOnlySpan<T>, ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, Conv2D> Conv2D = Pick<Action<ReadOnlySpan<T>, ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, Conv2D>>(
        new Action<ReadOnlySpan<float>, ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, Conv2D>(DiffGen.Ops.Conv2D),
        new Action<ReadOnlySpan<double>, ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>, Conv2D>(DiffGen.Ops.Conv2D));

    public static readonly Conv2DPullbackOf Conv2DPullback = Pick<Conv2DPullbackOf>(
        new OpsOf<float>.Conv2DPullbackOf(DiffGen.Ops.Conv2DPullback), new OpsOf<double>.Conv2DPullbackOf(DiffGen.Ops.Conv2DPullback));

    public static readonly Action<ReadOnlySpan<T>, ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, Linear> Linear = Pick<Action<ReadOnlySpan<T>, ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, Linear>>(
        new Action<ReadOnlySpan<float>, ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, Linear>(DiffGen.Ops.Linear),
        new Action<ReadOnlySpan<double>, ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>, Linear>(DiffGen.Ops.Linear));

    public static readonly LinearPullbackOf LinearPullback = Pick<LinearPullbackOf>(
        new OpsOf<float>.LinearPullbackOf(DiffGen.Ops.LinearPullback), new OpsOf<double>.LinearPullbackOf(DiffGen.Ops.LinearPullback));

    public static readonly Action<ReadOnlySpan<T>, Span<T>, Pool2D> MaxPool2D = Pick<Action<ReadOnlySpan<T>, Span<T>, Pool2D>>(
        new Action<ReadOnlySpan<float>, Span<float>, Pool2D>(DiffGen.Ops.MaxPool2D), new Action<ReadOnlySpan<double>, Span<double>, Pool2D>(DiffGen.Ops.MaxPool2D));

    public static readonly Action<ReadOnlySpan<T>, Span<T>, Pool2D, Span<T>, ReadOnlySpan<T>> MaxPool2DPullback = Pick<Action<ReadOnlySpan<T>, Span<T>, Pool2D, Span<T>, ReadOnlySpan<T>>>(
        new Action<ReadOnlySpan<float>, Span<float>, Pool2D, Span<float>, ReadOnlySpan<float>>(DiffGen.Ops.MaxPool2DPullback),
        new Action<ReadOnlySpan<double>, Span<double>, Pool2D, Span<double>, ReadOnlySpan<double>>(DiffGen.Ops.MaxPool2DPullback));

    public static readonly Action<ReadOnlySpan<T>, Span<T>, Pool2D> AvgPool2D = Pick<Action<ReadOnlySpan<T>, Span<T>, Pool2D>>(
        new Action<ReadOnlySpan<float>, Span<float>, Pool2D>(DiffGen.Ops.AvgPool2D), new Action<ReadOnlySpan<double>, Span<double>, Pool2D>(DiffGen.Ops.AvgPool2D));

    public static readonly Action<ReadOnlySpan<T>, Span<T>, Pool2D, Span<T>, ReadOnlySpan<T>> AvgPool2DPullback = Pick<Action<ReadOnlySpan<T>, Span<T>, Pool2D, Span<T>, ReadOnlySpan<T>>>(
        new Action<ReadOnlySpan<float>, Span<float>, Pool2D, Span<float>, ReadOnlySpan<float>>(DiffGen.Ops.AvgPool2DPullback),
        new Action<ReadOnlySpan<double>, Span<double>, Pool2D, Span<double>, ReadOnlySpan<double>>(DiffGen.Ops.AvgPool2DPullback));

    public static readonly Action<ReadOnlySpan<T>, Span<T>> Gelu = Unary(DiffGen.Ops.Gelu, DiffGen.Ops.Gelu);

    public static readonly Action<ReadOnlySpan<T>, Span<T>, Span<T>, ReadOnlySpan<T>> GeluPullback = UnaryPullback(DiffGen.Ops.GeluPullback, DiffGen.Ops.GeluPullback);

    public static readonly Action<ReadOnlySpan<T>, Span<T>, Dropout> Dropout = Pick<Action<ReadOnlySpan<T>, Span<T>, Dropout>>(
        new Action<ReadOnlySpan<float>, Span<float>, Dropout>(DiffGen.Ops.Dropout), new Action<ReadOnlySpan<double>, Span<double>, Dropout>(DiffGen.Ops.Dropout));

    public static readonly Action<ReadOnlySpan<T>, Span<T>, Dropout, Span<T>, ReadOnlySpan<T>> DropoutPullback = Pick<Action<ReadOnlySpan<T>, Span<T>, Dropout, Span<T>, ReadOnlySpan<T>>>(
        new Action<ReadOnlySpan<float>, Span<float>, Dropout, Span<float>, ReadOnlySpan<float>>(DiffGen.Ops.DropoutPullback),
        new Action<ReadOnlySpan<double>, Span<double>, Dropout, Span<double>, ReadOnlySpan<double>>(DiffGen.Ops.DropoutPullback));

    /// <summary>Conv2DPullback's shape: (x, weight, bias, y, layer, dx, dweight, dbias, dy).</summary>
    public delegate void Conv2DPullbackOf(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Conv2D layer, Span<T> dx, Span<T> dweight, Span<T> dbias, ReadOnlySpan<T> dy);

    public static readonly Action<ReadOnlySpan<T>, ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, LayerNorm> LayerNorm = Pick<Action<ReadOnlySpan<T>, ReadOnlySpan<T>, ReadOnlySpan<T>, Span<T>, LayerNorm>>(
        new Action<ReadOnlySpan<float>, ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, LayerNorm>(DiffGen.Ops.LayerNorm),
        new Action<ReadOnlySpan<double>, ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>, LayerNorm>(DiffGen.Ops.LayerNorm));

    public static readonly LayerNormPullbackOf LayerNormPullback = Pick<LayerNormPullbackOf>(
        new OpsOf<float>.LayerNormPullbackOf(DiffGen.Ops.LayerNormPullback), new OpsOf<double>.LayerNormPullbackOf(DiffGen.Ops.LayerNormPullback));

    /// <summary>LayerNormPullback's shape.</summary>
    public delegate void LayerNormPullbackOf(ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y, LayerNorm norm, Span<T> dx, Span<T> dgamma, Span<T> dbeta, ReadOnlySpan<T> dy);

    /// <summary>LinearPullback's shape.</summary>
    public delegate void LinearPullbackOf(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Linear layer, Span<T> dx, Span<T> dweight, Span<T> dbias, ReadOnlySpan<T> dy);

    private static Action<ReadOnlySpan<T>, Span<T>> Unary(
        Action<ReadOnlySpan<float>, Span<float>> f, Action<ReadOnlySpan<double>, Span<double>> d) =>
        Pick<Action<ReadOnlySpan<T>, Span<T>>>(f, d);

    private static Action<ReadOnlySpan<T>, Span<T>, Span<T>, ReadOnlySpan<T>> UnaryPullback(
        Action<ReadOnlySpan<float>, Span<float>, Span<float>, ReadOnlySpan<float>> f,
        Action<ReadOnlySpan<double>, Span<double>, Span<double>, ReadOnlySpan<double>> d) =>
        Pick<Action<ReadOnlySpan<T>, Span<T>, Span<T>, ReadOnlySpan<T>>>(f, d);

    private static TDelegate Pick<TDelegate>(Delegate forFloat, Delegate forDouble)
        where TDelegate : Delegate =>
        typeof(T) == typeof(float) ? (TDelegate)forFloat
        : typeof(T) == typeof(double) ? (TDelegate)forDouble
        : throw new NotSupportedException(typeof(T).Name);
}
