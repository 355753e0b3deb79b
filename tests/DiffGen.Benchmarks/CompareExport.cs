using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Reports;

namespace DiffGen.Benchmarks;

/// <summary>
/// Writes one <c>name&lt;TAB&gt;microseconds</c> line (median time) per benchmark marked <see cref="CompareAsAttribute"/>,
/// the same format torch_bench.py prints, for compare.sh to join.
/// </summary>
public static class CompareExport
{
    public static void Write(string path, IEnumerable<Summary> summaries)
    {
        using var writer = new StreamWriter(path);
        foreach (BenchmarkReport report in summaries.SelectMany(s => s.Reports))
        {
            CompareAsAttribute? compare = report.BenchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<CompareAsAttribute>();
            if (compare is null || report.ResultStatistics is not { } statistics)
            {
                continue;
            }

            string name = compare.Name;
            foreach (var parameter in report.BenchmarkCase.Parameters.Items)
            {
                name += "_" + parameter.Value;
            }

            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{statistics.Median / 1000.0:F3}"));
        }
    }
}
