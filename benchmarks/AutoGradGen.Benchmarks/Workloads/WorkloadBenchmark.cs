using System.Numerics;
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
/// W1–W6 have a sixth, <c>GeneratedHvp</c>: the generated zero-allocation <c>FHessianVectorProduct</c> (the twin
/// with a workspace; value, every gradient and the Hessian-vector product along a fixed random direction, into
/// preallocated buffers, <c>accumulate: false</c>), to be divided by <c>Generated</c> (<see cref="Hvp"/>, <see cref="HvpChecks"/>).
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

    /// <summary>Relative tolerance of the <c>--check</c> mode between the gradient paths (exact closed forms, rounded differently).</summary>
    public abstract double Tolerance { get; }

    /// <summary>
    /// The <c>GeneratedHvp</c> row where the workload has one (W1–W6), for <c>--check</c>'s losses and bytes per call;
    /// null where it has none (W7, W8).
    /// </summary>
    public virtual Func<double>? Hvp => null;

    /// <summary>
    /// The <c>--check</c> comparisons of the <c>GeneratedHvp</c> row, each run on demand: what is compared, its
    /// relative error and the tolerance it must meet; none where the workload has no such row.
    /// </summary>
    public virtual IEnumerable<(string What, double Error, double Tolerance)> HvpChecks() => [];

    /// <summary>
    /// Further <c>--check</c> comparisons against central differences, each run on demand: what is compared, its relative
    /// error and its tolerance (W11/W12: the hand-written gradient along a random direction, <see cref="WorkloadBenchmark{T}.CompareLossDifference"/>).
    /// </summary>
    public virtual IEnumerable<(string What, double Error, double Tolerance)> DifferenceChecks() => [];
}

/// <summary>
/// A workload in element type <typeparamref name="T"/> (double or float: each class carries
/// <c>[GenericTypeArguments(typeof(double))]</c> and <c>[GenericTypeArguments(typeof(float))]</c>); the hand-written
/// paths are written once, the generated ones bound per type (<see cref="Generated{T}"/>).
/// </summary>
public abstract class WorkloadBenchmark<T> : WorkloadBenchmark
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>1e-9 in double (exact closed forms, rounded differently); 1e-4 in float (≈ 2⁻²³ per operation).</summary>
    public override double Tolerance => typeof(T) == typeof(float) ? 1e-4 : 1e-9;

    /// <summary>A constant in <typeparamref name="T"/> (folded by the JIT).</summary>
    protected static T C(double value) => T.CreateTruncating(value);

    protected static double ToDouble(T value) => double.CreateTruncating(value);


    protected static double[] Snap(Matrix<T> m) => Snap(m.AsSpan());

    protected static double[] Snap(Vector<T> v) => Snap(v.AsSpan());

    /// <summary>The entries of the given vectors and matrices (their <c>Data</c>) in double, concatenated.</summary>
    protected static double[] Snap(params T[][] parts) => parts.SelectMany(p => p).Select(double.CreateTruncating).ToArray();

    /// <summary>
    /// The <see cref="WorkloadBenchmark.HvpChecks"/> of a workload: runs <paramref name="hvp"/> (the <c>GeneratedHvp</c> row,
    /// which writes <paramref name="hvpGradients"/> and <paramref name="products"/>) and <see cref="WorkloadBenchmark.Generated"/>
    /// (which writes <paramref name="gradients"/>), compares the two gradients (<see cref="Tolerance"/>), then the products
    /// with central differences of the <c>FBackward</c> gradient, the <paramref name="parameters"/> moved along
    /// <paramref name="directions"/> (<see cref="FiniteDifferences{T}"/>, whose tolerance applies). All in parameter order.
    /// </summary>
    protected IEnumerable<(string, double, double)> CompareHvp(Func<double> hvp, T[][] hvpGradients, T[][] products,
        T[][] gradients, T[][] parameters, T[][] directions)
    {
        hvp();
        Generated();
        yield return ("HVP ∇ vs Backward", Program.MaxRelativeError(Snap(hvpGradients), Snap(gradients)), Tolerance);
        var hv = Snap(products);
        var fd = FiniteDifferences<T>.GradientDifference(parameters, directions, () =>
        {
            Generated();
            return Snap(gradients);
        });
        yield return ("HVP vs central differences of Backward", Program.MaxRelativeError(hv, fd), FiniteDifferences<T>.Tolerance);
    }

    /// <summary>
    /// The hand-written gradient against central differences of the hand-written forward pass: ⟨∇, v⟩ for one fixed random
    /// direction v over all <paramref name="parameters"/> (entries uniform in [−1, 1]) against
    /// (L(θ + hv) − L(θ − hv)) / 2h (<see cref="FiniteDifferences{T}.LossDifference"/>, whose tolerance applies).
    /// <paramref name="gradient"/> is what <see cref="WorkloadBenchmark.HandWritten"/> writes, in parameter order. In double
    /// only: a float loss of W11's size (≈ 10⁴, a sum of 16 384 squares rounded to 2⁻²⁴) leaves the float difference
    /// quotient ≈ 2·10⁻² off (seen), above the tolerance, while the hand-written code is the same generic code as in double
    /// and its float gradients are checked against the two generated paths.
    /// </summary>
    protected IEnumerable<(string, double, double)> CompareLossDifference(T[][] parameters, T[][] gradient)
    {
        if (typeof(T) != typeof(double))
        {
            yield break;
        }
        HandWritten();
        var r = new Random(1);
        var directions = parameters.Select(p => p.Select(_ => T.CreateTruncating((r.NextDouble() * 2) - 1)).ToArray()).ToArray();
        double analytic = 0;
        for (int j = 0; j < parameters.Length; j++)
        {
            for (int i = 0; i < parameters[j].Length; i++)
            {
                analytic += double.CreateTruncating(gradient[j][i]) * double.CreateTruncating(directions[j][i]);
            }
        }
        double fd = FiniteDifferences<T>.LossDifference(parameters, directions, ForwardHandWritten);
        double error = Math.Abs(fd - analytic) / Math.Max(1e-300, Math.Abs(analytic));
        yield return ("hand ∇·v vs central differences", error, FiniteDifferences<T>.Tolerance);
    }

    private static double[] Snap(Span<T> s)
    {
        var d = new double[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            d[i] = double.CreateTruncating(s[i]);
        }
        return d;
    }
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

    /// <summary>n binary labels, each 0 or 1.</summary>
    public static Vector<double> Labels(Random r, int n)
    {
        var y = new Vector<double>(n);
        var s = y.AsSpan();
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = r.Next(2);
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

/// <summary>
/// The inputs of <see cref="Data"/> in <typeparamref name="T"/>: the double draws as they are, or rounded to float
/// (same seeds, same draws). The scale is rounded through <typeparamref name="T"/> first, as the float literals
/// (<c>0.05f</c>) of the former float twins were, so the float inputs are bit for bit those of before.
/// </summary>
internal static class Data<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Matrix<T> Matrix(Random r, int rows, int cols, double scale = 1.0) => Convert(Data.Matrix(r, rows, cols, Round(scale)));

    public static Vector<T> Vector(Random r, int n, double scale = 1.0) => Convert(Data.Vector(r, n, Round(scale)));

    public static Matrix<T> OneHot(Random r, int classes, int n) => Convert(Data.OneHot(r, classes, n));

    public static Matrix<T> Spd(Random r, int n) => Convert(Data.Spd(r, n));

    public static Vector<T> Labels(Random r, int n) => Convert(Data.Labels(r, n));

    private static double Round(double scale) => double.CreateTruncating(T.CreateTruncating(scale));

    private static Matrix<T> Convert(Matrix<double> m)
    {
        var t = new Matrix<T>(m.Rows, m.Cols);
        Convert(m.AsSpan(), t.AsSpan());
        return t;
    }

    private static Vector<T> Convert(Vector<double> v)
    {
        var t = new Vector<T>(v.Length);
        Convert(v.AsSpan(), t.AsSpan());
        return t;
    }

    private static void Convert(Span<double> source, Span<T> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = T.CreateTruncating(source[i]);
        }
    }
}
