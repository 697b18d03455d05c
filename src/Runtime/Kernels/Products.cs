using System;
using System.Numerics;

namespace AutoGradGen.Kernels;

/// <summary>
/// The one door to <see cref="Gemm.Multiply{T}"/> for the runtime: every matrix product,
/// matrix × vector and transposed product goes through here. Degenerate shapes are settled here
/// (an empty output needs no work; k = 0 gives zeros) so the kernel only sees real work.
/// </summary>
internal static class Products
{
    /// <summary>C (m×n) = op(A) (m×k) · op(B) (k×n), or C += … when <paramref name="accumulate"/>. No checks.</summary>
    internal static void Multiply<T>(
        ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n,
        bool transposeA = false, bool transposeB = false, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                c.Slice(0, m * n).Clear();
            }

            return;
        }

        Gemm.Multiply(a, b, c, m, k, n, transposeA, transposeB, accumulate);
    }
}
