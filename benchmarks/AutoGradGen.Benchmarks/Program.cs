using System.Reflection;
using AutoGradGen.Benchmarks.Workloads;
using AutoGradGen.Kernels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;

namespace AutoGradGen.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project benchmarks/AutoGradGen.Benchmarks -- --filter '*'</c>
/// (add <c>--job short</c> for a quick measurement, <c>--job dry</c> for a smoke run).
/// <c>-- --check</c> runs every workload once per size and compares the three gradient paths
/// (generated <c>FBackward</c>, generated <c>FWithGradient</c>, hand-written) and the losses, at 1 and 2
/// threads, with the bytes each step allocates on all threads; on W1–W6 also the <c>GeneratedHvp</c> row (the
/// zero-allocation <c>FHessianVectorProduct</c>): its loss, its gradients against <c>FBackward</c>'s, its
/// Hessian-vector product against central differences of that gradient, and its bytes per call; for the second-order workloads (W9, W10) it compares
/// the Hessian paths with each other and each Hessian-vector product with central differences of the generated
/// gradient, and reports each row's bytes per call; exit code 1 on a mismatch. <c>-- --check W11 W12</c> checks only the workloads
/// whose name contains one of the words (W1 also selects W10–W12: write W1Bilinear). <c>benchmarks/run.sh</c> runs everything and prints the table.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--check")
        {
            return Check(args[1..]);
        }
        int round = PairedOrderer.TakeRound(ref args);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, PairedOrderer.Config(round));
        return 0;
    }

    private static int Check(string[] filters)
    {
        int failures = 0;
        foreach (var (type, workload) in WorkloadTypes(typeof(WorkloadBenchmark), filters))
        {
            var sizeProperty = type.GetProperties().FirstOrDefault(p => p.Name != "Threads" && p.GetCustomAttribute<ParamsAttribute>() is not null);
            object?[] sizes = sizeProperty?.GetCustomAttribute<ParamsAttribute>()!.Values ?? [null];
            foreach (var (size, threads) in sizes.SelectMany(size => new[] { 1, 2 }.Select(threads => (size, threads))))
            {
                var bench = (WorkloadBenchmark)Activator.CreateInstance(type)!;
                sizeProperty?.SetValue(bench, size);
                bench.Threads = threads;
                bench.Setup();
                string label = sizeProperty is null ? workload : $"{workload} {sizeProperty.Name}={size}";
                double[] losses = [bench.Generated(), bench.GeneratedWithGradient(), bench.HandWritten(), bench.Forward(), bench.ForwardHandWritten(),
                    .. bench.Hvp is { } hvp ? [hvp()] : Array.Empty<double>()];
                double lossError = losses.Max(l => RelativeError(l, losses[0]));
                var line = new List<string> { $"loss {losses[0]:G8} (max rel. diff of {losses.Length} paths {lossError:E1})" };
                bool ok = lossError <= bench.Tolerance;
                foreach (var (name, backward, withGradient, hand) in bench.Gradients())
                {
                    double eWith = MaxRelativeError(backward, withGradient), eHand = MaxRelativeError(backward, hand);
                    ok &= eWith <= bench.Tolerance && eHand <= bench.Tolerance;
                    line.Add($"∇{name}: vs WithGradient {eWith:E1}, vs hand {eHand:E1}");
                }
                foreach (var (what, error, tolerance) in bench.HvpChecks().Concat(bench.DifferenceChecks()))
                {
                    ok &= error <= tolerance;
                    line.Add($"{what} {error:E1}{(error <= tolerance ? "" : $" > {tolerance:E0}")}");
                }
                long generatedBytes = AllocatedPerCall(bench.Generated), handBytes = AllocatedPerCall(bench.HandWritten);
                string hvpBytes = bench.Hvp is { } hvpRow ? $", generated HVP {AllocatedPerCall(hvpRow)}" : "";
                line.Add($"bytes/step (caller + pool threads) generated {generatedBytes}, hand-written {handBytes}{hvpBytes}");
                Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {label} (threads {bench.Threads}): {string.Join("; ", line)}");
                failures += ok ? 0 : 1;
                bench.Cleanup();
            }
        }
        failures += CheckSecondOrder(filters);
        Console.WriteLine(failures == 0 ? "all gradient paths agree" : $"{failures} workload(s) disagree");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// W9/W10 at each size, both precisions, 1 and 2 threads: every comparison of <see cref="SecondOrderBenchmark.Checks"/>
    /// against its tolerance, then the bytes per call of each row (few calls: a W9 row at n = 500 takes up to ~0.1 s).
    /// </summary>
    private static int CheckSecondOrder(string[] filters)
    {
        int failures = 0;
        foreach (var (type, workload) in WorkloadTypes(typeof(SecondOrderBenchmark), filters))
        {
            var sizeProperty = type.GetProperties().FirstOrDefault(p => p.Name != "Threads" && p.GetCustomAttribute<ParamsAttribute>() is not null);
            object?[] sizes = sizeProperty?.GetCustomAttribute<ParamsAttribute>()!.Values ?? [null];
            foreach (var (size, threads) in sizes.SelectMany(size => new[] { 1, 2 }.Select(threads => (size, threads))))
            {
                var bench = (SecondOrderBenchmark)Activator.CreateInstance(type)!;
                sizeProperty?.SetValue(bench, size);
                bench.Threads = threads;
                bench.Setup();
                string label = sizeProperty is null ? workload : $"{workload} {sizeProperty.Name}={size}";
                bool ok = true;
                var line = new List<string>();
                foreach (var (what, error, tolerance) in bench.Checks())
                {
                    ok &= error <= tolerance;
                    line.Add($"{what} {error:E1}{(error <= tolerance ? "" : $" > {tolerance:E0}")}");
                }
                line.Add("bytes/call (caller + pool threads) " + string.Join(", ", bench.Rows().Select(r => $"{r.Name} {AllocatedPerCall(r.Call, warmup: 3, window: 2)}")));
                Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {label} (threads {bench.Threads}): {string.Join("; ", line)}");
                failures += ok ? 0 : 1;
                bench.Cleanup();
            }
        }
        return failures;
    }

    /// <summary>
    /// Every workload deriving from <paramref name="baseType"/> closed over each of its <see cref="GenericTypeArgumentsAttribute"/> element types, named as in
    /// the tables: <c>W1Bilinear</c> for double, <c>W1BilinearFloat</c> for float; in name order; only those whose name contains
    /// one of <paramref name="filters"/> when there are any (<c>--check W11 W12</c>).
    /// </summary>
    private static IEnumerable<(Type Type, string Name)> WorkloadTypes(Type baseType, string[] filters)
        => typeof(WorkloadBenchmark).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(baseType) && !t.IsAbstract && t.IsGenericTypeDefinition)
            .SelectMany(t => t.GetCustomAttributes<GenericTypeArgumentsAttribute>().Select(a => a.GenericTypeArguments[0])
                .Select(element => (t.MakeGenericType(element), t.Name[..t.Name.IndexOf('`')] + (element == typeof(float) ? "Float" : ""))))
            .Where(w => filters.Length == 0 || filters.Any(f => w.Item2.Contains(f, StringComparison.Ordinal)))
            .OrderBy(w => w.Item2, StringComparer.Ordinal);

    /// <summary>
    /// Bytes per call on every thread that runs the step: the calling thread and the runtime's pool workers
    /// (<see cref="WorkerPool.WorkerAllocatedBytes"/>, counted by each worker around its jobs), per call over a
    /// window of <paramref name="window"/> calls (10) after <paramref name="warmup"/> warm-up calls (50), the fewest of up to 3 windows (a one-time lazy initialization
    /// of the runtime, seen once as 24 B, does not count; an allocation per call shows in every window).
    /// The process-wide count would also see unrelated threads.
    /// </summary>
    private static long AllocatedPerCall(Func<double> step, int warmup = 50, int window = 10)
    {
        for (int i = 0; i < warmup; i++)
        {
            step();
        }
        long fewest = long.MaxValue;
        for (int attempt = 0; attempt < 3 && fewest > 0; attempt++)
        {
            long caller = GC.GetAllocatedBytesForCurrentThread(), workers = WorkerPool.WorkerAllocatedBytes;
            for (int i = 0; i < window; i++)
            {
                step();
            }
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - caller + (WorkerPool.WorkerAllocatedBytes - workers));
        }
        return fewest / window;
    }

    private static double RelativeError(double a, double b) => Math.Abs(a - b) / Math.Max(1e-300, Math.Max(Math.Abs(a), Math.Abs(b)));

    /// <summary>max |a − b| / max |b| (relative to the gradient's scale, so tiny entries do not dominate).</summary>
    internal static double MaxRelativeError(double[] a, double[] b)
    {
        if (a.Length != b.Length)
        {
            return double.PositiveInfinity;
        }
        double scale = 1e-300, diff = 0;
        for (int i = 0; i < a.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(b[i]));
            diff = Math.Max(diff, Math.Abs(a[i] - b[i]));
        }
        return diff / scale;
    }
}
