using System;
using System.Numerics;

namespace AutoGradGen.Kernels
{
    /// <summary>
    /// Matrix product kernel on row-major spans: C = op(A) · op(B) (+ C when <c>accumulate</c>).
    /// op(A) is m×k, op(B) is k×n, C is m×n. With <c>transposeA</c>, A is stored k×m; with
    /// <c>transposeB</c>, B is stored n×k. No shape checks: callers validate at the public boundary.
    /// </summary>
    internal static class Gemm
    {
        /// <summary>C (m×n) = op(A) (m×k) · op(B) (k×n), or C += … when <paramref name="accumulate"/>.</summary>
        public static void Multiply<T>(
            ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c,
            int m, int k, int n,
            bool transposeA = false, bool transposeB = false, bool accumulate = false)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            // PLACEHOLDER (naive reference) — being replaced by the packed, vectorized kernel.
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    T sum = T.Zero;
                    for (int p = 0; p < k; p++)
                    {
                        T av = transposeA ? a[p * m + i] : a[i * k + p];
                        T bv = transposeB ? b[j * k + p] : b[p * n + j];
                        sum += av * bv;
                    }
                    c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
                }
            }
        }
    }
}
