using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Threading;
using DiffGen.Gemm;
using DiffGen.Optimization;

namespace DiffGen.Distributed;

/// <summary>
/// Data parallelism on the cores of one process: a batch's gradient computed as <see cref="Workers"/> shards, each on its
/// own thread into its own buffers, then reduced in a fixed order and added, averaged, into the parameters' gradients.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para><b>Deterministic.</b> The shards are combined by a fixed pairwise tree — ((g₀ + g₁) + (g₂ + g₃)) … — then scaled
/// by 1/<see cref="Workers"/>; every element is reduced by one thread in that order, so the same inputs give the same bits
/// whatever the thread timing. The tree is the one a 2-rank MPI sum continues (see <see cref="GradientAllReducer{T}"/>),
/// so a run's bits depend on the total number of shards, not on whether they are threads or ranks.</para>
/// <para><b>No allocation per step.</b> Buffers and threads are created once. The calling thread and
/// <see cref="Workers"/> − 1 dedicated threads claim the shards (then the pieces of the reduction) one at a time, so a
/// worker that is slow to wake on a busy machine costs no waiting: the caller takes its shard. A shard may therefore run on
/// any of the threads; its scratch must belong to the shard (<see cref="ShardGradients{T}.Shard"/>), not to a thread.</para>
/// <para><b>GEMM threads.</b> While they run a shard, the workers ask <c>Ops.MatMul</c> not to split a product onto its
/// helper thread: the shards already occupy the cores, and a shard's product is usually below the split threshold
/// anyway (docs/distributed.md has the measurements). With one worker nothing changes.</para>
/// </remarks>
public sealed class ParallelGradient<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][][] _buffers; // [shard][parameter][element]
    private readonly T[] _losses;
    private readonly Exception?[] _errors;
    private readonly (int Parameter, int Start, int Length)[] _chunks;
    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private ShardGradient<T>? _work;
    private Exception? _reduceError;
    private Phase _phase;
    private int _count;
    private long _generation;
    private long _claim; // generation << 32 | next item: a thread claims an item only of the phase it was woken for
    private int _done;
    private bool _disposed;

    /// <summary>Creates the workers and one set of gradient buffers per worker.</summary>
    /// <param name="parameters">The set whose gradients are computed; do not add parameters afterwards.</param>
    /// <param name="workers">The number of shards and threads, positive (usually the number of cores).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> is empty.</exception>
    public ParallelGradient(Parameters<T> parameters, int workers)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("The parameter set is empty: add the parameters first.", nameof(parameters));
        }

        Parameters = parameters;
        Workers = workers;
        _buffers = new T[workers][][];
        for (int w = 0; w < workers; w++)
        {
            _buffers[w] = new T[parameters.Count][];
            for (int p = 0; p < parameters.Count; p++)
            {
                _buffers[w][p] = new T[parameters[p].Length];
            }
        }

        _losses = new T[workers];
        _errors = new Exception?[workers];
        _chunks = Chunks(parameters);
        _threads = new Thread[workers - 1];
        for (int w = 1; w < workers; w++)
        {
            _threads[w - 1] = new Thread(WorkerLoop) { IsBackground = true, Name = $"DiffGen data-parallel worker {w}" };
            _threads[w - 1].Start();
        }
    }

    private enum Phase
    {
        Shards,
        Reduce,
        Stop,
    }

    /// <summary>The parameter set.</summary>
    public Parameters<T> Parameters { get; }

    /// <summary>Benchmark switch: let the workers' products split onto the GEMM helper thread too (off by default).</summary>
    internal bool SplitProductsOnWorkers { get; set; }

    /// <summary>The number of shards (and threads, the caller's included).</summary>
    public int Workers { get; }

    /// <summary>
    /// Runs <paramref name="shardGradient"/> once per shard, in parallel, each with its own zeroed buffers; then adds
    /// (g₀ + g₁ + …) / <see cref="Workers"/> — the pairwise sum in shard order — into each parameter's
    /// <see cref="Parameter{T}.Grad"/> (accumulating, as generated gradients do: zero them between steps).
    /// </summary>
    /// <param name="shardGradient">Computes one shard; called on several threads at once, so it must touch only that shard's
    /// rows, buffers and scratch (indexed by the shard, which may run on any thread). Cache the delegate: creating one per
    /// step allocates.</param>
    /// <returns>The mean of the shards' losses (their sum in shard order, divided by <see cref="Workers"/>).</returns>
    /// <exception cref="AggregateException">A shard threw; the parameters' gradients are unchanged then.</exception>
    public T Compute(ShardGradient<T> shardGradient)
    {
        ArgumentNullException.ThrowIfNull(shardGradient);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _work = shardGradient;
        RunPhase(Phase.Shards, Workers);
        _work = null;
        ThrowIfFailed();
        RunPhase(Phase.Reduce, _chunks.Length);
        if (_reduceError is Exception error)
        {
            _reduceError = null;
            throw new AggregateException("Reducing the shards' gradients failed.", error);
        }

        T loss = T.Zero;
        for (int w = 0; w < Workers; w++)
        {
            loss += _losses[w];
        }

        return loss / T.CreateTruncating(Workers);
    }

    /// <summary>The buffers of shard <paramref name="shard"/> as the last <see cref="Compute"/> left them (for inspection).</summary>
    /// <param name="shard">The shard, in [0, <see cref="Workers"/>).</param>
    /// <returns>The buffers.</returns>
    public ShardGradients<T> Shard(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)shard, (uint)Workers, nameof(shard));
        return new ShardGradients<T>(shard, _buffers[shard]);
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_gate)
        {
            _phase = Phase.Stop;
            _generation++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Adds the pairwise sum of the shards' buffers, scaled, into <paramref name="destination"/>, over one element range.</summary>
    internal static void ReducePairwise(T[][][] buffers, int parameter, int start, int length, T scale, Span<T> destination)
    {
        int shards = buffers.Length;
        for (int stride = 1; stride < shards; stride *= 2)
        {
            for (int s = 0; s + stride < shards; s += 2 * stride)
            {
                Span<T> left = buffers[s][parameter].AsSpan(start, length);
                TensorPrimitives.Add(left, buffers[s + stride][parameter].AsSpan(start, length), left);
            }
        }

        Span<T> target = destination.Slice(start, length);
        ReadOnlySpan<T> sum = buffers[0][parameter].AsSpan(start, length);
        if (scale == T.One)
        {
            TensorPrimitives.Add(target, sum, target);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(sum, scale, target, target);
        }
    }

    /// <summary>
    /// Runs items 0 … count − 1 of a phase (shards, or reduction chunks) on the calling thread and the workers. Items are
    /// claimed one at a time, so when a worker is slow to wake (a busy, shared machine) the caller takes its share instead
    /// of waiting for it; which buffer an item writes never depends on the thread, so neither do the results.
    /// </summary>
    private void RunPhase(Phase phase, int count)
    {
        if (Workers == 1)
        {
            for (int i = 0; i < count; i++)
            {
                Execute(phase, i);
            }

            return;
        }

        long generation;
        lock (_gate)
        {
            generation = ++_generation;
            _phase = phase;
            _count = count;
            _done = 0;
            Volatile.Write(ref _claim, generation << 32);
            Monitor.PulseAll(_gate);
        }

        Drain(generation, phase, count);

        // The last items may still be running on workers: spin a little (they end together), then sleep.
        for (int spin = 0; spin < 100 && Volatile.Read(ref _done) < count; spin++)
        {
            Thread.SpinWait(20);
        }

        lock (_gate)
        {
            while (_done < count)
            {
                Monitor.Wait(_gate);
            }
        }
    }

    private void Drain(long generation, Phase phase, int count)
    {
        while (true)
        {
            long claim = Volatile.Read(ref _claim);
            int item = (int)(claim & uint.MaxValue);
            if (claim >> 32 != generation || item >= count)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) != claim)
            {
                continue;
            }

            Execute(phase, item);
            if (Interlocked.Increment(ref _done) == count)
            {
                lock (_gate)
                {
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    private void WorkerLoop()
    {
        long seen = 0;
        while (true)
        {
            Phase phase;
            int count;
            lock (_gate)
            {
                while (_generation == seen)
                {
                    Monitor.Wait(_gate);
                }

                seen = _generation;
                phase = _phase;
                count = _count;
            }

            if (phase == Phase.Stop)
            {
                return;
            }

            Drain(seen, phase, count);
        }
    }

    private void Execute(Phase phase, int item)
    {
        bool serialBefore = GemmKernel.SerialOnThisThread;
        try
        {
            if (phase == Phase.Shards)
            {
                GemmKernel.SerialOnThisThread = (Workers > 1 && !SplitProductsOnWorkers) || serialBefore;
                T[][] buffers = _buffers[item];
                for (int p = 0; p < buffers.Length; p++)
                {
                    Array.Clear(buffers[p]);
                }

                _errors[item] = null;
                _losses[item] = _work!(new ShardGradients<T>(item, buffers));
            }
            else
            {
                (int parameter, int start, int length) = _chunks[item];
                ReducePairwise(_buffers, parameter, start, length, T.One / T.CreateTruncating(Workers), Parameters[parameter].Grad);
            }
        }
        catch (Exception ex) when (phase == Phase.Shards)
        {
            _errors[item] = ex;
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref _reduceError, ex, null);
        }
        finally
        {
            GemmKernel.SerialOnThisThread = serialBefore;
        }
    }

    /// <summary>The reduction's work items: each parameter in vector-aligned pieces of at most 16 Ki elements.</summary>
    private static (int Parameter, int Start, int Length)[] Chunks(Parameters<T> parameters)
    {
        const int Piece = 16 * 1024;
        var chunks = new System.Collections.Generic.List<(int, int, int)>();
        for (int p = 0; p < parameters.Count; p++)
        {
            for (int start = 0; start < parameters[p].Length; start += Piece)
            {
                chunks.Add((p, start, Math.Min(Piece, parameters[p].Length - start)));
            }
        }

        return [.. chunks];
    }

    private void ThrowIfFailed()
    {
        Exception? first = null;
        int failed = 0;
        foreach (Exception? error in _errors)
        {
            if (error is not null)
            {
                first ??= error;
                failed++;
            }
        }

        if (first is not null)
        {
            Array.Clear(_errors);
            throw new AggregateException($"{failed} of {Workers} shards failed; the parameters' gradients are unchanged.", first);
        }
    }
}
