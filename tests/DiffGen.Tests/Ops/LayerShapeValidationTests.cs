using System;
using DiffGen.Layers;
using Xunit;
using O = DiffGen.Ops;

namespace DiffGen.Tests.Ops;

/// <summary>The layer geometries reject impossible sizes, and the layer ops reject spans that do not fit them, naming the argument.</summary>
public class LayerShapeValidationTests
{
    private static readonly Conv2D Conv = new(2, 3, 3, 2, 5, 4, stride: 2, padding: 1); // output 3 × 3, 54 values per image
    private static readonly Pool2D Pool = new(2, 5, 4, 2);                               // output 2 × 2
    private static readonly Linear Fc = new(4, 3);

    [Fact]
    public void Geometry_IsChecked_AtConstruction()
    {
        Assert.Equal(3, Conv.OutputHeight);
        Assert.Equal(3, Conv.OutputWidth);
        Assert.Equal(3 * 2 * 3 * 2, Conv.WeightLength);
        Assert.Equal("inChannels", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(0, 1, 1, 1, 1, 1)).ParamName);
        Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(1, 1, 1, 1, 1, 1, stride: 0)).ParamName);
        Assert.Equal("padding", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(1, 1, 1, 1, 1, 1, padding: -1)).ParamName);
        Assert.Equal("inputWidth", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(1, 1, 1, 5, 8, 3, padding: 0)).ParamName);
        Assert.Equal(2, Pool.Stride); // stride 0 means the kernel size, as in PyTorch
        Assert.Equal("padding", Assert.Throws<ArgumentOutOfRangeException>(() => new Pool2D(1, 8, 8, 2, 2, padding: 2)).ParamName);
        Assert.Equal("outFeatures", Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(3, 0)).ParamName);
    }

    [Fact]
    public void Conv2D_Lengths()
    {
        int x = 2 * Conv.InputSize, w = Conv.WeightLength, y = 2 * Conv.OutputSize;
        AssertLengthError(() => O.Conv2D(new float[x + 1], new float[w], new float[3], new float[y], Conv), "x", x + 1, Conv.InputSize);
        AssertLengthError(() => O.Conv2D(new float[x], new float[w - 1], new float[3], new float[y], Conv), "weight", w - 1, w);
        AssertLengthError(() => O.Conv2D(new double[x], new double[w], new double[2], new double[y], Conv), "bias", 2, 3);
        AssertLengthError(() => O.Conv2D(new double[x], new double[w], new double[3], new double[y - 1], Conv), "y", y - 1, y);
        AssertLengthError(() => O.Conv2DPullback(new float[x], new float[w], new float[3], new float[y], Conv, new float[x - 1], new float[w], new float[3], new float[y]), "dx", x - 1, x);
        AssertLengthError(() => O.Conv2DPullback(new float[x], new float[w], new float[3], new float[y], Conv, default, new float[w + 1], default, new float[y]), "dweight", w + 1, w);
        AssertLengthError(() => O.Conv2DPullback(new double[x], new double[w], new double[3], new double[y], Conv, default, default, new double[4], new double[y]), "dbias", 4, 3);
        AssertLengthError(() => O.Conv2DPullback(new double[x], new double[w], new double[3], new double[y], Conv, default, default, default, new double[y + 1]), "dy", y + 1, y);
        Assert.Equal("layer", Assert.Throws<ArgumentException>(() => O.Conv2D(new float[4], new float[1], new float[1], new float[4], default)).ParamName);

        float[] shared = new float[x + y];
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => O.Conv2D(shared.AsSpan(0, x), new float[w], new float[3], shared.AsSpan(x - 1, y), Conv)).ParamName);
    }

    [Fact]
    public void Pool2D_Lengths()
    {
        int x = 3 * Pool.InputSize, y = 3 * Pool.OutputSize;
        AssertLengthError(() => O.MaxPool2D(new float[x - 2], new float[y], Pool), "x", x - 2, Pool.InputSize);
        AssertLengthError(() => O.AvgPool2D(new double[x], new double[y + 1], Pool), "y", y + 1, y);
        AssertLengthError(() => O.MaxPool2DPullback(new float[x], new float[y], Pool, new float[x + 1], new float[y]), "dx", x + 1, x);
        AssertLengthError(() => O.AvgPool2DPullback(new double[x], new double[y], Pool, new double[x], new double[y - 1]), "dy", y - 1, y);
        Assert.Equal("layer", Assert.Throws<ArgumentException>(() => O.MaxPool2D(new float[4], new float[1], default)).ParamName);
    }

    [Fact]
    public void Linear_Lengths()
    {
        AssertLengthError(() => O.Linear(new float[9], new float[12], new float[3], new float[6], Fc), "x", 9, 4);
        AssertLengthError(() => O.Linear(new float[8], new float[11], new float[3], new float[6], Fc), "weight", 11, 12);
        AssertLengthError(() => O.Linear(new double[8], new double[12], new double[3], new double[5], Fc), "y", 5, 6);
        AssertLengthError(() => O.LinearPullback(new float[8], new float[12], new float[3], new float[6], Fc, new float[8], new float[12], new float[2], new float[6]), "dbias", 2, 3);
        AssertLengthError(() => O.LinearPullback(new double[8], new double[12], new double[3], new double[6], Fc, new double[7], default, default, new double[6]), "dx", 7, 8);
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
