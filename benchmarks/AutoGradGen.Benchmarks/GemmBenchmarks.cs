using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AutoGradGen.Benchmarks;

/// <summary>
/// C = A·B for square N×N float and double matrices (2·N³ flops) through the runtime's
/// <see cref="Gemm"/>, on one thread and on two (<see cref="Gemm.MaxDegreeOfParallelism"/>).
/// Compare the GFLOP/s column with <see cref="FmaPeakBenchmarks"/> from the same run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class GemmBenchmarks
{
    private float[] _aFloat = [], _bFloat = [], _cFloat = [];
    private double[] _aDouble = [], _bDouble = [], _cDouble = [];
    private int _savedParallelism;

    [Params(256, 512, 1024)]
    public int N { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _aFloat = RandomArray<float>(random, N * N);
        _bFloat = RandomArray<float>(random, N * N);
        _cFloat = new float[N * N];
        _aDouble = RandomArray<double>(random, N * N);
        _bDouble = RandomArray<double>(random, N * N);
        _cDouble = new double[N * N];
        _savedParallelism = Gemm.MaxDegreeOfParallelism;
        Gemm.MaxDegreeOfParallelism = Threads;
    }

    [GlobalCleanup]
    public void Cleanup() => Gemm.MaxDegreeOfParallelism = _savedParallelism;

    [Benchmark]
    public void Float() => Gemm.Multiply<float>(_aFloat, _bFloat, _cFloat, N, N, N);

    [Benchmark]
    public void Double() => Gemm.Multiply<double>(_aDouble, _bDouble, _cDouble, N, N, N);

    private static T[] RandomArray<T>(Random random, int length)
        where T : System.Numerics.INumberBase<T>
    {
        var array = new T[length];
        for (int i = 0; i < length; i++)
        {
            array[i] = T.CreateChecked((random.NextDouble() * 2) - 1);
        }
        return array;
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new GflopsColumn());
    }
}
