using System.Numerics;
using System.Numerics.Tensors;
using static AutoGradGen.Benchmarks.Workloads.HandKernels;

namespace AutoGradGen.Benchmarks.Workloads;

/// <summary>
/// Hand-written normalization kernels for the W11/W12 baselines: the forward pass keeps x̂ and 1/σ, the backward pass is
/// the fused closed form on them (nothing recomputed), all on caller-owned buffers. Layer normalization normalizes each
/// column (one token) over its rows, batch normalization each row (one feature) over the columns (the batch); both use the
/// biased variance and ε = 10⁻⁵, as <c>Ops.LayerNorm</c>/<c>Ops.BatchNorm</c> without an ε.
/// </summary>
internal static class NormKernels
{
    public static T Epsilon<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(1e-5);

    /// <summary>
    /// Y = γ ⊙ x̂ + β𝟙ᵀ with x̂ = (X − 𝟙μᵀ) diag(r), μ and r = 1/√(var + ε) per column (over the rows). Writes x̂, r
    /// (length cols) and Y; <paramref name="mean"/> is scratch of length cols.
    /// </summary>
    public static void LayerNormForward<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, Matrix<T> xhat, Span<T> r, Span<T> mean, Matrix<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = x.Rows;
        mean.Clear();
        for (int i = 0; i < d; i++)
        {
            TensorPrimitives.Add(mean, Row(x, i), mean);
        }
        TensorPrimitives.Multiply(mean, T.One / T.CreateTruncating(d), mean);
        r.Clear();
        for (int i = 0; i < d; i++)
        {
            var c = Row(xhat, i);
            TensorPrimitives.Subtract(Row(x, i), mean, c);
            TensorPrimitives.MultiplyAdd(c, c, r, r);                 // r = Σᵢ (xᵢ − μ)² so far
        }
        TensorPrimitives.Multiply(r, T.One / T.CreateTruncating(d), r);
        TensorPrimitives.Add(r, Epsilon<T>(), r);
        TensorPrimitives.ReciprocalSqrt(r, r);                       // r = 1/√(var + ε)
        var g = gamma.AsSpan();
        var b = beta.AsSpan();
        for (int i = 0; i < d; i++)
        {
            var c = Row(xhat, i);
            TensorPrimitives.Multiply(c, r, c);
            TensorPrimitives.Multiply(c, g[i], Row(y, i));
            TensorPrimitives.Add(Row(y, i), b[i], Row(y, i));
        }
    }

    /// <summary>
    /// The pullback of <see cref="LayerNormForward"/> at the cotangent Ḡ: γ̄ = (Ḡ ⊙ x̂)𝟙, β̄ = Ḡ𝟙 (overwritten) and, per column,
    /// X̄ += r ⊙ (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)) with g = γ ⊙ Ḡ (means over the rows). Scratch: three spans of length cols.
    /// </summary>
    public static void LayerNormBackward<T>(Matrix<T> xhat, ReadOnlySpan<T> r, Vector<T> gamma, Matrix<T> gbar,
        Matrix<T> xbar, Vector<T> dGamma, Vector<T> dBeta, Span<T> m1, Span<T> m2, Span<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = xhat.Rows;
        var g = gamma.AsSpan();
        var dg = dGamma.AsSpan();
        var db = dBeta.AsSpan();
        m1.Clear();
        m2.Clear();
        for (int i = 0; i < d; i++)
        {
            var gi = Row(gbar, i);
            var xi = Row(xhat, i);
            dg[i] = TensorPrimitives.Dot<T>(gi, xi);
            db[i] = TensorPrimitives.Sum<T>(gi);
            TensorPrimitives.MultiplyAdd(gi, g[i], m1, m1);           // Σᵢ γᵢ Ḡᵢ
            TensorPrimitives.Multiply(gi, g[i], row);
            TensorPrimitives.MultiplyAdd(row, xi, m2, m2);            // Σᵢ γᵢ Ḡᵢ x̂ᵢ
        }
        T inv = T.One / T.CreateTruncating(d);
        TensorPrimitives.Multiply(m1, inv, m1);
        TensorPrimitives.Multiply(m2, -inv, m2);                     // −mean(g ⊙ x̂)
        for (int i = 0; i < d; i++)
        {
            // row = γᵢ Ḡᵢ − mean(g) − x̂ᵢ ⊙ mean(g ⊙ x̂) (m2 holds the negated mean), then X̄ᵢ += r ⊙ row
            TensorPrimitives.Multiply(Row(gbar, i), g[i], row);
            TensorPrimitives.Subtract(row, m1, row);
            TensorPrimitives.MultiplyAdd(Row(xhat, i), m2, row, row);
            TensorPrimitives.MultiplyAdd(row, r, Row(xbar, i), Row(xbar, i));
        }
    }

    /// <summary>
    /// Batch normalization, row by row: x̂ᵢ = (xᵢ − μᵢ) rᵢ with rᵢ = 1/√(varᵢ + ε) over the columns, Zᵢ = γᵢ x̂ᵢ + βᵢ. Writes
    /// x̂, r (length rows) and Z.
    /// </summary>
    public static void BatchNormForward<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, Matrix<T> xhat, Span<T> r, Matrix<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T invN = T.One / T.CreateTruncating(x.Cols);
        for (int i = 0; i < x.Rows; i++)
        {
            var c = Row(xhat, i);
            T mu = TensorPrimitives.Sum<T>(Row(x, i)) * invN;
            TensorPrimitives.Subtract(Row(x, i), mu, c);
            T ri = T.One / T.Sqrt((TensorPrimitives.SumOfSquares<T>(c) * invN) + Epsilon<T>());
            r[i] = ri;
            TensorPrimitives.Multiply(c, ri, c);
            TensorPrimitives.Multiply(c, gamma[i], Row(z, i));
            TensorPrimitives.Add(Row(z, i), beta[i], Row(z, i));
        }
    }

    /// <summary>
    /// The fused batch-normalization pullback at the cotangent Ḡ of Z, row by row: γ̄ᵢ = ⟨Ḡᵢ, x̂ᵢ⟩, β̄ᵢ = Σ Ḡᵢ and
    /// X̄ᵢ = γᵢ rᵢ / N (N Ḡᵢ − Σ Ḡᵢ − x̂ᵢ ⟨Ḡᵢ, x̂ᵢ⟩) (all overwritten).
    /// </summary>
    public static void BatchNormBackward<T>(Matrix<T> xhat, ReadOnlySpan<T> r, Vector<T> gamma, Matrix<T> gbar,
        Matrix<T> xbar, Vector<T> dGamma, Vector<T> dBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T n = T.CreateTruncating(xhat.Cols);
        for (int i = 0; i < xhat.Rows; i++)
        {
            var gi = Row(gbar, i);
            var xi = Row(xhat, i);
            var di = Row(xbar, i);
            T s1 = TensorPrimitives.Sum<T>(gi), s2 = TensorPrimitives.Dot<T>(gi, xi);
            dGamma[i] = s2;
            dBeta[i] = s1;
            T k = gamma[i] * r[i] / n;
            TensorPrimitives.Multiply(xi, -k * s2, di);
            TensorPrimitives.Add(di, -k * s1, di);
            TensorPrimitives.MultiplyAdd(gi, k * n, di, di);
        }
    }
}
