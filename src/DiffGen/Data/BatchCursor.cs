using System;

namespace DiffGen.Data;

/// <summary>What a loader's enumerator reads: the epoch being enumerated, the batch count, and a batch by position.</summary>
internal interface IBatchSource
{
    int Epoch { get; }

    int BatchCount { get; }

    MiniBatch Load(int batch);
}

/// <summary>The position in one epoch shared by the loaders' public enumerators (allocation-free, a struct).</summary>
internal struct BatchCursor(IBatchSource source, int epoch, int firstBatch)
{
    private int _batch = firstBatch - 1;

    public MiniBatch Current { get; private set; }

    /// <exception cref="InvalidOperationException">A newer epoch was started on the loader.</exception>
    public bool MoveNext()
    {
        if (source.Epoch != epoch)
        {
            throw new InvalidOperationException("The loader started a newer epoch; this enumerator's buffers were reused.");
        }

        if (_batch + 1 >= source.BatchCount)
        {
            _batch = source.BatchCount;
            Current = default;
            return false;
        }

        _batch++;
        Current = source.Load(_batch);
        return true;
    }
}
