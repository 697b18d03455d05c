using System.Numerics.Tensors;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using BenchmarkDotNet.Attributes;
using static AutoGradGen.Benchmarks.Workloads.HandKernelsFloat;

// Float (float32) twin of Workloads.cs, derived mechanically (double → float, literals → f) so that
// every workload runs in both precisions; keep the two in step when a workload changes.

namespace AutoGradGen.Benchmarks.Workloads;

#pragma warning disable CS8618 // fields are set in [GlobalSetup]

/// <summary>W1: f = xᵀAy, ∇x = Ay, ∇A = xyᵀ, ∇y = Aᵀx.</summary>
public class W1BilinearFloat : WorkloadBenchmark
{
    public override double Tolerance => FloatTolerance;

    private Vector<float> _x, _y, _dx, _dy;
    private Matrix<float> _a, _dA;
    private readonly FloatModels.BilinearWorkspace _ws = new();
    private Vector<float>? _hx, _hy, _fAy;
    private Matrix<float>? _hA;

    [Params(64, 512)]
    public int N { get; set; }

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(1);
        (_x, _a, _y) = (DataFloat.Vector(r, N), DataFloat.Matrix(r, N, N), DataFloat.Vector(r, N));
        (_dx, _dA, _dy) = (new(N), new(N, N), new(N));
        (_hx, _hA, _hy, _fAy) = (new(N), new(N, N), new(N), new(N));
    }

    [Benchmark]
    public override double Generated()
    {
        return FloatModels.BilinearBackward(_x, _a, _y, _ws, _dx, _dA, _dy, accumulate: false);
    }

    [Benchmark]
    public override double GeneratedWithGradient() => FloatModels.BilinearWithGradient(_x, _a, _y, out _, out _, out _);

    [Benchmark]
    public override double HandWritten()
    {
        var ay = Products.Multiply(_a, _y, ref _hx);          // ∇x = Ay
        Products.Outer(_x, _y, ref _hA);                       // ∇A = xyᵀ
        Products.MultiplyTransposeA(_a, _x, ref _hy);          // ∇y = Aᵀx
        return Ops.Dot(_x, ay);
    }

    [Benchmark]
    public override double Forward() => FloatModels.Bilinear(_x, _a, _y);

    [Benchmark]
    public override double ForwardHandWritten() => Ops.Dot(_x, Products.Multiply(_a, _y, ref _fAy));

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        FloatModels.BilinearWithGradient(_x, _a, _y, out var dx, out var dA, out var dy);
        yield return ("x", Snap(_dx), Snap(dx), Snap(_hx!));
        yield return ("A", Snap(_dA), Snap(dA), Snap(_hA!));
        yield return ("y", Snap(_dy), Snap(dy), Snap(_hy!));
    }
}

/// <summary>W2: L = ‖Xw − y‖², X 1000×100, ∇w = 2Xᵀ(Xw − y).</summary>
public class W2LeastSquaresFloat : WorkloadBenchmark
{
    public override double Tolerance => FloatTolerance;

    private Vector<float> _w, _y, _dw;
    private Matrix<float> _x;
    private readonly FloatModels.LeastSquaresWorkspace _ws = new();
    private Vector<float>? _r, _hw, _fr;

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(2);
        (_w, _x, _y) = (DataFloat.Vector(r, 100), DataFloat.Matrix(r, 1000, 100), DataFloat.Vector(r, 1000));
        _dw = new(100);
        (_r, _hw, _fr) = (new(1000), new(100), new(1000));
    }

    [Benchmark]
    public override double Generated()
    {
        return FloatModels.LeastSquaresBackward(_w, _x, _y, _ws, _dw, accumulate: false);
    }

    [Benchmark]
    public override double GeneratedWithGradient() => FloatModels.LeastSquaresWithGradient(_w, _x, _y, out _);

    [Benchmark]
    public override double HandWritten()
    {
        var r = Products.Multiply(_x, _w, ref _r).AsSpan();
        TensorPrimitives.Subtract(r, _y.AsSpan(), r);               // r = Xw − y
        float loss = TensorPrimitives.SumOfSquares<float>(r);
        var dw = Products.MultiplyTransposeA(_x, _r!, ref _hw).AsSpan(); // Xᵀr
        TensorPrimitives.Multiply(dw, 2.0f, dw);                      // ∇w = 2Xᵀr
        return loss;
    }

    [Benchmark]
    public override double Forward() => FloatModels.LeastSquares(_w, _x, _y);

    [Benchmark]
    public override double ForwardHandWritten()
    {
        var r = Products.Multiply(_x, _w, ref _fr).AsSpan();
        TensorPrimitives.Subtract(r, _y.AsSpan(), r);
        return TensorPrimitives.SumOfSquares<float>(r);
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        FloatModels.LeastSquaresWithGradient(_w, _x, _y, out var dw);
        yield return ("w", Snap(_dw), Snap(dw), Snap(_hw!));
    }
}

/// <summary>
/// W3: Gaussian NLL, L = N log|Σ| + Σᵢ(xᵢ−μ)ᵀΣ⁻¹(xᵢ−μ), N = 1000 samples in columns.
/// Hand-written closed form with S = CCᵀ: L = N log|Σ| + ⟨Σ⁻ᵀ, S⟩, ∇Σ = NΣ⁻ᵀ − Σ⁻ᵀSΣ⁻ᵀ,
/// ∇μ = −(Σ⁻¹ + Σ⁻ᵀ)C𝟙 (one D²N product instead of two D²N solves and a D²N product).
/// </summary>
public class W3GaussianNllFloat : WorkloadBenchmark
{
    public override double Tolerance => FloatTolerance;

    private const int Samples = 1000;
    private Vector<float> _mu, _dmu;
    private Matrix<float> _sigma, _x, _dSigma;
    private readonly FloatModels.GaussianNllWorkspace _ws = new();
    private Matrix<float>? _c, _s, _gi, _m1, _hSigma, _fc, _fz;
    private Vector<float>? _cbar, _u, _v, _hmu;
    private LuFactorization<float>? _lu, _flu;

    [Params(16, 128)]
    public int D { get; set; }

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(3);
        _mu = DataFloat.Vector(r, D, 0.1f);
        _sigma = DataFloat.Spd(r, D);
        _x = DataFloat.Matrix(r, D, Samples);
        (_dmu, _dSigma) = (new(D), new(D, D));
        (_c, _s, _gi, _m1, _hSigma) = (new(D, Samples), new(D, D), new(D, D), new(D, D), new(D, D));
        (_fc, _fz) = (new(D, Samples), new(D, Samples));
        (_cbar, _u, _v, _hmu) = (new(D), new(D), new(D), new(D));
        HandWritten(); ForwardHandWritten(); // factorizations sized once
    }

    [Benchmark]
    public override double Generated()
    {
        return FloatModels.GaussianNllBackward(_mu, _sigma, _x, _ws, _dmu, _dSigma, accumulate: false);
    }

    [Benchmark]
    public override double GeneratedWithGradient() => FloatModels.GaussianNllWithGradient(_mu, _sigma, _x, out _, out _);

    [Benchmark]
    public override double HandWritten()
    {
        var c = Linear.SubtractColumns(_x, _mu, ref _c);                 // C = X − μ𝟙ᵀ
        var lu = Factorization.Factor(_sigma, MatrixOperation.LogDet, ref _lu);
        var gi = lu.InverseTransposed(ref _gi);                        // Σ⁻ᵀ
        var s = Products.MultiplyTransposeB(c, c, ref _s);                 // S = CCᵀ
        float loss = Samples * lu.LogAbsDeterminant() + Ops.Dot(gi, s);
        var m1 = Products.Multiply(gi, s, ref _m1);                        // Σ⁻ᵀS
        var dSigma = Products.Multiply(m1, gi, ref _hSigma).AsSpan();      // Σ⁻ᵀSΣ⁻ᵀ
        TensorPrimitives.Negate(dSigma, dSigma);
        TensorPrimitives.MultiplyAdd(gi.AsSpan(), (float)Samples, dSigma, dSigma); // ∇Σ = NΣ⁻ᵀ − Σ⁻ᵀSΣ⁻ᵀ
        var cbar = Linear.SumColumns(c, ref _cbar);                      // C𝟙
        var u = Products.Multiply(gi, cbar, ref _u).AsSpan();              // Σ⁻ᵀC𝟙
        var v = Products.MultiplyTransposeA(gi, cbar, ref _v).AsSpan();    // Σ⁻¹C𝟙
        var dmu = _hmu!.AsSpan();
        TensorPrimitives.Add(u, v, dmu);
        TensorPrimitives.Negate(dmu, dmu);                             // ∇μ = −(Σ⁻¹ + Σ⁻ᵀ)C𝟙
        return loss;
    }

    [Benchmark]
    public override double Forward() => FloatModels.GaussianNll(_mu, _sigma, _x);

    [Benchmark]
    public override double ForwardHandWritten()
    {
        var c = Linear.SubtractColumns(_x, _mu, ref _fc);
        var lu = Factorization.Factor(_sigma, MatrixOperation.LogDet, ref _flu);
        var z = lu.Solve(c, ref _fz);
        return Samples * lu.LogAbsDeterminant() + Ops.Dot(c, z);
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        FloatModels.GaussianNllWithGradient(_mu, _sigma, _x, out var dmu, out var dSigma);
        yield return ("mu", Snap(_dmu), Snap(dmu), Snap(_hmu!));
        yield return ("Sigma", Snap(_dSigma), Snap(dSigma), Snap(_hSigma!));
    }
}

/// <summary>W4: f = xᵀAσ(B⁻¹z + b), N = 64.</summary>
public class W4SigmoidFormFloat : WorkloadBenchmark
{
    public override double Tolerance => FloatTolerance;

    private const int N = 64;
    private Vector<float> _x, _z, _b, _dz, _db;
    private Matrix<float> _a, _bm, _dB;
    private readonly FloatModels.SigmoidFormWorkspace _ws = new();
    private LuFactorization<float>? _lu, _flu;
    private Vector<float>? _u, _s, _as, _ax, _hdb, _hdz, _fu, _fs, _fas;
    private Matrix<float>? _hdB;

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(4);
        (_x, _a) = (DataFloat.Vector(r, N), DataFloat.Matrix(r, N, N));
        _bm = DataFloat.Spd(r, N);
        (_z, _b) = (DataFloat.Vector(r, N), DataFloat.Vector(r, N));
        (_dB, _dz, _db) = (new(N, N), new(N), new(N));
        (_u, _s, _as, _ax, _hdb, _hdz, _hdB) = (new(N), new(N), new(N), new(N), new(N), new(N), new(N, N));
        (_fu, _fs, _fas) = (new(N), new(N), new(N));
        HandWritten(); ForwardHandWritten();
    }

    [Benchmark]
    public override double Generated()
    {
        return FloatModels.SigmoidFormBackward(_x, _a, _bm, _z, _b, _ws, _dB, _dz, _db, accumulate: false);
    }

    [Benchmark]
    public override double GeneratedWithGradient() => FloatModels.SigmoidFormWithGradient(_x, _a, _bm, _z, _b, out _, out _, out _);

    [Benchmark]
    public override double HandWritten()
    {
        var lu = Factorization.Factor(_bm, MatrixOperation.Solve, ref _lu);
        var u = lu.Solve(_z, ref _u);                                  // u = B⁻¹z
        var s = _s!.AsSpan();
        TensorPrimitives.Add(u.AsSpan(), _b.AsSpan(), s);
        TensorPrimitives.Sigmoid<float>(s, s);                        // s = σ(h)
        float f = Ops.Dot(_x, Products.Multiply(_a, _s!, ref _as));      // xᵀAs
        var ax = Products.MultiplyTransposeA(_a, _x, ref _ax);             // Aᵀx
        var db = Elementwise.SigmoidBackward(_s!, ax, ref _hdb);              // ∇b = (Aᵀx) ⊙ σ′(h)
        var dz = lu.SolveTransposed(db, ref _hdz);                     // ∇z = B⁻ᵀ∇b
        var dB = Products.Outer(dz, u, ref _hdB).AsSpan();
        TensorPrimitives.Negate(dB, dB);                               // ∇B = −∇z uᵀ
        return f;
    }

    [Benchmark]
    public override double Forward() => FloatModels.SigmoidForm(_x, _a, _bm, _z, _b);

    [Benchmark]
    public override double ForwardHandWritten()
    {
        var lu = Factorization.Factor(_bm, MatrixOperation.Solve, ref _flu);
        var u = lu.Solve(_z, ref _fu);
        var s = _fs!.AsSpan();
        TensorPrimitives.Add(u.AsSpan(), _b.AsSpan(), s);
        TensorPrimitives.Sigmoid<float>(s, s);
        return Ops.Dot(_x, Products.Multiply(_a, _fs!, ref _fas));
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        FloatModels.SigmoidFormWithGradient(_x, _a, _bm, _z, _b, out var dB, out var dz, out var db);
        yield return ("B", Snap(_dB), Snap(dB), Snap(_hdB!));
        yield return ("z", Snap(_dz), Snap(dz), Snap(_hdz!));
        yield return ("b", Snap(_db), Snap(db), Snap(_hdb!));
    }
}

/// <summary>W5: softmax regression 784→10, L = CE(WX + b𝟙ᵀ, Y); ∇W = G Xᵀ, ∇b = G𝟙, G = (softmax − Y)/N.</summary>
public class W5SoftmaxRegressionFloat : WorkloadBenchmark
{
    public override double Tolerance => FloatTolerance;

    private Matrix<float> _w, _x, _y, _dW;
    private Vector<float> _b, _db;
    private readonly FloatModels.SoftmaxRegressionWorkspace _ws = new();
    private Matrix<float>? _z, _g, _hW, _fz;
    private Vector<float>? _hb;
    private float[] _colA, _colB, _row;

    [Params(1, 64, 256)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(5);
        (_w, _b) = (DataFloat.Matrix(r, 10, 784, 0.05f), DataFloat.Vector(r, 10, 0.1f));
        (_x, _y) = (DataFloat.Matrix(r, 784, Batch), DataFloat.OneHot(r, 10, Batch));
        (_dW, _db) = (new(10, 784), new(10));
        (_z, _g, _hW, _fz, _hb) = (new(10, Batch), new(10, Batch), new(10, 784), new(10, Batch), new(10));
        (_colA, _colB, _row) = (new float[Batch], new float[Batch], new float[Batch]);
    }

    [Benchmark]
    public override double Generated()
    {
        return FloatModels.SoftmaxRegressionBackward(_w, _b, _x, _y, _ws, _dW, _db, accumulate: false);
    }

    [Benchmark]
    public override double GeneratedWithGradient() => FloatModels.SoftmaxRegressionWithGradient(_w, _b, _x, _y, out _, out _);

    [Benchmark]
    public override double HandWritten()
    {
        var z = Products.Multiply(_w, _x, ref _z);
        AddColumnsInPlace(z, _b);
        float loss = CrossEntropyWithGradient(z, _y, _g!, _colA, _colB);
        Linear.SumColumns(_g!, ref _hb);                     // ∇b = G𝟙
        Products.MultiplyTransposeB(_g!, _x, ref _hW);          // ∇W = GXᵀ
        return loss;
    }

    [Benchmark]
    public override double Forward() => FloatModels.SoftmaxRegression(_w, _b, _x, _y);

    [Benchmark]
    public override double ForwardHandWritten()
    {
        var z = Products.Multiply(_w, _x, ref _fz);
        AddColumnsInPlace(z, _b);
        return CrossEntropy(z, _y, _colA, _colB, _row);
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        FloatModels.SoftmaxRegressionWithGradient(_w, _b, _x, _y, out var dW, out var db);
        yield return ("W", Snap(_dW), Snap(dW), Snap(_hW!));
        yield return ("b", Snap(_db), Snap(db), Snap(_hb!));
    }
}

/// <summary>W6: two-layer network 784→256→10 (sigmoid hidden), cross-entropy.</summary>
public class W6TwoLayerFloat : WorkloadBenchmark
{
    public override double Tolerance => FloatTolerance;

    private Matrix<float> _w1, _w2, _x, _y, _dW1, _dW2;
    private Vector<float> _b1, _b2, _db1, _db2;
    private readonly FloatModels.TwoLayerWorkspace _ws = new();
    private Matrix<float>? _h, _z, _g2, _gh, _g1, _hW1, _hW2, _fh, _fz;
    private Vector<float>? _hb1, _hb2;
    private float[] _colA, _colB, _row;

    [Params(1, 64, 256)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(6);
        (_w1, _b1) = (DataFloat.Matrix(r, 256, 784, 0.05f), DataFloat.Vector(r, 256, 0.1f));
        (_w2, _b2) = (DataFloat.Matrix(r, 10, 256, 0.1f), DataFloat.Vector(r, 10, 0.1f));
        (_x, _y) = (DataFloat.Matrix(r, 784, Batch), DataFloat.OneHot(r, 10, Batch));
        (_dW1, _db1, _dW2, _db2) = (new(256, 784), new(256), new(10, 256), new(10));
        (_h, _z, _g2, _gh, _g1) = (new(256, Batch), new(10, Batch), new(10, Batch), new(256, Batch), new(256, Batch));
        (_hW1, _hW2, _hb1, _hb2) = (new(256, 784), new(10, 256), new(256), new(10));
        (_fh, _fz) = (new(256, Batch), new(10, Batch));
        (_colA, _colB, _row) = (new float[Batch], new float[Batch], new float[Batch]);
    }

    [Benchmark]
    public override double Generated()
    {
        return FloatModels.TwoLayerBackward(_w1, _b1, _w2, _b2, _x, _y, _ws, _dW1, _db1, _dW2, _db2, accumulate: false);
    }

    [Benchmark]
    public override double GeneratedWithGradient()
        => FloatModels.TwoLayerWithGradient(_w1, _b1, _w2, _b2, _x, _y, out _, out _, out _, out _);

    [Benchmark]
    public override double HandWritten()
    {
        var h = Products.Multiply(_w1, _x, ref _h);
        AddColumnsInPlace(h, _b1);
        TensorPrimitives.Sigmoid<float>(h.AsSpan(), h.AsSpan());     // H = σ(W₁X + b₁𝟙ᵀ)
        var z = Products.Multiply(_w2, h, ref _z);
        AddColumnsInPlace(z, _b2);
        float loss = CrossEntropyWithGradient(z, _y, _g2!, _colA, _colB);
        Linear.SumColumns(_g2!, ref _hb2);                               // ∇b₂ = G₂𝟙
        Products.MultiplyTransposeB(_g2!, h, ref _hW2);                     // ∇W₂ = G₂Hᵀ
        var gh = Products.MultiplyTransposeA(_w2, _g2!, ref _gh);           // W₂ᵀG₂
        var g1 = Elementwise.SigmoidBackward(h, gh, ref _g1);                 // G₁ = W₂ᵀG₂ ⊙ H ⊙ (1 − H)
        Linear.SumColumns(g1, ref _hb1);                                 // ∇b₁ = G₁𝟙
        Products.MultiplyTransposeB(g1, _x, ref _hW1);                      // ∇W₁ = G₁Xᵀ
        return loss;
    }

    [Benchmark]
    public override double Forward() => FloatModels.TwoLayer(_w1, _b1, _w2, _b2, _x, _y);

    [Benchmark]
    public override double ForwardHandWritten()
    {
        var h = Products.Multiply(_w1, _x, ref _fh);
        AddColumnsInPlace(h, _b1);
        TensorPrimitives.Sigmoid<float>(h.AsSpan(), h.AsSpan());
        var z = Products.Multiply(_w2, h, ref _fz);
        AddColumnsInPlace(z, _b2);
        return CrossEntropy(z, _y, _colA, _colB, _row);
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        FloatModels.TwoLayerWithGradient(_w1, _b1, _w2, _b2, _x, _y, out var dW1, out var db1, out var dW2, out var db2);
        yield return ("W1", Snap(_dW1), Snap(dW1), Snap(_hW1!));
        yield return ("b1", Snap(_db1), Snap(db1), Snap(_hb1!));
        yield return ("W2", Snap(_dW2), Snap(dW2), Snap(_hW2!));
        yield return ("b2", Snap(_db2), Snap(db2), Snap(_hb2!));
    }
}

/// <summary>W7 (single image): L = ‖X ⋆ K − T‖², X 28×28, K 5×5; ∇K = X ⋆ 2(X ⋆ K − T).</summary>
public class W7ConvSingleFloat : WorkloadBenchmark
{
    public override double Tolerance => FloatTolerance;

    private Matrix<float> _k, _x, _t, _dK;
    private readonly FloatModels.ConvSingleWorkspace _ws = new();
    private Matrix<float> _h, _hK, _fh;

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(7);
        (_k, _x, _t) = (DataFloat.Matrix(r, 5, 5), DataFloat.Matrix(r, 28, 28), DataFloat.Matrix(r, 24, 24));
        (_dK, _h, _hK, _fh) = (new(5, 5), new(24, 24), new(5, 5), new(24, 24));
    }

    [Benchmark]
    public override double Generated()
    {
        return FloatModels.ConvSingleBackward(_k, _x, _t, _ws, _dK, accumulate: false);
    }

    [Benchmark]
    public override double GeneratedWithGradient() => FloatModels.ConvSingleWithGradient(_k, _x, _t, out _);

    [Benchmark]
    public override double HandWritten()
    {
        Conv2DSingle(_x, _k, _h);
        var r = _h.AsSpan();
        TensorPrimitives.Subtract(r, _t.AsSpan(), r);                  // R = X ⋆ K − T
        float loss = TensorPrimitives.SumOfSquares<float>(r);
        TensorPrimitives.Multiply(r, 2.0f, r);                           // ∇H = 2R
        Conv2DSingleBackwardKernel(_x, _h, _hK);                        // ∇K = X ⋆ ∇H
        return loss;
    }

    [Benchmark]
    public override double Forward() => FloatModels.ConvSingle(_k, _x, _t);

    [Benchmark]
    public override double ForwardHandWritten()
    {
        Conv2DSingle(_x, _k, _fh);
        var r = _fh.AsSpan();
        TensorPrimitives.Subtract(r, _t.AsSpan(), r);
        return TensorPrimitives.SumOfSquares<float>(r);
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        FloatModels.ConvSingleWithGradient(_k, _x, _t, out var dK);
        yield return ("K", Snap(_dK), Snap(dK), Snap(_hK));
    }
}

/// <summary>
/// W7 (batched): 64 images 28×28, 1→8 channels 5×5, ReLU, dense 4608→10, cross-entropy.
/// </summary>
public class W7ConvBatchFloat : WorkloadBenchmark
{
    public override double Tolerance => FloatTolerance;

    private const int Batch = 64, Hidden = 8 * 24 * 24;
    private Matrix<float> _k, _w, _x, _y, _dK, _dW;
    private Vector<float> _b, _db;
    private readonly FloatModels.ConvNetWorkspace _ws = new();
    private Matrix<float> _hc, _hKd, _fhc;
    private Matrix<float>? _z, _g, _gh, _gpre, _hW, _fz;
    private Vector<float>? _hb;
    private float[] _colA, _colB, _row;

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(8);
        (_k, _w, _b) = (DataFloat.Matrix(r, 8, 25, 0.2f), DataFloat.Matrix(r, 10, Hidden, 0.02f), DataFloat.Vector(r, 10, 0.1f));
        (_x, _y) = (DataFloat.Matrix(r, 784, Batch), DataFloat.OneHot(r, 10, Batch));
        (_dK, _dW, _db) = (new(8, 25), new(10, Hidden), new(10));
        (_hc, _hKd, _fhc) = (new(Hidden, Batch), new(8, 25), new(Hidden, Batch));
        (_z, _g, _gh, _gpre, _hW, _fz, _hb) = (new(10, Batch), new(10, Batch), new(Hidden, Batch), new(Hidden, Batch), new(10, Hidden), new(10, Batch), new(10));
        (_colA, _colB, _row) = (new float[Batch], new float[Batch], new float[Batch]);
    }

    [Benchmark]
    public override double Generated()
    {
        return FloatModels.ConvNetBackward(_k, _w, _b, _x, _y, _ws, _dK, _dW, _db, accumulate: false);
    }

    [Benchmark]
    public override double GeneratedWithGradient() => FloatModels.ConvNetWithGradient(_k, _w, _b, _x, _y, out _, out _, out _);

    [Benchmark]
    public override double HandWritten()
    {
        Conv2DBatched(_x, _k, 28, 28, 5, 5, _hc);
        TensorPrimitives.Max(_hc.AsSpan(), 0.0f, _hc.AsSpan());        // H = relu(conv(X, K))
        var z = Products.Multiply(_w, _hc, ref _z);
        AddColumnsInPlace(z, _b);
        float loss = CrossEntropyWithGradient(z, _y, _g!, _colA, _colB);
        Linear.SumColumns(_g!, ref _hb);                                  // ∇b = G𝟙
        Products.MultiplyTransposeB(_g!, _hc, ref _hW);                     // ∇W = GHᵀ
        var gh = Products.MultiplyTransposeA(_w, _g!, ref _gh);             // WᵀG
        var gpre = Elementwise.ReluBackward(_hc, gh, ref _gpre);              // ⊙ 𝟙[H > 0]
        Conv2DBatchedBackwardKernel(_x, gpre, 28, 28, 5, 5, _hKd);      // ∇K = X ⋆ ∇pre
        return loss;
    }

    [Benchmark]
    public override double Forward() => FloatModels.ConvNet(_k, _w, _b, _x, _y);

    [Benchmark]
    public override double ForwardHandWritten()
    {
        Conv2DBatched(_x, _k, 28, 28, 5, 5, _fhc);
        TensorPrimitives.Max(_fhc.AsSpan(), 0.0f, _fhc.AsSpan());
        var z = Products.Multiply(_w, _fhc, ref _fz);
        AddColumnsInPlace(z, _b);
        return CrossEntropy(z, _y, _colA, _colB, _row);
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        FloatModels.ConvNetWithGradient(_k, _w, _b, _x, _y, out var dK, out var dW, out var db);
        yield return ("K", Snap(_dK), Snap(dK), Snap(_hKd));
        yield return ("W", Snap(_dW), Snap(dW), Snap(_hW!));
        yield return ("b", Snap(_db), Snap(db), Snap(_hb!));
    }
}

/// <summary>W8: one attention head, X 64×128 (tokens in columns), L = ‖V softmax(KᵀQ/8) − T‖².</summary>
public class W8AttentionFloat : WorkloadBenchmark
{
    public override double Tolerance => FloatTolerance;

    private const int D = 64, Tokens = 128;
    private Matrix<float> _wq, _wk, _wv, _x, _t, _dWq, _dWk, _dWv;
    private readonly FloatModels.AttentionWorkspace _ws = new();
    private Matrix<float>? _q, _k, _v, _p, _o, _gv, _gp, _gq, _gk, _hWq, _hWk, _hWv;
    private Matrix<float>? _fq, _fk, _fv, _fp, _fo;
    private float[] _colA, _colB;

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(9);
        (_wq, _wk, _wv) = (DataFloat.Matrix(r, D, D, 0.2f), DataFloat.Matrix(r, D, D, 0.2f), DataFloat.Matrix(r, D, D, 0.2f));
        (_x, _t) = (DataFloat.Matrix(r, D, Tokens), DataFloat.Matrix(r, D, Tokens));
        (_dWq, _dWk, _dWv) = (new(D, D), new(D, D), new(D, D));
        (_q, _k, _v, _p, _o) = (new(D, Tokens), new(D, Tokens), new(D, Tokens), new(Tokens, Tokens), new(D, Tokens));
        (_gv, _gp, _gq, _gk) = (new(D, Tokens), new(Tokens, Tokens), new(D, Tokens), new(D, Tokens));
        (_hWq, _hWk, _hWv) = (new(D, D), new(D, D), new(D, D));
        (_fq, _fk, _fv, _fp, _fo) = (new(D, Tokens), new(D, Tokens), new(D, Tokens), new(Tokens, Tokens), new(D, Tokens));
        (_colA, _colB) = (new float[Tokens], new float[Tokens]);
    }

    [Benchmark]
    public override double Generated()
    {
        return FloatModels.AttentionBackward(_wq, _wk, _wv, _x, _t, _ws, _dWq, _dWk, _dWv, accumulate: false);
    }

    [Benchmark]
    public override double GeneratedWithGradient() => FloatModels.AttentionWithGradient(_wq, _wk, _wv, _x, _t, out _, out _, out _);

    [Benchmark]
    public override double HandWritten()
    {
        var q = Products.Multiply(_wq, _x, ref _q);
        var k = Products.Multiply(_wk, _x, ref _k);
        var v = Products.Multiply(_wv, _x, ref _v);
        var p = Products.MultiplyTransposeA(k, q, ref _p);                // S = KᵀQ
        TensorPrimitives.Multiply(p.AsSpan(), 0.125f, p.AsSpan());
        SoftmaxColumnsInPlace(p, _colA, _colB);                       // P = softmax(S/8)
        var o = Products.Multiply(v, p, ref _o).AsSpan();
        TensorPrimitives.Subtract(o, _t.AsSpan(), o);                  // R = VP − T
        float loss = TensorPrimitives.SumOfSquares<float>(o);
        TensorPrimitives.Multiply(o, 2.0f, o);                          // ∇O = 2R
        Products.MultiplyTransposeB(_o!, p, ref _gv);                       // ∇V = ∇O Pᵀ
        var gs = Products.MultiplyTransposeA(v, _o!, ref _gp);             // ∇P = Vᵀ∇O
        SoftmaxBackwardInPlace(p, gs, 0.125f, _colA);                   // ∇S/8 = P ⊙ (∇P − 𝟙 colsum(P ⊙ ∇P)) / 8
        Products.Multiply(k, gs, ref _gq);                                  // ∇Q = K ∇S
        Products.MultiplyTransposeB(q, gs, ref _gk);                        // ∇K = Q ∇Sᵀ
        Products.MultiplyTransposeB(_gq!, _x, ref _hWq);                    // ∇Wq = ∇Q Xᵀ
        Products.MultiplyTransposeB(_gk!, _x, ref _hWk);
        Products.MultiplyTransposeB(_gv!, _x, ref _hWv);
        return loss;
    }

    [Benchmark]
    public override double Forward() => FloatModels.Attention(_wq, _wk, _wv, _x, _t);

    [Benchmark]
    public override double ForwardHandWritten()
    {
        var q = Products.Multiply(_wq, _x, ref _fq);
        var k = Products.Multiply(_wk, _x, ref _fk);
        var v = Products.Multiply(_wv, _x, ref _fv);
        var p = Products.MultiplyTransposeA(k, q, ref _fp);
        TensorPrimitives.Multiply(p.AsSpan(), 0.125f, p.AsSpan());
        SoftmaxColumnsInPlace(p, _colA, _colB);
        var o = Products.Multiply(v, p, ref _fo).AsSpan();
        TensorPrimitives.Subtract(o, _t.AsSpan(), o);
        return TensorPrimitives.SumOfSquares<float>(o);
    }

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        FloatModels.AttentionWithGradient(_wq, _wk, _wv, _x, _t, out var dWq, out var dWk, out var dWv);
        yield return ("Wq", Snap(_dWq), Snap(dWq), Snap(_hWq!));
        yield return ("Wk", Snap(_dWk), Snap(dWk), Snap(_hWk!));
        yield return ("Wv", Snap(_dWv), Snap(dWv), Snap(_hWv!));
    }
}
