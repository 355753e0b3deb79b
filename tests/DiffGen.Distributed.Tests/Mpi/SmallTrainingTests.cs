using System;
using System.IO;
using System.Linq;
using DiffGen.Optimization;
using Xunit;

namespace DiffGen.Distributed.Tests.Mpi;

/// <summary>
/// Data-parallel training of <see cref="SmallModel"/> on MPI ranks against the same training in one process: bit for bit
/// when the shards are the same (2 ranks ≡ 2 threads; 2 ranks × 2 threads ≡ 4 threads), and within rounding of the
/// one-shard run (which groups the batch's sum differently).
/// </summary>
[Collection(MpiCollection.Name)]
public class SmallTrainingTests
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    public void Ranks_GiveTheBitsOfTheSameShardsOnThreads(int ranks, int threads)
    {
        byte[] distributed = TrainOnRanks(ranks, threads);
        byte[] local = Save(SmallModel.Train(SmallModel.Data(600, seed: 11), batch: 48, epochs: 4, seed: 5, ranks * threads, mpi: null));
        Assert.Equal(local, distributed);
    }

    [Fact]
    public void ThreeRanks_MatchOneShard_WithinRounding()
    {
        // Three ranks: Open MPI picks how the three sums are grouped, so the claim is closeness, not bits.
        var data = SmallModel.Data(600, seed: 11);
        var one = SmallModel.Train(data, batch: 48, epochs: 4, seed: 5, threads: 1, mpi: null);
        var three = new Parameters<float>();
        three.Add("w", SmallModel.Features * SmallModel.Classes);
        three.Add("b", SmallModel.Classes);
        three.Load(new MemoryStream(TrainOnRanks(3, 1)));

        // Tolerance: float rounding of a 48-row batch sum, grown over 48 momentum steps: parameters within 1e-4 of each
        // other (they are O(1)), the mean loss within 1e-5 relative. A wrong shard or a missing average fails by far more.
        Assert.All(Enumerable.Range(0, 2), p =>
            Assert.All(one[p].ValueArray.Zip(three[p].ValueArray), v => Assert.True(Math.Abs(v.First - v.Second) < 1e-4f, $"{one[p].Name}: {v.First} vs {v.Second}")));
        double l1 = SmallModel.MeanLoss(one, data), l3 = SmallModel.MeanLoss(three, data);
        Assert.True(Math.Abs(l1 - l3) < 1e-5 * l1, $"loss {l1} (1 shard) vs {l3} (3 ranks)");
        Assert.True(l1 < 0.9 * Math.Log(SmallModel.Classes), $"the model did not learn: loss {l1}");
    }

    private static byte[] TrainOnRanks(int ranks, int threads)
    {
        string file = Path.Combine(Path.GetTempPath(), $"diffgen-small-{Guid.NewGuid():N}.params");
        try
        {
            using MpiRun run = MpiRun.Start(ranks, MpiRun.RankProgram, "train-small", file, threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(run.WaitForExit(TimeSpan.FromSeconds(120)) == 0, run.ToString());
            return File.ReadAllBytes(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static byte[] Save(Parameters<float> parameters)
    {
        var stream = new MemoryStream();
        parameters.Save(stream);
        return stream.ToArray();
    }
}
