using System;
using System.Linq;
using DiffGen.Optimization;

namespace DiffGen.Distributed.Tests.Ranks;

/// <summary>
/// <see cref="GradientAllReducer{T}"/> with odd parameter sizes and small buckets (packed ones and a large one reduced in
/// place), gradients marked ready in a scrambled order with work in between, over several steps: each gradient must end as
/// the mean over the ranks, exactly (the values are chosen so that the mean is exact).
/// </summary>
internal static class BucketScenarios
{
    public static string Run(MpiCommunicator mpi)
    {
        int p = mpi.Size, r = mpi.Rank;
        int[] lengths = [5, 1000, 3, 70_000, 1, 17];
        foreach (bool asDouble in new[] { false, true })
        {
            string result = asDouble ? Steps<double>(mpi, lengths) : Steps<float>(mpi, lengths);
            if (result.Length > 0)
            {
                return result;
            }
        }

        return $"{lengths.Length} parameters, 3 steps, float and double, no allocation: every gradient is the mean over {p} ranks (rank {r})";
    }

    private static string Steps<T>(MpiCommunicator mpi, int[] lengths)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int p = mpi.Size, r = mpi.Rank;
        var parameters = new Parameters<T>();
        for (int k = 0; k < lengths.Length; k++)
        {
            parameters.Add("p" + k, lengths[k]);
        }

        using var reducer = new GradientAllReducer<T>(mpi, parameters, bucketBytes: 4096);
        if (reducer.Buckets.Count < 3 || reducer.Buckets.SelectMany(b => b).Count() != lengths.Length)
        {
            throw new InvalidOperationException($"expected at least 3 buckets covering every parameter, got {reducer.Buckets.Count}");
        }

        int[] scrambled = [3, 0, 5, 1, 4, 2];
        for (int step = 1; step <= 3; step++)
        {
            foreach (int k in scrambled)
            {
                Span<T> g = parameters[k].Grad;
                for (int i = 0; i < g.Length; i++)
                {
                    g[i] = T.CreateChecked(((r + 1) * p * step) + (i % 13));
                }

                reducer.MarkReady(parameters[k]);
                Spin(); // work between two gradients, while an earlier bucket may be on the wire
            }

            reducer.Finish();

            // mean over ranks of (r + 1)·p·s + (i mod 13) = s·(p + 1)·p/2 + (i mod 13): integers, exact.
            foreach (Parameter<T> parameter in parameters)
            {
                for (int i = 0; i < parameter.Length; i++)
                {
                    T expected = T.CreateChecked((step * (p + 1) * p / 2) + (i % 13));
                    if (parameter.Grad[i] != expected)
                    {
                        throw new InvalidOperationException($"step {step}: {parameter.Name}[{i}] = {parameter.Grad[i]}, expected {expected} ({typeof(T).Name})");
                    }
                }
            }
        }

        // No allocation per step, on any thread of the process (the MPI thread included), once warm. The JIT's tier-up
        // allocates on its own thread for a while: the least of five windows counts (every rank runs the same number).
        for (int i = 0; i < 200; i++)
        {
            reducer.AllReduce();
        }

        long least = long.MaxValue;
        for (int window = 0; window < 5; window++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < 50; i++)
            {
                reducer.AllReduce();
            }

            least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        if (least != 0)
        {
            throw new InvalidOperationException($"every window of 50 bucketed all-reduce steps allocated, at least {least} bytes ({typeof(T).Name})");
        }

        return string.Empty;
    }

    private static void Spin()
    {
        double x = 1;
        for (int i = 0; i < 20_000; i++)
        {
            x = Math.Sqrt(x + i);
        }

        GC.KeepAlive(x);
    }
}
