using System;
using System.IO;
using DiffGen.Distributed;

namespace FashionMnist.Job;

/// <summary>
/// This process's place in a scaled-out run: the MPI communicator when <c>--distributed</c> (null otherwise), its rank, and
/// whether it reports (rank 0 prints, writes checkpoints and outputs; the other ranks train silently).
/// </summary>
public sealed class ScaleOut : IDisposable
{
    private ScaleOut(MpiCommunicator? communicator) => Communicator = communicator;

    /// <summary>The timeout of the collectives before training starts (MPI start-up, data loading, the first broadcast).</summary>
    public static readonly TimeSpan StartUp = TimeSpan.FromMinutes(5);

    public MpiCommunicator? Communicator { get; }

    public int Rank => Communicator?.Rank ?? 0;

    public int Ranks => Communicator?.Size ?? 1;

    public bool IsReporter => Rank == 0;

    /// <summary>Joins the MPI job when asked to; every rank says its pid on standard error (operators, and the fault tests, use it).</summary>
    public static ScaleOut Start(ScaleOutOptions options)
    {
        if (!options.Distributed)
        {
            return new ScaleOut(null);
        }

        // Until training starts the ranks may be far apart (start-up, loading the data): allow at least StartUp then.
        var mpi = MpiCommunicator.Initialize(TimeSpan.FromSeconds(Math.Max(options.CollectiveTimeoutSeconds, StartUp.TotalSeconds)));
        Console.Error.WriteLine($"rank {mpi.Rank} of {mpi.Size}: pid {Environment.ProcessId} on {Environment.MachineName}");
        if (!mpi.IsRoot)
        {
            Console.SetOut(TextWriter.Null);
        }

        return new ScaleOut(mpi);
    }

    /// <summary>A failure on one rank ends every rank at once (instead of leaving the others waiting for the timeout).</summary>
    public void AbortOthers(string message)
    {
        if (Communicator is { Size: > 1 } mpi)
        {
            mpi.Abort(message);
        }
    }

    public void Dispose() => Communicator?.Dispose();
}
