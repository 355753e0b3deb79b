using System;
using System.Numerics;

namespace DiffGen.Distributed.Tests.Ranks;

/// <summary>
/// Broadcast, all-reduce (sum, max, min) and reduce on odd sizes and every bound element type, checked element by element
/// against closed forms. The values are small integers and halves, so every sum is exact in float.
/// </summary>
internal static class CollectiveScenarios
{
    private static readonly int[] Sizes = [0, 1, 2, 3, 7, 31, 257, 1000, 4099, 65_537, 1_000_003];

    public static string Run(MpiCommunicator mpi)
    {
        long checks = 0;
        foreach (int n in Sizes)
        {
            checks += Check<float>(mpi, n) + Check<double>(mpi, n) + Check<int>(mpi, n) + Check<long>(mpi, n);
            checks += CheckBytes(mpi, n);
        }

        mpi.Barrier();
        return $"{checks} elements checked on sizes up to {Sizes[^1]}";
    }

    private static long Check<T>(MpiCommunicator mpi, int n)
        where T : unmanaged, INumber<T>
    {
        int p = mpi.Size, r = mpi.Rank;
        var data = new T[n];

        // Sum: rank r holds (r + 1)·v(i) with v(i) = (i mod 97)/2 (for integers, i mod 97): the sum is p(p+1)/2·v(i).
        for (int i = 0; i < n; i++)
        {
            data[i] = T.CreateChecked(r + 1) * V<T>(i);
        }

        mpi.AllReduce(data.AsSpan());
        for (int i = 0; i < n; i++)
        {
            Expect(data[i], T.CreateChecked(p * (p + 1) / 2) * V<T>(i), "sum", i, n);
        }

        // Max and min: rank (i mod p) holds i + 1, the others −i: the max is i + 1, the min −i (or i + 1 with one rank).
        foreach (ReduceOperation op in new[] { ReduceOperation.Max, ReduceOperation.Min })
        {
            for (int i = 0; i < n; i++)
            {
                data[i] = i % p == r ? T.CreateChecked(i + 1) : -T.CreateChecked(i);
            }

            mpi.AllReduce(data.AsSpan(), op);
            for (int i = 0; i < n; i++)
            {
                T expected = op == ReduceOperation.Max || p == 1 ? T.CreateChecked(i + 1) : -T.CreateChecked(i);
                Expect(data[i], expected, op.ToString(), i, n);
            }
        }

        // Broadcast from the last rank; reduce (sum) to rank p − 1 leaves the others' data as it was.
        int root = p - 1;
        for (int i = 0; i < n; i++)
        {
            data[i] = T.CreateChecked((r * 1000) + (i % 1000));
        }

        mpi.Broadcast(data.AsSpan(), root);
        for (int i = 0; i < n; i++)
        {
            Expect(data[i], T.CreateChecked((root * 1000) + (i % 1000)), "broadcast", i, n);
        }

        for (int i = 0; i < n; i++)
        {
            data[i] = T.CreateChecked(r + 1) * V<T>(i);
        }

        mpi.Reduce(data.AsSpan(), root);
        for (int i = 0; i < n; i++)
        {
            Expect(data[i], T.CreateChecked(r == root ? p * (p + 1) / 2 : r + 1) * V<T>(i), "reduce", i, n);
        }

        return 5L * n;
    }

    private static long CheckBytes(MpiCommunicator mpi, int n)
    {
        var bytes = new byte[n];
        for (int i = 0; i < n; i++)
        {
            bytes[i] = (byte)(mpi.IsRoot ? i * 7 : 0);
        }

        mpi.Broadcast(bytes.AsSpan());
        for (int i = 0; i < n; i++)
        {
            Expect(bytes[i], (byte)(i * 7), "byte broadcast", i, n);
        }

        return n;
    }

    private static T V<T>(int i)
        where T : INumber<T> =>
        typeof(T) == typeof(float) || typeof(T) == typeof(double) ? T.CreateChecked(i % 97) / T.CreateChecked(2) : T.CreateChecked(i % 97);

    private static void Expect<T>(T actual, T expected, string what, int i, int n)
        where T : INumber<T>
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{what} of {n} {typeof(T).Name}: element {i} is {actual}, expected {expected}");
        }
    }
}
