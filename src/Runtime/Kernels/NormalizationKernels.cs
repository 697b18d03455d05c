using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// The lines a normalization works on, in a row-major rows×cols matrix: the columns (layer normalization, one sample per
/// column, normalized over its features) or the rows (batch normalization, one feature per row, normalized over the batch).
/// γ, β and the per-feature sums are indexed by the row.
/// </summary>
internal readonly record struct NormalizationLines(int Rows, int Cols, bool ByColumns)
{
    /// <summary>The number of elements in one line.</summary>
    public int Length => ByColumns ? Rows : Cols;
}

/// <summary>
/// Span kernels of layer and batch normalization. Each line x of length n is normalized as x̂ = (x − μ)/σ with μ its mean,
/// σ = √(var + ε) and var the biased variance (Σ (x − μ)²/n, two passes); J = ∂x̂/∂x = (1/σ)(I − 𝟙𝟙ᵀ/n − x̂x̂ᵀ/n) is
/// symmetric, so one formula is both the tangent and the pullback of x̂. Rows (batch normalization) are contiguous and go to
/// <see cref="RowNormalization{T}"/>; columns (layer normalization) are strided and go to <see cref="ColumnNormalization{T}"/>,
/// which sweeps whole rows and keeps the per-column sums in a scratch span (on the stack when small, pooled otherwise: no
/// allocation in steady state). The result matrix, never an operand, holds x − μ between the sweeps. No checks: the
/// <c>Compute</c> layer validates.
/// </summary>
internal static class NormalizationKernels<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Scratch sizes up to this many elements live on the stack (here and in <see cref="SavedNormalization{T}"/>).</summary>
    internal const int StackLimit = 1024;

    /// <summary>y = γ ⊙ x̂ + β (γ, β indexed by row; <paramref name="beta"/> empty: no shift).</summary>
    public static void Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T eps, in NormalizationLines l, Span<T> y)
    {
        if (!l.ByColumns)
        {
            RowNormalization<T>.Forward(x, gamma, beta, eps, l.Rows, l.Cols, y);
            return;
        }
        int size = ColumnNormalization<T>.ForwardScratch * l.Cols;
        T[]? rented = null;
        Span<T> scratch = size <= StackLimit ? stackalloc T[size] : Rent(size, out rented);
        try
        {
            ColumnNormalization<T>.Forward(x, gamma, beta, eps, l.Rows, l.Cols, y, scratch);
        }
        finally
        {
            Return(rented);
        }
    }

    /// <summary>
    /// J(γ_in ⊙ d) scaled by γ_out per element: the tangent γ ⊙ J ∂X (<paramref name="scaleOutput"/>) or the pullback
    /// J(γ ⊙ Ḡ) (otherwise).
    /// </summary>
    public static void Jacobian(ReadOnlySpan<T> x, ReadOnlySpan<T> d, ReadOnlySpan<T> gamma, T eps, in NormalizationLines l, bool scaleOutput, Span<T> result)
    {
        if (!l.ByColumns)
        {
            RowNormalization<T>.Jacobian(x, d, gamma, eps, l.Rows, l.Cols, result);
            return;
        }
        int size = ColumnNormalization<T>.JacobianScratch * l.Cols;
        T[]? rented = null;
        Span<T> scratch = size <= StackLimit ? stackalloc T[size] : Rent(size, out rented);
        try
        {
            ColumnNormalization<T>.Jacobian(x, d, gamma, eps, l.Rows, l.Cols, scaleOutput, result, scratch);
        }
        finally
        {
            Return(rented);
        }
    }

    /// <summary>Σ over the columns of G ⊙ x̂ (or G ⊙ J D when <paramref name="d"/> is given), one entry per row.</summary>
    public static void RowSumsWith(ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<T> d, T eps, in NormalizationLines l, Span<T> result)
    {
        int size = l.ByColumns ? ColumnNormalization<T>.RowSumsScratch * l.Cols : l.Cols;
        T[]? rented = null;
        Span<T> scratch = size <= StackLimit ? stackalloc T[size] : Rent(size, out rented);
        try
        {
            if (l.ByColumns)
            {
                ColumnNormalization<T>.RowSums(x, g, d, eps, l.Rows, l.Cols, result, scratch);
            }
            else
            {
                RowNormalization<T>.RowSums(x, g, d, eps, l.Rows, l.Cols, result, scratch);
            }
        }
        finally
        {
            Return(rented);
        }
    }

    /// <summary>
    /// D J(X)[H] G = −(1/σ²)(a_H (G − mean G) + a_G (H − mean H) + x̂ (cov(H, G) − 3 a_H a_G)) per line, a_V = mean(x̂ ⊙ V):
    /// the second derivative of x̂ along H and G (symmetric in them).
    /// </summary>
    public static void Curvature(ReadOnlySpan<T> x, ReadOnlySpan<T> h, ReadOnlySpan<T> g, T eps, in NormalizationLines l, Span<T> result)
    {
        if (!l.ByColumns)
        {
            RowNormalization<T>.Curvature(x, h, g, eps, l.Rows, l.Cols, result);
            return;
        }
        int size = ColumnNormalization<T>.CurvatureScratch * l.Cols;
        T[]? rented = null;
        Span<T> scratch = size <= StackLimit ? stackalloc T[size] : Rent(size, out rented);
        try
        {
            ColumnNormalization<T>.Curvature(x, h, g, eps, l.Rows, l.Cols, result, scratch);
        }
        finally
        {
            Return(rented);
        }
    }

    /// <summary>The mean of <paramref name="row"/> and Σ (x − μ)², with <paramref name="scratch"/> (the row's length) for x − μ.</summary>
    public static (T Mean, T Squares) MeanAndSquares(ReadOnlySpan<T> row, Span<T> scratch)
    {
        T mean = TensorPrimitives.Sum(row) / T.CreateChecked(row.Length);
        TensorPrimitives.Subtract(row, mean, scratch);
        return (mean, TensorPrimitives.SumOfSquares<T>(scratch));
    }

    /// <summary>Scratch of <paramref name="size"/> elements from the shared pool; <see cref="Return"/> gives it back.</summary>
    internal static Span<T> Rent(int size, out T[]? rented)
    {
        rented = ArrayPool<T>.Shared.Rent(size);
        return rented.AsSpan(0, size);
    }

    /// <summary>Returns scratch from <see cref="Rent"/> (null: it was on the stack).</summary>
    internal static void Return(T[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }
}
