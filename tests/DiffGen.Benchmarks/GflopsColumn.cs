using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace DiffGen.Benchmarks;

/// <summary>GFLOP/s = 2·m·k·n (times <see cref="ProductsAttribute"/>) / mean time, for benchmarks with an "m x k x n" <c>Shape</c> parameter.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Floating-point operations per second (2·m·k·n per product), in 10⁹";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (benchmarkCase.Parameters["Shape"] is not string shape || summary[benchmarkCase]?.ResultStatistics is not { } statistics)
        {
            return "-";
        }

        (int m, int k, int n) = MatMulBenchmarks.ParseShape(shape);
        int products = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<ProductsAttribute>()?.Count ?? 1;
        double flops = 2.0 * m * k * n * products;
        return (flops / statistics.Mean).ToString("F1", CultureInfo.InvariantCulture); // flops per ns = GFLOP/s
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
