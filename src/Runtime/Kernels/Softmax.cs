using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// Stable softmax, log-softmax and log-sum-exp, and the kernels of their backward steps, on a rows×cols
/// row-major operand whose columns are the samples (a vector is one column). The maximum is subtracted
/// before exponentiating, so logits of ±1000 give finite results (TensorPrimitives.SoftMax does not
/// subtract it). A single column is one contiguous span (<see cref="TensorPrimitives"/> reductions over
/// it); several columns are walked row by row, one span operation per row over all the columns at once,
/// with per-column sums in a per-thread scratch buffer (<see cref="ColumnScratch{T}"/>), so nothing is
/// allocated in steady state. No validation: callers check shapes; the destination aliases no input.
/// </summary>
internal static class SoftmaxCore
{
    /// <summary>Column-wise softmax of x into <paramref name="destination"/>.</summary>
    internal static void Softmax<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }

        if (cols == 1)
        {
            TensorPrimitives.Subtract<T>(x, TensorPrimitives.Max<T>(x), destination);
            Transcendental.Exp<T>(destination, destination);
            TensorPrimitives.Divide<T>(destination, TensorPrimitives.Sum<T>(destination), destination);
            return;
        }

        Span<T> scratch = ColumnScratch<T>.Get(2 * cols);
        Span<T> max = scratch[..cols], sums = scratch[cols..];
        ColumnMax(x, rows, cols, max);
        sums.Clear();
        for (int i = 0; i < rows; i++)
        {
            Span<T> row = destination.Slice(i * cols, cols);
            TensorPrimitives.Subtract<T>(x.Slice(i * cols, cols), max, row);
            Transcendental.Exp<T>(row, row);
            TensorPrimitives.Add<T>(sums, row, sums);
        }

        for (int i = 0; i < rows; i++)
        {
            Span<T> row = destination.Slice(i * cols, cols);
            TensorPrimitives.Divide<T>(row, sums, row);
        }
    }

    /// <summary>
    /// Column-wise log softmax, (x − max) − log Σ exp(x − max), into <paramref name="destination"/>: the parts
    /// are kept apart because x − max is exact for nearby values, while adding max and the log-sum first
    /// would round at the magnitude of max.
    /// </summary>
    internal static void LogSoftmax<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }

        if (cols == 1)
        {
            T top = TensorPrimitives.Max<T>(x);
            TensorPrimitives.Subtract<T>(x, top, destination);
            Transcendental.Exp<T>(destination, destination);
            T logSumExp = T.Log(TensorPrimitives.Sum<T>(destination));
            TensorPrimitives.Subtract<T>(x, top, destination);
            TensorPrimitives.Subtract<T>(destination, logSumExp, destination);
            return;
        }

        Span<T> scratch = ColumnScratch<T>.Get(2 * cols);
        Span<T> max = scratch[..cols], logSum = scratch[cols..];
        ColumnLogSumExp(x, rows, cols, max, logSum, destination.Slice(0, cols));
        for (int i = 0; i < rows; i++)
        {
            LogSoftmaxRow(x, i, cols, max, logSum, destination.Slice(i * cols, cols));
        }
    }

    /// <summary>y ⊙ (g − 𝟙 (yᵀg)) per column into <paramref name="destination"/> (y = softmax(x)).</summary>
    internal static void SoftmaxBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> g, int rows, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (cols == 1)
        {
            TensorPrimitives.Subtract<T>(g, TensorPrimitives.Dot<T>(y, g), destination);
            TensorPrimitives.Multiply<T>(destination, y, destination);
            return;
        }

        Span<T> dots = ColumnScratch<T>.Get(cols); // yᵀg of each column
        dots.Clear();
        for (int i = 0; i < rows; i++)
        {
            TensorPrimitives.MultiplyAdd<T>(y.Slice(i * cols, cols), g.Slice(i * cols, cols), dots, dots);
        }

        for (int i = 0; i < rows; i++)
        {
            Span<T> row = destination.Slice(i * cols, cols);
            TensorPrimitives.Subtract<T>(g.Slice(i * cols, cols), dots, row);
            TensorPrimitives.Multiply<T>(row, y.Slice(i * cols, cols), row);
        }
    }

    /// <summary>g − exp(y) (𝟙ᵀg) per column into <paramref name="destination"/> (y = log softmax(x)).</summary>
    internal static void LogSoftmaxBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> g, int rows, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (cols == 1)
        {
            T sum = TensorPrimitives.Sum<T>(g);
            Transcendental.Exp<T>(y, destination);
            TensorPrimitives.MultiplyAdd<T>(destination, -sum, g, destination);
            return;
        }

        Span<T> negativeSums = ColumnScratch<T>.Get(cols); // −𝟙ᵀg of each column
        negativeSums.Clear();
        for (int i = 0; i < rows; i++)
        {
            TensorPrimitives.Subtract<T>(negativeSums, g.Slice(i * cols, cols), negativeSums);
        }

        for (int i = 0; i < rows; i++)
        {
            Span<T> row = destination.Slice(i * cols, cols);
            Transcendental.Exp<T>(y.Slice(i * cols, cols), row);
            TensorPrimitives.MultiplyAdd<T>(row, negativeSums, g.Slice(i * cols, cols), row);
        }
    }

    /// <summary>
    /// scale · (softmax(logits) diag(𝟙ᵀY) − Y) / N per column, N = cols, into <paramref name="destination"/>: exact for
    /// any Y. A column of Y that sums to s contributes s·softmax(h) (counts, padding columns of zeros, soft labels);
    /// for distributions (s = 1) it is the familiar softmax(h) − y.
    /// </summary>
    internal static void CrossEntropyBackward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> y, T scale, int rows, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }

        Softmax(logits, rows, cols, destination);
        if (cols == 1)
        {
            TensorPrimitives.Multiply<T>(destination, TensorPrimitives.Sum<T>(y), destination);
        }
        else
        {
            Span<T> sums = ColumnScratch<T>.Get(cols); // 𝟙ᵀY of each column
            sums.Clear();
            for (int i = 0; i < rows; i++)
            {
                TensorPrimitives.Add<T>(sums, y.Slice(i * cols, cols), sums);
            }

            for (int i = 0; i < rows; i++)
            {
                Span<T> row = destination.Slice(i * cols, cols);
                TensorPrimitives.Multiply<T>(row, sums, row);
            }
        }

        TensorPrimitives.Subtract<T>(destination, y, destination);
        TensorPrimitives.Multiply<T>(destination, scale / T.CreateChecked(cols), destination);
    }

    /// <summary>
    /// g − 𝟙 (exp(y)ᵀ g) per column into <paramref name="destination"/> (y = log softmax(x)): the Jacobian of
    /// log-softmax applied to g, the differential ∂y for ∂x = g (forward mode; the transpose of <see cref="LogSoftmaxBackward"/>).
    /// </summary>
    internal static void LogSoftmaxTangent<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> g, int rows, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (cols == 1)
        {
            Transcendental.Exp<T>(y, destination);
            T dot = TensorPrimitives.Dot<T>(destination, g);
            TensorPrimitives.Subtract<T>(g, dot, destination);
            return;
        }

        Span<T> dots = ColumnScratch<T>.Get(cols); // softmax(x)ᵀg of each column
        dots.Clear();
        for (int i = 0; i < rows; i++)
        {
            Span<T> row = destination.Slice(i * cols, cols);
            Transcendental.Exp<T>(y.Slice(i * cols, cols), row);
            TensorPrimitives.MultiplyAdd<T>(row, g.Slice(i * cols, cols), dots, dots);
        }

        for (int i = 0; i < rows; i++)
        {
            TensorPrimitives.Subtract<T>(g.Slice(i * cols, cols), dots, destination.Slice(i * cols, cols));
        }
    }

    /// <summary>
    /// The log-sum-exp of each column as (max, log Σ exp(x − max)), into <paramref name="max"/> and
    /// <paramref name="logSum"/> (length cols), using <paramref name="scratch"/> (length cols) for one
    /// row of exponentials at a time. rows ≥ 1.
    /// </summary>
    internal static void ColumnLogSumExp<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> max, Span<T> logSum, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ColumnMax(x, rows, cols, max);
        logSum.Clear(); // the column sums of exp(x − max) accumulate here
        for (int i = 0; i < rows; i++)
        {
            TensorPrimitives.Subtract<T>(x.Slice(i * cols, cols), max, scratch);
            Transcendental.Exp<T>(scratch, scratch);
            TensorPrimitives.Add<T>(logSum, scratch, logSum);
        }

        Transcendental.Log<T>(logSum, logSum);
    }

    /// <summary>Row <paramref name="i"/> of the column-wise log softmax: (x − max) − logSum, into <paramref name="destination"/>.</summary>
    internal static void LogSoftmaxRow<T>(ReadOnlySpan<T> x, int i, int cols, ReadOnlySpan<T> max, ReadOnlySpan<T> logSum, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Subtract<T>(x.Slice(i * cols, cols), max, destination);
        TensorPrimitives.Subtract<T>(destination, logSum, destination);
    }

    /// <summary>The maximum of each column (NaN propagates), rows ≥ 1.</summary>
    private static void ColumnMax<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        x.Slice(0, cols).CopyTo(max);
        for (int i = 1; i < rows; i++)
        {
            TensorPrimitives.Max<T>(x.Slice(i * cols, cols), max, max);
        }
    }
}

/// <summary>
/// A per-thread scratch buffer for the per-column sums of <see cref="SoftmaxCore"/>: grown on demand and
/// then reused, so a call allocates nothing in steady state. Valid until the thread's next call; no
/// caller holds it across another kernel that uses it.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class ColumnScratch<T>
    where T : unmanaged
{
    [ThreadStatic]
    private static T[]? t_buffer;

    /// <summary>A span of exactly <paramref name="length"/> elements (contents undefined).</summary>
    public static Span<T> Get(int length)
    {
        T[]? buffer = t_buffer;
        if (buffer is null || buffer.Length < length)
        {
            buffer = new T[Math.Max(length, 64)];
            t_buffer = buffer;
        }

        return buffer.AsSpan(0, length);
    }
}

/// <summary>destination = f(x) column by column, x rows×cols row-major.</summary>
internal delegate void ColumnMap<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> destination);

/// <summary>destination = f(x, y, scalar) column by column, both rows×cols row-major.</summary>
internal delegate void ColumnZip<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T scalar, int rows, int cols, Span<T> destination);

/// <summary>The <see cref="SoftmaxCore"/> kernels as cached delegates (a call allocates nothing).</summary>
internal static class ClassificationKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static readonly ColumnMap<T> Softmax = static (x, rows, cols, d) => SoftmaxCore.Softmax(x, rows, cols, d);

    public static readonly ColumnMap<T> LogSoftmax = static (x, rows, cols, d) => SoftmaxCore.LogSoftmax(x, rows, cols, d);

    public static readonly ColumnZip<T> SoftmaxBackward =
        static (y, g, _, rows, cols, d) => SoftmaxCore.SoftmaxBackward(y, g, rows, cols, d);

    public static readonly ColumnZip<T> LogSoftmaxBackward =
        static (y, g, _, rows, cols, d) => SoftmaxCore.LogSoftmaxBackward(y, g, rows, cols, d);

    public static readonly ColumnZip<T> LogSoftmaxTangent =
        static (y, g, _, rows, cols, d) => SoftmaxCore.LogSoftmaxTangent(y, g, rows, cols, d);

    public static readonly ColumnZip<T> CrossEntropyBackward =
        static (logits, y, scale, rows, cols, d) => SoftmaxCore.CrossEntropyBackward(logits, y, scale, rows, cols, d);
}
