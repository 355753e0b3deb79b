using System;
using System.Collections.Generic;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace DiffGen.Benchmarks;

/// <summary>
/// Entry point. <c>--smoke</c> runs every benchmark once without measuring (CI). <c>--paired</c> measures interleaved
/// ratios to each class's baseline (<see cref="Paired"/>). <c>--allreduce</c>, under mpirun, times MPI all-reduce
/// (<see cref="AllReduceTiming"/>). Otherwise BenchmarkDotNet's switcher with its usual options (<c>--filter '*MatMul*'</c>, <c>--job short</c>, …); no job is hard-coded on the classes, so
/// <c>--job</c> applies as given. <c>--compare-tsv FILE</c> additionally writes the [CompareAs] results for compare.sh.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        int smoke = Array.IndexOf(args, "--smoke");
        if (smoke >= 0)
        {
            return Smoke.Run(smoke + 1 < args.Length && !args[smoke + 1].StartsWith("--", StringComparison.Ordinal) ? args[smoke + 1] : null);
        }

        if (args.Length > 0 && args[0] == "--allreduce")
        {
            return AllReduceTiming.Run(); // under mpirun (docs/distributed.md)
        }

        if (args.Length > 0 && args[0] == "--paired")
        {
            return Paired.Run(args[1..]);
        }

        string? compareTsv = null;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--compare-tsv" && i + 1 < args.Length)
            {
                compareTsv = args[++i];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        IConfig config = DefaultConfig.Instance.AddColumn(new GflopsColumn());
        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. rest], config);
        if (compareTsv is not null)
        {
            CompareExport.Write(compareTsv, summaries);
        }

        return 0;
    }
}
