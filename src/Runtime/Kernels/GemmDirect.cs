using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGradGen.Kernels
{
    /// <summary>
    /// Unpacked product for vectors (m = 1 or n = 1), rank-1 updates (k = 1), tiny sizes and element types other than
    /// float/double: each row of C is built either from dot products (when a row of op(A) and a
    /// column of op(B) are both contiguous) or from row updates C[i, :] += op(A)[i, p] · op(B)[p, :],
    /// all vectorized by <see cref="GemmVectorOps"/> (optimized from the first call). No packing, no scratch beyond one gathered row.
    /// </summary>
    internal static class GemmDirect
    {
        /// <summary>Rows of op(A) up to this length are gathered on the stack, longer ones in a pooled array.</summary>
        private const int StackGatherBytes = 1024;

        /// <summary>Same contract as <see cref="Gemm.Multiply"/>; k ≥ 1, m ≥ 1, n ≥ 1.</summary>
        public static void Multiply<T>(
            ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n,
            bool transposeA, bool transposeB, bool accumulate, T alpha)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (k == 1)
            {
                // A rank-1 update, C (+)= α a bᵀ: with k = 1 both operands are contiguous vectors in either layout.
                OuterProduct(a, b, c, m, n, accumulate, alpha);
            }
            else if (n == 1 && transposeA)
            {
                // c = Aᵀ·b with A stored k×m: c += b[p] · A[p, :] (b is contiguous in both layouts).
                ColumnUpdates(a, b, c, m, k, accumulate, alpha);
            }
            else if (transposeB || n == 1)
            {
                // Column j of op(B) is contiguous: B stored n×k, or a k-vector.
                DotRows(a, b, c, m, k, n, transposeA, accumulate, alpha);
            }
            else
            {
                // Row p of op(B) = B[p, :] is contiguous.
                int aRowStride = transposeA ? 1 : k, aColStride = transposeA ? m : 1;
                RowUpdates(b, a, c, n, k, aRowStride, aColStride, m, accumulate, alpha);
            }
        }

        /// <summary>
        /// Single-column case: c (m) (+)= Σ_p op(A)[:, p]·b[p], where column p of op(A) = Aᵀ is the
        /// contiguous row p of the stored k×m A.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ColumnUpdates<T>(
            ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, bool accumulate, T alpha)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> column = c.Slice(0, m);
            if (!accumulate)
            {
                column.Clear();
            }
            for (int p = 0; p < k; p++)
            {
                GemmVectorOps.MultiplyAdd(a.Slice(p * m, m), alpha * b[p], column);
            }
        }

        /// <summary>
        /// C[i, :] (+)= (α a[i]) · b for a of length m and b of length n: one streaming pass over C. The row updates
        /// store on 64-byte lines (<see cref="GemmVectorOps"/>), so b's loads straddle lines unless b sits at the same
        /// offset within a line as C's rows: 10×784 in double took 0.53–0.58 µs when b and C shared their offset and
        /// 0.73–0.79 otherwise. When every row of C starts at the same offset (n elements fill whole lines) and b's
        /// differs, b is first copied to that offset in a per-thread buffer (n elements, against m·n stores).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static unsafe void OuterProduct<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, bool accumulate, T alpha)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> bRow = b.Slice(0, n);
            if (m >= 4 && n >= 64 && ((n * sizeof(T)) & 63) == 0)
            {
                int cOffset = GemmScratch<T>.OffsetInLine(ref MemoryMarshal.GetReference(c));
                int bOffset = GemmScratch<T>.OffsetInLine(ref MemoryMarshal.GetReference(b));
                if (cOffset != bOffset && cOffset % sizeof(T) == 0)
                {
                    int shift = cOffset / sizeof(T);
                    var copy = new Span<T>(GemmScratch<T>.GetStaging(shift + n) + shift, n);
                    bRow.CopyTo(copy);
                    bRow = copy;
                }
            }
            for (int i = 0; i < m; i++)
            {
                Span<T> row = c.Slice(i * n, n);
                T scale = alpha * a[i];
                if (accumulate)
                {
                    GemmVectorOps.MultiplyAdd(bRow, scale, row);
                }
                else
                {
                    GemmVectorOps.Scale(bRow, scale, row);
                }
            }
        }

        /// <summary>C[i, :] (+)= Σ_p op(A)[i, p] · B[p, :] with B stored k×n (rows contiguous).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowUpdates<T>(
            ReadOnlySpan<T> b, ReadOnlySpan<T> a, Span<T> c, int n, int k, int aRowStride, int aColStride, int m, bool accumulate, T alpha)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < m; i++)
            {
                Span<T> row = c.Slice(i * n, n);
                if (!accumulate)
                {
                    row.Clear();
                }
                for (int p = 0; p < k; p++)
                {
                    T scale = alpha * a[(i * aRowStride) + (p * aColStride)];
                    GemmVectorOps.MultiplyAdd(b.Slice(p * n, n), scale, row);
                }
            }
        }

        /// <summary>C[i, j] (+)= op(A)[i, :] · op(B)[:, j], column j of op(B) being b[j·k .. j·k + k).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void DotRows<T>(
            ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool transposeA, bool accumulate, T alpha)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            T[]? rented = null;
            Span<T> gathered = !transposeA || m == 1
                ? default
                : k * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() <= StackGatherBytes
                    ? stackalloc T[k]
                    : (rented = ArrayPool<T>.Shared.Rent(k)).AsSpan(0, k);

            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<T> aRow = gathered.IsEmpty ? a.Slice(i * k, k) : Gather(a, gathered, i, m);
                Span<T> cRow = c.Slice(i * n, n);
                for (int j = 0; j < n; j++)
                {
                    T dot = alpha * GemmVectorOps.Dot(aRow, b.Slice(j * k, k));
                    cRow[j] = accumulate ? cRow[j] + dot : dot;
                }
            }

            if (rented is not null)
            {
                ArrayPool<T>.Shared.Return(rented);
            }
        }

        /// <summary>Row i of op(A) = column i of the stored k×m A, copied into <paramref name="row"/>.</summary>
        private static ReadOnlySpan<T> Gather<T>(ReadOnlySpan<T> a, Span<T> row, int i, int m)
        {
            for (int p = 0; p < row.Length; p++)
            {
                row[p] = a[(p * m) + i];
            }
            return row;
        }
    }
}
