using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using DiffGen.Optimization;

namespace DiffGen.Distributed;

/// <summary>
/// Averages the parameters' gradients over the ranks of an MPI job (sum by all-reduce, then × 1/size), in buckets that
/// are sent as soon as their gradients are final, as PyTorch's DistributedDataParallel does.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para><b>Buckets.</b> Parameters are grouped in reverse order of the set (a backward pass finishes the last layer's
/// gradient first) into buckets of at most <see cref="BucketBytes"/>; a parameter larger than that is a bucket of its own
/// and is reduced in place, smaller ones are packed into one buffer per bucket (one MPI call instead of many small ones).</para>
/// <para><b>Overlap.</b> <see cref="MarkReady"/> hands a bucket to the communicator's MPI thread as soon as its last
/// parameter is marked, and returns: a model whose backward pass produces its gradients in stages can keep computing
/// while earlier buckets travel. <see cref="Finish"/> sends what is left and waits bucket by bucket, averaging each while
/// later ones are still on the wire. A generated gradient that is one call marks everything at once (<see cref="AllReduce"/>):
/// then only the averaging and copying overlap with the transfer.</para>
/// <para><b>Order.</b> With two ranks the sum is one IEEE addition, which is commutative, so every rank gets the same bits
/// as a single process summing the same two shards (<see cref="ParallelGradient{T}"/>). With more ranks the grouping of
/// the sum is Open MPI's choice: deterministic for a given rank count, message size and Open MPI version, equal to the
/// single-process sum within rounding.</para>
/// <para>No allocation per step; the gradient arrays are pinned for the reducer's lifetime.</para>
/// </remarks>
public sealed unsafe class GradientAllReducer<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The default bucket capacity, 1 MiB (PyTorch's first DDP bucket).</summary>
    public const int DefaultBucketBytes = 1 << 20;

    private readonly MpiCommunicator _communicator;
    private readonly Bucket[] _buckets;
    private readonly int[] _bucketOf;
    private readonly bool[] _ready;
    private readonly GCHandle[] _pins;
    private bool _disposed;

    /// <summary>Plans the buckets and pins the gradient buffers.</summary>
    /// <param name="communicator">The job's communicator.</param>
    /// <param name="parameters">The parameters whose gradients are averaged; do not add parameters afterwards.</param>
    /// <param name="bucketBytes">The bucket capacity in bytes, positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bucketBytes"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> is empty.</exception>
    public GradientAllReducer(MpiCommunicator communicator, Parameters<T> parameters, int bucketBytes = DefaultBucketBytes)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketBytes);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("The parameter set is empty: add the parameters first.", nameof(parameters));
        }

        _communicator = communicator;
        Parameters = parameters;
        BucketBytes = bucketBytes;
        _bucketOf = new int[parameters.Count];
        _ready = new bool[parameters.Count];
        _pins = new GCHandle[parameters.Count];
        for (int p = 0; p < parameters.Count; p++)
        {
            _pins[p] = GCHandle.Alloc(parameters[p].GradArray, GCHandleType.Pinned);
        }

        _buckets = Plan(parameters, bucketBytes / sizeof(T)).Select((members, i) => new Bucket(i, members)).ToArray();
        foreach (Bucket bucket in _buckets)
        {
            foreach (Parameter<T> p in bucket.Members)
            {
                _bucketOf[p.Index] = bucket.Index;
            }
        }
    }

    /// <summary>The parameter set.</summary>
    public Parameters<T> Parameters { get; }

    /// <summary>The bucket capacity in bytes.</summary>
    public int BucketBytes { get; }

    /// <summary>The parameters of each bucket, in the order the buckets are sent.</summary>
    public IReadOnlyList<IReadOnlyList<Parameter<T>>> Buckets => _buckets.Select(b => (IReadOnlyList<Parameter<T>>)b.Members).ToArray();

    /// <summary>Declares that <paramref name="parameter"/>'s gradient for this step is final; sends its bucket once complete.</summary>
    /// <param name="parameter">A parameter of the set, not yet marked this step.</param>
    /// <exception cref="InvalidOperationException">It was already marked since the last <see cref="Finish"/>.</exception>
    public void MarkReady(Parameter<T> parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_ready[parameter.Index])
        {
            throw new InvalidOperationException($"The gradient of '{parameter.Name}' was already marked ready in this step.");
        }

        _ready[parameter.Index] = true;
        Bucket bucket = _buckets[_bucketOf[parameter.Index]];
        if (--bucket.Remaining == 0)
        {
            Send(bucket);
        }
    }

    /// <summary>
    /// Sends every bucket not sent yet, waits for all of them, and leaves in every parameter's gradient the average over
    /// the ranks (sum × 1/size). Every rank must call it once per step.
    /// </summary>
    public void Finish()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (Bucket bucket in _buckets)
        {
            if (bucket.Ticket < 0)
            {
                bucket.Remaining = 0;
                Send(bucket);
            }
        }

        T scale = T.One / T.CreateTruncating(_communicator.Size);
        foreach (Bucket bucket in _buckets)
        {
            if (_communicator.Size > 1)
            {
                _communicator.Wait(bucket.Ticket, bucket.Description);
            }

            bucket.Unpack(scale);
            bucket.Ticket = -1;
            bucket.Remaining = bucket.Members.Length;
        }

        Array.Clear(_ready);
    }

    /// <summary>All gradients are final now: <see cref="Finish"/> without earlier <see cref="MarkReady"/> calls.</summary>
    public void AllReduce() => Finish();

    /// <summary>Unpins the gradient buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (GCHandle pin in _pins)
        {
            pin.Free();
        }
    }

    /// <summary>Greedy packing in reverse parameter order; a parameter of at least the capacity is alone.</summary>
    internal static List<Parameter<T>[]> Plan(Parameters<T> parameters, int capacity)
    {
        var buckets = new List<Parameter<T>[]>();
        var current = new List<Parameter<T>>();
        long filled = 0;
        for (int p = parameters.Count - 1; p >= 0; p--)
        {
            Parameter<T> parameter = parameters[p];
            if (current.Count > 0 && filled + parameter.Length > capacity)
            {
                buckets.Add([.. current]);
                current.Clear();
                filled = 0;
            }

            current.Add(parameter);
            filled += parameter.Length;
        }

        buckets.Add([.. current]);
        return buckets;
    }

    private void Send(Bucket bucket)
    {
        bucket.Pack();
        bucket.Ticket = _communicator.Size > 1 ? _communicator.Post(MpiThread.Kind.AllReduce, bucket.Pointer, bucket.Length, ReduceOperation.Sum) : 0;
    }

    /// <summary>One bucket: its parameters, and either a packed buffer (several) or the one parameter's pinned gradient.</summary>
    private sealed class Bucket
    {
        private readonly T[]? _packed;

        public Bucket(int index, Parameter<T>[] members)
        {
            Index = index;
            Members = members;
            Length = members.Sum(p => p.Length);
            Remaining = members.Length;
            if (members.Length > 1)
            {
                _packed = GC.AllocateArray<T>(Length, pinned: true);
            }

            T[] storage = _packed ?? members[0].GradArray;
            fixed (T* p = storage)
            {
                Pointer = p; // the array is pinned (pinned heap, or the reducer's GCHandle)
            }

            string names = string.Join(", ", members.Select(p => p.Name));
            Description = $"MPI_Allreduce of gradient bucket {index} ({names}: {Length} {OpenMpiLibrary.TypeName<T>()})";
        }

        public int Index { get; }

        public Parameter<T>[] Members { get; }

        public int Length { get; }

        public T* Pointer { get; }

        public string Description { get; }

        public int Remaining { get; set; }

        public long Ticket { get; set; } = -1;

        public void Pack()
        {
            if (_packed is null)
            {
                return;
            }

            int offset = 0;
            foreach (Parameter<T> p in Members)
            {
                p.Grad.CopyTo(_packed.AsSpan(offset));
                offset += p.Length;
            }
        }

        public void Unpack(T scale)
        {
            if (_packed is null)
            {
                Span<T> grad = Members[0].Grad;
                TensorPrimitives.Multiply(grad, scale, grad);
                return;
            }

            int offset = 0;
            foreach (Parameter<T> p in Members)
            {
                TensorPrimitives.Multiply(_packed.AsSpan(offset, p.Length), scale, p.Grad);
                offset += p.Length;
            }
        }
    }
}
