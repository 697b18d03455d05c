using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// Layer normalization's kernels: each column (one sample) normalized over the <c>rows</c> entries, which are strided; every
/// sweep runs over whole rows with <see cref="TensorPrimitives"/>, accumulating the per-column sums (μ, 1/σ, the moments)
/// in caller scratch spans of length <c>cols</c>. γ and β are one scalar per row.
/// </summary>
internal static class ColumnNormalization<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Scratch lengths, in units of <c>cols</c>.</summary>
    public const int ForwardScratch = 2, JacobianScratch = 5, RowSumsScratch = 5, CurvatureScratch = 7;

    /// <summary>
    /// μ and 1/σ = 1/√(Σ (x − μ)²/n + ε) of every column; x − μ is left in <paramref name="centered"/> (every row when
    /// <paramref name="keep"/>, otherwise one row, overwritten).
    /// </summary>
    internal static void Statistics(ReadOnlySpan<T> x, T eps, int rows, int cols, Span<T> mean, Span<T> inverse, Span<T> centered, bool keep)
    {
        T n = T.CreateChecked(rows);
        mean.Clear();
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(mean, x.Slice(r * cols, cols), mean);
        }
        TensorPrimitives.Divide(mean, n, mean);
        inverse.Clear();
        for (int r = 0; r < rows; r++)
        {
            var c = centered.Slice(keep ? r * cols : 0, cols);
            TensorPrimitives.Subtract(x.Slice(r * cols, cols), mean, c);
            TensorPrimitives.MultiplyAdd(c, c, inverse, inverse);
        }
        TensorPrimitives.Divide(inverse, n, inverse);
        TensorPrimitives.Add(inverse, eps, inverse);
        TensorPrimitives.ReciprocalSqrt(inverse, inverse);
    }

    /// <summary>
    /// From m = Σ w and a = Σ (x − μ) ⊙ w per column to the coefficients of J w = (1/σ) w + m' + (x − μ) ⊙ a', in place:
    /// m' = −mean(w)/σ, a' = −mean(x̂ ⊙ w)/σ².
    /// </summary>
    private static void Fold(Span<T> m, Span<T> a, ReadOnlySpan<T> inverse, T n)
    {
        for (int k = 0; k < m.Length; k++)
        {
            T s = inverse[k];
            m[k] = -s * (m[k] / n);
            a[k] = -s * s * (a[k] * s / n);
        }
    }

    /// <summary>y = γ ⊙ x̂ + β (<paramref name="beta"/> empty: no shift).</summary>
    public static void Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T eps, int rows, int cols, Span<T> y, Span<T> scratch)
    {
        Span<T> mean = scratch[..cols], inverse = scratch.Slice(cols, cols);
        Statistics(x, eps, rows, cols, mean, inverse, y, keep: true);
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * cols, cols);
            TensorPrimitives.Multiply(yr, inverse, yr);
            TensorPrimitives.Multiply(yr, gamma[r], yr);
            if (!beta.IsEmpty)
            {
                TensorPrimitives.Add(yr, beta[r], yr);
            }
        }
    }

    /// <summary>The tangent γ ⊙ J d (<paramref name="scaleOutput"/>) or the pullback J(γ ⊙ d), column by column.</summary>
    public static void Jacobian(ReadOnlySpan<T> x, ReadOnlySpan<T> d, ReadOnlySpan<T> gamma, T eps, int rows, int cols, bool scaleOutput,
        Span<T> result, Span<T> scratch)
    {
        Span<T> mean = scratch[..cols], inverse = scratch.Slice(cols, cols), m = scratch.Slice(2 * cols, cols);
        Span<T> a = scratch.Slice(3 * cols, cols), w = scratch.Slice(4 * cols, cols);
        Statistics(x, eps, rows, cols, mean, inverse, result, keep: true);
        m.Clear();
        a.Clear();
        for (int r = 0; r < rows; r++)
        {
            var dr = d.Slice(r * cols, cols);
            if (!scaleOutput)
            {
                TensorPrimitives.Multiply(dr, gamma[r], w);
                dr = w;
            }
            TensorPrimitives.Add(m, dr, m);
            TensorPrimitives.MultiplyAdd(result.Slice(r * cols, cols), dr, a, a);
        }
        Fold(m, a, inverse, T.CreateChecked(rows));
        for (int r = 0; r < rows; r++)
        {
            Span<T> rr = result.Slice(r * cols, cols);
            ReadOnlySpan<T> dr = d.Slice(r * cols, cols);
            TensorPrimitives.MultiplyAdd(rr, a, m, rr);
            if (scaleOutput)
            {
                TensorPrimitives.MultiplyAdd(dr, inverse, rr, rr);
                TensorPrimitives.Multiply(rr, gamma[r], rr);
            }
            else
            {
                TensorPrimitives.Multiply(dr, gamma[r], w);
                TensorPrimitives.MultiplyAdd(w, inverse, rr, rr);
            }
        }
    }

    /// <summary>Σ over the columns of G ⊙ x̂ (<paramref name="d"/> empty) or of G ⊙ J D, one entry per row.</summary>
    public static void RowSums(ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<T> d, T eps, int rows, int cols, Span<T> result, Span<T> scratch)
    {
        Span<T> mean = scratch[..cols], inverse = scratch.Slice(cols, cols), m = scratch.Slice(2 * cols, cols);
        Span<T> a = scratch.Slice(3 * cols, cols), c = scratch.Slice(4 * cols, cols);
        Statistics(x, eps, rows, cols, mean, inverse, c, keep: false);
        if (!d.IsEmpty)
        {
            m.Clear();
            a.Clear();
            for (int r = 0; r < rows; r++)
            {
                var dr = d.Slice(r * cols, cols);
                TensorPrimitives.Subtract(x.Slice(r * cols, cols), mean, c);
                TensorPrimitives.Add(m, dr, m);
                TensorPrimitives.MultiplyAdd(c, dr, a, a);
            }
            Fold(m, a, inverse, T.CreateChecked(rows));
        }
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Subtract(x.Slice(r * cols, cols), mean, c);
            if (d.IsEmpty)
            {
                TensorPrimitives.Multiply(c, inverse, c);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(c, a, m, c);
                TensorPrimitives.MultiplyAdd(d.Slice(r * cols, cols), inverse, c, c);
            }
            result[r] = TensorPrimitives.Dot<T>(g.Slice(r * cols, cols), c);
        }
    }

    /// <summary>−(1/σ²)(a_H (G − mean G) + a_G (H − mean H) + x̂ (cov(H, G) − 3 a_H a_G)) per column, a_V = mean(x̂ ⊙ V).</summary>
    public static void Curvature(ReadOnlySpan<T> x, ReadOnlySpan<T> h, ReadOnlySpan<T> g, T eps, int rows, int cols, Span<T> result, Span<T> scratch)
    {
        Span<T> mean = scratch[..cols], inverse = scratch.Slice(cols, cols), mh = scratch.Slice(2 * cols, cols);
        Span<T> mg = scratch.Slice(3 * cols, cols), ah = scratch.Slice(4 * cols, cols), ag = scratch.Slice(5 * cols, cols), p = scratch.Slice(6 * cols, cols);
        Statistics(x, eps, rows, cols, mean, inverse, result, keep: true);
        scratch.Slice(2 * cols, 5 * cols).Clear();
        for (int r = 0; r < rows; r++)
        {
            Span<T> cr = result.Slice(r * cols, cols);
            ReadOnlySpan<T> hr = h.Slice(r * cols, cols), gr = g.Slice(r * cols, cols);
            TensorPrimitives.Add(mh, hr, mh);
            TensorPrimitives.Add(mg, gr, mg);
            TensorPrimitives.MultiplyAdd(cr, hr, ah, ah);
            TensorPrimitives.MultiplyAdd(cr, gr, ag, ag);
            TensorPrimitives.MultiplyAdd(hr, gr, p, p);
        }
        CurvatureCoefficients(inverse, mh, mg, ah, ag, p, T.CreateChecked(rows));
        for (int r = 0; r < rows; r++)
        {
            var rr = result.Slice(r * cols, cols);
            TensorPrimitives.MultiplyAdd(rr, p, mh, rr);
            TensorPrimitives.MultiplyAdd(g.Slice(r * cols, cols), ah, rr, rr);
            TensorPrimitives.MultiplyAdd(h.Slice(r * cols, cols), ag, rr, rr);
        }
    }

    /// <summary>
    /// From the column sums Σ H, Σ G, Σ (x − μ) ⊙ H, Σ (x − μ) ⊙ G, Σ H ⊙ G to the coefficients of the curvature
    /// (x − μ) ⊙ p + mh + G ⊙ ah + H ⊙ ag, in place (s = −1/σ²).
    /// </summary>
    private static void CurvatureCoefficients(ReadOnlySpan<T> inverse, Span<T> mh, Span<T> mg, Span<T> ah, Span<T> ag, Span<T> p, T n)
    {
        T three = T.CreateChecked(3);
        for (int k = 0; k < inverse.Length; k++)
        {
            T i = inverse[k], s = -i * i;
            T meanH = mh[k] / n, meanG = mg[k] / n, projectionH = ah[k] * i / n, projectionG = ag[k] * i / n;
            T covariance = (p[k] / n) - (meanH * meanG);
            p[k] = s * i * (covariance - (three * projectionH * projectionG));
            mh[k] = -s * ((projectionH * meanG) + (projectionG * meanH));
            ah[k] = s * projectionH;
            ag[k] = s * projectionG;
        }
    }
}
