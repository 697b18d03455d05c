using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AutoGradGen.Benchmarks;

/// <summary>Floating-point operations one invocation of the benchmark method performs.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FlopsPerInvokeAttribute(double flops) : Attribute
{
    public double Flops { get; } = flops;
}

/// <summary>
/// GFLOP/s = flops per operation / mean time per operation (flop per ns). Flops come from a
/// <see cref="FlopsPerInvokeAttribute"/> on the method, else from an int parameter <c>N</c> as the
/// 2·N³ of an N×N×N matrix product.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Floating-point operations per second, in billions (mean time; 2·N³ for GEMM)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? flops = FlopsPerOperation(benchmarkCase);
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (flops is null || statistics is null || statistics.Mean <= 0)
        {
            return "NA";
        }
        return (flops.Value / statistics.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static double? FlopsPerOperation(BenchmarkCase benchmarkCase)
    {
        var attribute = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<FlopsPerInvokeAttribute>();
        if (attribute is not null)
        {
            return attribute.Flops / benchmarkCase.Descriptor.OperationsPerInvoke;
        }
        return benchmarkCase.Parameters["N"] is int n ? 2.0 * n * n * n : null;
    }

    public override string ToString() => ColumnName;
}
