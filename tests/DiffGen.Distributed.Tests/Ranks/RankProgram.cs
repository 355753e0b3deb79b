using System;
using System.Globalization;
using System.Threading;

namespace DiffGen.Distributed.Tests.Ranks;

/// <summary>
/// What each rank runs when the tests start this assembly under mpirun: <c>dotnet DiffGen.Distributed.Tests.dll SCENARIO
/// [ARGS]</c>. A scenario checks its results on every rank and exits non-zero, saying why, when one is wrong.
/// </summary>
public static class RankProgram
{
    public static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        string scenario = args.Length > 0 ? args[0] : "(none)";
        using var mpi = MpiCommunicator.Initialize(TimeSpan.FromSeconds(60));
        try
        {
            string result = scenario switch
            {
                "collectives" => CollectiveScenarios.Run(mpi),
                "buckets" => BucketScenarios.Run(mpi),
                "train-small" => TrainSmall(mpi, args[1], int.Parse(args[2], CultureInfo.InvariantCulture)),
                "stall" => Stall(mpi, TimeSpan.FromSeconds(double.Parse(args[1], CultureInfo.InvariantCulture))),
                "die" => Die(mpi),
                _ => throw new ArgumentException($"unknown scenario '{scenario}'"),
            };
            Console.WriteLine($"rank {mpi.Rank}: {scenario}: {result}");
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"rank {mpi.Rank}: {scenario} FAILED: {e}");
            mpi.Abort($"{scenario} failed", 3);
            return 3;
        }
    }

    /// <summary>Trains <see cref="SmallModel"/> on every rank; rank 0 writes the parameters to <paramref name="output"/>.</summary>
    private static string TrainSmall(MpiCommunicator mpi, string output, int threads)
    {
        var parameters = SmallModel.Train(SmallModel.Data(600, seed: 11), batch: 48, epochs: 4, seed: 5, threads, mpi);
        if (mpi.IsRoot)
        {
            parameters.Save(output);
        }

        return $"trained on {mpi.Size} ranks × {threads} threads";
    }

    /// <summary>Rank 1 stops answering (sleeps far past the timeout) before an all-reduce that rank 0 waits for.</summary>
    private static string Stall(MpiCommunicator mpi, TimeSpan timeout)
    {
        Span<float> x = [1, 2, 3];
        mpi.AllReduce(x); // with the start-up timeout: the ranks may start seconds apart on a busy machine
        mpi.Timeout = timeout;
        Console.Error.WriteLine($"rank {mpi.Rank}: first all-reduce done");
        if (mpi.Rank == 1)
        {
            Thread.Sleep(TimeSpan.FromSeconds(120));
        }

        mpi.AllReduce(x);
        return "unreachable: the stalled all-reduce completed";
    }

    /// <summary>Rank 1 exits without finalising MPI, in the middle of the job.</summary>
    private static string Die(MpiCommunicator mpi)
    {
        Span<float> x = [1, 2, 3];
        mpi.AllReduce(x);
        if (mpi.Rank == 1)
        {
            Environment.Exit(7);
        }

        mpi.AllReduce(x);
        return "unreachable: an all-reduce with a dead rank completed";
    }
}
