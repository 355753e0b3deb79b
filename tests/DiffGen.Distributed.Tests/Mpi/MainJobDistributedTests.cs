using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using FashionMnist.Job;
using Xunit;

namespace DiffGen.Distributed.Tests.Mpi;

/// <summary>
/// The main job under <c>mpirun -np 2 … --distributed</c>: the same bits as the same two shards on two threads, the
/// accuracy of one process within a stated tolerance, and the faults — a killed rank, a hung rank, a resume that loses no
/// checkpointed step, a corrupt or truncated checkpoint.
/// </summary>
[Collection(MpiCollection.Name)]
public sealed class MainJobDistributedTests : IDisposable
{
    /// <summary>The uninterrupted 12-epoch run on 2 shards (on threads) that both fault tests must end equal to; made once.</summary>
    private static readonly Lazy<byte[]> Uninterrupted = new(() =>
    {
        string dir = Directory.CreateTempSubdirectory("diffgen-dist-ref-").FullName;
        try
        {
            Assert.Equal(0, MainJob.Run([.. JobArgs(dir, "ref", epochs: 12, seed: 7), "--threads", "2"]));
            return File.ReadAllBytes(Path.Combine(dir, "ref", "mlp.params"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    });

    private readonly string _root = Directory.CreateTempSubdirectory("diffgen-dist-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TwoRanks_GiveTheBitsOfTwoThreads_AndTheAccuracyOfOneProcess()
    {
        using MpiRun run = MpiRun.Start(2, MpiRun.MainJob, [.. Args("ranks", epochs: 3), "--distributed"]);
        Assert.True(run.WaitForExit(TimeSpan.FromSeconds(180)) == 0, run.ToString());
        Assert.Equal(0, MainJob.Run([.. Args("threads", epochs: 3), "--threads", "2"]));
        Assert.Equal(0, MainJob.Run(Args("plain", epochs: 3)));

        Assert.Equal(Params("threads"), Params("ranks"));
        Assert.Equal(Accuracy("threads"), Accuracy("ranks"));

        // One process sums each 64-row batch in one GEMM instead of two halves: float rounding apart, the same training.
        // Tolerance: 1 percentage point of test accuracy (measured: the two differ by ≤ 0.3 pp on these 1000 images).
        Assert.InRange(Accuracy("ranks"), Accuracy("plain") - 0.01, Accuracy("plain") + 0.01);
        Assert.True(Accuracy("plain") > 0.7, $"accuracy {Accuracy("plain")}");
    }

    [Fact]
    public void KilledRank_EndsTheJob_AndResumeFinishesWithTheBitsOfAnUninterruptedRun()
    {
        string[] job = [.. Args("a", epochs: 12), "--distributed", "--checkpoint-every", "10"];
        using (MpiRun run = MpiRun.Start(2, MpiRun.MainJob, job))
        {
            Dictionary<int, int> pids = WaitForCheckpointAndPids(run, "a");
            Process.GetProcessById(pids[1]).Kill();
            var killed = Stopwatch.StartNew();
            int exit = run.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.True(exit > 0, run.ToString());
            Assert.True(killed.Elapsed < TimeSpan.FromSeconds(30), $"the job took {killed.Elapsed} to end after rank 1 was killed");
            Assert.Contains("signal 9", run.Error);
            Assert.All(pids.Values, pid => Assert.False(Alive(pid), $"rank process {pid} outlived the job"));
        }

        using (MpiRun resumed = MpiRun.Start(2, MpiRun.MainJob, [.. job, "--resume"]))
        {
            Assert.True(resumed.WaitForExit(TimeSpan.FromSeconds(180)) == 0, resumed.ToString());
            Assert.Matches(@"Resumed from .*checkpoint\.dgck: epoch \d+, batch \d+, step \d+", resumed.Output);
        }

        Assert.Equal(Uninterrupted.Value, Params("a"));
        Assert.Equal(12, History("a"));
    }

    [Fact]
    public void HungRank_EveryRankEndsWithinTheTimeout_AndTheLastCheckpointStillResumes()
    {
        string[] job = [.. Args("hung", epochs: 12), "--distributed", "--checkpoint-every", "10", "--collective-timeout", "5"];
        int stopped = 0;
        try
        {
            using MpiRun run = MpiRun.Start(2, MpiRun.MainJob, job);
            stopped = WaitForCheckpointAndPids(run, "hung")[1];
            Signal("STOP", stopped);
            var clock = Stopwatch.StartNew();
            int exit = run.WaitForExit(TimeSpan.FromSeconds(90));
            Assert.True(exit > 0, run.ToString());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(35), $"the job took {clock.Elapsed} to end after rank 1 stopped (timeout 5 s)");
            Assert.Matches(@"rank 0 of 2: MPI_\w+ of .* did not complete within 5 s", run.Error);
        }
        finally
        {
            if (stopped != 0 && Alive(stopped))
            {
                Signal("KILL", stopped);
            }
        }

        // The checkpoint the failed job left is whole: a single process (same two shards, on threads) resumes from it and
        // ends with the bits of the uninterrupted run.
        Assert.Equal(0, MainJob.Run([.. Args("hung", epochs: 12), "--threads", "2", "--resume"]));
        Assert.Equal(12, History("hung"));
        Assert.Equal(Uninterrupted.Value, Params("hung"));
    }

    [Fact]
    public void CorruptTruncatedOrForeignCheckpoint_IsRefused_NamingIt()
    {
        Assert.Equal(0, MainJob.Run([.. Args("good", epochs: 1), "--checkpoint-every", "7"]));
        string good = Path.Combine(_root, "good", "checkpoint.dgck");
        byte[] bytes = File.ReadAllBytes(good);

        string truncated = Path.Combine(_root, "truncated.dgck");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        string flipped = Path.Combine(_root, "flipped.dgck");
        byte[] corrupt = (byte[])bytes.Clone();
        corrupt[corrupt.Length / 3] ^= 0x10;
        File.WriteAllBytes(flipped, corrupt);

        foreach ((string file, string why) in new[] { (truncated, "checksum mismatch"), (flipped, "checksum mismatch") })
        {
            (int exit, string error) = RunCapturingErrors([.. Args("resume", epochs: 1), "--resume", "--checkpoint", file]);
            Assert.Equal(1, exit);
            Assert.Contains($"Checkpoint '{file}' refused", error);
            Assert.Contains(why, error);
        }

        // A whole checkpoint of another run (seed 7, not 8) is refused too, saying which runs.
        (int other, string otherError) = RunCapturingErrors([.. Args("resume", epochs: 1, seed: 8), "--resume", "--checkpoint", good]);
        Assert.Equal(1, other);
        Assert.Contains($"Checkpoint '{good}' was written by another run (seed 7,", otherError);
    }

    [Fact]
    public void ShardsThatDoNotDivideTheBatch_AreAClearError()
    {
        (int exit, string error) = RunCapturingErrors([.. Args("odd", epochs: 1), "--threads", "3"]);
        Assert.Equal(1, exit);
        Assert.Contains("The batch of 64 does not split into 1 ranks × 3 threads = 3 equal shards", error);
    }

    private static (int Exit, string Error) RunCapturingErrors(string[] args)
    {
        var error = new StringWriter();
        TextWriter saved = Console.Error;
        Console.SetError(error);
        try
        {
            return (MainJob.Run(args), error.ToString());
        }
        finally
        {
            Console.SetError(saved);
        }
    }

    /// <summary>Waits until both ranks said their pids and rank 0 wrote a first checkpoint (so training is under way).</summary>
    private Dictionary<int, int> WaitForCheckpointAndPids(MpiRun run, string name)
    {
        string checkpoint = Path.Combine(_root, name, "checkpoint.dgck");
        Assert.True(run.WaitUntil(() => run.RankPids().Count == 2 && File.Exists(checkpoint), TimeSpan.FromSeconds(90)), "no checkpoint: " + run);
        return run.RankPids();
    }

    private static bool Alive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static void Signal(string signal, int pid)
    {
        using Process kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private static string[] JobArgs(string root, string name, int epochs, int seed) =>
    [
        "--data", Path.Combine(MpiRun.RepositoryRoot, "samples", "data", "fashion-mnist"), "--out", Path.Combine(root, name),
        "--train-limit", "3200", "--test-limit", "1000", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--skip-attacks", "--model", "mlp",
    ];

    private string[] Args(string name, int epochs, int seed = 7) => JobArgs(_root, name, epochs, seed);

    private byte[] Params(string name) => File.ReadAllBytes(Path.Combine(_root, name, "mlp.params"));

    private double Accuracy(string name) => Summary(name).GetProperty("testAccuracy").GetDouble();

    private int History(string name) => Summary(name).GetProperty("history").GetArrayLength();

    private JsonElement Summary(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, name, "summary.json"))).RootElement.Clone();
}
