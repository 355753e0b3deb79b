using System.Threading;

namespace DiffGen.Threading;

/// <summary>
/// One long-lived background thread that computes the second half of work split in two (GEMM products, convolution
/// batches). A dedicated thread rather than the thread pool: handing work to it allocates nothing (the pool's queue
/// can grow segments under load), and it never competes with pool work items for a start.
/// </summary>
internal sealed class HelperThread
{
    private static HelperThread? s_instance;

    private readonly object _gate = new();
    private IThreadPoolWorkItem? _pending;
    private int _reserved;

    public static HelperThread Instance => Volatile.Read(ref s_instance) ?? Create();

    /// <summary>Hands <paramref name="work"/> to the helper if no other caller is using it; false otherwise.</summary>
    public bool TryPost(IThreadPoolWorkItem work)
    {
        if (Interlocked.CompareExchange(ref _reserved, 1, 0) != 0)
        {
            return false;
        }

        lock (_gate)
        {
            _pending = work;
            Monitor.Pulse(_gate);
        }

        return true;
    }

    private static HelperThread Create()
    {
        var helper = new HelperThread();
        if (Interlocked.CompareExchange(ref s_instance, helper, null) is { } existing)
        {
            return existing;
        }

        new Thread(helper.Loop) { IsBackground = true, Name = "DiffGen helper" }.Start();
        return helper;
    }

    private void Loop()
    {
        while (true)
        {
            IThreadPoolWorkItem work;
            lock (_gate)
            {
                while (_pending is null)
                {
                    Monitor.Wait(_gate);
                }

                work = _pending;
                _pending = null;
            }

            try
            {
                work.Execute(); // HelperWork catches and records its own exceptions
            }
            finally
            {
                Volatile.Write(ref _reserved, 0);
            }
        }
    }
}
