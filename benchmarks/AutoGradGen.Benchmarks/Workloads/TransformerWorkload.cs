using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Compute;
using BenchmarkDotNet.Attributes;
using static AutoGradGen.Benchmarks.Workloads.HandKernels;

namespace AutoGradGen.Benchmarks.Workloads;

#pragma warning disable CS8618 // fields are set in [GlobalSetup]

/// <summary>
/// W11: one pre-norm transformer block (<see cref="Models.TransformerBlock"/>), d = 128, T = 128 tokens in the columns,
/// four causal heads of d/4, a GELU MLP of 4d, L = ‖Y − Target‖², the gradient w.r.t. X and all 26 parameters.
/// </summary>
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(float))]
public class W11TransformerBlock<T> : WorkloadBenchmark<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int D = 128, Tokens = 128, Heads = 4, Dh = D / Heads, Hidden = 4 * D;

    /// <summary>1/√(d/4), the attention scale.</summary>
    private static readonly T Scale = T.One / T.Sqrt(T.CreateTruncating(Dh));

    // the generated TransformerBlockBackward (workspace bound, accumulate: false), TransformerBlockWithGradient and
    // TransformerBlock for T: X, γ₁, β₁, (Wq, Wk, Wv, Wo) of heads 1–4, bo, γ₂, β₂, W₁, c₁, W₂, c₂, then mask, scale, Target
    private delegate T BackwardFn(Matrix<T> X, Vector<T> g1, Vector<T> b1, Matrix<T> Wq1, Matrix<T> Wk1, Matrix<T> Wv1, Matrix<T> Wo1, Matrix<T> Wq2, Matrix<T> Wk2, Matrix<T> Wv2,
                                  Matrix<T> Wo2, Matrix<T> Wq3, Matrix<T> Wk3, Matrix<T> Wv3, Matrix<T> Wo3, Matrix<T> Wq4, Matrix<T> Wk4, Matrix<T> Wv4, Matrix<T> Wo4, Vector<T> bo,
                                  Vector<T> g2, Vector<T> b2, Matrix<T> W1, Vector<T> c1, Matrix<T> W2, Vector<T> c2,
        Matrix<T> mask, T scale, Matrix<T> Target,
        Matrix<T> dX, Vector<T> dg1, Vector<T> db1, Matrix<T> dWq1, Matrix<T> dWk1, Matrix<T> dWv1, Matrix<T> dWo1, Matrix<T> dWq2, Matrix<T> dWk2,
        Matrix<T> dWv2, Matrix<T> dWo2, Matrix<T> dWq3, Matrix<T> dWk3, Matrix<T> dWv3, Matrix<T> dWo3, Matrix<T> dWq4, Matrix<T> dWk4, Matrix<T> dWv4,
        Matrix<T> dWo4, Vector<T> dbo, Vector<T> dg2, Vector<T> db2, Matrix<T> dW1, Vector<T> dc1, Matrix<T> dW2, Vector<T> dc2);
    private delegate T WithGradientFn(Matrix<T> X, Vector<T> g1, Vector<T> b1, Matrix<T> Wq1, Matrix<T> Wk1, Matrix<T> Wv1, Matrix<T> Wo1, Matrix<T> Wq2, Matrix<T> Wk2, Matrix<T> Wv2,
                                      Matrix<T> Wo2, Matrix<T> Wq3, Matrix<T> Wk3, Matrix<T> Wv3, Matrix<T> Wo3, Matrix<T> Wq4, Matrix<T> Wk4, Matrix<T> Wv4, Matrix<T> Wo4, Vector<T> bo,
                                      Vector<T> g2, Vector<T> b2, Matrix<T> W1, Vector<T> c1, Matrix<T> W2, Vector<T> c2,
        Matrix<T> mask, T scale, Matrix<T> Target,
        out Matrix<T> dX, out Vector<T> dg1, out Vector<T> db1, out Matrix<T> dWq1, out Matrix<T> dWk1, out Matrix<T> dWv1, out Matrix<T> dWo1,
        out Matrix<T> dWq2, out Matrix<T> dWk2, out Matrix<T> dWv2, out Matrix<T> dWo2, out Matrix<T> dWq3, out Matrix<T> dWk3, out Matrix<T> dWv3,
        out Matrix<T> dWo3, out Matrix<T> dWq4, out Matrix<T> dWk4, out Matrix<T> dWv4, out Matrix<T> dWo4, out Vector<T> dbo, out Vector<T> dg2,
        out Vector<T> db2, out Matrix<T> dW1, out Vector<T> dc1, out Matrix<T> dW2, out Vector<T> dc2);
    private delegate T ForwardFn(Matrix<T> X, Vector<T> g1, Vector<T> b1, Matrix<T> Wq1, Matrix<T> Wk1, Matrix<T> Wv1, Matrix<T> Wo1, Matrix<T> Wq2, Matrix<T> Wk2, Matrix<T> Wv2,
                                 Matrix<T> Wo2, Matrix<T> Wq3, Matrix<T> Wk3, Matrix<T> Wv3, Matrix<T> Wo3, Matrix<T> Wq4, Matrix<T> Wk4, Matrix<T> Wv4, Matrix<T> Wo4, Vector<T> bo,
                                 Vector<T> g2, Vector<T> b2, Matrix<T> W1, Vector<T> c1, Matrix<T> W2, Vector<T> c2,
        Matrix<T> mask, T scale, Matrix<T> Target);

    private readonly BackwardFn _backward = Generated<T>.Bind<BackwardFn>("TransformerBlockBackward");
    private readonly WithGradientFn _withGradient = Generated<T>.Bind<WithGradientFn>("TransformerBlockWithGradient");
    private readonly ForwardFn _forward = Generated<T>.Bind<ForwardFn>("TransformerBlock");

    private Block _p, _d, _h;                // the parameters (with X), FBackward's gradients, the hand-written gradients
    private Matrix<T> _mask, _target;
    private Pass _pass, _fpass;              // hand-written forward buffers: HandWritten's, ForwardHandWritten's
    private Matrix<T> _gG, _gZ, _gB, _gH, _gA, _gO, _gV, _gP, _gQ, _gK;   // hand-written backward scratch
    private T[] _m1, _m2, _row;

    [GlobalSetup]
    public void GlobalSetup() => Setup();

    protected override void Prepare()
    {
        var r = new Random(11);
        _p = Block.Draw(r);
        _target = Data<T>.Matrix(r, D, Tokens);
        _mask = new Matrix<T>(Tokens, Tokens);
        for (int i = 0; i < Tokens; i++)
        {
            for (int j = 0; j < i; j++)
            {
                _mask[i, j] = T.CreateTruncating(-1e9);              // key i > query j: masked
            }
        }
        (_d, _h) = (Block.Zeros(), Block.Zeros());
        (_pass, _fpass) = (new Pass(), new Pass());
        (_gG, _gZ, _gB, _gH, _gA) = (new(Hidden, Tokens), new(Hidden, Tokens), new(D, Tokens), new(D, Tokens), new(D, Tokens));
        (_gO, _gV, _gP, _gQ, _gK) = (new(Dh, Tokens), new(Dh, Tokens), new(Tokens, Tokens), new(Dh, Tokens), new(Dh, Tokens));
        (_m1, _m2, _row) = (new T[Tokens], new T[Tokens], new T[Tokens]);
    }

    [Benchmark]
    public override double Generated()
    {
        var (p, d) = (_p, _d);
        return ToDouble(_backward(p.X, p.G1, p.B1, p.Wq[0], p.Wk[0], p.Wv[0], p.Wo[0], p.Wq[1], p.Wk[1], p.Wv[1], p.Wo[1], p.Wq[2], p.Wk[2], p.Wv[2], p.Wo[2], p.Wq[3], p.Wk[3], p.Wv[3],
                                  p.Wo[3], p.Bo, p.G2, p.B2, p.W1, p.C1, p.W2, p.C2,
            _mask, Scale, _target,
            d.X, d.G1, d.B1, d.Wq[0], d.Wk[0], d.Wv[0], d.Wo[0], d.Wq[1], d.Wk[1], d.Wv[1], d.Wo[1], d.Wq[2], d.Wk[2], d.Wv[2], d.Wo[2], d.Wq[3], d.Wk[3], d.Wv[3],
            d.Wo[3], d.Bo, d.G2, d.B2, d.W1, d.C1, d.W2, d.C2));
    }

    [Benchmark]
    public override double GeneratedWithGradient() => ToDouble(WithGradient(new Block()));

    private T WithGradient(Block w)
    {
        var p = _p;
        return _withGradient(p.X, p.G1, p.B1, p.Wq[0], p.Wk[0], p.Wv[0], p.Wo[0], p.Wq[1], p.Wk[1], p.Wv[1], p.Wo[1], p.Wq[2], p.Wk[2], p.Wv[2], p.Wo[2], p.Wq[3], p.Wk[3], p.Wv[3],
                             p.Wo[3], p.Bo, p.G2, p.B2, p.W1, p.C1, p.W2, p.C2,
            _mask, Scale, _target,
            out w.X, out w.G1, out w.B1, out w.Wq[0], out w.Wk[0], out w.Wv[0], out w.Wo[0], out w.Wq[1], out w.Wk[1], out w.Wv[1], out w.Wo[1], out w.Wq[2],
            out w.Wk[2], out w.Wv[2], out w.Wo[2], out w.Wq[3], out w.Wk[3], out w.Wv[3], out w.Wo[3], out w.Bo, out w.G2, out w.B2, out w.W1, out w.C1, out w.W2,
            out w.C2);
    }

    [Benchmark]
    public override double HandWritten()
    {
        var (f, p, h) = (_pass, _p, _h);
        T loss = HandForward(f);
        var gy = f.Y;
        TensorPrimitives.Multiply(gy.AsSpan(), C(2.0), gy.AsSpan());                    // Ȳ = 2R
        RowSums(gy, h.C2);                                                               // c̄₂ = Ȳ𝟙
        Products.MultiplyAddTo(h.W2, gy, f.G, transposeB: true, accumulate: false);      // W̄₂ = Ȳ Gᵀ
        Products.MultiplyAddTo(_gG, p.W2, gy, transposeA: true, accumulate: false);      // Ḡ = W₂ᵀ Ȳ
        Matrix<T>? gz = _gZ;
        Elementwise.GeluBackward(f.Z, _gG, ref gz);                                      // Z̄ = Ḡ ⊙ gelu′(Z)
        RowSums(_gZ, h.C1);                                                              // c̄₁ = Z̄𝟙
        Products.MultiplyAddTo(h.W1, _gZ, f.B, transposeB: true, accumulate: false);     // W̄₁ = Z̄ Bᵀ, B = LN₂(H)
        Products.MultiplyAddTo(_gB, p.W1, _gZ, transposeA: true, accumulate: false);     // B̄ = W₁ᵀ Z̄
        gy.AsSpan().CopyTo(_gH.AsSpan());                                                // H̄ = Ȳ + LN₂'s pullback of B̄
        NormKernels.LayerNormBackward(f.XHat2, f.R2, p.G2, _gB, _gH, h.G2, h.B2, _m1, _m2, _row);
        RowSums(_gH, h.Bo);                                                              // b̄o = H̄𝟙
        for (int k = 0; k < Heads; k++)
        {
            HeadBackward(k);                                                             // Ā = Σₕ (Wqᵀ Q̄ + Wkᵀ K̄ + Wvᵀ V̄)
        }
        _gH.AsSpan().CopyTo(h.X.AsSpan());                                               // X̄ = H̄ + LN₁'s pullback of Ā
        NormKernels.LayerNormBackward(f.XHat1, f.R1, p.G1, _gA, h.X, h.G1, h.B1, _m1, _m2, _row);
        return ToDouble(loss);
    }

    /// <summary>Head <paramref name="k"/>'s pullback from H̄: its four weight gradients, and its share of Ā (the first head overwrites Ā).</summary>
    private void HeadBackward(int k)
    {
        var (f, p, h) = (_pass, _p, _h);
        Products.MultiplyAddTo(h.Wo[k], _gH, f.O[k], transposeB: true, accumulate: false);  // W̄o = H̄ Oᵀ, O = V P
        Products.MultiplyAddTo(_gO, p.Wo[k], _gH, transposeA: true, accumulate: false);     // Ō = Woᵀ H̄
        Products.MultiplyAddTo(_gV, _gO, f.P[k], transposeB: true, accumulate: false);      // V̄ = Ō Pᵀ
        Products.MultiplyAddTo(_gP, f.V[k], _gO, transposeA: true, accumulate: false);      // P̄ = Vᵀ Ō
        SoftmaxBackwardInPlace(f.P[k], _gP, Scale, f.ColA);                              // S̄ = scale · P ⊙ (P̄ − 𝟙 colsum(P ⊙ P̄)), S = KᵀQ
        Products.MultiplyAddTo(_gQ, f.K[k], _gP, accumulate: false);                        // Q̄ = K S̄
        Products.MultiplyAddTo(_gK, f.Q[k], _gP, transposeB: true, accumulate: false);      // K̄ = Q S̄ᵀ
        Products.MultiplyAddTo(h.Wq[k], _gQ, f.A, transposeB: true, accumulate: false);     // W̄q = Q̄ Aᵀ
        Products.MultiplyAddTo(h.Wk[k], _gK, f.A, transposeB: true, accumulate: false);     // W̄k = K̄ Aᵀ
        Products.MultiplyAddTo(h.Wv[k], _gV, f.A, transposeB: true, accumulate: false);     // W̄v = V̄ Aᵀ
        Products.MultiplyAddTo(_gA, p.Wq[k], _gQ, transposeA: true, accumulate: k > 0);
        Products.MultiplyAddTo(_gA, p.Wk[k], _gK, transposeA: true);
        Products.MultiplyAddTo(_gA, p.Wv[k], _gV, transposeA: true);
    }

    /// <summary>The forward pass into <paramref name="f"/>'s buffers; leaves R = Y − Target in <c>f.Y</c> and returns ‖R‖².</summary>
    private T HandForward(Pass f)
    {
        var p = _p;
        NormKernels.LayerNormForward(p.X, p.G1, p.B1, f.XHat1, f.R1, f.ColA, f.A);      // A = LN₁(X)
        for (int k = 0; k < Heads; k++)
        {
            Products.MultiplyAddTo(f.Q[k], p.Wq[k], f.A, accumulate: false);
            Products.MultiplyAddTo(f.K[k], p.Wk[k], f.A, accumulate: false);
            Products.MultiplyAddTo(f.V[k], p.Wv[k], f.A, accumulate: false);
            var s = f.P[k];
            Products.MultiplyAddTo(s, f.K[k], f.Q[k], transposeA: true, accumulate: false);   // S = KᵀQ
            TensorPrimitives.MultiplyAdd(s.AsSpan(), Scale, _mask.AsSpan(), s.AsSpan());    // S · scale + M
            SoftmaxColumnsInPlace(s, f.ColA, f.ColB);                                    // P
            Products.MultiplyAddTo(f.O[k], f.V[k], s, accumulate: false);                // O = V P
            Products.MultiplyAddTo(f.H, p.Wo[k], f.O[k], accumulate: k > 0);             // Σₕ Wo O
        }
        TensorPrimitives.Add(f.H.AsSpan(), p.X.AsSpan(), f.H.AsSpan());
        AddColumnsInPlace(f.H, p.Bo);                                                    // H = X + Σₕ Wo O + bo𝟙ᵀ
        NormKernels.LayerNormForward(f.H, p.G2, p.B2, f.XHat2, f.R2, f.ColA, f.B);       // B = LN₂(H)
        Products.MultiplyAddTo(f.Z, p.W1, f.B, accumulate: false);
        AddColumnsInPlace(f.Z, p.C1);                                                    // Z = W₁ B + c₁𝟙ᵀ
        Matrix<T>? g = f.G;
        Elementwise.Gelu(f.Z, ref g);                                                    // G = gelu(Z)
        Products.MultiplyAddTo(f.Y, p.W2, f.G, accumulate: false);
        AddColumnsInPlace(f.Y, p.C2);
        var y = f.Y.AsSpan();
        TensorPrimitives.Add(y, f.H.AsSpan(), y);                                        // Y = H + W₂ G + c₂𝟙ᵀ
        TensorPrimitives.Subtract(y, _target.AsSpan(), y);                               // R = Y − Target
        return TensorPrimitives.SumOfSquares<T>(y);
    }

    [Benchmark]
    public override double Forward()
    {
        var p = _p;
        return ToDouble(_forward(p.X, p.G1, p.B1, p.Wq[0], p.Wk[0], p.Wv[0], p.Wo[0], p.Wq[1], p.Wk[1], p.Wv[1], p.Wo[1], p.Wq[2], p.Wk[2], p.Wv[2], p.Wo[2], p.Wq[3], p.Wk[3], p.Wv[3],
                                 p.Wo[3], p.Bo, p.G2, p.B2, p.W1, p.C1, p.W2, p.C2,
            _mask, Scale, _target));
    }

    [Benchmark]
    public override double ForwardHandWritten() => ToDouble(HandForward(_fpass));

    public override IEnumerable<(string, double[], double[], double[])> Gradients()
    {
        Generated(); HandWritten();
        var w = new Block();
        WithGradient(w);
        foreach (var ((name, backward), (_, withGradient), (_, hand)) in _d.Parts().Zip(w.Parts(), _h.Parts()))
        {
            yield return (name, Snap(backward), Snap(withGradient), Snap(hand));
        }
    }

    public override IEnumerable<(string, double, double)> DifferenceChecks()
        => CompareLossDifference([.. _p.Parts().Select(p => p.Data)], [.. _h.Parts().Select(p => p.Data)]);

    private static void RowSums(Matrix<T> m, Vector<T> sums)
    {
        for (int i = 0; i < m.Rows; i++)
        {
            sums[i] = TensorPrimitives.Sum<T>(Row(m, i));
        }
    }

    /// <summary>X and the block's parameters (or their gradients), in the model's order.</summary>
    private sealed class Block
    {
        public Matrix<T> X, W1, W2;
        public Vector<T> G1, B1, Bo, G2, B2, C1, C2;
        public readonly Matrix<T>[] Wq = new Matrix<T>[Heads], Wk = new Matrix<T>[Heads], Wv = new Matrix<T>[Heads], Wo = new Matrix<T>[Heads];

        public static Block Zeros()
        {
            var b = new Block { X = new(D, Tokens), W1 = new(Hidden, D), W2 = new(D, Hidden) };
            (b.G1, b.B1, b.Bo, b.G2, b.B2, b.C1, b.C2) = (new(D), new(D), new(D), new(D), new(D), new(Hidden), new(D));
            for (int k = 0; k < Heads; k++)
            {
                (b.Wq[k], b.Wk[k], b.Wv[k], b.Wo[k]) = (new(Dh, D), new(Dh, D), new(Dh, D), new(D, Dh));
            }
            return b;
        }

        /// <summary>Fixed-seed draws: X uniform in [−1, 1], weights at scale 0.1 (W₂ 0.05), γ in 1 ± 0.1, biases at 0.1.</summary>
        public static Block Draw(Random r)
        {
            var b = new Block { X = Data<T>.Matrix(r, D, Tokens), G1 = Gain(r), B1 = Data<T>.Vector(r, D, 0.1) };
            for (int k = 0; k < Heads; k++)
            {
                (b.Wq[k], b.Wk[k]) = (Data<T>.Matrix(r, Dh, D, 0.1), Data<T>.Matrix(r, Dh, D, 0.1));
                (b.Wv[k], b.Wo[k]) = (Data<T>.Matrix(r, Dh, D, 0.1), Data<T>.Matrix(r, D, Dh, 0.1));
            }
            (b.Bo, b.G2, b.B2) = (Data<T>.Vector(r, D, 0.1), Gain(r), Data<T>.Vector(r, D, 0.1));
            (b.W1, b.C1) = (Data<T>.Matrix(r, Hidden, D, 0.1), Data<T>.Vector(r, Hidden, 0.1));
            (b.W2, b.C2) = (Data<T>.Matrix(r, D, Hidden, 0.05), Data<T>.Vector(r, D, 0.1));
            return b;
        }

        private static Vector<T> Gain(Random r)
        {
            var g = Data<T>.Vector(r, D, 0.1);
            TensorPrimitives.Add(g.AsSpan(), T.One, g.AsSpan());
            return g;
        }

        public IEnumerable<(string Name, T[] Data)> Parts()
        {
            yield return ("X", X.Data);
            yield return ("g1", G1.Data);
            yield return ("b1", B1.Data);
            yield return ("Wq1", Wq[0].Data);
            yield return ("Wk1", Wk[0].Data);
            yield return ("Wv1", Wv[0].Data);
            yield return ("Wo1", Wo[0].Data);
            yield return ("Wq2", Wq[1].Data);
            yield return ("Wk2", Wk[1].Data);
            yield return ("Wv2", Wv[1].Data);
            yield return ("Wo2", Wo[1].Data);
            yield return ("Wq3", Wq[2].Data);
            yield return ("Wk3", Wk[2].Data);
            yield return ("Wv3", Wv[2].Data);
            yield return ("Wo3", Wo[2].Data);
            yield return ("Wq4", Wq[3].Data);
            yield return ("Wk4", Wk[3].Data);
            yield return ("Wv4", Wv[3].Data);
            yield return ("Wo4", Wo[3].Data);
            yield return ("bo", Bo.Data);
            yield return ("g2", G2.Data);
            yield return ("b2", B2.Data);
            yield return ("W1", W1.Data);
            yield return ("c1", C1.Data);
            yield return ("W2", W2.Data);
            yield return ("c2", C2.Data);
        }
    }

    /// <summary>The forward buffers of the hand-written paths (x̂ and 1/σ of both layer norms kept for the backward pass).</summary>
    private sealed class Pass
    {
        public readonly Matrix<T> XHat1 = new(D, Tokens), A = new(D, Tokens), H = new(D, Tokens), XHat2 = new(D, Tokens), B = new(D, Tokens);
        public readonly Matrix<T> Z = new(Hidden, Tokens), G = new(Hidden, Tokens), Y = new(D, Tokens);
        public readonly Matrix<T>[] Q = New(Dh, Tokens), K = New(Dh, Tokens), V = New(Dh, Tokens), P = New(Tokens, Tokens), O = New(Dh, Tokens);
        public readonly T[] R1 = new T[Tokens], R2 = new T[Tokens], ColA = new T[Tokens], ColB = new T[Tokens];

        private static Matrix<T>[] New(int rows, int cols) => [.. Enumerable.Range(0, Heads).Select(_ => new Matrix<T>(rows, cols))];
    }
}
