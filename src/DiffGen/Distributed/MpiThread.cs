using System;
using System.Diagnostics;
using System.Threading;

namespace DiffGen.Distributed;

/// <summary>
/// The one thread that makes every MPI call of the process (Horovod's design): callers post operations into a fixed ring
/// and wait for them with a deadline, so a collective that never completes — a peer died or hangs — is noticed by the
/// caller, which can then abort the job, instead of blocking it forever inside MPI. Operations run in posting order, which
/// is also what MPI requires of collectives (every rank issues them in the same order). Posting and waiting allocate nothing.
/// </summary>
internal sealed unsafe class MpiThread
{
    private const int Capacity = 64;

    private readonly OpenMpiLibrary _mpi;
    private readonly Operation[] _ring = new Operation[Capacity];
    private readonly object _gate = new();
    private long _posted;
    private long _completed;
    private int _failedCode;
    private string? _failure;

    public MpiThread(OpenMpiLibrary mpi)
    {
        _mpi = mpi;
        new Thread(Loop) { IsBackground = true, Name = "DiffGen MPI" }.Start();
    }

    public enum Kind
    {
        Init,
        Finalize,
        Broadcast,
        AllReduce,
        Reduce,
        Barrier,
    }

    /// <summary>The first MPI error, as text; null while every call has succeeded.</summary>
    public string? Failure => Volatile.Read(ref _failure);

    /// <summary>The code of the first MPI error (0 while none).</summary>
    public int FailedCode => Volatile.Read(ref _failedCode);

    /// <summary>Queues an operation and returns its ticket; false when the ring stays full past the deadline.</summary>
    public bool TryPost(in Operation operation, long deadline, out long ticket)
    {
        lock (_gate)
        {
            while (_posted - _completed >= Capacity)
            {
                if (!WaitUntil(deadline))
                {
                    ticket = -1;
                    return false;
                }
            }

            ticket = _posted;
            _ring[ticket % Capacity] = operation;
            _posted++;
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>Waits until operation <paramref name="ticket"/> has run; false if the deadline passed first.</summary>
    public bool TryWait(long ticket, long deadline)
    {
        // Most waits end within microseconds of the call (small messages on a quiet network): spin briefly first.
        for (int spin = 0; spin < 100 && Volatile.Read(ref _completed) <= ticket; spin++)
        {
            Thread.SpinWait(30);
        }

        lock (_gate)
        {
            while (_completed <= ticket)
            {
                if (!WaitUntil(deadline))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>A deadline <paramref name="timeout"/> from now, in <see cref="Stopwatch"/> ticks.</summary>
    public static long Deadline(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);

    private bool WaitUntil(long deadline)
    {
        long remaining = deadline == long.MaxValue ? -1 : deadline - Stopwatch.GetTimestamp();
        if (deadline != long.MaxValue && remaining <= 0)
        {
            return false;
        }

        int milliseconds = remaining < 0 ? Timeout.Infinite : (int)Math.Clamp(remaining * 1000 / Stopwatch.Frequency + 1, 1, int.MaxValue);
        Monitor.Wait(_gate, milliseconds);
        return true;
    }

    private void Loop()
    {
        long next = 0;
        while (true)
        {
            Operation operation;
            lock (_gate)
            {
                while (next == _posted)
                {
                    Monitor.Wait(_gate);
                }

                operation = _ring[next % Capacity];
            }

            int code = Volatile.Read(ref _failure) is null ? Execute(in operation) : OpenMpiLibrary.Success;
            if (code != OpenMpiLibrary.Success && Interlocked.CompareExchange(ref _failure, $"{operation.Describe()} failed: {_mpi.Describe(code)}", null) is null)
            {
                Volatile.Write(ref _failedCode, code);
            }

            lock (_gate)
            {
                _completed = ++next;
                Monitor.PulseAll(_gate);
            }

            if (operation.Kind == Kind.Finalize)
            {
                return;
            }
        }
    }

    private int Execute(in Operation o)
    {
        nint world = _mpi.CommWorld;
        switch (o.Kind)
        {
            case Kind.Init:
                int provided = 0;
                int code = _mpi.InitThread(null, null, OpenMpiLibrary.ThreadMultiple, &provided);
                int* result = (int*)o.Receive; // thread support, rank, size
                result[0] = provided;
                // Errors come back as codes (then an exception and an orderly abort) instead of killing the job silently.
                return code != OpenMpiLibrary.Success ? code
                    : (code = _mpi.CommSetErrhandler(world, _mpi.ErrorsReturn)) != OpenMpiLibrary.Success ? code
                    : (code = _mpi.CommRank(world, &result[1])) != OpenMpiLibrary.Success ? code
                    : _mpi.CommSize(world, &result[2]);
            case Kind.Finalize:
                return _mpi.FinalizeMpi();
            case Kind.Broadcast:
                return _mpi.Bcast(o.Receive, o.Count, o.Datatype, o.Root, world);
            case Kind.AllReduce:
                return _mpi.Allreduce(OpenMpiLibrary.InPlace, o.Receive, o.Count, o.Datatype, o.Op, world);
            case Kind.Reduce:
                return o.IsRoot
                    ? _mpi.Reduce(OpenMpiLibrary.InPlace, o.Receive, o.Count, o.Datatype, o.Op, o.Root, world)
                    : _mpi.Reduce(o.Receive, null, o.Count, o.Datatype, o.Op, o.Root, world);
            default:
                return _mpi.Barrier(world);
        }
    }

    /// <summary>One MPI call: what, on which pinned buffer, how many elements of which type.</summary>
    internal readonly struct Operation(Kind kind, void* buffer, int count, nint datatype, string typeName, nint op, int root, bool isRoot)
    {
        public Kind Kind { get; } = kind;

        public void* Receive { get; } = buffer;

        public int Count { get; } = count;

        public nint Datatype { get; } = datatype;

        public string TypeName { get; } = typeName;

        public nint Op { get; } = op;

        public int Root { get; } = root;

        public bool IsRoot { get; } = isRoot;

        public string Describe() => Kind switch
        {
            Kind.Init => "MPI_Init_thread",
            Kind.Finalize => "MPI_Finalize",
            Kind.Barrier => "MPI_Barrier",
            Kind.Broadcast => $"MPI_Bcast of {Count} {TypeName} from rank {Root}",
            Kind.Reduce => $"MPI_Reduce of {Count} {TypeName} to rank {Root}",
            _ => $"MPI_Allreduce of {Count} {TypeName}",
        };
    }
}
