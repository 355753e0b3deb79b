using System;

namespace DiffGen.Data;

/// <summary>
/// The order in which an epoch visits a dataset: shared by <see cref="MiniBatchLoader"/> and
/// <see cref="ShardedBatchLoader"/>, so that the shards of a distributed run are exactly the single-process batches, cut.
/// </summary>
internal static class EpochOrder
{
    /// <summary>Resets <paramref name="order"/> to 0, 1, … and, when shuffling, permutes it (Fisher–Yates from <paramref name="random"/>).</summary>
    public static void Draw(int[] order, Random random, bool shuffle)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (!shuffle)
        {
            return;
        }

        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    /// <summary>Copies the rows <paramref name="order"/>[start..start+count) of <paramref name="dataset"/> into the buffers.</summary>
    public static void Gather(Dataset dataset, ReadOnlySpan<int> order, Span<float> features, Span<int> labels)
    {
        int featureCount = dataset.FeatureCount;
        ReadOnlySpan<float> source = dataset.Features;
        ReadOnlySpan<int> sourceLabels = dataset.Labels;
        for (int r = 0; r < order.Length; r++)
        {
            int sample = order[r];
            source.Slice(sample * featureCount, featureCount).CopyTo(features.Slice(r * featureCount, featureCount));
            labels[r] = sourceLabels[sample];
        }
    }
}
