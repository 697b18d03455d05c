using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// The causal (masked) column-wise softmax of a keys×queries score matrix S: query j (column j) sees keys
/// i ≤ j only. In row-major storage row i takes part in columns i … cols − 1, so each row is one contiguous
/// segment and the per-column maximum and sum are updated one span operation per row (scratch from
/// <see cref="ColumnScratch{T}"/>: nothing is allocated in steady state). Masked entries are exactly 0.
/// </summary>
internal static class CausalSoftmaxCore
{
    /// <summary>Y = causal softmax(S), stable (the maximum of each column's visible keys is subtracted).</summary>
    internal static void Forward<T>(ReadOnlySpan<T> s, int rows, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }

        Span<T> scratch = ColumnScratch<T>.Get(2 * cols);
        Span<T> max = scratch[..cols], sums = scratch[cols..];
        s[..cols].CopyTo(max);
        for (int i = 1; i < Math.Min(rows, cols); i++)
        {
            TensorPrimitives.Max<T>(max[i..], s.Slice((i * cols) + i, cols - i), max[i..]);
        }

        sums.Clear();
        for (int i = 0; i < rows; i++)
        {
            Span<T> row = destination.Slice(i * cols, cols);
            int first = Math.Min(i, cols);
            row[..first].Clear();
            Span<T> visible = row[first..];
            TensorPrimitives.Subtract<T>(s.Slice((i * cols) + first, cols - first), max[first..], visible);
            Transcendental.Exp<T>(visible, visible);
            TensorPrimitives.Add<T>(sums[first..], visible, sums[first..]);
        }

        for (int i = 0; i < Math.Min(rows, cols); i++)
        {
            Span<T> visible = destination.Slice((i * cols) + i, cols - i);
            TensorPrimitives.Divide<T>(visible, sums[i..], visible);
        }
    }

    /// <summary>Y ⊙ (G − 𝟙 (𝟙ᵀ(Y ⊙ G))) on the visible entries, 0 on the masked ones (Y = causal softmax(S)).</summary>
    internal static void Backward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> g, int rows, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }

        Span<T> dots = ColumnScratch<T>.Get(cols); // yᵀg of each column, over its visible keys
        dots.Clear();
        int visibleRows = Math.Min(rows, cols);
        for (int i = 0; i < visibleRows; i++)
        {
            int at = (i * cols) + i;
            TensorPrimitives.MultiplyAdd<T>(y.Slice(at, cols - i), g.Slice(at, cols - i), dots[i..], dots[i..]);
        }

        for (int i = 0; i < rows; i++)
        {
            Span<T> row = destination.Slice(i * cols, cols);
            int first = Math.Min(i, cols);
            row[..first].Clear();
            Span<T> visible = row[first..];
            int at = (i * cols) + first;
            TensorPrimitives.Subtract<T>(g.Slice(at, cols - first), dots[first..], visible);
            TensorPrimitives.Multiply<T>(visible, y.Slice(at, cols - first), visible);
        }
    }
}
