using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// Batch normalization's kernels: each row (one feature, contiguous) normalized over its <c>cols</c> entries, with
/// <see cref="TensorPrimitives"/> on the row spans. The result row holds x − μ first; γ, μ and σ of a row are scalars, so
/// the tangent γ J ∂x and the pullback J(γ ḡ) are the same formula γ/σ (d − mean(d) − x̂ mean(x̂ ⊙ d)).
/// </summary>
internal static class RowNormalization<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Writes x − μ into <paramref name="centered"/> and returns 1/σ = 1/√(Σ (x − μ)²/n + ε).</summary>
    private static T Center(ReadOnlySpan<T> x, T eps, Span<T> centered)
    {
        T n = T.CreateChecked(x.Length);
        T mean = TensorPrimitives.Sum(x) / n;
        TensorPrimitives.Subtract(x, mean, centered);
        return T.One / T.Sqrt((TensorPrimitives.SumOfSquares<T>(centered) / n) + eps);
    }

    /// <summary>y = γ ⊙ x̂ + β (<paramref name="beta"/> empty: no shift).</summary>
    public static void Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T eps, int rows, int cols, Span<T> y)
    {
        for (int i = 0; i < rows && cols > 0; i++)
        {
            var yi = y.Slice(i * cols, cols);
            T inverse = Center(x.Slice(i * cols, cols), eps, yi);
            TensorPrimitives.Multiply(yi, gamma[i] * inverse, yi);
            if (!beta.IsEmpty)
            {
                TensorPrimitives.Add(yi, beta[i], yi);
            }
        }
    }

    /// <summary>γ/σ (d − mean(d) − x̂ mean(x̂ ⊙ d)) per row: both the tangent γ J ∂X and the pullback J(γ Ḡ).</summary>
    public static void Jacobian(ReadOnlySpan<T> x, ReadOnlySpan<T> d, ReadOnlySpan<T> gamma, T eps, int rows, int cols, Span<T> result)
    {
        T n = T.CreateChecked(cols);
        for (int i = 0; i < rows && cols > 0; i++)
        {
            var ri = result.Slice(i * cols, cols);
            var di = d.Slice(i * cols, cols);
            T inverse = Center(x.Slice(i * cols, cols), eps, ri);
            T mean = TensorPrimitives.Sum(di) / n, projection = TensorPrimitives.Dot<T>(ri, di) * inverse / n;
            T k = gamma[i] * inverse;

            // ri = (x − μ)(−γ a/σ²) + (γ/σ) d − (γ/σ) mean(d), a = mean(x̂ ⊙ d)
            TensorPrimitives.Multiply(ri, -k * inverse * projection, ri);
            TensorPrimitives.MultiplyAdd(di, k, ri, ri);
            TensorPrimitives.Add(ri, -k * mean, ri);
        }
    }

    /// <summary>
    /// Σ over the columns of G ⊙ x̂ (<paramref name="d"/> empty) or of G ⊙ J D, one entry per row; <paramref name="scratch"/>
    /// holds one row.
    /// </summary>
    public static void RowSums(ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<T> d, T eps, int rows, int cols, Span<T> result, Span<T> scratch)
    {
        if (cols == 0)
        {
            result.Clear();
            return;
        }
        T n = T.CreateChecked(cols);
        for (int i = 0; i < rows; i++)
        {
            var gi = g.Slice(i * cols, cols);
            T inverse = Center(x.Slice(i * cols, cols), eps, scratch);
            if (d.IsEmpty)
            {
                result[i] = TensorPrimitives.Dot<T>(gi, scratch) * inverse;
                continue;
            }
            var di = d.Slice(i * cols, cols);
            T mean = TensorPrimitives.Sum(di) / n, projection = TensorPrimitives.Dot<T>(scratch, di) * inverse / n;

            // scratch = d − mean(d) − x̂ a, then Σ G ⊙ J D = (1/σ) ⟨G, scratch⟩
            TensorPrimitives.MultiplyAdd(scratch, -inverse * projection, di, scratch);
            TensorPrimitives.Add(scratch, -mean, scratch);
            result[i] = TensorPrimitives.Dot<T>(gi, scratch) * inverse;
        }
    }

    /// <summary>−(1/σ²)(a_H (G − mean G) + a_G (H − mean H) + x̂ (cov(H, G) − 3 a_H a_G)) per row, a_V = mean(x̂ ⊙ V).</summary>
    public static void Curvature(ReadOnlySpan<T> x, ReadOnlySpan<T> h, ReadOnlySpan<T> g, T eps, int rows, int cols, Span<T> result)
    {
        T n = T.CreateChecked(cols), three = T.CreateChecked(3);
        for (int i = 0; i < rows && cols > 0; i++)
        {
            var ri = result.Slice(i * cols, cols);
            ReadOnlySpan<T> hi = h.Slice(i * cols, cols), gi = g.Slice(i * cols, cols);
            T inverse = Center(x.Slice(i * cols, cols), eps, ri);
            T mh = TensorPrimitives.Sum(hi) / n, mg = TensorPrimitives.Sum(gi) / n;
            T ah = TensorPrimitives.Dot<T>(ri, hi) * inverse / n, ag = TensorPrimitives.Dot<T>(ri, gi) * inverse / n;
            T covariance = (TensorPrimitives.Dot<T>(hi, gi) / n) - (mh * mg), s = -inverse * inverse;

            // ri = s (x − μ)/σ (cov − 3 a_H a_G) + s a_H G + s a_G H − s (a_H mean G + a_G mean H), s = −1/σ²
            TensorPrimitives.Multiply(ri, s * inverse * (covariance - (three * ah * ag)), ri);
            TensorPrimitives.MultiplyAdd(gi, s * ah, ri, ri);
            TensorPrimitives.MultiplyAdd(hi, s * ag, ri, ri);
            TensorPrimitives.Add(ri, -s * ((ah * mg) + (ag * mh)), ri);
        }
    }
}
