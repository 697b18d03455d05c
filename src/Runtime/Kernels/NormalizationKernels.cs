using System;
using System.Numerics;

namespace AutoGradGen.Kernels;

/// <summary>
/// The lines a normalization works on, in a row-major rows×cols matrix: the columns (layer normalization, one sample per
/// column, normalized over its features) or the rows (batch normalization, one feature per row, normalized over the batch).
/// Element t of line k is at <see cref="Index"/>; γ, β and the per-feature sums are indexed by its row (<see cref="Row"/>).
/// </summary>
internal readonly record struct NormalizationLines(int Rows, int Cols, bool ByColumns)
{
    public int Count => ByColumns ? Cols : Rows;

    public int Length => ByColumns ? Rows : Cols;

    public int Index(int line, int t) => ByColumns ? (t * Cols) + line : (line * Cols) + t;

    public int Row(int line, int t) => ByColumns ? t : line;
}

/// <summary>
/// Span kernels of layer and batch normalization. Each line x of length n is normalized as x̂ = (x − μ)/σ with μ its mean,
/// σ = √(var + ε) and var the biased variance; J = ∂x̂/∂x = (1/σ)(I − 𝟙𝟙ᵀ/n − x̂x̂ᵀ/n) is symmetric, so one formula is both
/// the tangent and the pullback of x̂. No checks: the <c>Compute</c> layer validates.
/// </summary>
internal static class NormalizationKernels<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>μ and 1/σ of line <paramref name="line"/>.</summary>
    private static (T Mean, T InverseSigma) Statistics(ReadOnlySpan<T> x, in NormalizationLines l, int line, T eps)
    {
        T n = T.CreateChecked(l.Length), sum = T.Zero;
        for (int t = 0; t < l.Length; t++)
        {
            sum += x[l.Index(line, t)];
        }
        T mean = sum / n, squares = T.Zero;
        for (int t = 0; t < l.Length; t++)
        {
            T c = x[l.Index(line, t)] - mean;
            squares += c * c;
        }
        return (mean, T.One / T.Sqrt((squares / n) + eps));
    }

    /// <summary>mean(d) and mean(x̂ ⊙ d) over one line.</summary>
    private static (T Mean, T Projection) Moments(ReadOnlySpan<T> x, ReadOnlySpan<T> d, in NormalizationLines l, int line, T mean, T inverseSigma)
    {
        T sum = T.Zero, projection = T.Zero;
        for (int t = 0; t < l.Length; t++)
        {
            int i = l.Index(line, t);
            sum += d[i];
            projection += (x[i] - mean) * inverseSigma * d[i];
        }
        T n = T.CreateChecked(l.Length);
        return (sum / n, projection / n);
    }

    /// <summary>y = γ ⊙ x̂ + β (γ, β indexed by row; <paramref name="beta"/> empty: no shift).</summary>
    public static void Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T eps, in NormalizationLines l, Span<T> y)
    {
        for (int k = 0; k < l.Count; k++)
        {
            var (mean, inverse) = Statistics(x, l, k, eps);
            for (int t = 0; t < l.Length; t++)
            {
                int i = l.Index(k, t), r = l.Row(k, t);
                y[i] = (gamma[r] * (x[i] - mean) * inverse) + (beta.IsEmpty ? T.Zero : beta[r]);
            }
        }
    }

    /// <summary>
    /// J(γ_in ⊙ d) scaled by γ_out per element: the tangent γ ⊙ J ∂X (<paramref name="scaleOutput"/>) or the pullback
    /// J(γ ⊙ Ḡ) (otherwise).
    /// </summary>
    public static void Jacobian(ReadOnlySpan<T> x, ReadOnlySpan<T> d, ReadOnlySpan<T> gamma, T eps, in NormalizationLines l, bool scaleOutput, Span<T> result)
    {
        for (int k = 0; k < l.Count; k++)
        {
            var (mean, inverse) = Statistics(x, l, k, eps);
            for (int t = 0; t < l.Length; t++)
            {
                int i = l.Index(k, t);
                result[i] = scaleOutput ? d[i] : gamma[l.Row(k, t)] * d[i];
            }
            var (m, a) = Moments(x, result, l, k, mean, inverse);
            for (int t = 0; t < l.Length; t++)
            {
                int i = l.Index(k, t);
                T value = inverse * (result[i] - m - ((x[i] - mean) * inverse * a));
                result[i] = scaleOutput ? gamma[l.Row(k, t)] * value : value;
            }
        }
    }

    /// <summary>Σ over the columns of G ⊙ x̂ (or G ⊙ J D when <paramref name="d"/> is given), one entry per row.</summary>
    public static void RowSumsWith(ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<T> d, T eps, in NormalizationLines l, Span<T> result)
    {
        result.Clear();
        for (int k = 0; k < l.Count; k++)
        {
            var (mean, inverse) = Statistics(x, l, k, eps);
            var (m, a) = d.IsEmpty ? (T.Zero, T.Zero) : Moments(x, d, l, k, mean, inverse);
            for (int t = 0; t < l.Length; t++)
            {
                int i = l.Index(k, t);
                T hat = (x[i] - mean) * inverse;
                T factor = d.IsEmpty ? hat : inverse * (d[i] - m - (hat * a));
                result[l.Row(k, t)] += g[i] * factor;
            }
        }
    }

    /// <summary>
    /// D J(X)[H] G = −(1/σ²)(a_H (G − mean G) + a_G (H − mean H) + x̂ (cov(H, G) − 3 a_H a_G)) per line, a_V = mean(x̂ ⊙ V):
    /// the second derivative of x̂ along H and G (symmetric in them).
    /// </summary>
    public static void Curvature(ReadOnlySpan<T> x, ReadOnlySpan<T> h, ReadOnlySpan<T> g, T eps, in NormalizationLines l, Span<T> result)
    {
        T n = T.CreateChecked(l.Length);
        for (int k = 0; k < l.Count; k++)
        {
            var (mean, inverse) = Statistics(x, l, k, eps);
            var (mh, ah) = Moments(x, h, l, k, mean, inverse);
            var (mg, ag) = Moments(x, g, l, k, mean, inverse);
            T products = T.Zero;
            for (int t = 0; t < l.Length; t++)
            {
                int i = l.Index(k, t);
                products += h[i] * g[i];
            }
            T covariance = (products / n) - (mh * mg), three = T.CreateChecked(3);
            for (int t = 0; t < l.Length; t++)
            {
                int i = l.Index(k, t);
                T hat = (x[i] - mean) * inverse;
                result[i] = -inverse * inverse * ((ah * (g[i] - mg)) + (ag * (h[i] - mh)) + (hat * (covariance - (three * ah * ag))));
            }
        }
    }
}
