using System;
using System.Numerics;
using System.Numerics.Tensors;
using DiffGen.Gemm;
using DiffGen.Layers;
using DiffGen.Threading;

namespace DiffGen.Convolution;

/// <summary>
/// Convolution as one matrix product per image (im2col): <c>Y_n (OC × P) = W (OC × K) · cols(X_n) (K × P) + b</c>, and
/// for the pullback <c>dW += dY_n · cols(X_n)ᵀ</c>, <c>dX_n += col2im(Wᵀ · dY_n)</c>, <c>db += Σ_p dY_n</c>. All three
/// products run on the blocked GEMM. A batch is split over two threads (images are independent; each thread has its
/// own lowering buffers; in the pullback the second half adds into partial dW and db owned by the caller's work item,
/// not by the thread that happens to run it, and the caller adds them in after both halves are done).
/// </summary>
internal static unsafe class ConvKernel
{
    /// <summary>Below this many flops per call a second thread costs more than it saves (the hand-over is a few µs).</summary>
    private const double ParallelFlopThreshold = 2e6;

    public static void Forward<T>(T* x, T* w, T* b, T* y, in Conv2D g, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = new Job<T>(x, w, b, y, null, null, null, null, g);
        RunSplit(job, batch, forward: true);
    }

    /// <summary>Adds into whichever of <paramref name="dx"/>, <paramref name="dw"/>, <paramref name="db"/> is not null.</summary>
    public static void Pullback<T>(T* x, T* w, T* dy, T* dx, T* dw, T* db, in Conv2D g, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = new Job<T>(x, w, null, null, dy, dx, dw, db, g);
        RunSplit(job, batch, forward: false);
    }

    private static void RunSplit<T>(in Job<T> job, int batch, bool forward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Conv2D g = job.Geometry;
        double flops = 2.0 * batch * g.OutChannels * g.FanIn * g.OutputHeight * g.OutputWidth;
        if (batch < 2 || Environment.ProcessorCount < 2 || flops < ParallelFlopThreshold)
        {
            Run(job, 0, batch, forward, null, null);
            return;
        }

        int half = batch / 2;
        HalfBatch<T> other = HalfBatch<T>.ForCurrentThread();
        other.Set(job, half, batch - half, forward);
        HelperThread.Instance.TryPost(other); // when it is busy, RunOrWait below runs the half here
        Exception? mine = null;
        try
        {
            Run(job, 0, half, forward, null, null);
        }
        catch (Exception ex)
        {
            mine = ex;
        }

        other.RunOrWait();
        if (mine is not null)
        {
            throw mine;
        }

        if (!forward)
        {
            other.AddPartialGradients(job);
        }
    }

    /// <summary>
    /// Images [start, start + count). With <paramref name="partialW"/> and <paramref name="partialB"/> (the second half
    /// of a pullback) dW and db go into those buffers, zeroed first, instead of the caller's.
    /// </summary>
    private static void Run<T>(in Job<T> job, int start, int count, bool forward, T* partialW, T* partialB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Conv2D g = job.Geometry;
        int kp = g.FanIn * g.OutputHeight * g.OutputWidth;
        bool direct = g.KernelHeight == 1 && g.KernelWidth == 1 && g.Stride == 1 && g.Padding == 0; // cols(X) = X
        T[] lowered = direct ? [] : ConvBuffers<T>.Get(ConvBuffers<T>.Columns, kp);
        T[] loweredAdjoint = forward || job.DX is null || direct ? [] : ConvBuffers<T>.Get(ConvBuffers<T>.ColumnsAdjoint, kp);
        fixed (T* cols = lowered, dcols = loweredAdjoint)
        {
            Run(job, start, count, forward, partialW, partialB, direct, cols, dcols);
        }
    }

    /// <summary><see cref="Run{T}(in Job{T}, int, int, bool, T*, T*)"/> with this thread's lowering buffers pinned.</summary>
    private static void Run<T>(in Job<T> job, int start, int count, bool forward, T* partialW, T* partialB, bool direct, T* cols, T* dcols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Conv2D g = job.Geometry;
        int oc = g.OutChannels, k = g.FanIn, p = g.OutputHeight * g.OutputWidth;
        if (forward)
        {
            for (int n = start; n < start + count; n++)
            {
                T* xn = job.X + (nint)n * g.InputSize, yn = job.Y + (nint)n * g.OutputSize;
                for (int c = 0; c < oc; c++)
                {
                    new Span<T>(yn + (nint)c * p, p).Fill(job.B[c]);
                }

                T* lowered = direct ? xn : cols;
                if (!direct)
                {
                    Im2Col.Gather(xn, g, cols);
                }

                GemmKernel.Multiply(false, false, oc, p, k, job.W, k, lowered, p, yn, p, accumulate: true, allowParallel: false);
            }

            return;
        }

        T* dw = job.DW, db = job.DB;
        if (partialW is not null)
        {
            dw = dw is null ? null : Zeroed(partialW, oc * k);
            db = db is null ? null : Zeroed(partialB, oc);
        }

        for (int n = start; n < start + count; n++)
        {
            T* xn = job.X + (nint)n * g.InputSize, dyn = job.DY + (nint)n * g.OutputSize;
            for (int c = 0; db is not null && c < oc; c++)
            {
                db[c] += TensorPrimitives.Sum(new ReadOnlySpan<T>(dyn + (nint)c * p, p));
            }

            if (dw is not null)
            {
                T* lowered = direct ? xn : cols;
                if (!direct)
                {
                    Im2Col.Gather(xn, g, cols);
                }

                // dW (OC × K) += dY_n (OC × P) · cols(X_n)ᵀ, cols stored K × P.
                GemmKernel.Multiply(false, true, oc, k, p, dyn, p, lowered, p, dw, k, accumulate: true, allowParallel: false);
            }

            if (job.DX is not null)
            {
                T* dxn = job.DX + (nint)n * g.InputSize;
                if (direct)
                {
                    // dX_n (K × P) += Wᵀ · dY_n, W stored OC × K.
                    GemmKernel.Multiply(true, false, k, p, oc, job.W, k, dyn, p, dxn, p, accumulate: true, allowParallel: false);
                }
                else
                {
                    GemmKernel.Multiply(true, false, k, p, oc, job.W, k, dyn, p, dcols, p, accumulate: false, allowParallel: false);
                    Im2Col.ScatterAdd(dcols, g, dxn);
                }
            }
        }
    }

    private static T* Zeroed<T>(T* buffer, int length)
        where T : unmanaged
    {
        new Span<T>(buffer, length).Clear();
        return buffer;
    }

    /// <summary>The operands of one call (null: not used or not wanted).</summary>
    private readonly struct Job<T>(T* x, T* w, T* b, T* y, T* dy, T* dx, T* dw, T* db, Conv2D geometry)
        where T : unmanaged
    {
        public T* X { get; } = x;

        public T* W { get; } = w;

        public T* B { get; } = b;

        public T* Y { get; } = y;

        public T* DY { get; } = dy;

        public T* DX { get; } = dx;

        public T* DW { get; } = dw;

        public T* DB { get; } = db;

        public Conv2D Geometry { get; } = geometry;
    }

    /// <summary>
    /// The second half of a batch; reused across calls from the same thread. It owns the partial dW and db its half
    /// accumulates into (pinned, grown on the owner's thread), so they stay valid until the owner has added them in,
    /// whichever thread computed the half and whatever that thread runs next.
    /// </summary>
    private sealed class HalfBatch<T> : HelperWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static HalfBatch<T>? s_cached;

        private Job<T> _job;
        private int _start, _count;
        private bool _forward;
        private T[] _partialW = [], _partialB = [];

        public static HalfBatch<T> ForCurrentThread() => s_cached ??= new HalfBatch<T>();

        public void Set(in Job<T> job, int start, int count, bool forward)
        {
            (_job, _start, _count, _forward) = (job, start, count, forward);
            Conv2D g = job.Geometry;
            if (!forward && _partialW.Length < g.WeightLength)
            {
                _partialW = GC.AllocateUninitializedArray<T>(g.WeightLength, pinned: true);
            }

            if (!forward && _partialB.Length < g.BiasLength)
            {
                _partialB = GC.AllocateUninitializedArray<T>(g.BiasLength, pinned: true);
            }

            Reset();
        }

        /// <summary>After <see cref="HelperWork.RunOrWait"/>: adds this half's dW and db into the caller's.</summary>
        public void AddPartialGradients(in Job<T> job)
        {
            Conv2D g = job.Geometry;
            if (job.DW is not null)
            {
                var target = new Span<T>(job.DW, g.WeightLength);
                TensorPrimitives.Add(target, _partialW.AsSpan(0, g.WeightLength), target);
            }

            if (job.DB is not null)
            {
                var target = new Span<T>(job.DB, g.OutChannels);
                TensorPrimitives.Add(target, _partialB.AsSpan(0, g.OutChannels), target);
            }
        }

        protected override void Compute()
        {
            fixed (T* partialW = _partialW, partialB = _partialB)
            {
                Run(_job, _start, _count, _forward, _forward ? null : partialW, _forward ? null : partialB);
            }
        }
    }
}
