using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;

namespace AutoGradGen;

/// <content>
/// Classification: softmax, log-softmax and cross-entropy. On a matrix each column is one sample's
/// logits. All of them subtract the maximum before exponentiating, so logits of ±1000 are fine.
/// </content>
public static partial class Ops
{
    /// <summary>softmax(x) = exp(x − max x) / Σ exp(x − max x), numerically stable.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The logits.</param>
    /// <returns>A new vector of the same length: positive entries summing to 1 (empty for an empty input).</returns>
    public static Vector<T> Softmax<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Classification.Softmax(x);

    /// <summary>Column-wise softmax: each column (one sample's logits) becomes a probability vector; numerically stable.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The logits, one sample per column.</param>
    /// <returns>A new matrix of the same shape whose columns sum to 1.</returns>
    public static Matrix<T> Softmax<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Classification.Softmax(a);

    /// <summary>log softmax(x) = x − log Σ exp(x), by log-sum-exp with the maximum subtracted (stable).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The logits.</param>
    /// <returns>A new vector of the same length (entries ≤ 0).</returns>
    public static Vector<T> LogSoftmax<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Classification.LogSoftmax(x);

    /// <summary>Column-wise log softmax: each column x becomes x − log Σ exp(x) (stable).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The logits, one sample per column.</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> LogSoftmax<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Classification.LogSoftmax(a);

    /// <summary>
    /// Causal attention weights: the column-wise softmax of S (keys × queries) where query j sees keys i ≤ j only.
    /// Masked entries (i &gt; j) are exactly 0; each column's maximum over its visible keys is subtracted first.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="s">The scores, keys × queries.</param>
    /// <returns>A new matrix whose column j sums to 1 over rows 0 … j.</returns>
    public static Matrix<T> CausalSoftmax<T>(Matrix<T> s)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Classification.CausalSoftmax(s);

    /// <summary>
    /// The cross-entropy −Σᵢ yᵢ log softmax(x)ᵢ of logits x against a target distribution y
    /// (one-hot or soft), by log-sum-exp with the maximum subtracted (stable).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The logits x.</param>
    /// <param name="y">The targets, of the same length.</param>
    /// <returns>−Σᵢ yᵢ (xᵢ − log Σₖ exp xₖ) (0 when empty).</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static T CrossEntropy<T>(Vector<T> logits, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(y);
        ThrowHelper.RequireSameLength(logits, y, "CrossEntropy", "logits", "y");
        if (logits.Length == 0)
        {
            return T.Zero;
        }

        return CrossEntropyOfOneSample<T>(logits.Data, y.Data);
    }

    /// <summary>−yᵀ log softmax(x) of one contiguous sample (length ≥ 1): the vector form, and a one-column matrix.</summary>
    private static T CrossEntropyOfOneSample<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> logProbabilities = ColumnScratch<T>.Get(logits.Length);
        SoftmaxCore.LogSoftmax<T>(logits, logits.Length, 1, logProbabilities);
        return -TensorPrimitives.Dot<T>(y, logProbabilities);
    }

    /// <summary>
    /// The mean cross-entropy over samples: (1/N) Σⱼ −Σᵢ Yᵢⱼ log softmax(X)ᵢⱼ, with one sample per
    /// column (N columns), by column-wise log-sum-exp with the maximum subtracted (stable).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The logits X, one sample per column.</param>
    /// <param name="y">The targets Y, of the same shape (one-hot or any distribution per column).</param>
    /// <returns>The mean over the columns; NaN when there are no columns (0 / 0, like <see cref="Mean{T}(Matrix{T})"/>).</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static T CrossEntropy<T>(Matrix<T> logits, Matrix<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(y);
        ThrowHelper.RequireSameShape(logits, y, "CrossEntropy", "logits", "y");
        int rows = logits.Rows, cols = logits.Cols;
        if (rows == 0 || cols == 0)
        {
            return T.Zero / T.CreateChecked(cols);
        }

        if (cols == 1)
        {
            // One sample: the column is contiguous, so the vector form's span reductions apply (row by row would
            // make each of the 3·rows span calls work on one element).
            return CrossEntropyOfOneSample<T>(logits.Data, y.Data);
        }

        Span<T> buffer = ColumnScratch<T>.Get(3 * cols);
        Span<T> max = buffer[..cols], logSum = buffer[cols..(2 * cols)], scratch = buffer[(2 * cols)..];
        SoftmaxCore.ColumnLogSumExp<T>(logits.Data, rows, cols, max, logSum, scratch);
        T total = T.Zero;
        for (int i = 0; i < rows; i++)
        {
            // Row i of log softmax, (x − max) − logSum, dotted with row i of Y.
            SoftmaxCore.LogSoftmaxRow<T>(logits.Data, i, cols, max, logSum, scratch);
            total += TensorPrimitives.Dot<T>(y.Row(i), scratch);
        }

        return -total / T.CreateChecked(cols);
    }

    /// <summary>
    /// Binary cross-entropy with logits, one sample per column: the mean over the columns of
    /// Σᵢ softplus(zᵢ) − yᵢ zᵢ (= −y log σ(z) − (1 − y) log(1 − σ(z)) for y in [0, 1]), computed as
    /// max(z, 0) + log(1 + e^−|z|) − y z: no overflow at logits of ±1000. Its gradient is (σ(Z) − Y)/N for any Y.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="z">The logits Z, one sample per column.</param>
    /// <param name="y">The targets Y, of the same shape (usually in [0, 1]; any values are accepted).</param>
    /// <returns>The mean over the columns; NaN when there are no columns (0 / 0, like <see cref="Mean{T}(Matrix{T})"/>).</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static T BinaryCrossEntropyWithLogits<T>(Matrix<T> z, Matrix<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(y);
        ThrowHelper.RequireSameShape(z, y, "BinaryCrossEntropyWithLogits", "z", "y");
        return BinaryCrossEntropySum<T>(z.Data, y.Data) / T.CreateChecked(z.Cols);
    }

    /// <summary>
    /// Binary cross-entropy with logits of one sample: Σᵢ softplus(zᵢ) − yᵢ zᵢ (no mean: N = 1), stable at ±1000.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="z">The logits.</param>
    /// <param name="y">The targets, of the same length.</param>
    /// <returns>The sum over the entries (0 when empty).</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static T BinaryCrossEntropyWithLogits<T>(Vector<T> z, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(y);
        ThrowHelper.RequireSameLength(z, y, "BinaryCrossEntropyWithLogits", "z", "y");
        return BinaryCrossEntropySum<T>(z.Data, y.Data);
    }

    private static T BinaryCrossEntropySum<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T total = T.Zero;
        for (int i = 0; i < z.Length; i++)
        {
            T v = z[i];
            total += T.Max(v, T.Zero) + T.LogP1(T.Exp(-T.Abs(v))) - (y[i] * v);
        }
        return total;
    }
}
