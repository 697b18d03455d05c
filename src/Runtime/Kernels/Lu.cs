using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// The LU core on row-major spans: right-looking elimination with partial pivoting, P A = L U, in place
/// (LAPACK <c>getrf</c>). No checks: <c>Compute.Factorization</c> validates at the public boundary.
/// </summary>
internal static class Lu
{
    /// <summary>
    /// Right-looking elimination in place on <paramref name="lu"/> (n×n, holding A on entry):
    /// records the row permutation (row i of P A is row permutation[i] of A) and the pivot row chosen at
    /// each step (LAPACK's ipiv: P is the row swaps k ↔ pivots[k] in order).
    /// </summary>
    /// <returns>Whether the number of row swaps is odd, and the first zero pivot's column (−1 if none).</returns>
    internal static (bool OddSwaps, int FirstZeroPivot) Decompose<T>(Span<T> lu, Span<int> permutation, Span<int> pivots, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
        {
            permutation[i] = i;
        }

        bool oddSwaps = false;
        int firstZeroPivot = -1;
        for (int k = 0; k < n; k++)
        {
            int pivotRow = FindPivot<T>(lu, n, k);
            pivots[k] = pivotRow;
            if (pivotRow != k)
            {
                SwapRows(lu.Slice(k * n, n), lu.Slice(pivotRow * n, n));
                (permutation[k], permutation[pivotRow]) = (permutation[pivotRow], permutation[k]);
                oddSwaps = !oddSwaps;
            }

            if (lu[(k * n) + k] == T.Zero)
            {
                // Exactly zero pivot: the column below is already zero, so there is nothing to
                // eliminate. Record it (LAPACK's info) and go on, as getrf does.
                firstZeroPivot = firstZeroPivot < 0 ? k : firstZeroPivot;
                continue;
            }

            Eliminate<T>(lu, n, k);
        }

        return (oddSwaps, firstZeroPivot);
    }

    /// <summary>Swaps two equally long spans element by element (no temporary).</summary>
    internal static void SwapRows<T>(Span<T> first, Span<T> second)
    {
        for (int j = 0; j < first.Length; j++)
        {
            (first[j], second[j]) = (second[j], first[j]);
        }
    }

    /// <summary>The row in k..n−1 with the largest |a[i, k]| (the first such row on ties).</summary>
    private static int FindPivot<T>(ReadOnlySpan<T> lu, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pivotRow = k;
        T largest = T.Abs(lu[(k * n) + k]);
        for (int i = k + 1; i < n; i++)
        {
            T candidate = T.Abs(lu[(i * n) + k]);
            if (candidate > largest)
            {
                largest = candidate;
                pivotRow = i;
            }
        }

        return pivotRow;
    }

    /// <summary>
    /// One elimination step below pivot (k, k): for each row i &gt; k, l = a[i,k] / a[k,k] is
    /// stored in place of a[i,k] and a[i, k+1..] −= l · a[k, k+1..] in one vectorized FMA pass.
    /// </summary>
    private static void Eliminate<T>(Span<T> lu, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T pivot = lu[(k * n) + k];
        int tail = n - k - 1;
        ReadOnlySpan<T> pivotRow = lu.Slice((k * n) + k + 1, tail);
        for (int i = k + 1; i < n; i++)
        {
            T factor = lu[(i * n) + k] / pivot;
            lu[(i * n) + k] = factor;
            if (factor != T.Zero)
            {
                Span<T> row = lu.Slice((i * n) + k + 1, tail);
                TensorPrimitives.FusedMultiplyAdd(pivotRow, -factor, row, row);
            }
        }
    }
}
