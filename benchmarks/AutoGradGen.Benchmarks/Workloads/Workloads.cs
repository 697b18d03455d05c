using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using BenchmarkDotNet.Attributes;
using static AutoGradGen.Benchmarks.Workloads.HandKernels;

namespace AutoGradGen.Benchmarks.Workloads;

#pragma warning disable CS8618 // fields are set in [GlobalSetup]

/// <summary>W1: f = xᵀAy, ∇x = Ay, ∇A = xyᵀ, ∇y = Aᵀx.</summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W1Bilinear<T> : WorkloadBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Vector<T> _x, _y, _dx, _dy;
    private Matrix<T> _a, _dA;

    // the generated BilinearBackward (workspace bound, accumulate: false), BilinearWithGradient, Bilinear and
    // BilinearHessianVectorProduct (the zero-allocation twin: workspace bound, accumulate: false) for T
    private delegate T BackwardFn(Vector<T> x, Matrix<T> A, Vector<T> y, Vector<T> dx, Matrix<T> dA, Vector<T> dy);
    private delegate T WithGradientFn(Vector<T> x, Matrix<T> A, Vector<T> y, out Vector<T> dx, out Matrix<T> dA, out Vector<T> dy);
    private delegate T ForwardFn(Vector<T> x, Matrix<T> A, Vector<T> y);
    private delegate T HvpFn(Vector<T> x, Matrix<T> A, Vector<T> y, Vector<T> vx, Matrix<T> vA, Vector<T> vy,
        Vector<T> dx, Matrix<T> dA, Vector<T> dy, Vector<T> hvx, Matrix<T> hvA, Vector<T> hvy);

    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("BilinearBackward");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("BilinearWithGradient");
    private readonly ForwardFn _forward = Generated<T>.Bind<ForwardFn>("Bilinear");
    private readonly HvpFn _hvp = Generated<T>.Bind<HvpFn>("BilinearHessianVectorProduct");

    // GeneratedHvp: the direction v (drawn in Prepare), the gradients and the products H v it writes
    private Vector<T> _vx, _vy, _hvpDx, _hvpDy, _hvx, _hvy;
    private Matrix<T> _vA, _hvpDA, _hvA;

    private Vector<T>? _hx, _hy, _fAy;
    private Matrix<T>? _hA;

    [Params(64, 512)]
    public int N { get; set; }

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(1);
        (_x, _a, _y) = (Data<T>.Vector(r, N), Data<T>.Matrix(r, N, N), Data<T>.Vector(r, N));
        (_dx, _dA, _dy) = (new(N), new(N, N), new(N));
        (_vx, _vA, _vy) = (Data<T>.Vector(r, N), Data<T>.Matrix(r, N, N), Data<T>.Vector(r, N)); // after the inputs, which stay as they were
        (_hvpDx, _hvpDA, _hvpDy, _hvx, _hvA, _hvy) = (new(N), new(N, N), new(N), new(N), new(N, N), new(N));
        (_hx, _hA, _hy, _fAy) = (new(N), new(N, N), new(N), new(N));
    }

    [Benchmark]
    public override double Generated()
    {
        return ToDouble(_backward(_x, _a, _y, _dx, _dA, _dy));
    }

    [Benchmark]
    public override double GeneratedWithGradient() => ToDouble(_withGradient(_x, _a, _y, out _, out _, out _));

    [Benchmark]
    public double GeneratedHvp() => ToDouble(_hvp(_x, _a, _y, _vx, _vA, _vy, _hvpDx, _hvpDA, _hvpDy, _hvx, _hvA, _hvy));

    [Benchmark]
    public override double HandWritten()
    {
        var ay = Products.Multiply(_a, _y, ref _hx);          // ∇x = Ay
        Products.Outer(_x, _y, ref _hA);                       // ∇A = xyᵀ
        Products.MultiplyTransposeA(_a, _x, ref _hy);          // ∇y = Aᵀx
        return ToDouble(Ops.Dot(_x, ay));
    }

    [Benchmark]
    public override double Forward() => ToDouble(_forward(_x, _a, _y));

    [Benchmark]
    public override double ForwardHandWritten() => ToDouble(Ops.Dot(_x, Products.Multiply(_a, _y, ref _fAy)));

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        _withGradient(_x, _a, _y, out var dx, out var dA, out var dy);
        yield return ("x", Snap(_dx), Snap(dx), Snap(_hx!));
        yield return ("A", Snap(_dA), Snap(dA), Snap(_hA!));
        yield return ("y", Snap(_dy), Snap(dy), Snap(_hy!));
    }

    public override Func<double> Hvp => GeneratedHvp;

    public override IEnumerable<(string, double, double)> HvpChecks()
        => CompareHvp(GeneratedHvp, [_hvpDx.Data, _hvpDA.Data, _hvpDy.Data], [_hvx.Data, _hvA.Data, _hvy.Data],
            [_dx.Data, _dA.Data, _dy.Data], [_x.Data, _a.Data, _y.Data], [_vx.Data, _vA.Data, _vy.Data]);
}

/// <summary>W2: L = ‖Xw − y‖², X 1000×100, ∇w = 2Xᵀ(Xw − y).</summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W2LeastSquares<T> : WorkloadBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Vector<T> _w, _y, _dw;
    private Matrix<T> _x;

    // the generated LeastSquaresBackward (workspace bound, accumulate: false), LeastSquaresWithGradient, LeastSquares and
    // LeastSquaresHessianVectorProduct (the zero-allocation twin: workspace bound, accumulate: false) for T
    private delegate T BackwardFn(Vector<T> w, Matrix<T> X, Vector<T> y, Vector<T> dw);
    private delegate T WithGradientFn(Vector<T> w, Matrix<T> X, Vector<T> y, out Vector<T> dw);
    private delegate T ForwardFn(Vector<T> w, Matrix<T> X, Vector<T> y);
    private delegate T HvpFn(Vector<T> w, Matrix<T> X, Vector<T> y, Vector<T> vw, Vector<T> dw, Vector<T> hvw);

    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("LeastSquaresBackward");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("LeastSquaresWithGradient");
    private readonly ForwardFn _forward = Generated<T>.Bind<ForwardFn>("LeastSquares");
    private readonly HvpFn _hvp = Generated<T>.Bind<HvpFn>("LeastSquaresHessianVectorProduct");

    // GeneratedHvp: the direction v (drawn in Prepare), the gradients and the products H v it writes
    private Vector<T> _vw, _hvpDw, _hvw;

    private Vector<T>? _r, _hw, _fr;

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(2);
        (_w, _x, _y) = (Data<T>.Vector(r, 100), Data<T>.Matrix(r, 1000, 100), Data<T>.Vector(r, 1000));
        _dw = new(100);
        _vw = Data<T>.Vector(r, 100); // after the inputs, which stay as they were
        (_hvpDw, _hvw) = (new(100), new(100));
        (_r, _hw, _fr) = (new(1000), new(100), new(1000));
    }

    [Benchmark]
    public override double Generated()
    {
        return ToDouble(_backward(_w, _x, _y, _dw));
    }

    [Benchmark]
    public override double GeneratedWithGradient() => ToDouble(_withGradient(_w, _x, _y, out _));

    [Benchmark]
    public double GeneratedHvp() => ToDouble(_hvp(_w, _x, _y, _vw, _hvpDw, _hvw));

    [Benchmark]
    public override double HandWritten()
    {
        var r = Products.Multiply(_x, _w, ref _r).AsSpan();
        TensorPrimitives.Subtract(r, _y.AsSpan(), r);               // r = Xw − y
        T loss = TensorPrimitives.SumOfSquares<T>(r);
        var dw = Products.MultiplyTransposeA(_x, _r!, ref _hw).AsSpan(); // Xᵀr
        TensorPrimitives.Multiply(dw, C(2.0), dw);                      // ∇w = 2Xᵀr
        return ToDouble(loss);
    }

    [Benchmark]
    public override double Forward() => ToDouble(_forward(_w, _x, _y));

    [Benchmark]
    public override double ForwardHandWritten()
    {
        var r = Products.Multiply(_x, _w, ref _fr).AsSpan();
        TensorPrimitives.Subtract(r, _y.AsSpan(), r);
        return ToDouble(TensorPrimitives.SumOfSquares<T>(r));
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        _withGradient(_w, _x, _y, out var dw);
        yield return ("w", Snap(_dw), Snap(dw), Snap(_hw!));
    }

    public override Func<double> Hvp => GeneratedHvp;

    public override IEnumerable<(string, double, double)> HvpChecks()
        => CompareHvp(GeneratedHvp, [_hvpDw.Data], [_hvw.Data], [_dw.Data], [_w.Data], [_vw.Data]);
}

/// <summary>
/// W3: Gaussian NLL, L = N log|Σ| + Σᵢ(xᵢ−μ)ᵀΣ⁻¹(xᵢ−μ), N = 1000 samples in columns.
/// Hand-written closed form with S = CCᵀ: L = N log|Σ| + ⟨Σ⁻ᵀ, S⟩, ∇Σ = NΣ⁻ᵀ − Σ⁻ᵀSΣ⁻ᵀ,
/// ∇μ = −(Σ⁻¹ + Σ⁻ᵀ)C𝟙 (one D²N product instead of two D²N solves and a D²N product).
/// </summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W3GaussianNll<T> : WorkloadBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Samples = 1000;
    private Vector<T> _mu, _dmu;
    private Matrix<T> _sigma, _x, _dSigma;

    // the generated GaussianNllBackward (workspace bound, accumulate: false), GaussianNllWithGradient, GaussianNll and
    // GaussianNllHessianVectorProduct (the zero-allocation twin: workspace bound, accumulate: false) for T
    private delegate T BackwardFn(Vector<T> mu, Matrix<T> Sigma, Matrix<T> X, Vector<T> dmu, Matrix<T> dSigma);
    private delegate T WithGradientFn(Vector<T> mu, Matrix<T> Sigma, Matrix<T> X, out Vector<T> dmu, out Matrix<T> dSigma);
    private delegate T ForwardFn(Vector<T> mu, Matrix<T> Sigma, Matrix<T> X);
    private delegate T HvpFn(Vector<T> mu, Matrix<T> Sigma, Matrix<T> X, Vector<T> vmu, Matrix<T> vSigma,
        Vector<T> dmu, Matrix<T> dSigma, Vector<T> hvmu, Matrix<T> hvSigma);

    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("GaussianNllBackward");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("GaussianNllWithGradient");
    private readonly ForwardFn _forward = Generated<T>.Bind<ForwardFn>("GaussianNll");
    private readonly HvpFn _hvp = Generated<T>.Bind<HvpFn>("GaussianNllHessianVectorProduct");

    // GeneratedHvp: the direction v (drawn in Prepare), the gradients and the products H v it writes
    private Vector<T> _vmu, _hvpDmu, _hvmu;
    private Matrix<T> _vSigma, _hvpDSigma, _hvSigma;

    private Matrix<T>? _c, _s, _gi, _m1, _hSigma, _fc, _fz;
    private Vector<T>? _cbar, _u, _v, _hmu;
    private LuFactorization<T>? _lu, _flu;

    [Params(16, 128)]
    public int D { get; set; }

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(3);
        _mu = Data<T>.Vector(r, D, 0.1);
        _sigma = Data<T>.Spd(r, D);
        _x = Data<T>.Matrix(r, D, Samples);
        (_dmu, _dSigma) = (new(D), new(D, D));
        (_vmu, _vSigma) = (Data<T>.Vector(r, D), Data<T>.Matrix(r, D, D)); // after the inputs, which stay as they were
        (_hvpDmu, _hvpDSigma, _hvmu, _hvSigma) = (new(D), new(D, D), new(D), new(D, D));
        (_c, _s, _gi, _m1, _hSigma) = (new(D, Samples), new(D, D), new(D, D), new(D, D), new(D, D));
        (_fc, _fz) = (new(D, Samples), new(D, Samples));
        (_cbar, _u, _v, _hmu) = (new(D), new(D), new(D), new(D));
        HandWritten(); ForwardHandWritten(); // factorizations sized once
    }

    [Benchmark]
    public override double Generated()
    {
        return ToDouble(_backward(_mu, _sigma, _x, _dmu, _dSigma));
    }

    [Benchmark]
    public override double GeneratedWithGradient() => ToDouble(_withGradient(_mu, _sigma, _x, out _, out _));

    [Benchmark]
    public double GeneratedHvp() => ToDouble(_hvp(_mu, _sigma, _x, _vmu, _vSigma, _hvpDmu, _hvpDSigma, _hvmu, _hvSigma));

    [Benchmark]
    public override double HandWritten()
    {
        var c = Linear.SubtractColumns(_x, _mu, ref _c);                 // C = X − μ𝟙ᵀ
        var lu = Factorization.Factor(_sigma, MatrixOperation.LogDet, ref _lu);
        var gi = lu.InverseTransposed(ref _gi);                        // Σ⁻ᵀ
        var s = Products.MultiplyTransposeB(c, c, ref _s);                 // S = CCᵀ
        T loss = C(Samples) * lu.LogAbsDeterminant() + Ops.Dot(gi, s);
        var m1 = Products.Multiply(gi, s, ref _m1);                        // Σ⁻ᵀS
        var dSigma = Products.Multiply(m1, gi, ref _hSigma).AsSpan();      // Σ⁻ᵀSΣ⁻ᵀ
        TensorPrimitives.Negate(dSigma, dSigma);
        TensorPrimitives.MultiplyAdd(gi.AsSpan(), C(Samples), dSigma, dSigma); // ∇Σ = NΣ⁻ᵀ − Σ⁻ᵀSΣ⁻ᵀ
        var cbar = Linear.SumColumns(c, ref _cbar);                      // C𝟙
        var u = Products.Multiply(gi, cbar, ref _u).AsSpan();              // Σ⁻ᵀC𝟙
        var v = Products.MultiplyTransposeA(gi, cbar, ref _v).AsSpan();    // Σ⁻¹C𝟙
        var dmu = _hmu!.AsSpan();
        TensorPrimitives.Add(u, v, dmu);
        TensorPrimitives.Negate(dmu, dmu);                             // ∇μ = −(Σ⁻¹ + Σ⁻ᵀ)C𝟙
        return ToDouble(loss);
    }

    [Benchmark]
    public override double Forward() => ToDouble(_forward(_mu, _sigma, _x));

    [Benchmark]
    public override double ForwardHandWritten()
    {
        var c = Linear.SubtractColumns(_x, _mu, ref _fc);
        var lu = Factorization.Factor(_sigma, MatrixOperation.LogDet, ref _flu);
        var z = lu.Solve(c, ref _fz);
        return ToDouble(C(Samples) * lu.LogAbsDeterminant() + Ops.Dot(c, z));
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        _withGradient(_mu, _sigma, _x, out var dmu, out var dSigma);
        yield return ("mu", Snap(_dmu), Snap(dmu), Snap(_hmu!));
        yield return ("Sigma", Snap(_dSigma), Snap(dSigma), Snap(_hSigma!));
    }

    public override Func<double> Hvp => GeneratedHvp;

    public override IEnumerable<(string, double, double)> HvpChecks()
        => CompareHvp(GeneratedHvp, [_hvpDmu.Data, _hvpDSigma.Data], [_hvmu.Data, _hvSigma.Data],
            [_dmu.Data, _dSigma.Data], [_mu.Data, _sigma.Data], [_vmu.Data, _vSigma.Data]);
}

/// <summary>W4: f = xᵀAσ(B⁻¹z + b), N = 64.</summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W4SigmoidForm<T> : WorkloadBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int N = 64;
    private Vector<T> _x, _z, _b, _dz, _db;
    private Matrix<T> _a, _bm, _dB;

    // the generated SigmoidFormBackward (workspace bound, accumulate: false), SigmoidFormWithGradient, SigmoidForm and
    // SigmoidFormHessianVectorProduct (the zero-allocation twin: workspace bound, accumulate: false) for T
    private delegate T BackwardFn(Vector<T> x, Matrix<T> A, Matrix<T> B, Vector<T> z, Vector<T> b, Matrix<T> dB, Vector<T> dz, Vector<T> db);
    private delegate T WithGradientFn(Vector<T> x, Matrix<T> A, Matrix<T> B, Vector<T> z, Vector<T> b, out Matrix<T> dB, out Vector<T> dz, out Vector<T> db);
    private delegate T ForwardFn(Vector<T> x, Matrix<T> A, Matrix<T> B, Vector<T> z, Vector<T> b);
    private delegate T HvpFn(Vector<T> x, Matrix<T> A, Matrix<T> B, Vector<T> z, Vector<T> b, Matrix<T> vB, Vector<T> vz, Vector<T> vb,
        Matrix<T> dB, Vector<T> dz, Vector<T> db, Matrix<T> hvB, Vector<T> hvz, Vector<T> hvb);

    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("SigmoidFormBackward");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("SigmoidFormWithGradient");
    private readonly ForwardFn _forward = Generated<T>.Bind<ForwardFn>("SigmoidForm");
    private readonly HvpFn _hvp = Generated<T>.Bind<HvpFn>("SigmoidFormHessianVectorProduct");

    // GeneratedHvp: the direction v (drawn in Prepare), the gradients and the products H v it writes
    private Matrix<T> _vB, _hvpDB, _hvB;
    private Vector<T> _vz, _vb, _hvpDz, _hvpDb, _hvz, _hvb;

    private LuFactorization<T>? _lu, _flu;
    private Vector<T>? _u, _s, _as, _ax, _hdb, _hdz, _fu, _fs, _fas;
    private Matrix<T>? _hdB;

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(4);
        (_x, _a) = (Data<T>.Vector(r, N), Data<T>.Matrix(r, N, N));
        _bm = Data<T>.Spd(r, N);
        (_z, _b) = (Data<T>.Vector(r, N), Data<T>.Vector(r, N));
        (_dB, _dz, _db) = (new(N, N), new(N), new(N));
        (_vB, _vz, _vb) = (Data<T>.Matrix(r, N, N), Data<T>.Vector(r, N), Data<T>.Vector(r, N)); // after the inputs, which stay as they were
        (_hvpDB, _hvpDz, _hvpDb, _hvB, _hvz, _hvb) = (new(N, N), new(N), new(N), new(N, N), new(N), new(N));
        (_u, _s, _as, _ax, _hdb, _hdz, _hdB) = (new(N), new(N), new(N), new(N), new(N), new(N), new(N, N));
        (_fu, _fs, _fas) = (new(N), new(N), new(N));
        HandWritten(); ForwardHandWritten();
    }

    [Benchmark]
    public override double Generated()
    {
        return ToDouble(_backward(_x, _a, _bm, _z, _b, _dB, _dz, _db));
    }

    [Benchmark]
    public override double GeneratedWithGradient() => ToDouble(_withGradient(_x, _a, _bm, _z, _b, out _, out _, out _));

    [Benchmark]
    public double GeneratedHvp() => ToDouble(_hvp(_x, _a, _bm, _z, _b, _vB, _vz, _vb, _hvpDB, _hvpDz, _hvpDb, _hvB, _hvz, _hvb));

    [Benchmark]
    public override double HandWritten()
    {
        var lu = Factorization.Factor(_bm, MatrixOperation.Solve, ref _lu);
        var u = lu.Solve(_z, ref _u);                                  // u = B⁻¹z
        var s = _s!.AsSpan();
        TensorPrimitives.Add(u.AsSpan(), _b.AsSpan(), s);
        TensorPrimitives.Sigmoid<T>(s, s);                        // s = σ(h)
        T f = Ops.Dot(_x, Products.Multiply(_a, _s!, ref _as));      // xᵀAs
        var ax = Products.MultiplyTransposeA(_a, _x, ref _ax);             // Aᵀx
        var db = Elementwise.SigmoidBackward(_s!, ax, ref _hdb);              // ∇b = (Aᵀx) ⊙ σ′(h)
        var dz = lu.SolveTransposed(db, ref _hdz);                     // ∇z = B⁻ᵀ∇b
        var dB = Products.Outer(dz, u, ref _hdB).AsSpan();
        TensorPrimitives.Negate(dB, dB);                               // ∇B = −∇z uᵀ
        return ToDouble(f);
    }

    [Benchmark]
    public override double Forward() => ToDouble(_forward(_x, _a, _bm, _z, _b));

    [Benchmark]
    public override double ForwardHandWritten()
    {
        var lu = Factorization.Factor(_bm, MatrixOperation.Solve, ref _flu);
        var u = lu.Solve(_z, ref _fu);
        var s = _fs!.AsSpan();
        TensorPrimitives.Add(u.AsSpan(), _b.AsSpan(), s);
        TensorPrimitives.Sigmoid<T>(s, s);
        return ToDouble(Ops.Dot(_x, Products.Multiply(_a, _fs!, ref _fas)));
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        _withGradient(_x, _a, _bm, _z, _b, out var dB, out var dz, out var db);
        yield return ("B", Snap(_dB), Snap(dB), Snap(_hdB!));
        yield return ("z", Snap(_dz), Snap(dz), Snap(_hdz!));
        yield return ("b", Snap(_db), Snap(db), Snap(_hdb!));
    }

    public override Func<double> Hvp => GeneratedHvp;

    public override IEnumerable<(string, double, double)> HvpChecks()
        => CompareHvp(GeneratedHvp, [_hvpDB.Data, _hvpDz.Data, _hvpDb.Data], [_hvB.Data, _hvz.Data, _hvb.Data],
            [_dB.Data, _dz.Data, _db.Data], [_bm.Data, _z.Data, _b.Data], [_vB.Data, _vz.Data, _vb.Data]);
}

/// <summary>W5: softmax regression 784→10, L = CE(WX + b𝟙ᵀ, Y); ∇W = G Xᵀ, ∇b = G𝟙, G = (softmax − Y)/N.</summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W5SoftmaxRegression<T> : WorkloadBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T> _w, _x, _y, _dW;
    private Vector<T> _b, _db;

    // the generated SoftmaxRegressionBackward (workspace bound, accumulate: false), SoftmaxRegressionWithGradient, SoftmaxRegression and
    // SoftmaxRegressionHessianVectorProduct (the zero-allocation twin: workspace bound, accumulate: false) for T
    private delegate T BackwardFn(Matrix<T> W, Vector<T> b, Matrix<T> X, Matrix<T> Y, Matrix<T> dW, Vector<T> db);
    private delegate T WithGradientFn(Matrix<T> W, Vector<T> b, Matrix<T> X, Matrix<T> Y, out Matrix<T> dW, out Vector<T> db);
    private delegate T ForwardFn(Matrix<T> W, Vector<T> b, Matrix<T> X, Matrix<T> Y);
    private delegate T HvpFn(Matrix<T> W, Vector<T> b, Matrix<T> X, Matrix<T> Y, Matrix<T> vW, Vector<T> vb,
        Matrix<T> dW, Vector<T> db, Matrix<T> hvW, Vector<T> hvb);

    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("SoftmaxRegressionBackward");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("SoftmaxRegressionWithGradient");
    private readonly ForwardFn _forward = Generated<T>.Bind<ForwardFn>("SoftmaxRegression");
    private readonly HvpFn _hvp = Generated<T>.Bind<HvpFn>("SoftmaxRegressionHessianVectorProduct");

    // GeneratedHvp: the direction v (drawn in Prepare), the gradients and the products H v it writes
    private Matrix<T> _vW, _hvpDW, _hvW;
    private Vector<T> _vb, _hvpDb, _hvb;

    private Matrix<T>? _z, _g, _hW, _fz;
    private Vector<T>? _hb;
    private T[] _colA, _colB, _row;

    [Params(1, 64, 256)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(5);
        (_w, _b) = (Data<T>.Matrix(r, 10, 784, 0.05), Data<T>.Vector(r, 10, 0.1));
        (_x, _y) = (Data<T>.Matrix(r, 784, Batch), Data<T>.OneHot(r, 10, Batch));
        (_dW, _db) = (new(10, 784), new(10));
        (_vW, _vb) = (Data<T>.Matrix(r, 10, 784), Data<T>.Vector(r, 10)); // after the inputs, which stay as they were
        (_hvpDW, _hvpDb, _hvW, _hvb) = (new(10, 784), new(10), new(10, 784), new(10));
        (_z, _g, _hW, _fz, _hb) = (new(10, Batch), new(10, Batch), new(10, 784), new(10, Batch), new(10));
        (_colA, _colB, _row) = (new T[Batch], new T[Batch], new T[Batch]);
    }

    [Benchmark]
    public override double Generated()
    {
        return ToDouble(_backward(_w, _b, _x, _y, _dW, _db));
    }

    [Benchmark]
    public override double GeneratedWithGradient() => ToDouble(_withGradient(_w, _b, _x, _y, out _, out _));

    [Benchmark]
    public double GeneratedHvp() => ToDouble(_hvp(_w, _b, _x, _y, _vW, _vb, _hvpDW, _hvpDb, _hvW, _hvb));

    [Benchmark]
    public override double HandWritten()
    {
        var z = Products.Multiply(_w, _x, ref _z);
        AddColumnsInPlace(z, _b);
        T loss = CrossEntropyWithGradient(z, _y, _g!, _colA, _colB);
        Linear.SumColumns(_g!, ref _hb);                     // ∇b = G𝟙
        Products.MultiplyTransposeB(_g!, _x, ref _hW);          // ∇W = GXᵀ
        return ToDouble(loss);
    }

    [Benchmark]
    public override double Forward() => ToDouble(_forward(_w, _b, _x, _y));

    [Benchmark]
    public override double ForwardHandWritten()
    {
        var z = Products.Multiply(_w, _x, ref _fz);
        AddColumnsInPlace(z, _b);
        return ToDouble(CrossEntropy(z, _y, _colA, _colB, _row));
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        _withGradient(_w, _b, _x, _y, out var dW, out var db);
        yield return ("W", Snap(_dW), Snap(dW), Snap(_hW!));
        yield return ("b", Snap(_db), Snap(db), Snap(_hb!));
    }

    public override Func<double> Hvp => GeneratedHvp;

    public override IEnumerable<(string, double, double)> HvpChecks()
        => CompareHvp(GeneratedHvp, [_hvpDW.Data, _hvpDb.Data], [_hvW.Data, _hvb.Data],
            [_dW.Data, _db.Data], [_w.Data, _b.Data], [_vW.Data, _vb.Data]);
}

/// <summary>W6: two-layer network 784→256→10 (sigmoid hidden), cross-entropy.</summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W6TwoLayer<T> : WorkloadBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T> _w1, _w2, _x, _y, _dW1, _dW2;
    private Vector<T> _b1, _b2, _db1, _db2;

    // the generated TwoLayerBackward (workspace bound, accumulate: false), TwoLayerWithGradient, TwoLayer and
    // TwoLayerHessianVectorProduct (the zero-allocation twin: workspace bound, accumulate: false) for T
    private delegate T BackwardFn(Matrix<T> W1, Vector<T> b1, Matrix<T> W2, Vector<T> b2, Matrix<T> X, Matrix<T> Y, Matrix<T> dW1, Vector<T> db1, Matrix<T> dW2, Vector<T> db2);
    private delegate T WithGradientFn(Matrix<T> W1, Vector<T> b1, Matrix<T> W2, Vector<T> b2, Matrix<T> X, Matrix<T> Y, out Matrix<T> dW1, out Vector<T> db1, out Matrix<T> dW2, out Vector<T> db2);
    private delegate T ForwardFn(Matrix<T> W1, Vector<T> b1, Matrix<T> W2, Vector<T> b2, Matrix<T> X, Matrix<T> Y);
    private delegate T HvpFn(Matrix<T> W1, Vector<T> b1, Matrix<T> W2, Vector<T> b2, Matrix<T> X, Matrix<T> Y,
        Matrix<T> vW1, Vector<T> vb1, Matrix<T> vW2, Vector<T> vb2,
        Matrix<T> dW1, Vector<T> db1, Matrix<T> dW2, Vector<T> db2, Matrix<T> hvW1, Vector<T> hvb1, Matrix<T> hvW2, Vector<T> hvb2);

    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("TwoLayerBackward");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("TwoLayerWithGradient");
    private readonly ForwardFn _forward = Generated<T>.Bind<ForwardFn>("TwoLayer");
    private readonly HvpFn _hvp = Generated<T>.Bind<HvpFn>("TwoLayerHessianVectorProduct");

    // GeneratedHvp: the direction v (drawn in Prepare), the gradients and the products H v it writes
    private Matrix<T> _vW1, _vW2, _hvpDW1, _hvpDW2, _hvW1, _hvW2;
    private Vector<T> _vb1, _vb2, _hvpDb1, _hvpDb2, _hvb1, _hvb2;

    private Matrix<T>? _h, _z, _g2, _g1, _hW1, _hW2, _fh, _fz;
    private Vector<T>? _hb1, _hb2;
    private T[] _colA, _colB, _row;

    [Params(1, 64, 256)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(6);
        (_w1, _b1) = (Data<T>.Matrix(r, 256, 784, 0.05), Data<T>.Vector(r, 256, 0.1));
        (_w2, _b2) = (Data<T>.Matrix(r, 10, 256, 0.1), Data<T>.Vector(r, 10, 0.1));
        (_x, _y) = (Data<T>.Matrix(r, 784, Batch), Data<T>.OneHot(r, 10, Batch));
        (_dW1, _db1, _dW2, _db2) = (new(256, 784), new(256), new(10, 256), new(10));
        // after the inputs, which stay as they were
        (_vW1, _vb1, _vW2, _vb2) = (Data<T>.Matrix(r, 256, 784), Data<T>.Vector(r, 256), Data<T>.Matrix(r, 10, 256), Data<T>.Vector(r, 10));
        (_hvpDW1, _hvpDb1, _hvpDW2, _hvpDb2) = (new(256, 784), new(256), new(10, 256), new(10));
        (_hvW1, _hvb1, _hvW2, _hvb2) = (new(256, 784), new(256), new(10, 256), new(10));
        (_h, _z, _g2, _g1) = (new(256, Batch), new(10, Batch), new(10, Batch), new(256, Batch));
        (_hW1, _hW2, _hb1, _hb2) = (new(256, 784), new(10, 256), new(256), new(10));
        (_fh, _fz) = (new(256, Batch), new(10, Batch));
        (_colA, _colB, _row) = (new T[Batch], new T[Batch], new T[Batch]);
    }

    [Benchmark]
    public override double Generated()
    {
        return ToDouble(_backward(_w1, _b1, _w2, _b2, _x, _y, _dW1, _db1, _dW2, _db2));
    }

    [Benchmark]
    public override double GeneratedWithGradient()
        => ToDouble(_withGradient(_w1, _b1, _w2, _b2, _x, _y, out _, out _, out _, out _));

    [Benchmark]
    public double GeneratedHvp()
        => ToDouble(_hvp(_w1, _b1, _w2, _b2, _x, _y, _vW1, _vb1, _vW2, _vb2, _hvpDW1, _hvpDb1, _hvpDW2, _hvpDb2, _hvW1, _hvb1, _hvW2, _hvb2));

    [Benchmark]
    public override double HandWritten()
    {
        // H = σ(W₁X + b₁𝟙ᵀ): the bias and σ in the GEMM's epilogue, as a hand-writer with this runtime would.
        var h = Fused.MultiplyAddColumnsActivate(_w1, _x, _b1, Activation.Sigmoid, ref _h);
        var z = Products.Multiply(_w2, h, ref _z);
        AddColumnsInPlace(z, _b2);
        T loss = CrossEntropyWithGradient(z, _y, _g2!, _colA, _colB);
        Linear.SumColumns(_g2!, ref _hb2);                               // ∇b₂ = G₂𝟙
        Products.MultiplyTransposeB(_g2!, h, ref _hW2);                     // ∇W₂ = G₂Hᵀ
        // G₁ = W₂ᵀG₂ ⊙ H ⊙ (1 − H): σ′ in the GEMM's epilogue.
        var g1 = Fused.MultiplyActivationBackward(_w2, _g2!, h, Activation.Sigmoid, transposeLeft: true, transposeRight: false, ref _g1);
        Linear.SumColumns(g1, ref _hb1);                                 // ∇b₁ = G₁𝟙
        Products.MultiplyTransposeB(g1, _x, ref _hW1);                      // ∇W₁ = G₁Xᵀ
        return ToDouble(loss);
    }

    [Benchmark]
    public override double Forward() => ToDouble(_forward(_w1, _b1, _w2, _b2, _x, _y));

    [Benchmark]
    public override double ForwardHandWritten()
    {
        var h = Fused.MultiplyAddColumnsActivate(_w1, _x, _b1, Activation.Sigmoid, ref _fh);
        var z = Products.Multiply(_w2, h, ref _fz);
        AddColumnsInPlace(z, _b2);
        return ToDouble(CrossEntropy(z, _y, _colA, _colB, _row));
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        _withGradient(_w1, _b1, _w2, _b2, _x, _y, out var dW1, out var db1, out var dW2, out var db2);
        yield return ("W1", Snap(_dW1), Snap(dW1), Snap(_hW1!));
        yield return ("b1", Snap(_db1), Snap(db1), Snap(_hb1!));
        yield return ("W2", Snap(_dW2), Snap(dW2), Snap(_hW2!));
        yield return ("b2", Snap(_db2), Snap(db2), Snap(_hb2!));
    }

    public override Func<double> Hvp => GeneratedHvp;

    public override IEnumerable<(string, double, double)> HvpChecks()
        => CompareHvp(GeneratedHvp, [_hvpDW1.Data, _hvpDb1.Data, _hvpDW2.Data, _hvpDb2.Data],
            [_hvW1.Data, _hvb1.Data, _hvW2.Data, _hvb2.Data],
            [_dW1.Data, _db1.Data, _dW2.Data, _db2.Data],
            [_w1.Data, _b1.Data, _w2.Data, _b2.Data],
            [_vW1.Data, _vb1.Data, _vW2.Data, _vb2.Data]);
}

/// <summary>W7 (single image): L = ‖X ⋆ K − T‖², X 28×28, K 5×5; ∇K = X ⋆ 2(X ⋆ K − T).</summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W7ConvSingle<T> : WorkloadBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T> _k, _x, _t, _dK;

    // the generated ConvSingleBackward (workspace bound, accumulate: false), ConvSingleWithGradient and ConvSingle for T
    private delegate T BackwardFn(Matrix<T> K, Matrix<T> X, Matrix<T> T, Matrix<T> dK);
    private delegate T WithGradientFn(Matrix<T> K, Matrix<T> X, Matrix<T> T, out Matrix<T> dK);
    private delegate T ForwardFn(Matrix<T> K, Matrix<T> X, Matrix<T> T);

    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("ConvSingleBackward");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("ConvSingleWithGradient");
    private readonly ForwardFn _forward = Generated<T>.Bind<ForwardFn>("ConvSingle");

    private Matrix<T> _h, _hK, _fh;

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(7);
        (_k, _x, _t) = (Data<T>.Matrix(r, 5, 5), Data<T>.Matrix(r, 28, 28), Data<T>.Matrix(r, 24, 24));
        (_dK, _h, _hK, _fh) = (new(5, 5), new(24, 24), new(5, 5), new(24, 24));
    }

    [Benchmark]
    public override double Generated()
    {
        return ToDouble(_backward(_k, _x, _t, _dK));
    }

    [Benchmark]
    public override double GeneratedWithGradient() => ToDouble(_withGradient(_k, _x, _t, out _));

    [Benchmark]
    public override double HandWritten()
    {
        Conv2DSingle(_x, _k, _h);
        var r = _h.AsSpan();
        TensorPrimitives.Subtract(r, _t.AsSpan(), r);                  // R = X ⋆ K − T
        T loss = TensorPrimitives.SumOfSquares<T>(r);
        TensorPrimitives.Multiply(r, C(2.0), r);                           // ∇H = 2R
        Conv2DSingleBackwardKernel(_x, _h, _hK);                        // ∇K = X ⋆ ∇H
        return ToDouble(loss);
    }

    [Benchmark]
    public override double Forward() => ToDouble(_forward(_k, _x, _t));

    [Benchmark]
    public override double ForwardHandWritten()
    {
        Conv2DSingle(_x, _k, _fh);
        var r = _fh.AsSpan();
        TensorPrimitives.Subtract(r, _t.AsSpan(), r);
        return ToDouble(TensorPrimitives.SumOfSquares<T>(r));
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        _withGradient(_k, _x, _t, out var dK);
        yield return ("K", Snap(_dK), Snap(dK), Snap(_hK));
    }
}

/// <summary>
/// W7 (batched): 64 images 28×28, 1→8 channels 5×5, ReLU, dense 4608→10, cross-entropy.
/// </summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W7ConvBatch<T> : WorkloadBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Batch = 64, Hidden = 8 * 24 * 24;
    private Matrix<T> _k, _w, _x, _y, _dK, _dW;
    private Vector<T> _b, _db;

    // the generated ConvNetBackward (workspace bound, accumulate: false), ConvNetWithGradient and ConvNet for T
    private delegate T BackwardFn(Matrix<T> K, Matrix<T> W, Vector<T> b, Matrix<T> X, Matrix<T> Y, Matrix<T> dK, Matrix<T> dW, Vector<T> db);
    private delegate T WithGradientFn(Matrix<T> K, Matrix<T> W, Vector<T> b, Matrix<T> X, Matrix<T> Y, out Matrix<T> dK, out Matrix<T> dW, out Vector<T> db);
    private delegate T ForwardFn(Matrix<T> K, Matrix<T> W, Vector<T> b, Matrix<T> X, Matrix<T> Y);

    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("ConvNetBackward");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("ConvNetWithGradient");
    private readonly ForwardFn _forward = Generated<T>.Bind<ForwardFn>("ConvNet");

    private Matrix<T> _hc, _hKd, _fhc;
    private Matrix<T>? _z, _g, _gpre, _hW, _fz;
    private Vector<T>? _hb;
    private T[] _colA, _colB, _row;

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(8);
        (_k, _w, _b) = (Data<T>.Matrix(r, 8, 25, 0.2), Data<T>.Matrix(r, 10, Hidden, 0.02), Data<T>.Vector(r, 10, 0.1));
        (_x, _y) = (Data<T>.Matrix(r, 784, Batch), Data<T>.OneHot(r, 10, Batch));
        (_dK, _dW, _db) = (new(8, 25), new(10, Hidden), new(10));
        (_hc, _hKd, _fhc) = (new(Hidden, Batch), new(8, 25), new(Hidden, Batch));
        (_z, _g, _gpre, _hW, _fz, _hb) = (new(10, Batch), new(10, Batch), new(Hidden, Batch), new(10, Hidden), new(10, Batch), new(10));
        (_colA, _colB, _row) = (new T[Batch], new T[Batch], new T[Batch]);
    }

    [Benchmark]
    public override double Generated()
    {
        return ToDouble(_backward(_k, _w, _b, _x, _y, _dK, _dW, _db));
    }

    [Benchmark]
    public override double GeneratedWithGradient() => ToDouble(_withGradient(_k, _w, _b, _x, _y, out _, out _, out _));

    [Benchmark]
    public override double HandWritten()
    {
        Conv2DBatched(_x, _k, 28, 28, 5, 5, _hc);
        TensorPrimitives.Max(_hc.AsSpan(), T.Zero, _hc.AsSpan());        // H = relu(conv(X, K))
        var z = Products.Multiply(_w, _hc, ref _z);
        AddColumnsInPlace(z, _b);
        T loss = CrossEntropyWithGradient(z, _y, _g!, _colA, _colB);
        Linear.SumColumns(_g!, ref _hb);                                  // ∇b = G𝟙
        Products.MultiplyTransposeB(_g!, _hc, ref _hW);                     // ∇W = GHᵀ
        // ∇pre = WᵀG ⊙ 𝟙[H > 0]: the mask in the GEMM's epilogue.
        var gpre = Fused.MultiplyActivationBackward(_w, _g!, _hc, Activation.Relu, transposeLeft: true, transposeRight: false, ref _gpre);
        Conv2DBatchedBackwardKernel(_x, gpre, 28, 28, 5, 5, _hKd);      // ∇K = X ⋆ ∇pre
        return ToDouble(loss);
    }

    [Benchmark]
    public override double Forward() => ToDouble(_forward(_k, _w, _b, _x, _y));

    [Benchmark]
    public override double ForwardHandWritten()
    {
        Conv2DBatched(_x, _k, 28, 28, 5, 5, _fhc);
        TensorPrimitives.Max(_fhc.AsSpan(), T.Zero, _fhc.AsSpan());
        var z = Products.Multiply(_w, _fhc, ref _fz);
        AddColumnsInPlace(z, _b);
        return ToDouble(CrossEntropy(z, _y, _colA, _colB, _row));
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        _withGradient(_k, _w, _b, _x, _y, out var dK, out var dW, out var db);
        yield return ("K", Snap(_dK), Snap(dK), Snap(_hKd));
        yield return ("W", Snap(_dW), Snap(dW), Snap(_hW!));
        yield return ("b", Snap(_db), Snap(db), Snap(_hb!));
    }
}

/// <summary>W8: one attention head, X 64×128 (tokens in columns), L = ‖V softmax(KᵀQ/8) − T‖².</summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W8Attention<T> : WorkloadBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int D = 64, Tokens = 128;
    private Matrix<T> _wq, _wk, _wv, _x, _t, _dWq, _dWk, _dWv;

    // the generated AttentionBackward (workspace bound, accumulate: false), AttentionWithGradient and Attention for T
    private delegate T BackwardFn(Matrix<T> Wq, Matrix<T> Wk, Matrix<T> Wv, Matrix<T> X, Matrix<T> T, Matrix<T> dWq, Matrix<T> dWk, Matrix<T> dWv);
    private delegate T WithGradientFn(Matrix<T> Wq, Matrix<T> Wk, Matrix<T> Wv, Matrix<T> X, Matrix<T> T, out Matrix<T> dWq, out Matrix<T> dWk, out Matrix<T> dWv);
    private delegate T ForwardFn(Matrix<T> Wq, Matrix<T> Wk, Matrix<T> Wv, Matrix<T> X, Matrix<T> T);

    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("AttentionBackward");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("AttentionWithGradient");
    private readonly ForwardFn _forward = Generated<T>.Bind<ForwardFn>("Attention");

    private Matrix<T>? _q, _k, _v, _p, _o, _gv, _gp, _gq, _gk, _hWq, _hWk, _hWv;
    private Matrix<T>? _fq, _fk, _fv, _fp, _fo;
    private T[] _colA, _colB;

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(9);
        (_wq, _wk, _wv) = (Data<T>.Matrix(r, D, D, 0.2), Data<T>.Matrix(r, D, D, 0.2), Data<T>.Matrix(r, D, D, 0.2));
        (_x, _t) = (Data<T>.Matrix(r, D, Tokens), Data<T>.Matrix(r, D, Tokens));
        (_dWq, _dWk, _dWv) = (new(D, D), new(D, D), new(D, D));
        (_q, _k, _v, _p, _o) = (new(D, Tokens), new(D, Tokens), new(D, Tokens), new(Tokens, Tokens), new(D, Tokens));
        (_gv, _gp, _gq, _gk) = (new(D, Tokens), new(Tokens, Tokens), new(D, Tokens), new(D, Tokens));
        (_hWq, _hWk, _hWv) = (new(D, D), new(D, D), new(D, D));
        (_fq, _fk, _fv, _fp, _fo) = (new(D, Tokens), new(D, Tokens), new(D, Tokens), new(Tokens, Tokens), new(D, Tokens));
        (_colA, _colB) = (new T[Tokens], new T[Tokens]);
    }

    [Benchmark]
    public override double Generated()
    {
        return ToDouble(_backward(_wq, _wk, _wv, _x, _t, _dWq, _dWk, _dWv));
    }

    [Benchmark]
    public override double GeneratedWithGradient() => ToDouble(_withGradient(_wq, _wk, _wv, _x, _t, out _, out _, out _));

    [Benchmark]
    public override double HandWritten()
    {
        var q = Products.Multiply(_wq, _x, ref _q);
        var k = Products.Multiply(_wk, _x, ref _k);
        var v = Products.Multiply(_wv, _x, ref _v);
        var p = Products.MultiplyTransposeA(k, q, ref _p);                // S = KᵀQ
        TensorPrimitives.Multiply(p.AsSpan(), C(0.125), p.AsSpan());
        SoftmaxColumnsInPlace(p, _colA, _colB);                       // P = softmax(S/8)
        var o = Products.Multiply(v, p, ref _o).AsSpan();
        TensorPrimitives.Subtract(o, _t.AsSpan(), o);                  // R = VP − T
        T loss = TensorPrimitives.SumOfSquares<T>(o);
        TensorPrimitives.Multiply(o, C(2.0), o);                          // ∇O = 2R
        Products.MultiplyTransposeB(_o!, p, ref _gv);                       // ∇V = ∇O Pᵀ
        var gs = Products.MultiplyTransposeA(v, _o!, ref _gp);             // ∇P = Vᵀ∇O
        SoftmaxBackwardInPlace(p, gs, C(0.125), _colA);                   // ∇S/8 = P ⊙ (∇P − 𝟙 colsum(P ⊙ ∇P)) / 8
        Products.Multiply(k, gs, ref _gq);                                  // ∇Q = K ∇S
        Products.MultiplyTransposeB(q, gs, ref _gk);                        // ∇K = Q ∇Sᵀ
        Products.MultiplyTransposeB(_gq!, _x, ref _hWq);                    // ∇Wq = ∇Q Xᵀ
        Products.MultiplyTransposeB(_gk!, _x, ref _hWk);
        Products.MultiplyTransposeB(_gv!, _x, ref _hWv);
        return ToDouble(loss);
    }

    [Benchmark]
    public override double Forward() => ToDouble(_forward(_wq, _wk, _wv, _x, _t));

    [Benchmark]
    public override double ForwardHandWritten()
    {
        var q = Products.Multiply(_wq, _x, ref _fq);
        var k = Products.Multiply(_wk, _x, ref _fk);
        var v = Products.Multiply(_wv, _x, ref _fv);
        var p = Products.MultiplyTransposeA(k, q, ref _fp);
        TensorPrimitives.Multiply(p.AsSpan(), C(0.125), p.AsSpan());
        SoftmaxColumnsInPlace(p, _colA, _colB);
        var o = Products.Multiply(v, p, ref _fo).AsSpan();
        TensorPrimitives.Subtract(o, _t.AsSpan(), o);
        return ToDouble(TensorPrimitives.SumOfSquares<T>(o));
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        _withGradient(_wq, _wk, _wv, _x, _t, out var dWq, out var dWk, out var dWv);
        yield return ("Wq", Snap(_dWq), Snap(dWq), Snap(_hWq!));
        yield return ("Wk", Snap(_dWk), Snap(dWk), Snap(_hWk!));
        yield return ("Wv", Snap(_dWv), Snap(dWv), Snap(_hWv!));
    }
}
