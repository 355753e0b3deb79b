using System;
using System.Linq;
using Xunit;

namespace DiffGen.Distributed.Tests.Mpi;

/// <summary>The communicator's collectives and the bucketed all-reduce on 2 and 3 ranks, and what a stalled or dead rank does to the job.</summary>
[Collection(MpiCollection.Name)]
public class CollectiveTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(240); // generous: a busy 2-core machine slows every collective

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Collectives_OddSizes_AllTypes_MatchClosedForms(int ranks)
    {
        using MpiRun run = MpiRun.Start(ranks, MpiRun.RankProgram, "collectives");
        Assert.True(run.WaitForExit(Limit) == 0, run.ToString());
        Assert.Equal(ranks, CountLines(run.Output, "collectives: 22489740 elements checked"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Buckets_MarkedOutOfOrder_EndAsTheMeanOverRanks(int ranks)
    {
        using MpiRun run = MpiRun.Start(ranks, MpiRun.RankProgram, "buckets");
        Assert.True(run.WaitForExit(Limit) == 0, run.ToString());
        Assert.Equal(ranks, CountLines(run.Output, $"every gradient is the mean over {ranks} ranks"));
    }

    [Fact]
    public void StalledRank_EveryRankEndsSoonAfterTheTimeout_WithAClearError()
    {
        using MpiRun run = MpiRun.Start(2, MpiRun.RankProgram, "stall", "3");
        int exit = run.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.True(exit > 0, run.ToString());
        Assert.Contains("rank 0 of 2: MPI_Allreduce of 3 float did not complete within 3 s", run.Error);
        Assert.DoesNotContain("unreachable", run.AllOutput);

        // The stalled rank sleeps 120 s; the job ended long before: the timeout plus start-up, not the sleep.
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(40), run.ToString());
    }

    [Fact]
    public void DeadRank_EndsTheJob_NamingTheRank()
    {
        using MpiRun run = MpiRun.Start(2, MpiRun.RankProgram, "die");
        int exit = run.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.True(exit != 0 && exit != -1, run.ToString());
        Assert.DoesNotContain("unreachable", run.AllOutput);
        Assert.Matches(@"(?s)Process name: \[\[\d+,\d+\],1\].*Exit code:\s+7", run.Error);
    }

    internal static int CountLines(string text, string fragment) =>
        text.Split('\n').Count(line => line.Contains(fragment, StringComparison.Ordinal));
}
