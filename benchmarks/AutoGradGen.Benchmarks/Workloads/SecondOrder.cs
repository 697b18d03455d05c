using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using BenchmarkDotNet.Attributes;
using static AutoGradGen.Benchmarks.Workloads.HandKernels;

namespace AutoGradGen.Benchmarks.Workloads;

#pragma warning disable CS8618 // fields are set in [GlobalSetup]

/// <summary>
/// Common shape of the second-order workloads (W9 dense Hessian, W10 Hessian-vector products). Their rows differ
/// from the W1–W8 five, so each class lists its own (<see cref="Rows"/>) and its own <c>--check</c> comparisons
/// (<see cref="Checks"/>). <see cref="Threads"/> caps the runtime's parallelism as in <see cref="WorkloadBenchmark"/>.
/// </summary>
[MemoryDiagnoser]
public abstract class SecondOrderBenchmark
{
    private int _savedParallelism = Gemm.MaxDegreeOfParallelism;

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    /// <summary>Allocates inputs and buffers. Called by each class's [GlobalSetup].</summary>
    protected abstract void Prepare();

    public void Setup()
    {
        _savedParallelism = Gemm.MaxDegreeOfParallelism;
        Gemm.MaxDegreeOfParallelism = Threads;
        Prepare();
    }

    [GlobalCleanup]
    public void Cleanup() => Gemm.MaxDegreeOfParallelism = _savedParallelism;

    /// <summary>The benchmark rows (method name, one call), for the bytes per call that <c>--check</c> reports.</summary>
    public abstract IEnumerable<(string Name, Func<double> Call)> Rows();

    /// <summary>
    /// The <c>--check</c> comparisons, each run on demand: what is compared, its relative error (max |a − b| / max |b|)
    /// and the tolerance it must meet.
    /// </summary>
    public abstract IEnumerable<(string What, double Error, double Tolerance)> Checks();
}

/// <summary>A second-order workload in element type <typeparamref name="T"/> (double or float).</summary>
public abstract class SecondOrderBenchmark<T> : SecondOrderBenchmark
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Between exact closed forms rounded differently: 1e-9 in double, 1e-4 in float (as W1–W8).</summary>
    protected static double Tolerance => typeof(T) == typeof(float) ? 1e-4 : 1e-9;

    protected static T C(double value) => T.CreateTruncating(value);

    protected static double ToDouble(T value) => double.CreateTruncating(value);

    /// <summary>The entries of the given vectors and matrices in double, concatenated.</summary>
    protected static double[] Snap(params T[][] parts)
        => parts.SelectMany(p => p).Select(double.CreateTruncating).ToArray();

    protected static double Relative(double a, double b) => Math.Abs(a - b) / Math.Max(1e-300, Math.Max(Math.Abs(a), Math.Abs(b)));

    protected static double MaxRelative(double[] a, double[] b) => Program.MaxRelativeError(a, b);
}

/// <summary>
/// W9: the dense Hessian of L2-regularized logistic regression, L = BCE(Xw, y)/N + λ/2 ‖w‖², X N×n (N = 1000 samples
/// in the rows, n = 100 or 500 features), λ = 0.01. Every row returns the loss and computes ∇w and the n×n Hessian
/// H = Xᵀ diag(σ′(Xw)) X / N + λI:
/// <list type="bullet">
/// <item><c>GeneratedHessian</c>: the generated <c>LogisticLossHessian</c> (allocating);</item>
/// <item><c>GeneratedHessianInto</c>: its zero-allocation twin (workspace, caller-owned ∇w and H, <c>accumulate: false</c>);</item>
/// <item><c>HandWrittenHessian</c>: the closed form on the runtime's <c>Into</c> forms: z = Xw, B = diag(σ′(z)/N) X
/// row by row, H = XᵀB (one GEMM with the transposed operand read in place), λ on the diagonal; allocation-free;</item>
/// <item><c>HessianFromHvps</c>: H assembled from n calls of the generated <c>LogisticLossHessianVectorProduct</c>
/// on the unit vectors eᵢ (H eᵢ is column i, stored as row i: H is symmetric).</item>
/// </list>
/// </summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W9LogisticHessian<T> : SecondOrderBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Samples = 1000;
    private Vector<T> _w, _y, _e;
    private Matrix<T> _x, _hvpH;
    private T _lambda;

    // the generated LogisticLossHessian, LogisticLossHessianVectorProduct and LogisticLossWithGradient for T
    private delegate T HessianFn(Vector<T> w, Matrix<T> X, Vector<T> y, T lambda, out Vector<T> dw, out Matrix<T> hessian);
    private delegate T HvpFn(Vector<T> w, Matrix<T> X, Vector<T> y, T lambda, Vector<T> vw, out Vector<T> dw, out Vector<T> hvw);
    private delegate T WithGradientFn(Vector<T> w, Matrix<T> X, Vector<T> y, T lambda, out Vector<T> dw);
    private delegate T HessianIntoFn(Vector<T> w, Matrix<T> X, Vector<T> y, T lambda, Vector<T>? dw, Matrix<T> hessian);

    private readonly HessianFn _hessian = Generated<T>.Bind<HessianFn>("LogisticLossHessian");
    private readonly HvpFn _hvp = Generated<T>.Bind<HvpFn>("LogisticLossHessianVectorProduct");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("LogisticLossWithGradient");
    private readonly HessianIntoFn _hessianInto = Generated<T>.Bind<HessianIntoFn>("LogisticLossHessian");

    // outputs of the last call of each row, for --check
    private Vector<T> _genDw, _hvpDw;
    private Matrix<T> _genH;

    private Vector<T>? _z, _p, _r, _hdw;
    private Matrix<T>? _b, _hH, _intoH;
    private Vector<T>? _intoDw;

    [Params(100, 500)]
    public int Features { get; set; }

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(10);
        (_w, _x, _y) = (Data<T>.Vector(r, Features, 0.1), Data<T>.Matrix(r, Samples, Features), Data<T>.Labels(r, Samples));
        _lambda = C(0.01);
        (_e, _hvpH) = (new(Features), new(Features, Features));
        (_z, _p, _r, _hdw) = (new(Samples), new(Samples), new(Samples), new(Features));
        (_b, _hH) = (new(Samples, Features), new(Features, Features));
        (_intoDw, _intoH) = (new(Features), new(Features, Features));
    }

    [Benchmark]
    public double GeneratedHessian() => ToDouble(_hessian(_w, _x, _y, _lambda, out _genDw, out _genH));

    [Benchmark]
    public double GeneratedHessianInto() => ToDouble(_hessianInto(_w, _x, _y, _lambda, _intoDw, _intoH!));

    [Benchmark]
    public double HandWrittenHessian()
    {
        T n = C(Samples);
        var z = Products.Multiply(_x, _w, ref _z);                           // z = Xw
        T loss = (Ops.BinaryCrossEntropyWithLogits(z, _y) / n) + (_lambda / C(2) * TensorPrimitives.SumOfSquares<T>(_w.AsSpan()));
        var p = Elementwise.Sigmoid(z, ref _p).AsSpan();                     // σ(z)
        TensorPrimitives.Subtract(p, _y.AsSpan(), _r!.AsSpan());
        var dw = Products.MultiplyTransposeA(_x, _r, ref _hdw).AsSpan();     // Xᵀ(σ(z) − y)
        TensorPrimitives.Multiply(dw, T.One / n, dw);
        TensorPrimitives.MultiplyAdd(_w.AsSpan(), _lambda, dw, dw);          // ∇w = Xᵀ(σ(z) − y)/N + λw
        for (int k = 0; k < Samples; k++)
        {
            TensorPrimitives.Multiply(Row(_x, k), p[k] * (T.One - p[k]) / n, Row(_b!, k)); // B = diag(σ′(z)/N) X
        }
        var h = Products.MultiplyTransposeA(_x, _b!, ref _hH);                 // H = XᵀB
        for (int i = 0; i < Features; i++)
        {
            h[i, i] += _lambda;                                              // + λI
        }
        return ToDouble(loss);
    }

    [Benchmark]
    public double HessianFromHvps()
    {
        T loss = T.Zero;
        var e = _e.AsSpan();
        for (int i = 0; i < Features; i++)
        {
            e[i] = T.One;
            loss = _hvp(_w, _x, _y, _lambda, _e, out _hvpDw, out var hv);   // H eᵢ
            e[i] = T.Zero;
            hv.AsSpan().CopyTo(Row(_hvpH, i));
        }
        return ToDouble(loss);
    }

    public override IEnumerable<(string, Func<double>)> Rows()
    {
        yield return (nameof(GeneratedHessian), GeneratedHessian);
        yield return (nameof(GeneratedHessianInto), GeneratedHessianInto);
        yield return (nameof(HandWrittenHessian), HandWrittenHessian);
        yield return (nameof(HessianFromHvps), HessianFromHvps);
    }

    public override IEnumerable<(string, double, double)> Checks()
    {
        double[] losses = [GeneratedHessian(), HandWrittenHessian(), HessianFromHvps(), GeneratedHessianInto(), ToDouble(_withGradient(_w, _x, _y, _lambda, out var dw))];
        yield return ("loss of the 4 rows vs WithGradient", losses.Max(l => Relative(l, losses[4])), Tolerance);
        var gradient = Snap(dw.Data);
        yield return ("∇w of the 4 rows vs WithGradient", new[] { _genDw, _hdw!, _hvpDw, _intoDw! }.Max(g => MaxRelative(Snap(g.Data), gradient)), Tolerance);
        var hand = Snap(_hH!.Data);
        yield return ("H generated vs hand-written", MaxRelative(Snap(_genH.Data), hand), Tolerance);
        yield return ("H generated (into buffers) vs hand-written", MaxRelative(Snap(_intoH!.Data), hand), Tolerance);
        yield return ("H from n HVPs vs hand-written", MaxRelative(Snap(_hvpH.Data), hand), Tolerance);

        // the HVP along a random direction against central differences of the generated gradient
        var v = Data<T>.Vector(new Random(11), Features);
        _hvp(_w, _x, _y, _lambda, v, out _, out var hv);
        var fd = FiniteDifferences<T>.GradientDifference([_w.Data], [v.Data], () =>
        {
            _withGradient(_w, _x, _y, _lambda, out var g);
            return Snap(g.Data);
        });
        yield return ("HVP vs central differences of WithGradient", MaxRelative(Snap(hv.Data), fd), FiniteDifferences<T>.Tolerance);
    }
}

/// <summary>
/// W10 (Gaussian NLL): the Hessian-vector product of W3's model (D = 128, N = 1000 samples, same draws as W3) along a
/// random direction (v_μ, V_Σ), against the gradient alone: <c>GeneratedHvp</c> is the generated
/// <c>GaussianNllHessianVectorProduct</c> (value, ∇ and H[v], allocating), <c>GeneratedWithGradient</c> the generated
/// <c>GaussianNllWithGradient</c> (value and ∇, allocating); their ratio is the cost of the HVP over the gradient.
/// The zero-allocation twins give the same ratio without allocation: <c>GeneratedHvpInto</c> (the
/// <c>GaussianNllHessianVectorProduct</c> with a workspace, caller-owned ∇ and H[v], <c>accumulate: false</c>) over
/// <c>GeneratedBackward</c> (<c>GaussianNllBackward</c>, as W3's <c>Generated</c> row).
/// </summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W10GaussianNllHvp<T> : SecondOrderBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Samples = 1000;
    private Vector<T> _mu, _vmu;
    private Matrix<T> _sigma, _x, _vSigma;

    // the generated GaussianNllHessianVectorProduct and GaussianNllWithGradient for T, and their zero-allocation twins
    // (GaussianNllHessianVectorProduct with a workspace, GaussianNllBackward; workspace bound, accumulate: false)
    private delegate T HvpFn(Vector<T> mu, Matrix<T> Sigma, Matrix<T> X, Vector<T> vmu, Matrix<T> vSigma,
        out Vector<T> dmu, out Matrix<T> dSigma, out Vector<T> hvmu, out Matrix<T> hvSigma);
    private delegate T WithGradientFn(Vector<T> mu, Matrix<T> Sigma, Matrix<T> X, out Vector<T> dmu, out Matrix<T> dSigma);
    private delegate T HvpIntoFn(Vector<T> mu, Matrix<T> Sigma, Matrix<T> X, Vector<T> vmu, Matrix<T> vSigma,
        Vector<T> dmu, Matrix<T> dSigma, Vector<T> hvmu, Matrix<T> hvSigma);
    private delegate T BackwardFn(Vector<T> mu, Matrix<T> Sigma, Matrix<T> X, Vector<T> dmu, Matrix<T> dSigma);

    private readonly HvpFn _hvp = Generated<T>.Bind<HvpFn>("GaussianNllHessianVectorProduct");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("GaussianNllWithGradient");
    private readonly HvpIntoFn _hvpInto = Generated<T>.Bind<HvpIntoFn>("GaussianNllHessianVectorProduct");
    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("GaussianNllBackward");

    // the buffers of the twins: ∇ and H[v] of GeneratedHvpInto, ∇ of GeneratedBackward
    private Vector<T> _intoDmu, _intoHvmu, _dmu;
    private Matrix<T> _intoDSigma, _intoHvSigma, _dSigma;

    [Params(128)]
    public int D { get; set; }

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(3);                                               // W3's inputs
        _mu = Data<T>.Vector(r, D, 0.1);
        _sigma = Data<T>.Spd(r, D);
        _x = Data<T>.Matrix(r, D, Samples);
        (_vmu, _vSigma) = (Data<T>.Vector(r, D), Data<T>.Matrix(r, D, D));
        (_intoDmu, _intoDSigma, _intoHvmu, _intoHvSigma) = (new(D), new(D, D), new(D), new(D, D));
        (_dmu, _dSigma) = (new(D), new(D, D));
    }

    [Benchmark]
    public double GeneratedHvp() => ToDouble(_hvp(_mu, _sigma, _x, _vmu, _vSigma, out _, out _, out _, out _));

    [Benchmark]
    public double GeneratedHvpInto() => ToDouble(_hvpInto(_mu, _sigma, _x, _vmu, _vSigma, _intoDmu, _intoDSigma, _intoHvmu, _intoHvSigma));

    [Benchmark]
    public double GeneratedWithGradient() => ToDouble(_withGradient(_mu, _sigma, _x, out _, out _));

    [Benchmark]
    public double GeneratedBackward() => ToDouble(_backward(_mu, _sigma, _x, _dmu, _dSigma));

    public override IEnumerable<(string, Func<double>)> Rows()
    {
        yield return (nameof(GeneratedHvp), GeneratedHvp);
        yield return (nameof(GeneratedHvpInto), GeneratedHvpInto);
        yield return (nameof(GeneratedWithGradient), GeneratedWithGradient);
        yield return (nameof(GeneratedBackward), GeneratedBackward);
    }

    public override IEnumerable<(string, double, double)> Checks()
    {
        T f = _hvp(_mu, _sigma, _x, _vmu, _vSigma, out var dmu, out var dSigma, out var hvmu, out var hvSigma);
        T g = _withGradient(_mu, _sigma, _x, out var gmu, out var gSigma);
        double[] losses = [ToDouble(f), GeneratedHvpInto(), GeneratedBackward()];
        yield return ("loss HVP, HVP into, Backward vs WithGradient", losses.Max(l => Relative(l, ToDouble(g))), Tolerance);
        var gradient = Snap(gmu.Data, gSigma.Data);
        yield return ("(∇μ, ∇Σ) HVP, HVP into, Backward vs WithGradient", new[] { Snap(dmu.Data, dSigma.Data), Snap(_intoDmu.Data, _intoDSigma.Data),
            Snap(_dmu.Data, _dSigma.Data) }.Max(d => MaxRelative(d, gradient)), Tolerance);
        yield return ("H[v] HVP into vs HVP", MaxRelative(Snap(_intoHvmu.Data, _intoHvSigma.Data), Snap(hvmu.Data, hvSigma.Data)), Tolerance);
        var fd = FiniteDifferences<T>.GradientDifference([_mu.Data, _sigma.Data], [_vmu.Data, _vSigma.Data], () =>
        {
            _withGradient(_mu, _sigma, _x, out var a, out var b);
            return Snap(a.Data, b.Data);
        });
        yield return ("HVP vs central differences of WithGradient", MaxRelative(Snap(hvmu.Data, hvSigma.Data), fd), FiniteDifferences<T>.Tolerance);
    }
}

/// <summary>
/// W10 (LogDet): f = log|det X|, X N×N (N = 128) well conditioned and not symmetric (an SPD matrix MMᵀ/N + I plus a
/// perturbation of spectral norm ≈ 0.6, so X⁻ᵀ ≠ X⁻¹), its Hessian-vector product H[V] = −X⁻ᵀVᵀX⁻ᵀ along a random V
/// (<c>GeneratedHvp</c>: the generated <c>LogDetLossHessianVectorProduct</c>) against the gradient alone
/// (<c>GeneratedWithGradient</c>: <c>LogDetLossWithGradient</c>, ∇ = X⁻ᵀ); both allocating. Their zero-allocation
/// twins, <c>GeneratedHvpInto</c> (workspace, caller-owned ∇ and H[V], <c>accumulate: false</c>) and
/// <c>GeneratedBackward</c> (<c>LogDetLossBackward</c>), give the same ratio without allocation.
/// </summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W10LogDetHvp<T> : SecondOrderBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T> _x, _v;

    // the generated LogDetLossHessianVectorProduct and LogDetLossWithGradient for T, and their zero-allocation twins
    // (LogDetLossHessianVectorProduct with a workspace, LogDetLossBackward; workspace bound, accumulate: false)
    private delegate T HvpFn(Matrix<T> X, Matrix<T> vX, out Matrix<T> dX, out Matrix<T> hvX);
    private delegate T WithGradientFn(Matrix<T> X, out Matrix<T> dX);
    private delegate T HvpIntoFn(Matrix<T> X, Matrix<T> vX, Matrix<T> dX, Matrix<T> hvX);
    private delegate T BackwardFn(Matrix<T> X, Matrix<T> dX);

    private readonly HvpFn _hvp = Generated<T>.Bind<HvpFn>("LogDetLossHessianVectorProduct");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("LogDetLossWithGradient");
    private readonly HvpIntoFn _hvpInto = Generated<T>.Bind<HvpIntoFn>("LogDetLossHessianVectorProduct");
    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("LogDetLossBackward");

    // the buffers of the twins: ∇ and H[V] of GeneratedHvpInto, ∇ of GeneratedBackward
    private Matrix<T> _intoDX, _intoHvX, _dX;

    [Params(128)]
    public int N { get; set; }

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(12);
        _x = Data<T>.Spd(r, N) + Data<T>.Matrix(r, N, N, 0.5 / Math.Sqrt(N));
        _v = Data<T>.Matrix(r, N, N);
        (_intoDX, _intoHvX, _dX) = (new(N, N), new(N, N), new(N, N));
    }

    [Benchmark]
    public double GeneratedHvp() => ToDouble(_hvp(_x, _v, out _, out _));

    [Benchmark]
    public double GeneratedHvpInto() => ToDouble(_hvpInto(_x, _v, _intoDX, _intoHvX));

    [Benchmark]
    public double GeneratedWithGradient() => ToDouble(_withGradient(_x, out _));

    [Benchmark]
    public double GeneratedBackward() => ToDouble(_backward(_x, _dX));

    public override IEnumerable<(string, Func<double>)> Rows()
    {
        yield return (nameof(GeneratedHvp), GeneratedHvp);
        yield return (nameof(GeneratedHvpInto), GeneratedHvpInto);
        yield return (nameof(GeneratedWithGradient), GeneratedWithGradient);
        yield return (nameof(GeneratedBackward), GeneratedBackward);
    }

    public override IEnumerable<(string, double, double)> Checks()
    {
        T f = _hvp(_x, _v, out var dX, out var hvX);
        T g = _withGradient(_x, out var gX);
        double[] losses = [ToDouble(f), GeneratedHvpInto(), GeneratedBackward()];
        yield return ("loss HVP, HVP into, Backward vs WithGradient", losses.Max(l => Relative(l, ToDouble(g))), Tolerance);
        var gradient = Snap(gX.Data);
        yield return ("∇X HVP, HVP into, Backward vs WithGradient", new[] { Snap(dX.Data), Snap(_intoDX.Data), Snap(_dX.Data) }.Max(d => MaxRelative(d, gradient)), Tolerance);
        yield return ("H[V] HVP into vs HVP", MaxRelative(Snap(_intoHvX.Data), Snap(hvX.Data)), Tolerance);
        var fd = FiniteDifferences<T>.GradientDifference([_x.Data], [_v.Data], () =>
        {
            _withGradient(_x, out var a);
            return Snap(a.Data);
        });
        yield return ("HVP vs central differences of WithGradient", MaxRelative(Snap(hvX.Data), fd), FiniteDifferences<T>.Tolerance);
    }
}
