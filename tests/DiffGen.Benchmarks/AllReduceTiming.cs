using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using DiffGen.Distributed;
using DiffGen.Optimization;

namespace DiffGen.Benchmarks;

/// <summary>
/// <c>mpirun -np N dotnet DiffGen.Benchmarks.dll --allreduce</c>: the time of one in-place float all-reduce per message
/// size, and of the MLP's gradient (235 136 floats) through <see cref="GradientAllReducer{T}"/> per bucket size. Each
/// figure is the median of repeated timed calls after warm-up, as rank 0 sees it. (BenchmarkDotNet cannot start MPI
/// ranks, hence this small timer.)
/// </summary>
public static class AllReduceTiming
{
    private static readonly int[] Sizes = [256, 4_096, 65_536, 235_136, 1 << 20, 1 << 22, 1 << 24];
    private static readonly int[] BucketKib = [64, 256, 1024, 4096];

    public static int Run()
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        using var mpi = MpiCommunicator.Initialize(TimeSpan.FromSeconds(120));
        Report(mpi, $"{mpi.Size} ranks; float all-reduce, in place (median of timed calls)");
        Report(mpi, "| floats | bytes | time | algorithm bandwidth 2(N−1)/N·bytes/time |");
        Report(mpi, "| ---: | ---: | ---: | ---: |");
        foreach (int n in Sizes)
        {
            var data = new float[n];
            double seconds = Median(mpi, () => mpi.AllReduce(data.AsSpan()));
            double bus = 2.0 * (mpi.Size - 1) / mpi.Size * n * sizeof(float) / seconds;
            Report(mpi, $"| {n:N0} | {Bytes(n * 4L)} | {Time(seconds)} | {bus / 1e9:F2} GB/s |");
        }

        Report(mpi, string.Empty);
        Report(mpi, "MLP gradient (W1 200 704, c 256, W2 32 768, d 128, W3 1 280 floats) through GradientAllReducer, including pack/unpack and × 1/N");
        Report(mpi, "| bucket | buckets | time per step |");
        Report(mpi, "| ---: | ---: | ---: |");
        foreach (int kib in BucketKib)
        {
            var set = new Parameters<float>();
            foreach ((string name, int length) in new[] { ("W1", 200_704), ("c", 256), ("W2", 32_768), ("d", 128), ("W3", 1_280) })
            {
                set.Add(name, length);
            }

            using var reducer = new GradientAllReducer<float>(mpi, set, kib * 1024);
            double seconds = Median(mpi, reducer.AllReduce);
            Report(mpi, $"| {kib} KiB | {reducer.Buckets.Count} | {Time(seconds)} |");
        }

        return 0;
    }

    /// <summary>Median over batches of repeated calls (each batch at least ~20 ms), after a warm-up; every rank runs the same count.</summary>
    private static double Median(MpiCommunicator mpi, Action call)
    {
        for (int i = 0; i < 5; i++)
        {
            call();
        }

        // Agree on a repetition count so that all ranks issue the same collectives.
        var clock = Stopwatch.StartNew();
        call();
        Span<double> once = [Math.Max(clock.Elapsed.TotalSeconds, 1e-6)];
        mpi.AllReduce(once, ReduceOperation.Max);
        int reps = (int)Math.Clamp(0.02 / once[0], 1, 2000);
        var samples = new double[9];
        for (int s = 0; s < samples.Length; s++)
        {
            mpi.Barrier();
            clock.Restart();
            for (int r = 0; r < reps; r++)
            {
                call();
            }

            samples[s] = clock.Elapsed.TotalSeconds / reps;
        }

        return samples.Order().ElementAt(samples.Length / 2);
    }

    private static string Bytes(long bytes) => bytes >= 1 << 20 ? $"{bytes / 1048576.0:G3} MiB" : bytes >= 1024 ? $"{bytes / 1024.0:G3} KiB" : $"{bytes} B";

    private static string Time(double seconds) => seconds >= 1e-3 ? $"{seconds * 1e3:F2} ms" : $"{seconds * 1e6:F1} µs";

    private static void Report(MpiCommunicator mpi, string line)
    {
        if (mpi.IsRoot)
        {
            Console.WriteLine(line);
        }
    }
}
