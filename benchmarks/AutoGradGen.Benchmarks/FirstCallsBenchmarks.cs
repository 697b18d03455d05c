using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace AutoGradGen.Benchmarks;

/// <summary>
/// The first 10 matrix products of a fresh process, as a short script or the first epoch sees them:
/// <see cref="RunStrategy.ColdStart"/> (no pilot, no warm-up: iteration 1 is the very first call,
/// JIT included), one call per iteration, 10 iterations, 3 processes. Through the public operators
/// (<c>A * B</c>, <c>A * x</c>) in double, on one thread. The GFLOP/s column is the mean over the
/// 10 calls; the log's per-iteration lines show call 1 apart from calls 2–10.
/// Run out of process (it needs the fresh process): <c>--filter '*FirstCalls*'</c>, no <c>--inProcess</c>.
/// </summary>
[Config(typeof(Config))]
public class FirstCallsBenchmarks
{
    private Matrix<double> _a = new(1, 1), _b = new(1, 1);
    private Vector<double> _x = new(1);

    [Params(128, 256, 512)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.MaxThreads = 1;
        var random = new Random(14);
        _a = Fill(new Matrix<double>(N, N), random);
        _b = Fill(new Matrix<double>(N, N), random);
        _x = new Vector<double>(N);
        for (int i = 0; i < N; i++)
        {
            _x[i] = random.NextDouble();
        }
    }

    /// <summary>C = A·B (2·N³ flops).</summary>
    [Benchmark]
    public Matrix<double> Product() => _a * _b;

    /// <summary>y = A·x, N×N times N (2·N² flops; the GFLOP/s column assumes N³, so read the time).</summary>
    [Benchmark]
    public Vector<double> MatrixVector() => _a * _x;

    private static Matrix<double> Fill(Matrix<double> m, Random random)
    {
        var span = m.AsSpan();
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (random.NextDouble() * 2) - 1;
        }
        return m;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.ColdStart).WithLaunchCount(3).WithWarmupCount(0).WithIterationCount(10).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new GflopsColumn());
            // The fresh processes need a build of the generated boilerplate project (with the generator):
            // minutes on a busy 2-core machine, past BenchmarkDotNet's 2-minute default.
            WithBuildTimeout(TimeSpan.FromMinutes(15));
        }
    }
}
