using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// The Cholesky core on row-major spans: A = Uᵀ U for a symmetric positive definite A, U upper
/// triangular, computed in place right-looking (LAPACK <c>potrf</c> with uplo = 'U'). Only the diagonal
/// and the upper triangle of A are read; U overwrites them and the strict lower triangle is left as it
/// was. Every inner step is one vectorized <see cref="TensorPrimitives"/> FMA on a contiguous row.
/// The solves reuse <see cref="TriangularSolve"/>'s U kernels (the packed LU layout stores U the same way).
/// No argument checks: <c>CholeskyFactorization</c> validates at the public boundary.
/// </summary>
internal static class Cholesky
{
    /// <summary>
    /// Factors the n×n matrix in <paramref name="a"/> in place. Never throws: when a pivot
    /// a[k,k] − Σ u[i,k]² is not positive (or is NaN), the matrix is not (numerically) positive
    /// definite; the factorization stops there and reports the column, as <c>potrf</c>'s info does.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="a">n×n row-major; on return rows 0..k−1 of its upper triangle hold U.</param>
    /// <param name="n">The order.</param>
    /// <returns>−1 on success, else the 0-based column k whose pivot was not positive.</returns>
    internal static int Factor<T>(Span<T> a, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < n; k++)
        {
            T pivot = a[(k * n) + k];
            if (!(pivot > T.Zero) || T.IsInfinity(pivot))
            {
                return k; // ≤ 0, NaN or ∞: not positive definite in this precision
            }

            T diagonal = T.Sqrt(pivot);
            a[(k * n) + k] = diagonal;
            int tail = n - k - 1;
            Span<T> row = a.Slice((k * n) + k + 1, tail); // u[k, k+1..n)
            TensorPrimitives.Divide(row, diagonal, row);

            // Trailing update of the upper triangle: a[i, i..n) −= u[k,i] · u[k, i..n) for i > k.
            for (int i = k + 1; i < n; i++)
            {
                T u = a[(k * n) + i];
                if (u != T.Zero)
                {
                    int width = n - i;
                    Span<T> target = a.Slice((i * n) + i, width);
                    TensorPrimitives.FusedMultiplyAdd(a.Slice((k * n) + i, width), -u, target, target);
                }
            }
        }

        return -1;
    }

    /// <summary>In place on an n-vector: x ← A⁻¹ x = U⁻¹ U⁻ᵀ x, with U from <see cref="Factor{T}"/>.</summary>
    internal static void SolveVector<T>(ReadOnlySpan<T> u, Span<T> x, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TriangularSolve.UpperTransposedVector(u, x, n);
        TriangularSolve.UpperVector(u, x, n);
    }

    /// <summary>In place on n rows of width p (row-major): X ← A⁻¹ X.</summary>
    internal static void Solve<T>(ReadOnlySpan<T> u, Span<T> x, int n, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (width == 1)
        {
            SolveVector(u, x, n);
        }
        else if (width > 0)
        {
            TriangularSolve.Rows(u, x, n, width, TriangularPair.UpperTransposedThenUpper);
        }
    }

    /// <summary>log det A = 2 Σ log uₖₖ (A = UᵀU, so det A = ∏ uₖₖ²).</summary>
    internal static T LogDeterminant<T>(ReadOnlySpan<T> u, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int k = 0; k < n; k++)
        {
            sum += T.Log(u[(k * n) + k]);
        }

        return sum + sum;
    }
}
