using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Compute;
using BenchmarkDotNet.Attributes;
using static AutoGradGen.Benchmarks.Workloads.HandKernels;

namespace AutoGradGen.Benchmarks.Workloads;

#pragma warning disable CS8618 // fields are set in [GlobalSetup]

/// <summary>
/// W12: batch normalization then a dense layer (<see cref="Models.BatchNormDense"/>), 128 features in, 128 out, a batch
/// of 256 columns: L = ‖W BN(X; γ, β) + b𝟙ᵀ − Target‖², the gradient w.r.t. X, γ, β, W and b. The hand-written backward
/// is the fused closed form X̄ᵢ = γᵢ/(Nσᵢ) (N Z̄ᵢ − Σ Z̄ᵢ − x̂ᵢ ⟨Z̄ᵢ, x̂ᵢ⟩), row by row.
/// </summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W12BatchNormDense<T> : WorkloadBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int In = 128, Out = 128, Batch = 256;
    private Matrix<T> _x, _w, _target, _dX, _dW;
    private Vector<T> _gamma, _beta, _b, _dGamma, _dBeta, _db;

    // the generated BatchNormDenseBackward (workspace bound, accumulate: false), BatchNormDenseWithGradient and BatchNormDense for T
    private delegate T BackwardFn(Matrix<T> X, Vector<T> gamma, Vector<T> beta, Matrix<T> W, Vector<T> b, Matrix<T> Target,
        Matrix<T> dX, Vector<T> dgamma, Vector<T> dbeta, Matrix<T> dW, Vector<T> db);
    private delegate T WithGradientFn(Matrix<T> X, Vector<T> gamma, Vector<T> beta, Matrix<T> W, Vector<T> b, Matrix<T> Target,
        out Matrix<T> dX, out Vector<T> dgamma, out Vector<T> dbeta, out Matrix<T> dW, out Vector<T> db);
    private delegate T ForwardFn(Matrix<T> X, Vector<T> gamma, Vector<T> beta, Matrix<T> W, Vector<T> b, Matrix<T> Target);

    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("BatchNormDenseBackward");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("BatchNormDenseWithGradient");
    private readonly ForwardFn _forward = Generated<T>.Bind<ForwardFn>("BatchNormDense");

    // hand-written: x̂, 1/σ per feature, Z = BN(X), R = W Z + b𝟙ᵀ − Target (then Ȳ = 2R in place), Z̄; the gradients; the forward row's
    private Matrix<T> _xhat, _z, _y, _gz, _hX, _hW, _fxhat, _fz, _fy;
    private Vector<T> _hGamma, _hBeta, _hb;
    private T[] _r, _fr;

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(12);
        _x = Data<T>.Matrix(r, In, Batch);
        (_gamma, _beta) = (Data<T>.Vector(r, In, 0.1), Data<T>.Vector(r, In, 0.1));
        TensorPrimitives.Add(_gamma.AsSpan(), T.One, _gamma.AsSpan());                 // γ in 1 ± 0.1
        (_w, _b) = (Data<T>.Matrix(r, Out, In, 0.1), Data<T>.Vector(r, Out, 0.1));
        _target = Data<T>.Matrix(r, Out, Batch);
        (_dX, _dGamma, _dBeta, _dW, _db) = (new(In, Batch), new(In), new(In), new(Out, In), new(Out));
        (_xhat, _z, _y, _gz) = (new(In, Batch), new(In, Batch), new(Out, Batch), new(In, Batch));
        (_hX, _hGamma, _hBeta, _hW, _hb) = (new(In, Batch), new(In), new(In), new(Out, In), new(Out));
        (_fxhat, _fz, _fy) = (new(In, Batch), new(In, Batch), new(Out, Batch));
        (_r, _fr) = (new T[In], new T[In]);
    }

    [Benchmark]
    public override double Generated()
    {
        return ToDouble(_backward(_x, _gamma, _beta, _w, _b, _target, _dX, _dGamma, _dBeta, _dW, _db));
    }

    [Benchmark]
    public override double GeneratedWithGradient() => ToDouble(_withGradient(_x, _gamma, _beta, _w, _b, _target, out _, out _, out _, out _, out _));

    [Benchmark]
    public override double HandWritten()
    {
        T loss = HandForward(_xhat, _r, _z, _y);
        var gy = _y.AsSpan();
        TensorPrimitives.Multiply(gy, C(2.0), gy);                                       // Ȳ = 2R
        for (int i = 0; i < Out; i++)
        {
            _hb[i] = TensorPrimitives.Sum<T>(Row(_y, i));                               // b̄ = Ȳ𝟙
        }
        Products.MultiplyAddTo(_hW, _y, _z, transposeB: true, accumulate: false);        // W̄ = Ȳ Zᵀ
        Products.MultiplyAddTo(_gz, _w, _y, transposeA: true, accumulate: false);        // Z̄ = Wᵀ Ȳ
        NormKernels.BatchNormBackward(_xhat, _r, _gamma, _gz, _hX, _hGamma, _hBeta);     // X̄, γ̄ = (Z̄ ⊙ x̂)𝟙, β̄ = Z̄𝟙
        return ToDouble(loss);
    }

    /// <summary>Z = BN(X) (keeping x̂ and 1/σ), then R = W Z + b𝟙ᵀ − Target into <paramref name="y"/>; returns ‖R‖².</summary>
    private T HandForward(Matrix<T> xhat, Span<T> r, Matrix<T> z, Matrix<T> y)
    {
        NormKernels.BatchNormForward(_x, _gamma, _beta, xhat, r, z);
        Products.MultiplyAddTo(y, _w, z, accumulate: false);
        AddColumnsInPlace(y, _b);
        TensorPrimitives.Subtract(y.AsSpan(), _target.AsSpan(), y.AsSpan());
        return TensorPrimitives.SumOfSquares<T>(y.AsSpan());
    }

    [Benchmark]
    public override double Forward() => ToDouble(_forward(_x, _gamma, _beta, _w, _b, _target));

    [Benchmark]
    public override double ForwardHandWritten() => ToDouble(HandForward(_fxhat, _fr, _fz, _fy));

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        _withGradient(_x, _gamma, _beta, _w, _b, _target, out var dX, out var dGamma, out var dBeta, out var dW, out var db);
        yield return ("X", Snap(_dX), Snap(dX), Snap(_hX));
        yield return ("gamma", Snap(_dGamma), Snap(dGamma), Snap(_hGamma));
        yield return ("beta", Snap(_dBeta), Snap(dBeta), Snap(_hBeta));
        yield return ("W", Snap(_dW), Snap(dW), Snap(_hW));
        yield return ("b", Snap(_db), Snap(db), Snap(_hb));
    }

    public override IEnumerable<(string, double, double)> DifferenceChecks()
        => CompareLossDifference([_x.Data, _gamma.Data, _beta.Data, _w.Data, _b.Data], [_hX.Data, _hGamma.Data, _hBeta.Data, _hW.Data, _hb.Data]);
}
