using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// Layer and batch normalization with saved statistics: the forward pass writes x̂ and 1/σ (one per line) beside
/// Y = γ ⊙ x̂ + β, and the backward pass reads them back instead of recomputing μ and σ from X. Per line, with g = s Ḡ
/// (s a scalar factor of the cotangent, folded in here instead of scaling Ḡ first):
/// <code>
/// X̄ = (γ/σ)(g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)) = J diag(γ) g,   γ̄ = (g ⊙ x̂)𝟙,   β̄ = g𝟙   (sums over the columns)
/// </code>
/// Rows (batch normalization) are contiguous and take one sweep per row; columns (layer normalization) are strided, so the
/// per-column sums are gathered over whole rows in scratch spans of length <c>cols</c> (on the stack when small, pooled
/// otherwise: no allocation in steady state). An empty output span is skipped with the work only it needs. No checks: the
/// <c>Compute</c> layer validates.
/// </summary>
internal static class SavedNormalization<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The outputs of the fused backward pass and whether each is added to (true) or overwritten.</summary>
    public readonly ref struct Outputs(Span<T> x, Span<T> gamma, Span<T> beta, bool accumulateX, bool accumulateGamma, bool accumulateBeta)
    {
        public Span<T> X { get; } = x;

        public Span<T> Gamma { get; } = gamma;

        public Span<T> Beta { get; } = beta;

        public bool AccumulateX { get; } = accumulateX;

        public bool AccumulateGamma { get; } = accumulateGamma;

        public bool AccumulateBeta { get; } = accumulateBeta;

        /// <summary>Writes (or adds) one entry of γ̄ and β̄.</summary>
        public void Parameters(int row, T gamma, T beta)
        {
            if (!Gamma.IsEmpty)
            {
                Gamma[row] = AccumulateGamma ? Gamma[row] + gamma : gamma;
            }
            if (!Beta.IsEmpty)
            {
                Beta[row] = AccumulateBeta ? Beta[row] + beta : beta;
            }
        }
    }

    /// <summary>Y = γ ⊙ x̂ + β, writing x̂ into <paramref name="normalized"/> and 1/σ into <paramref name="inverse"/> (one per line).</summary>
    public static void Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T eps, in NormalizationLines l,
        Span<T> normalized, Span<T> inverse, Span<T> y)
    {
        if (!l.ByColumns)
        {
            ForwardRows(x, gamma, beta, eps, l.Rows, l.Cols, normalized, inverse, y);
            return;
        }
        T[]? rented = null;
        Span<T> mean = l.Cols <= NormalizationKernels<T>.StackLimit ? stackalloc T[l.Cols] : NormalizationKernels<T>.Rent(l.Cols, out rented);
        try
        {
            ColumnNormalization<T>.Statistics(x, eps, l.Rows, l.Cols, mean, inverse, normalized, keep: true);
            for (int r = 0; r < l.Rows; r++)
            {
                Span<T> hr = normalized.Slice(r * l.Cols, l.Cols), yr = y.Slice(r * l.Cols, l.Cols);
                TensorPrimitives.Multiply(hr, inverse, hr);
                TensorPrimitives.Multiply(hr, gamma[r], yr);
                TensorPrimitives.Add(yr, beta[r], yr);
            }
        }
        finally
        {
            NormalizationKernels<T>.Return(rented);
        }
    }

    /// <summary>X̄, γ̄ and β̄ from the saved x̂ and 1/σ and the cotangent s Ḡ, in one pass over Ḡ (two for layer normalization's X̄).</summary>
    public static void Backward(ReadOnlySpan<T> normalized, ReadOnlySpan<T> inverse, ReadOnlySpan<T> gamma, T scale, ReadOnlySpan<T> g,
        in NormalizationLines l, in Outputs outputs)
    {
        if (!l.ByColumns)
        {
            BackwardRows(normalized, inverse, gamma, scale, g, l.Rows, l.Cols, outputs);
            return;
        }
        int size = outputs.X.IsEmpty ? 0 : 4 * l.Cols;
        T[]? rented = null;
        Span<T> scratch = size <= NormalizationKernels<T>.StackLimit ? stackalloc T[size] : NormalizationKernels<T>.Rent(size, out rented);
        try
        {
            BackwardColumns(normalized, inverse, gamma, scale, g, l.Rows, l.Cols, outputs, scratch);
        }
        finally
        {
            NormalizationKernels<T>.Return(rented);
        }
    }

    private static void ForwardRows(ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T eps, int rows, int cols,
        Span<T> normalized, Span<T> inverse, Span<T> y)
    {
        T n = T.CreateChecked(cols);
        for (int i = 0; i < rows; i++)
        {
            if (cols == 0)
            {
                inverse[i] = T.One / T.Sqrt(eps);   // an empty line: variance 0
                continue;
            }
            Span<T> hi = normalized.Slice(i * cols, cols), yi = y.Slice(i * cols, cols);
            ReadOnlySpan<T> xi = x.Slice(i * cols, cols);
            var (_, squares) = NormalizationKernels<T>.MeanAndSquares(xi, hi);   // hi = x − μ
            T r = T.One / T.Sqrt((squares / n) + eps);
            inverse[i] = r;
            TensorPrimitives.Multiply(hi, r, hi);
            TensorPrimitives.Multiply(hi, gamma[i], yi);
            TensorPrimitives.Add(yi, beta[i], yi);
        }
    }

    /// <summary>Per row i, with S₁ = Σ Ḡᵢ and S₂ = ⟨Ḡᵢ, x̂ᵢ⟩: X̄ᵢ = k (n Ḡᵢ − S₁ − x̂ᵢ S₂), k = s γᵢ/(n σᵢ); γ̄ᵢ = s S₂, β̄ᵢ = s S₁.</summary>
    private static void BackwardRows(ReadOnlySpan<T> normalized, ReadOnlySpan<T> inverse, ReadOnlySpan<T> gamma, T scale, ReadOnlySpan<T> g,
        int rows, int cols, in Outputs o)
    {
        T n = T.CreateChecked(cols);
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<T> gi = g.Slice(i * cols, cols), hi = normalized.Slice(i * cols, cols);
            T s1 = TensorPrimitives.Sum(gi), s2 = TensorPrimitives.Dot(gi, hi);
            o.Parameters(i, scale * s2, scale * s1);
            if (o.X.IsEmpty || cols == 0)
            {
                continue;
            }
            var di = o.X.Slice(i * cols, cols);
            T k = scale * gamma[i] * inverse[i] / n;
            if (o.AccumulateX)
            {
                TensorPrimitives.MultiplyAdd(hi, -k * s2, di, di);
            }
            else
            {
                TensorPrimitives.Multiply(hi, -k * s2, di);
            }
            TensorPrimitives.MultiplyAdd(gi, k * n, di, di);
            TensorPrimitives.Add(di, -k * s1, di);
        }
    }

    /// <summary>
    /// Per column, with u = γ ⊙ Ḡ over the rows: X̄ = s (1/σ)(u − mean(u) − x̂ ⊙ mean(u ⊙ x̂)); γ̄ᵢ = s ⟨Ḡᵢ, x̂ᵢ⟩ and
    /// β̄ᵢ = s Σ Ḡᵢ per row. <paramref name="scratch"/>: 4·cols when X̄ is wanted (the two means, one row of work, s/σ).
    /// </summary>
    private static void BackwardColumns(ReadOnlySpan<T> normalized, ReadOnlySpan<T> inverse, ReadOnlySpan<T> gamma, T scale, ReadOnlySpan<T> g,
        int rows, int cols, in Outputs o, Span<T> scratch)
    {
        bool wantX = !o.X.IsEmpty;
        Span<T> mean = scratch[..(wantX ? cols : 0)], projection = scratch.Slice(wantX ? cols : 0, wantX ? cols : 0);
        Span<T> w = scratch.Slice(wantX ? 2 * cols : 0, wantX ? cols : 0), q = scratch.Slice(wantX ? 3 * cols : 0, wantX ? cols : 0);
        mean.Clear();
        projection.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> gr = g.Slice(r * cols, cols), hr = normalized.Slice(r * cols, cols);
            o.Parameters(r, o.Gamma.IsEmpty ? T.Zero : scale * TensorPrimitives.Dot(gr, hr), o.Beta.IsEmpty ? T.Zero : scale * TensorPrimitives.Sum(gr));
            if (wantX)
            {
                TensorPrimitives.MultiplyAdd(gr, gamma[r], mean, mean);          // Σ γ Ḡ
                TensorPrimitives.Multiply(gr, gamma[r], w);
                TensorPrimitives.MultiplyAdd(w, hr, projection, projection);     // Σ γ Ḡ ⊙ x̂
            }
        }
        if (!wantX || rows == 0)
        {
            return;
        }
        T minusInverseN = -T.One / T.CreateChecked(rows);
        TensorPrimitives.Multiply(mean, minusInverseN, mean);
        TensorPrimitives.Multiply(projection, minusInverseN, projection);
        TensorPrimitives.Multiply(inverse, scale, q);
        for (int r = 0; r < rows; r++)
        {
            var dr = o.X.Slice(r * cols, cols);
            TensorPrimitives.MultiplyAdd(normalized.Slice(r * cols, cols), projection, mean, w);   // −x̂ mean(u ⊙ x̂) − mean(u)
            TensorPrimitives.MultiplyAdd(g.Slice(r * cols, cols), gamma[r], w, w);                 // + u
            if (o.AccumulateX)
            {
                TensorPrimitives.MultiplyAdd(w, q, dr, dr);
            }
            else
            {
                TensorPrimitives.Multiply(w, q, dr);
            }
        }
    }
}
