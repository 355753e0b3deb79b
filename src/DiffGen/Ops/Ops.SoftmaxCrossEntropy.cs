using System;
using System.Numerics;
using System.Numerics.Tensors;
using DiffGen.Elementwise;

namespace DiffGen;

public static partial class Ops
{
    /// <summary>
    /// Mean softmax cross-entropy over a batch: <c>(1/rows) Σ_r −log softmax(logits[r])[labels[r]]</c>, with
    /// rows = <c>labels.Length</c>, each row computed stably as <c>logsumexp(row) − row[label]</c>.
    /// </summary>
    /// <param name="logits">Row-major logits, length <c>labels.Length · classes</c>.</param>
    /// <param name="labels">The class of each row, in <c>[0, classes)</c> (non-empty).</param>
    /// <param name="classes">Number of classes (row length, positive).</param>
    /// <returns>The mean loss.</returns>
    /// <exception cref="ArgumentException">The lengths do not match or the batch is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside <c>[0, classes)</c> (the message names the row), or <paramref name="classes"/> is not positive.</exception>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes) =>
        SoftmaxCrossEntropyCore(logits, labels, classes);

    /// <inheritdoc cref="SoftmaxCrossEntropy(ReadOnlySpan{float}, ReadOnlySpan{int}, int)"/>
    public static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<int> labels, int classes) =>
        SoftmaxCrossEntropyCore(logits, labels, classes);

    /// <summary>
    /// Pullback of <see cref="SoftmaxCrossEntropy(ReadOnlySpan{float}, ReadOnlySpan{int}, int)"/>:
    /// <c>dlogits[r] += seed · (softmax(logits[r]) − onehot(labels[r])) / rows</c>.
    /// </summary>
    /// <param name="logits">The primal's logits.</param>
    /// <param name="labels">The primal's labels.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="seed">Adjoint of the loss.</param>
    /// <param name="dlogits">Adjoint of <paramref name="logits"/>, accumulated into.</param>
    [DerivativeOf(typeof(Ops), nameof(SoftmaxCrossEntropy))]
    public static void SoftmaxCrossEntropyPullback(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, float seed, Span<float> dlogits) =>
        SoftmaxCrossEntropyPullbackCore(logits, labels, classes, seed, dlogits);

    /// <inheritdoc cref="SoftmaxCrossEntropyPullback(ReadOnlySpan{float}, ReadOnlySpan{int}, int, float, Span{float})"/>
    [DerivativeOf(typeof(Ops), nameof(SoftmaxCrossEntropy))]
    public static void SoftmaxCrossEntropyPullback(ReadOnlySpan<double> logits, ReadOnlySpan<int> labels, int classes, double seed, Span<double> dlogits) =>
        SoftmaxCrossEntropyPullbackCore(logits, labels, classes, seed, dlogits);

    private static void CheckCrossEntropyShapes(int logitsLength, ReadOnlySpan<int> labels, int classes)
    {
        CheckPositive(classes, nameof(classes));
        if (labels.IsEmpty)
        {
            throw new ArgumentException("labels is empty: the mean loss of an empty batch is undefined.", nameof(labels));
        }

        CheckProductLength(logitsLength, "logits", labels.Length, "labels.Length", classes, "classes");
        for (int r = 0; r < labels.Length; r++)
        {
            if ((uint)labels[r] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), labels[r], $"labels[{r}] (row {r}) is {labels[r]}, outside [0, {classes}).");
            }
        }
    }

    private static T SoftmaxCrossEntropyCore<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckCrossEntropyShapes(logits.Length, labels, classes);
        Span<T> e = Scratch<T>.Get(classes);
        T total = T.Zero;
        for (int r = 0; r < labels.Length; r++)
        {
            ReadOnlySpan<T> row = logits.Slice(r * classes, classes);
            T sum = ExpShifted(row, e, out T max);
            total += T.Log(sum) - (row[labels[r]] - max);
        }

        return total / T.CreateTruncating(labels.Length);
    }

    private static void SoftmaxCrossEntropyPullbackCore<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, int classes, T seed, Span<T> dlogits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckCrossEntropyShapes(logits.Length, labels, classes);
        CheckSameLength(logits.Length, nameof(logits), dlogits.Length, nameof(dlogits));
        T scale = seed / T.CreateTruncating(labels.Length);
        Span<T> e = Scratch<T>.Get(classes);
        for (int r = 0; r < labels.Length; r++)
        {
            Span<T> dRow = dlogits.Slice(r * classes, classes);
            T sum = ExpShifted(logits.Slice(r * classes, classes), e, out _);
            TensorPrimitives.MultiplyAdd(e, scale / sum, dRow, dRow);
            dRow[labels[r]] -= scale;
        }
    }
}
