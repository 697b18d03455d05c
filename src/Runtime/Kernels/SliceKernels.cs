using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// Span-only copies of the slicing ops and of their adjoints: a rectangular block of a row-major matrix, and a
/// strided line (a column: stride = cols; the diagonal: stride = cols + 1). No checks: the callers validated.
/// </summary>
internal static class SliceKernels
{
    /// <summary>dst block (at dstRow, dstCol) = (or +=, with <paramref name="add"/>) src block (at srcRow, srcCol), rows×cols.</summary>
    public static void Block<T>(ReadOnlySpan<T> src, int srcStride, int srcRow, int srcCol,
        Span<T> dst, int dstStride, int dstRow, int dstCol, int rows, int cols, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            var from = src.Slice(((srcRow + r) * srcStride) + srcCol, cols);
            var to = dst.Slice(((dstRow + r) * dstStride) + dstCol, cols);
            if (add)
            {
                TensorPrimitives.Add(to, from, to);
            }
            else
            {
                from.CopyTo(to);
            }
        }
    }

    /// <summary>dst[k] = src[start + k·stride], k &lt; dst.Length (a column or the diagonal of a row-major matrix).</summary>
    public static void Gather<T>(ReadOnlySpan<T> src, int start, int stride, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < dst.Length; k++)
        {
            dst[k] = src[start + (k * stride)];
        }
    }

    /// <summary>dst[start + k·stride] = (or +=, with <paramref name="add"/>) src[k]: the adjoint of <see cref="Gather{T}"/>.</summary>
    public static void Scatter<T>(ReadOnlySpan<T> src, Span<T> dst, int start, int stride, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < src.Length; k++)
        {
            ref T slot = ref dst[start + (k * stride)];
            slot = add ? slot + src[k] : src[k];
        }
    }

    /// <summary>
    /// dst (rows×ids.Length) = the columns ids of src (rows×srcCols): dst[r, k] = src[r, ids[k]]. Row by row, so that
    /// each output row is written contiguously and each read stays inside one row of src. Ids were validated.
    /// </summary>
    public static void GatherColumns<T>(ReadOnlySpan<T> src, int srcCols, ReadOnlySpan<int> ids, Span<T> dst, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = ids.Length;
        for (int r = 0; r < rows; r++)
        {
            var from = src.Slice(r * srcCols, srcCols);
            var to = dst.Slice(r * n, n);
            for (int k = 0; k < n; k++)
            {
                to[k] = from[ids[k]];
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="GatherColumns{T}"/>: dst[r, ids[k]] += src[r, k] (src rows×ids.Length, dst rows×dstCols).
    /// A repeated id adds every one of its columns. Only the columns ids of dst are touched. Ids were validated.
    /// </summary>
    public static void ScatterAddColumns<T>(ReadOnlySpan<T> src, ReadOnlySpan<int> ids, Span<T> dst, int dstCols, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = ids.Length;
        for (int r = 0; r < rows; r++)
        {
            var from = src.Slice(r * n, n);
            var to = dst.Slice(r * dstCols, dstCols);
            for (int k = 0; k < n; k++)
            {
                to[ids[k]] += from[k];
            }
        }
    }
}
