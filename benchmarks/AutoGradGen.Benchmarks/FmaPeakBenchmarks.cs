using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AutoGradGen.Benchmarks;

/// <summary>
/// The machine's FMA peak: 12 independent Vector512 FMA chains per loop iteration (more than
/// latency × throughput, 4 cycles × up to 2 per cycle, so the FMA ports never wait), for float and
/// double. flops = iterations · chains · lanes · 2. Where Vector512 is not hardware-accelerated the
/// numbers measure its software fallback, not the FMA units.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class FmaPeakBenchmarks
{
    private const int Iterations = 1 << 20;
    private const int Chains = 12;

    // a ← a·x + y with x = 0.999, y = 0.001 converges to 1: no overflow, no subnormals.
    private float _xFloat = 0.999f, _yFloat = 0.001f;
    private double _xDouble = 0.999, _yDouble = 0.001;

    [Benchmark]
    [FlopsPerInvoke(2.0 * Iterations * Chains * 16)]
    public float Float() => FloatChains(Vector512.Create(_xFloat), Vector512.Create(_yFloat));

    [Benchmark]
    [FlopsPerInvoke(2.0 * Iterations * Chains * 8)]
    public double Double() => DoubleChains(Vector512.Create(_xDouble), Vector512.Create(_yDouble));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float FloatChains(Vector512<float> x, Vector512<float> y)
    {
        Vector512<float> a0 = y, a1 = a0 + y, a2 = a1 + y, a3 = a2 + y, a4 = a3 + y, a5 = a4 + y,
            a6 = a5 + y, a7 = a6 + y, a8 = a7 + y, a9 = a8 + y, a10 = a9 + y, a11 = a10 + y;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y);
            a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y);
            a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y);
            a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y);
            a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y);
            a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y);
            a11 = Vector512.FusedMultiplyAdd(a11, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double DoubleChains(Vector512<double> x, Vector512<double> y)
    {
        Vector512<double> a0 = y, a1 = a0 + y, a2 = a1 + y, a3 = a2 + y, a4 = a3 + y, a5 = a4 + y,
            a6 = a5 + y, a7 = a6 + y, a8 = a7 + y, a9 = a8 + y, a10 = a9 + y, a11 = a10 + y;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y);
            a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y);
            a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y);
            a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y);
            a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y);
            a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y);
            a11 = Vector512.FusedMultiplyAdd(a11, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new GflopsColumn());
    }
}
