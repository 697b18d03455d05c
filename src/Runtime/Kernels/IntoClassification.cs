using System;
using System.Numerics;

namespace AutoGradGen.Kernels;

/// <content>
/// Softmax and log-softmax (<see cref="Ops"/>, column-wise on matrices) and the backward steps of
/// <see cref="Classification"/>, into a destination. Each kernel is written once for a rows×cols operand
/// (a vector is one column) and shared by the matrix and vector overloads; per-column sums live in a
/// per-thread scratch buffer, so nothing is allocated in steady state.
/// </content>
public static partial class Into
{
    /// <summary>Column-wise softmax (each column, one sample's logits, becomes a probability vector; stable), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The logits, one sample per column.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination, whose columns sum to 1.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Softmax<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(a, ref destination, ClassificationKernel<T>.Softmax, "Softmax", nameof(a));

    /// <summary>softmax(x) = exp(x − max x) / Σ exp(x − max x) (stable), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The logits.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination: positive entries summing to 1 (empty for an empty input).</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Softmax<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(x, ref destination, ClassificationKernel<T>.Softmax, "Softmax", nameof(x));

    /// <summary>Column-wise log softmax, each column x ↦ x − log Σ exp(x) (stable), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The logits, one sample per column.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> LogSoftmax<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(a, ref destination, ClassificationKernel<T>.LogSoftmax, "LogSoftmax", nameof(a));

    /// <summary>log softmax(x) = x − log Σ exp(x) (stable), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The logits.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination (entries ≤ 0).</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> LogSoftmax<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(x, ref destination, ClassificationKernel<T>.LogSoftmax, "LogSoftmax", nameof(x));

    /// <summary>y ⊙ (g − 𝟙 (yᵀg)) per column: the adjoint of x for y = softmax(x), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output softmax(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> SoftmaxBackward<T>(Matrix<T> y, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(y, g, T.Zero, ref destination, ClassificationKernel<T>.SoftmaxBackward,
            new Operands("SoftmaxBackward", nameof(y), nameof(g)));

    /// <summary>y ⊙ (g − yᵀg): the adjoint of x for y = softmax(x), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output softmax(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> SoftmaxBackward<T>(Vector<T> y, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(y, g, T.Zero, ref destination, ClassificationKernel<T>.SoftmaxBackward,
            new Operands("SoftmaxBackward", nameof(y), nameof(g)));

    /// <summary>g − exp(y) (𝟙ᵀg) per column: the adjoint of x for y = log softmax(x), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> LogSoftmaxBackward<T>(Matrix<T> y, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(y, g, T.Zero, ref destination, ClassificationKernel<T>.LogSoftmaxBackward,
            new Operands("LogSoftmaxBackward", nameof(y), nameof(g)));

    /// <summary>g − exp(y) (𝟙ᵀg): the adjoint of x for y = log softmax(x), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> LogSoftmaxBackward<T>(Vector<T> y, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(y, g, T.Zero, ref destination, ClassificationKernel<T>.LogSoftmaxBackward,
            new Operands("LogSoftmaxBackward", nameof(y), nameof(g)));

    /// <summary>
    /// scale · (softmax(logits) − Y) / N, N = the number of columns: the adjoint of the logits for
    /// L = scale · CrossEntropy(logits, Y) (the mean over columns), into <paramref name="destination"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The forward input, one sample per column.</param>
    /// <param name="y">The targets, of the same shape.</param>
    /// <param name="scale">The incoming adjoint ∂L/∂CE.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> CrossEntropyBackward<T>(Matrix<T> logits, Matrix<T> y, T scale, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(logits, y, scale, ref destination, ClassificationKernel<T>.CrossEntropyBackward,
            new Operands("CrossEntropyBackward", nameof(logits), nameof(y)));

    /// <summary>
    /// scale · (softmax(logits) − y): the adjoint of the logits for L = scale · CrossEntropy(logits, y),
    /// into <paramref name="destination"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The forward input.</param>
    /// <param name="y">The target distribution, of the same length.</param>
    /// <param name="scale">The incoming adjoint ∂L/∂CE.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> CrossEntropyBackward<T>(Vector<T> logits, Vector<T> y, T scale, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(logits, y, scale, ref destination, ClassificationKernel<T>.CrossEntropyBackward,
            new Operands("CrossEntropyBackward", nameof(logits), nameof(y)));

    /// <summary>destination = f(x) column by column, x rows×cols row-major.</summary>
    private delegate void ColumnMap<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> destination);

    /// <summary>destination = f(x, y, scalar) column by column, both rows×cols row-major.</summary>
    private delegate void ColumnZip<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T scalar, int rows, int cols, Span<T> destination);

    /// <summary>A column-wise function of one matrix or vector (one column), into the destination.</summary>
    private static TDense Columnwise<T, TDense>(
        TDense source, ref TDense? destination, ColumnMap<T> kernel, string operation, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDense : class, IDenseOperand<TDense, T>
    {
        ArgumentNullException.ThrowIfNull(source, name);
        ThrowHelper.RequireNotAliased(destination, source, operation, name);
        var result = Ensure<T, TDense>(ref destination, source.Rows, source.Cols);
        kernel(source.Data, source.Rows, source.Cols, result.Data);
        return result;
    }

    /// <summary>A column-wise function of two same-shape operands (and a scalar), into the destination.</summary>
    private static TDense Columnwise<T, TDense>(
        TDense left, TDense right, T scalar, ref TDense? destination, ColumnZip<T> kernel, in Operands names)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDense : class, IDenseOperand<TDense, T>
    {
        ArgumentNullException.ThrowIfNull(left, names.Left);
        ArgumentNullException.ThrowIfNull(right, names.Right);
        ThrowHelper.RequireSameShape(left.Rows, left.Cols, right.Rows, right.Cols, names.Operation, names.LeftLabel,
            names.RightLabel);
        RequireNotAliased(destination, left, right, names);
        var result = Ensure<T, TDense>(ref destination, left.Rows, left.Cols);
        kernel(left.Data, right.Data, scalar, left.Rows, left.Cols, result.Data);
        return result;
    }

    /// <summary>The <see cref="SoftmaxCore"/> kernels as cached delegates (a call allocates nothing).</summary>
    private static class ClassificationKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly ColumnMap<T> Softmax = static (x, rows, cols, d) => SoftmaxCore.Softmax(x, rows, cols, d);

        public static readonly ColumnMap<T> LogSoftmax = static (x, rows, cols, d) => SoftmaxCore.LogSoftmax(x, rows, cols, d);

        public static readonly ColumnZip<T> SoftmaxBackward =
            static (y, g, _, rows, cols, d) => SoftmaxCore.SoftmaxBackward(y, g, rows, cols, d);

        public static readonly ColumnZip<T> LogSoftmaxBackward =
            static (y, g, _, rows, cols, d) => SoftmaxCore.LogSoftmaxBackward(y, g, rows, cols, d);

        public static readonly ColumnZip<T> CrossEntropyBackward =
            static (logits, y, scale, rows, cols, d) => SoftmaxCore.CrossEntropyBackward(logits, y, scale, rows, cols, d);
    }
}
