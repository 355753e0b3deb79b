using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Reports;

namespace DiffGen.Benchmarks;

/// <summary>
/// Writes one <c>name&lt;TAB&gt;microseconds&lt;TAB&gt;bytes allocated per operation&lt;TAB&gt;role</c> line (median time;
/// role <c>diffgen</c> or <c>handwritten</c>) per benchmark marked <see cref="CompareAsAttribute"/>. The first two
/// fields are the format torch_bench.py prints; compare.sh joins them by name.
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

            long bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
            string role = compare.HandWritten ? "handwritten" : "diffgen";
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{statistics.Median / 1000.0:F3}\t{bytes}\t{role}"));
        }
    }
}
