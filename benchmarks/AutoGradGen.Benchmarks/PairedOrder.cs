using System.Collections.Immutable;
using AutoGradGen.Benchmarks.Workloads;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Running;

namespace AutoGradGen.Benchmarks;

/// <summary>
/// The order in which the benchmarks run, and the paired rounds of <c>benchmarks/run.sh</c>.
/// <para>
/// gen ÷ hand is a ratio of two BenchmarkDotNet medians. On a shared machine a burst of load lasts seconds, long enough to
/// slow every iteration of one benchmark and none of the other. So each workload's <c>Generated</c> and <c>HandWritten</c>
/// rows of the same parameters (size, threads) run back to back, then that parameter set's other rows, then the next set.
/// Classes keep BenchmarkDotNet's order.
/// </para>
/// <para>
/// <c>--round r</c> (r ≥ 1) runs only those two rows of every workload, as one more paired sample: the hand-written row first
/// in odd rounds, the generated one first in even rounds and in the main run. <c>combine.py</c> takes each ratio as the
/// median of the samples' paired ratios.
/// </para>
/// </summary>
internal sealed class PairedOrderer(bool handFirst) : DefaultOrderer
{
    /// <summary>The two rows of a pair, in the order they run.</summary>
    private readonly string[] _pair = handFirst
        ? [nameof(WorkloadBenchmark.HandWritten), nameof(WorkloadBenchmark.Generated)]
        : [nameof(WorkloadBenchmark.Generated), nameof(WorkloadBenchmark.HandWritten)];

    public override IEnumerable<BenchmarkCase> GetExecutionOrder(
        ImmutableArray<BenchmarkCase> benchmarksCase, IEnumerable<BenchmarkLogicalGroupRule>? order = null) =>
        base.GetExecutionOrder(benchmarksCase, order)
            .Select((benchmark, index) => (benchmark, index))
            .GroupBy(x => (x.benchmark.Descriptor.Type, x.benchmark.Parameters.DisplayInfo))   // in order of first appearance
            .SelectMany(set => set.OrderBy(x => Rank(x.benchmark)).ThenBy(x => x.index))
            .Select(x => x.benchmark);

    private int Rank(BenchmarkCase benchmark)
    {
        int i = Array.IndexOf(_pair, benchmark.Descriptor.WorkloadMethod.Name);
        return i < 0 ? _pair.Length : i;
    }

    /// <summary>
    /// The configuration of a run: BenchmarkDotNet's defaults with this order; for round <paramref name="round"/> ≥ 1 also
    /// a filter that keeps only the <c>Generated</c> and <c>HandWritten</c> rows of the workloads.
    /// </summary>
    public static IConfig Config(int round)
    {
        var config = DefaultConfig.Instance.WithOrderer(new PairedOrderer(handFirst: round % 2 == 1));
        return round == 0 ? config : config.AddFilter(new SimpleFilter(b =>
            typeof(WorkloadBenchmark).IsAssignableFrom(b.Descriptor.Type)
            && b.Descriptor.WorkloadMethod.Name is nameof(WorkloadBenchmark.Generated) or nameof(WorkloadBenchmark.HandWritten)));
    }

    /// <summary>Removes <c>--round r</c> from the arguments and returns r (0 when absent: the main run).</summary>
    public static int TakeRound(ref string[] args)
    {
        int at = Array.IndexOf(args, "--round");
        if (at < 0)
        {
            return 0;
        }
        if (at + 1 >= args.Length || !int.TryParse(args[at + 1], out int round) || round < 0)
        {
            throw new ArgumentException($"--round takes a round number ≥ 0 (0: the main run), not '{(at + 1 < args.Length ? args[at + 1] : "")}'.");
        }
        args = [.. args[..at], .. args[(at + 2)..]];
        return round;
    }
}
