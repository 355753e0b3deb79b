using System;
using DiffGen.Data;
using Xunit;

namespace DiffGen.Tests.Data;

public class DatasetTests
{
    internal static Dataset Numbered(int count, int featureCount, int classCount = 3)
    {
        // Row i holds i·100 + j, label i mod classCount: any row is recognisable.
        var features = new float[count * featureCount];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % classCount;
            for (int j = 0; j < featureCount; j++)
            {
                features[(i * featureCount) + j] = (i * 100) + j;
            }
        }

        return new Dataset(features, labels, featureCount, classCount);
    }

    [Fact]
    public void Constructor_ValidatesLengthsAndLabels()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dataset(new float[10], new int[3], 4));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("features has 10 values but labels.Length (3) × featureCount (4) = 12", e.Message);

        var label = Assert.Throws<ArgumentException>(() => new Dataset(new float[6], [0, 5, 1], 2, classCount: 5));
        Assert.Equal("labels", label.ParamName);
        Assert.Contains("labels[1] = 5 is outside [0, 5)", label.Message);
        Assert.Contains("labels[2] = -1", Assert.Throws<ArgumentException>(() => new Dataset(new float[6], [0, 1, -1], 2)).Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset(new float[6], new int[3], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset(new float[6], new int[3], 2, classCount: 0));
        Assert.Throws<ArgumentNullException>(() => new Dataset(null!, new int[3], 2));
    }

    [Fact]
    public void ClassCount_DefaultsToLargestLabelPlusOne()
    {
        Assert.Equal(8, new Dataset(new float[3], [2, 7, 0], 1).ClassCount);
        Assert.Equal(1, new Dataset([], [], 4).ClassCount);
        Assert.Equal(10, new Dataset(new float[3], [2, 7, 0], 1, classCount: 10).ClassCount);
    }

    [Fact]
    public void TakeAndSlice_AreViewsKeepingShapeAndClasses()
    {
        Dataset d = Numbered(10, 3, classCount: 4);
        Assert.Equal((10, 3, 4), (d.Count, d.FeatureCount, d.ClassCount));
        Assert.Equal(30, d.Features.Length);

        Dataset s = d.Slice(4, 5);
        Assert.Equal(5, s.Count);
        Assert.Equal(4, s.ClassCount);
        Assert.Equal([400f, 401f, 402f], s.GetFeatures(0).ToArray());
        Assert.Equal(4 % 4, s.GetLabel(0));
        Assert.Equal(400f, s.Features[0]);
        Assert.Equal(15, s.Features.Length);
        Assert.Equal([0, 1, 2, 3, 0], s.Labels.ToArray());

        Dataset ss = s.Slice(2, 2).Take(1);
        Assert.Equal(1, ss.Count);
        Assert.Equal(600f, ss.GetFeatures(0)[0]);
        Assert.Equal(3, d.Take(3).Count);
        Assert.Equal(0, d.Take(0).Count);
        Assert.Equal(0, d.Slice(10, 0).Count);

        Assert.Throws<ArgumentOutOfRangeException>(() => d.Take(11));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Slice(8, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Slice(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.GetFeatures(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.GetLabel(-1));
    }
}
