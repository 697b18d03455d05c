using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// Backward steps of softmax, log-softmax and cross-entropy, for generated code (not meant to be
/// called by hand). On a matrix each column is one sample, as in <see cref="Ops.Softmax{T}(Matrix{T})"/>.
/// Shapes are validated like the public API: a mismatch throws <see cref="ArgumentException"/>
/// naming both shapes, before anything is allocated.
/// </summary>
/// <remarks>
/// The rules, per column (y = softmax(x), ℓ = log softmax(x)):
/// ∂y = (diag y − y yᵀ) ∂x ⇒ ∇x = y ⊙ (g − 𝟙 (yᵀg));
/// ∂ℓ = (I − 𝟙 yᵀ) ∂x ⇒ ∇x = g − y (𝟙ᵀg);
/// CE = −yᵀℓ ⇒ ∇x = softmax(x) − y (averaged over the N columns in the matrix form).
/// </remarks>
public static class Classification
{
    /// <summary>y ⊙ (g − 𝟙 (yᵀg)) per column: the adjoint of x for y = softmax(x), column-wise.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output softmax(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SoftmaxBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameShape(y, g, "SoftmaxBackward", "y", "g");
        var result = Matrix<T>.ZerosLike(y);
        int cols = y.Cols;
        var dots = new T[cols]; // yᵀg of each column
        for (int i = 0; i < y.Rows; i++)
        {
            TensorPrimitives.MultiplyAdd<T>(y.Row(i), g.Row(i), dots, dots);
        }

        for (int i = 0; i < y.Rows; i++)
        {
            Span<T> row = result.Row(i);
            TensorPrimitives.Subtract<T>(g.Row(i), dots, row);
            TensorPrimitives.Multiply<T>(row, y.Row(i), row);
        }

        return result;
    }

    /// <summary>y ⊙ (g − yᵀg): the adjoint of x for y = softmax(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output softmax(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> SoftmaxBackward<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameLength(y, g, "SoftmaxBackward", "y", "g");
        var result = Vector<T>.ZerosLike(y);
        T dot = TensorPrimitives.Dot<T>(y.Data, g.Data);
        TensorPrimitives.Subtract<T>(g.Data, dot, result.Data);
        TensorPrimitives.Multiply<T>(result.Data, y.Data, result.Data);
        return result;
    }

    /// <summary>g − exp(y) ⊙ 𝟙 (𝟙ᵀg) per column: the adjoint of x for y = log softmax(x), column-wise.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(x) (so exp(y) = softmax(x)).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> LogSoftmaxBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameShape(y, g, "LogSoftmaxBackward", "y", "g");
        var result = Matrix<T>.ZerosLike(y);
        var negativeSums = new T[y.Cols]; // −𝟙ᵀg of each column
        for (int i = 0; i < y.Rows; i++)
        {
            TensorPrimitives.Subtract<T>(negativeSums, g.Row(i), negativeSums);
        }

        for (int i = 0; i < y.Rows; i++)
        {
            Span<T> row = result.Row(i);
            TensorPrimitives.Exp<T>(y.Row(i), row);
            TensorPrimitives.MultiplyAdd<T>(row, negativeSums, g.Row(i), row);
        }

        return result;
    }

    /// <summary>g − exp(y) (𝟙ᵀg): the adjoint of x for y = log softmax(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(x) (so exp(y) = softmax(x)).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> LogSoftmaxBackward<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameLength(y, g, "LogSoftmaxBackward", "y", "g");
        var result = Vector<T>.ZerosLike(y);
        T sum = TensorPrimitives.Sum<T>(g.Data);
        TensorPrimitives.Exp<T>(y.Data, result.Data);
        TensorPrimitives.MultiplyAdd<T>(result.Data, -sum, g.Data, result.Data);
        return result;
    }

    /// <summary>
    /// scale · (softmax(logits) − Y) / N, N = the number of columns: the adjoint of the logits for
    /// L = scale · CrossEntropy(logits, Y) (the mean over columns, <see cref="Ops.CrossEntropy{T}(Matrix{T}, Matrix{T})"/>).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The forward input, one sample per column.</param>
    /// <param name="y">The targets, of the same shape (one-hot or any distribution per column).</param>
    /// <param name="scale">The incoming adjoint ∂L/∂CE (a scalar).</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> CrossEntropyBackward<T>(Matrix<T> logits, Matrix<T> y, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(y);
        ThrowHelper.RequireSameShape(logits, y, "CrossEntropyBackward", "logits", "y");
        var result = Matrix<T>.ZerosLike(logits);
        if (result.Data.Length == 0)
        {
            return result;
        }

        SoftmaxCore.SoftmaxColumns<T>(logits.Data, logits.Rows, logits.Cols, result.Data);
        TensorPrimitives.Subtract<T>(result.Data, y.Data, result.Data);
        TensorPrimitives.Multiply<T>(result.Data, scale / T.CreateChecked(logits.Cols), result.Data);
        return result;
    }

    /// <summary>
    /// scale · (softmax(logits) − y): the adjoint of the logits for
    /// L = scale · CrossEntropy(logits, y) (<see cref="Ops.CrossEntropy{T}(Vector{T}, Vector{T})"/>).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The forward input.</param>
    /// <param name="y">The target distribution, of the same length.</param>
    /// <param name="scale">The incoming adjoint ∂L/∂CE (a scalar).</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> CrossEntropyBackward<T>(Vector<T> logits, Vector<T> y, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(y);
        ThrowHelper.RequireSameLength(logits, y, "CrossEntropyBackward", "logits", "y");
        var result = Vector<T>.ZerosLike(logits);
        SoftmaxCore.Softmax<T>(logits.Data, result.Data);
        TensorPrimitives.Subtract<T>(result.Data, y.Data, result.Data);
        TensorPrimitives.Multiply<T>(result.Data, scale, result.Data);
        return result;
    }
}

/// <summary>
/// Stable softmax, log-softmax and log-sum-exp: the maximum is subtracted before exponentiating,
/// so logits of ±1000 give finite results (TensorPrimitives.SoftMax does not subtract it). The
/// column-wise forms walk the row-major storage row by row, with one span operation per row
/// over all the columns at once. No validation: callers check shapes.
/// </summary>
internal static class SoftmaxCore
{
    /// <summary>softmax(x) into <paramref name="destination"/> (same length; may alias nothing).</summary>
    internal static void Softmax<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.IsEmpty)
        {
            return;
        }

        T max = TensorPrimitives.Max<T>(x);
        TensorPrimitives.Subtract<T>(x, max, destination);
        TensorPrimitives.Exp<T>(destination, destination);
        T sum = TensorPrimitives.Sum<T>(destination);
        TensorPrimitives.Divide<T>(destination, sum, destination);
    }

    /// <summary>
    /// log Σ exp(x) split as (max, log Σ exp(x − max)), with <paramref name="scratch"/> of x's length
    /// ((−∞, 0) when empty). Keeping the parts apart lets log softmax be (x − max) − logSum, where
    /// x − max is exact for nearby values: adding them first would round at the magnitude of max.
    /// </summary>
    internal static (T Max, T LogSum) LogSumExp<T>(ReadOnlySpan<T> x, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.IsEmpty)
        {
            return (T.NegativeInfinity, T.Zero);
        }

        T max = TensorPrimitives.Max<T>(x);
        TensorPrimitives.Subtract<T>(x, max, scratch);
        TensorPrimitives.Exp<T>(scratch, scratch);
        return (max, T.Log(TensorPrimitives.Sum<T>(scratch)));
    }

    /// <summary>log softmax(x) = (x − max) − log Σ exp(x − max) into <paramref name="destination"/>.</summary>
    internal static void LogSoftmax<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (T max, T logSum) = LogSumExp(x, destination);
        TensorPrimitives.Subtract<T>(x, max, destination);
        TensorPrimitives.Subtract<T>(destination, logSum, destination);
    }

    /// <summary>Column-wise softmax of a rows×cols row-major matrix into <paramref name="destination"/>.</summary>
    internal static void SoftmaxColumns<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }

        var max = new T[cols];
        var sums = new T[cols];
        ColumnMax(x, rows, cols, max);
        for (int i = 0; i < rows; i++)
        {
            Span<T> row = destination.Slice(i * cols, cols);
            TensorPrimitives.Subtract<T>(x.Slice(i * cols, cols), max, row);
            TensorPrimitives.Exp<T>(row, row);
            TensorPrimitives.Add<T>(sums, row, sums);
        }

        for (int i = 0; i < rows; i++)
        {
            Span<T> row = destination.Slice(i * cols, cols);
            TensorPrimitives.Divide<T>(row, sums, row);
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
            TensorPrimitives.Exp<T>(scratch, scratch);
            TensorPrimitives.Add<T>(logSum, scratch, logSum);
        }

        TensorPrimitives.Log<T>(logSum, logSum);
    }

    /// <summary>Row <paramref name="i"/> of the column-wise log softmax: (x − max) − logSum, into <paramref name="destination"/>.</summary>
    internal static void LogSoftmaxRow<T>(ReadOnlySpan<T> x, int i, int cols, ReadOnlySpan<T> max, ReadOnlySpan<T> logSum, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Subtract<T>(x.Slice(i * cols, cols), max, destination);
        TensorPrimitives.Subtract<T>(destination, logSum, destination);
    }

    /// <summary>Column-wise log softmax of a rows×cols row-major matrix into <paramref name="destination"/>.</summary>
    internal static void LogSoftmaxColumns<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }

        var max = new T[cols];
        var logSum = new T[cols];
        ColumnLogSumExp(x, rows, cols, max, logSum, destination.Slice(0, cols));
        for (int i = 0; i < rows; i++)
        {
            LogSoftmaxRow(x, i, cols, max, logSum, destination.Slice(i * cols, cols));
        }
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
