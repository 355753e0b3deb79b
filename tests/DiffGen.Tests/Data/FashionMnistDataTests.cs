using System;
using System.IO;
using DiffGen.Data;
using Xunit;

namespace DiffGen.Tests.Data;

/// <summary>The Fashion-MNIST files committed in samples/data/fashion-mnist load with the expected shape.</summary>
public class FashionMnistDataTests
{
    [Theory]
    [InlineData("train", 60_000)]
    [InlineData("t10k", 10_000)]
    public void CommittedFiles_Load(string split, int expectedCount)
    {
        string folder = DataFolder();
        string images = Path.Combine(folder, $"{split}-images-idx3-ubyte.gz");
        string labels = Path.Combine(folder, $"{split}-labels-idx1-ubyte.gz");

        IdxImages raw = Idx.ReadImages(images);
        Assert.Equal((expectedCount, 28, 28), (raw.Count, raw.Rows, raw.Columns));

        Dataset d = Idx.LoadDataset(images, labels);
        Assert.Equal(expectedCount, d.Count);
        Assert.Equal(28 * 28, d.FeatureCount);
        Assert.Equal(10, d.ClassCount);
        Assert.Equal(0f, System.Numerics.Tensors.TensorPrimitives.Min(d.Features));
        Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Max(d.Features));

        // Fashion-MNIST is balanced: 6000 (train) or 1000 (test) items per class.
        int[] histogram = new int[10];
        foreach (int label in d.Labels)
        {
            histogram[label]++;
        }

        Assert.All(histogram, h => Assert.Equal(expectedCount / 10, h));
    }

    private static string DataFolder()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DiffGen.sln")))
        {
            dir = dir.Parent;
        }

        Assert.True(dir is not null, $"No directory containing DiffGen.sln above {AppContext.BaseDirectory}.");
        string folder = Path.Combine(dir!.FullName, "samples", "data", "fashion-mnist");
        Assert.True(Directory.Exists(folder), $"{folder} is missing: it is committed with the repository (see its README.md).");
        return folder;
    }
}
