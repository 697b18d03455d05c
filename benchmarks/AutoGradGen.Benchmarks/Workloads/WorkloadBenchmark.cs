using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using BenchmarkDotNet.Attributes;

namespace AutoGradGen.Benchmarks.Workloads;

/// <summary>
/// Common shape of the W1–W8 workload benchmarks. Each derived class has five benchmarks:
/// <list type="bullet">
/// <item><c>Generated</c>: the generated zero-allocation <c>FBackward</c> with a reused workspace,
/// gradient buffers zeroed every step (one training step: value + every gradient);</item>
/// <item><c>GeneratedWithGradient</c>: the generated allocating <c>FWithGradient</c>;</item>
/// <item><c>HandWritten</c>: a hand-written closed-form gradient on the same runtime
/// (<see cref="Into"/> forms and span kernels on preallocated buffers), the ideal;</item>
/// <item><c>Forward</c>: the plain <c>[Differentiable]</c> method (allocating runtime API);</item>
/// <item><c>ForwardHandWritten</c>: an allocation-free hand-written forward pass.</item>
/// </list>
/// <see cref="Threads"/> caps the GEMM's parallelism (products of ≥ 128³ multiply-adds use it).
/// </summary>
[MemoryDiagnoser]
public abstract class WorkloadBenchmark
{
    private int _savedParallelism = Gemm.MaxDegreeOfParallelism;

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    /// <summary>Allocates inputs and buffers; sets the GEMM parallelism. Called by each class's [GlobalSetup].</summary>
    protected abstract void Prepare();

    public void Setup()
    {
        _savedParallelism = Gemm.MaxDegreeOfParallelism;
        Gemm.MaxDegreeOfParallelism = Threads;
        Prepare();
    }

    [GlobalCleanup]
    public void Cleanup() => Gemm.MaxDegreeOfParallelism = _savedParallelism;

    public abstract double Generated();

    public abstract double GeneratedWithGradient();

    public abstract double HandWritten();

    public abstract double Forward();

    public abstract double ForwardHandWritten();

    /// <summary>
    /// Gradients of the three paths, for the <c>--check</c> mode: runs each and snapshots its
    /// buffers (name, generated FBackward, generated FWithGradient, hand-written).
    /// </summary>
    public abstract IEnumerable<(string Name, double[] Backward, double[] WithGradient, double[] Hand)> Gradients();

    protected static double[] Snap(Matrix<double> m) => m.AsSpan().ToArray();

    protected static double[] Snap(Vector<double> v) => v.AsSpan().ToArray();

    protected static double[] Snap(Matrix<float> m) => Array.ConvertAll(m.AsSpan().ToArray(), x => (double)x);

    protected static double[] Snap(Vector<float> v) => Array.ConvertAll(v.AsSpan().ToArray(), x => (double)x);

    /// <summary>Relative tolerance of the <c>--check</c> mode between the gradient paths (exact closed forms, rounded differently).</summary>
    public virtual double Tolerance => 1e-9;

    /// <summary><see cref="Tolerance"/> of the float twins (<c>Workloads/Float</c>): float rounding, ≈ 2⁻²³ per operation.</summary>
    protected const double FloatTolerance = 1e-4;
}

/// <summary>Fixed-seed inputs.</summary>
internal static class Data
{
    public static Matrix<double> Matrix(Random r, int rows, int cols, double scale = 1.0)
    {
        var m = new Matrix<double>(rows, cols);
        var s = m.AsSpan();
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = ((r.NextDouble() * 2) - 1) * scale;
        }
        return m;
    }

    public static Vector<double> Vector(Random r, int n, double scale = 1.0)
    {
        var v = new Vector<double>(n);
        var s = v.AsSpan();
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = ((r.NextDouble() * 2) - 1) * scale;
        }
        return v;
    }

    /// <summary>A classes×n one-hot label matrix (one sample per column).</summary>
    public static Matrix<double> OneHot(Random r, int classes, int n)
    {
        var y = new Matrix<double>(classes, n);
        for (int j = 0; j < n; j++)
        {
            y[r.Next(classes), j] = 1.0;
        }
        return y;
    }

    /// <summary>A well-conditioned SPD matrix: M Mᵀ / n + I.</summary>
    public static Matrix<double> Spd(Random r, int n)
    {
        var m = Matrix(r, n, n);
        var s = Products.MultiplyTransposeB(m, m);
        var d = s.AsSpan();
        for (int i = 0; i < d.Length; i++)
        {
            d[i] /= n;
        }
        for (int i = 0; i < n; i++)
        {
            s[i, i] += 1.0;
        }
        return s;
    }
}
