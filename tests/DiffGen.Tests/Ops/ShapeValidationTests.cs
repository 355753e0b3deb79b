using System;
using Xunit;
using O = DiffGen.Ops;

namespace DiffGen.Tests.Ops;

/// <summary>Every op rejects mismatched shapes with the parameter's name and both lengths in the message.</summary>
public class ShapeValidationTests
{
    [Fact]
    public void Dot_and_Sum()
    {
        AssertLengthError(() => O.Dot(new float[3], new float[4]), "y", 4, 3);
        AssertLengthError(() => O.Dot(new double[3], new double[2]), "y", 2, 3);
        AssertLengthError(() => O.DotPullback(new float[3], new float[3], 1f, new float[2], new float[3]), "dx", 2, 3);
        AssertLengthError(() => O.DotPullback(new double[3], new double[3], 1d, new double[3], new double[5]), "dy", 5, 3);
        AssertLengthError(() => O.SumPullback(new float[3], 1f, new float[2]), "dx", 2, 3);
    }

    [Fact]
    public void MatVec()
    {
        AssertLengthError(() => O.MatVec(new float[5], new float[3], new float[2], 2, 3), "a", 5, 6);
        AssertLengthError(() => O.MatVec(new float[6], new float[2], new float[2], 2, 3), "x", 2, 3);
        AssertLengthError(() => O.MatVec(new double[6], new double[3], new double[3], 2, 3), "y", 3, 2);
        AssertLengthError(() => O.MatVecPullback(new float[6], new float[3], new float[2], 2, 3, new float[7], new float[3], new float[2]), "da", 7, 6);
        AssertLengthError(() => O.MatVecPullback(new double[6], new double[3], new double[2], 2, 3, new double[6], new double[3], new double[1]), "dy", 1, 2);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => O.MatVec(new float[0], new float[3], new float[0], -1, 3)).ParamName);
    }

    [Fact]
    public void MatMul()
    {
        AssertLengthError(() => O.MatMul(new float[5], new float[12], new float[8], 2, 3, 4), "a", 5, 6);
        AssertLengthError(() => O.MatMul(new float[6], new float[11], new float[8], 2, 3, 4), "b", 11, 12);
        AssertLengthError(() => O.MatMul(new double[6], new double[12], new double[9], 2, 3, 4), "c", 9, 8);
        AssertLengthError(() => O.MatMulPullback(new float[6], new float[12], new float[8], 2, 3, 4, new float[5], new float[12], new float[8]), "da", 5, 6);
        AssertLengthError(() => O.MatMulPullback(new float[6], new float[12], new float[8], 2, 3, 4, new float[6], new float[13], new float[8]), "db", 13, 12);
        AssertLengthError(() => O.MatMulPullback(new double[6], new double[12], new double[8], 2, 3, 4, new double[6], new double[12], new double[7]), "dc", 7, 8);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => O.MatMul(new float[0], new float[0], new float[4], 2, -1, 2)).ParamName);

        // The output may not overlap an input (the kernel reads A and B while writing C).
        float[] shared = new float[16];
        ArgumentException overlap = Assert.Throws<ArgumentException>(() => O.MatMul(shared.AsSpan(0, 4), shared.AsSpan(4, 4), shared.AsSpan(2, 4), 2, 2, 2));
        Assert.Equal("c", overlap.ParamName);
    }

    [Fact]
    public void AddBias()
    {
        AssertLengthError(() => O.AddBias(new float[7], new float[3], new float[7]), "x", 7, 3);
        AssertLengthError(() => O.AddBias(new float[6], new float[3], new float[5]), "y", 5, 6);
        AssertLengthError(() => O.AddBias(new double[6], new double[0], new double[6]), "bias", 0);
        AssertLengthError(() => O.AddBiasPullback(new float[6], new float[3], new float[6], new float[6], new float[2], new float[6]), "dbias", 2, 3);
        AssertLengthError(() => O.AddBiasPullback(new double[6], new double[3], new double[6], new double[4], new double[3], new double[6]), "dx", 4, 6);
    }

    [Fact]
    public void Activations()
    {
        AssertLengthError(() => O.Relu(new float[3], new float[4]), "y", 4, 3);
        AssertLengthError(() => O.Sigmoid(new double[3], new double[2]), "y", 2, 3);
        AssertLengthError(() => O.Tanh(new float[3], new float[5]), "y", 5, 3);
        AssertLengthError(() => O.ReluPullback(new float[3], new float[3], new float[3], new float[2]), "dy", 2, 3);
        AssertLengthError(() => O.SigmoidPullback(new float[3], new float[3], new float[4], new float[3]), "dx", 4, 3);
        AssertLengthError(() => O.TanhPullback(new double[3], new double[1], new double[3], new double[3]), "y", 1, 3);
    }

    [Fact]
    public void Softmax_and_LogSumExp()
    {
        AssertLengthError(() => O.Softmax(new float[7], new float[7], 3), "x", 7, 3);
        AssertLengthError(() => O.Softmax(new double[6], new double[5], 3), "y", 5, 6);
        Assert.Equal("cols", Assert.Throws<ArgumentOutOfRangeException>(() => O.Softmax(new float[6], new float[6], 0)).ParamName);
        AssertLengthError(() => O.SoftmaxPullback(new float[6], new float[6], 3, new float[6], new float[3]), "dy", 3, 6);
        AssertLengthError(() => O.LogSumExpPullback(new float[4], 1f, new float[3]), "dx", 3, 4);
    }

    [Fact]
    public void SoftmaxCrossEntropy()
    {
        AssertLengthError(() => O.SoftmaxCrossEntropy(new float[7], new int[2], 3), "logits", 7, 6);
        AssertLengthError(() => O.SoftmaxCrossEntropy(new double[0], new int[0], 3), "labels");
        AssertLengthError(() => O.SoftmaxCrossEntropyPullback(new float[6], new int[2], 3, 1f, new float[5]), "dlogits", 5, 6);
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => O.SoftmaxCrossEntropy(new float[0], new int[2], 0)).ParamName);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void SoftmaxCrossEntropy_LabelOutOfRange_NamesTheRow(int badLabel)
    {
        int[] labels = [0, 2, badLabel, 1];
        foreach (Action act in new Action[]
        {
            () => O.SoftmaxCrossEntropy(new float[12], labels, 3),
            () => O.SoftmaxCrossEntropy(new double[12], labels, 3),
            () => O.SoftmaxCrossEntropyPullback(new float[12], labels, 3, 1f, new float[12]),
            () => O.SoftmaxCrossEntropyPullback(new double[12], labels, 3, 1d, new double[12]),
        })
        {
            ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(act);
            Assert.Equal("labels", ex.ParamName);
            Assert.Contains("row 2", ex.Message, StringComparison.Ordinal);
            Assert.Contains(badLabel.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Mse_and_ArgMaxRows()
    {
        AssertLengthError(() => O.Mse(new float[3], new float[4]), "target", 4, 3);
        AssertLengthError(() => O.Mse(new double[0], new double[0]), "prediction");
        AssertLengthError(() => O.MsePullback(new float[3], new float[3], 1f, new float[3], new float[2]), "dtarget", 2, 3);
        AssertLengthError(() => O.ArgMaxRows(new float[6], new int[3], 3), "result", 3, 2);
        AssertLengthError(() => O.ArgMaxRows(new double[7], new int[2], 3), "x", 7, 3);
    }

    /// <summary>Exactly <see cref="ArgumentException"/> (not a subclass), naming the parameter and quoting the lengths.</summary>
    private static void AssertLengthError(Action act, string parameter, params int[] lengthsInMessage)
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(act);
        Assert.Equal(parameter, ex.ParamName);
        foreach (int length in lengthsInMessage)
        {
            Assert.Contains(length.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        }
    }
}
