using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading;

namespace DiffGen.Distributed;

/// <summary>
/// The processes of an MPI job (<c>MPI_COMM_WORLD</c> of Open MPI): this process's <see cref="Rank"/> among
/// <see cref="Size"/>, and the collectives data-parallel training needs — broadcast, all-reduce, reduce, barrier — on spans,
/// in place, allocation-free.
/// </summary>
/// <remarks>
/// <para>Every MPI call runs on one background thread; callers wait for it with a deadline (<see cref="Timeout"/>). A
/// collective that does not complete in time means another rank died or hangs: the communicator then writes a message
/// naming the operation and the rank to standard error and ends the whole job with <c>MPI_Abort</c>, so no rank waits
/// forever. A rank that dies outright is noticed by <c>mpirun</c>, which ends the others.</para>
/// <para>Collectives must be issued in the same order on every rank (as in MPI). One communicator per process:
/// MPI cannot be initialised again after <see cref="Dispose"/>.</para>
/// </remarks>
public sealed unsafe class MpiCommunicator : IDisposable
{
    private static int s_created;

    private readonly OpenMpiLibrary _mpi;
    private readonly MpiThread _thread;
    private TimeSpan _timeout;
    private bool _disposed;

    private MpiCommunicator(OpenMpiLibrary mpi, TimeSpan timeout)
    {
        _mpi = mpi;
        _timeout = timeout;
        _thread = new MpiThread(mpi);
        int* world = stackalloc int[3]; // thread support, rank, size
        Run(new MpiThread.Operation(MpiThread.Kind.Init, world, 3, 0, "int", 0, 0, false));
        ThreadSupport = world[0];
        Rank = world[1];
        Size = world[2];
    }

    /// <summary>Whether this process was started by an MPI launcher (<c>mpirun</c>/<c>mpiexec</c> set its rank variables).</summary>
    public static bool IsLaunchedByMpi =>
        Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null || Environment.GetEnvironmentVariable("PMIX_RANK") is not null;

    /// <summary>This process's rank, in [0, <see cref="Size"/>).</summary>
    public int Rank { get; }

    /// <summary>The number of processes in the job.</summary>
    public int Size { get; }

    /// <summary>Whether this is rank 0, the one that writes checkpoints and reports.</summary>
    public bool IsRoot => Rank == 0;

    /// <summary>The thread support MPI granted (3 = <c>MPI_THREAD_MULTIPLE</c>, which <see cref="Abort"/> relies on).</summary>
    public int ThreadSupport { get; }

    /// <summary>How long any one operation may take before the job is aborted; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> waits forever.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive (and not infinite).</exception>
    public TimeSpan Timeout
    {
        get => _timeout;
        set => _timeout = CheckTimeout(value);
    }

    /// <summary>
    /// Initialises MPI (<c>MPI_Init_thread</c>, asking for <c>MPI_THREAD_MULTIPLE</c>) on a dedicated thread and returns
    /// the world communicator.
    /// </summary>
    /// <param name="timeout">How long any one operation may take before the job is aborted (see <see cref="Timeout"/>).</param>
    /// <returns>The communicator; dispose it at the end (<c>MPI_Finalize</c>).</returns>
    /// <exception cref="InvalidOperationException">A communicator was already created in this process.</exception>
    /// <exception cref="DllNotFoundException">Open MPI is not installed.</exception>
    /// <exception cref="MpiException">MPI could not be initialised.</exception>
    public static MpiCommunicator Initialize(TimeSpan timeout)
    {
        CheckTimeout(timeout);
        OpenMpiLibrary mpi = OpenMpiLibrary.Load();
        if (Interlocked.Exchange(ref s_created, 1) != 0)
        {
            throw new InvalidOperationException("MPI is already initialised in this process: create one MpiCommunicator and share it.");
        }

        return new MpiCommunicator(mpi, timeout);
    }

    /// <summary>Copies <paramref name="data"/> from rank <paramref name="root"/> into every other rank's <paramref name="data"/>.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="double"/>, <see cref="int"/>, <see cref="long"/> or <see cref="byte"/>.</typeparam>
    /// <param name="data">The same length on every rank.</param>
    /// <param name="root">The rank whose values are sent.</param>
    public void Broadcast<T>(Span<T> data, int root = 0)
        where T : unmanaged
    {
        CheckRoot(root);
        fixed (T* p = data)
        {
            Run(Operation<T>(MpiThread.Kind.Broadcast, p, data.Length, 0, root));
        }
    }

    /// <summary>Replaces <paramref name="data"/> on every rank by the element-wise combination of all ranks' values.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="double"/>, <see cref="int"/>, <see cref="long"/> or <see cref="byte"/>.</typeparam>
    /// <param name="data">The same length on every rank.</param>
    /// <param name="operation">How values are combined.</param>
    public void AllReduce<T>(Span<T> data, ReduceOperation operation = ReduceOperation.Sum)
        where T : unmanaged
    {
        fixed (T* p = data)
        {
            Run(Operation<T>(MpiThread.Kind.AllReduce, p, data.Length, Op(operation), 0));
        }
    }

    /// <summary>
    /// Combines every rank's <paramref name="data"/> element-wise into rank <paramref name="root"/>'s <paramref name="data"/>;
    /// the other ranks' spans are unchanged.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="double"/>, <see cref="int"/>, <see cref="long"/> or <see cref="byte"/>.</typeparam>
    /// <param name="data">The same length on every rank.</param>
    /// <param name="root">The rank that receives the result.</param>
    /// <param name="operation">How values are combined.</param>
    public void Reduce<T>(Span<T> data, int root = 0, ReduceOperation operation = ReduceOperation.Sum)
        where T : unmanaged
    {
        CheckRoot(root);
        fixed (T* p = data)
        {
            Run(Operation<T>(MpiThread.Kind.Reduce, p, data.Length, Op(operation), root));
        }
    }

    /// <summary>Waits until every rank has called it.</summary>
    public void Barrier() => Run(new MpiThread.Operation(MpiThread.Kind.Barrier, null, 0, 0, string.Empty, 0, 0, false));

    /// <summary>
    /// Writes <paramref name="message"/> (prefixed with this rank) to standard error and ends every process of the job
    /// (<c>MPI_Abort</c>); <c>mpirun</c> exits with <paramref name="errorCode"/>.
    /// </summary>
    /// <param name="message">Why.</param>
    /// <param name="errorCode">The exit code, not 0.</param>
    [DoesNotReturn]
    public void Abort(string message, int errorCode = 1)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"DiffGen.Distributed: rank {Rank} of {Size}: {message}");
        Console.Error.Flush();
        _mpi.Abort(_mpi.CommWorld, errorCode == 0 ? 1 : errorCode);
        Environment.Exit(errorCode == 0 ? 1 : errorCode); // MPI_Abort does not return; if it ever did, still end this rank
        throw new UnreachableException();
    }

    /// <summary>Finalises MPI (<c>MPI_Finalize</c>, which waits for the other ranks to finalise too).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Run(new MpiThread.Operation(MpiThread.Kind.Finalize, null, 0, 0, string.Empty, 0, 0, false), bounded: false);
    }

    /// <summary>Queues an operation on the MPI thread without waiting (the bucketed all-reduce overlaps them with work).</summary>
    internal long Post<T>(MpiThread.Kind kind, T* buffer, int count, ReduceOperation operation)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        MpiThread.Operation o = Operation<T>(kind, buffer, count, Op(operation), 0);
        if (!_thread.TryPost(in o, MpiThread.Deadline(_timeout), out long ticket))
        {
            TimedOut(o.Describe() + " (waiting for a free slot)");
        }

        return ticket;
    }

    /// <summary>Waits for a posted operation; aborts the job when it does not complete within <see cref="Timeout"/>.</summary>
    internal void Wait(long ticket, string what)
    {
        if (!_thread.TryWait(ticket, MpiThread.Deadline(_timeout)))
        {
            TimedOut(what);
        }

        if (_thread.Failure is string failure)
        {
            throw new MpiException($"rank {Rank} of {Size}: {failure}", _thread.FailedCode);
        }
    }

    private static TimeSpan CheckTimeout(TimeSpan timeout) =>
        timeout > TimeSpan.Zero || timeout == System.Threading.Timeout.InfiniteTimeSpan
            ? timeout
            : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive (or Timeout.InfiniteTimeSpan).");

    private void Run(in MpiThread.Operation operation, bool bounded = true)
    {
        ObjectDisposedException.ThrowIf(_disposed && operation.Kind != MpiThread.Kind.Finalize, this);
        long deadline = MpiThread.Deadline(bounded ? _timeout : System.Threading.Timeout.InfiniteTimeSpan);
        if (!_thread.TryPost(in operation, deadline, out long ticket) || !_thread.TryWait(ticket, deadline))
        {
            TimedOut(operation.Describe());
        }

        if (_thread.Failure is string failure)
        {
            throw new MpiException($"rank {Rank} of {Size}: {failure}", _thread.FailedCode);
        }
    }

    [DoesNotReturn]
    private void TimedOut(string what) =>
        Abort(string.Create(
            CultureInfo.InvariantCulture,
            $"{what} did not complete within {_timeout.TotalSeconds:G4} s: another rank died, hangs, or is slower than the timeout. Aborting every rank."));

    private MpiThread.Operation Operation<T>(MpiThread.Kind kind, T* buffer, int count, nint op, int root)
        where T : unmanaged =>
        new(kind, buffer, count, _mpi.Datatype<T>(), OpenMpiLibrary.TypeName<T>(), op, root, Rank == root);

    private nint Op(ReduceOperation operation) => operation switch
    {
        ReduceOperation.Sum => _mpi.Sum,
        ReduceOperation.Max => _mpi.Max,
        ReduceOperation.Min => _mpi.Min,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown reduce operation."),
    };

    private void CheckRoot(int root)
    {
        if ((uint)root >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(nameof(root), root, $"The root must be a rank in [0, {Size}).");
        }
    }

}
