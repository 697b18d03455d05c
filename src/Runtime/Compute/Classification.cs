using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// Column-wise softmax and log-softmax (a vector is one column) and their backward steps, each in its
/// allocating and its destination-passing form. All subtract the column maximum first.
/// </summary>
public static partial class Classification
{
    /// <summary>Column-wise softmax (each column, one sample's logits, becomes a probability vector; stable).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The logits, one sample per column.</param>
    /// <returns>A new matrix, whose columns sum to 1.</returns>
    public static Matrix<T> Softmax<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Softmax(a, ref result);
    }

    /// <summary>Column-wise softmax (each column, one sample's logits, becomes a probability vector; stable), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The logits, one sample per column.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination, whose columns sum to 1.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Softmax<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(a, ref destination, ClassificationKernel<T>.Softmax, "Softmax", nameof(a));

    /// <summary>softmax(x) = exp(x − max x) / Σ exp(x − max x) (stable).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The logits.</param>
    /// <returns>A new vector: positive entries summing to 1 (empty for an empty input).</returns>
    public static Vector<T> Softmax<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Softmax(x, ref result);
    }

    /// <summary>softmax(x) = exp(x − max x) / Σ exp(x − max x) (stable), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The logits.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination: positive entries summing to 1 (empty for an empty input).</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Softmax<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(x, ref destination, ClassificationKernel<T>.Softmax, "Softmax", nameof(x));

    /// <summary>Column-wise log softmax, each column x ↦ x − log Σ exp(x) (stable).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The logits, one sample per column.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> LogSoftmax<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LogSoftmax(a, ref result);
    }

    /// <summary>Column-wise log softmax, each column x ↦ x − log Σ exp(x) (stable), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The logits, one sample per column.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> LogSoftmax<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(a, ref destination, ClassificationKernel<T>.LogSoftmax, "LogSoftmax", nameof(a));

    /// <summary>log softmax(x) = x − log Σ exp(x) (stable).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The logits.</param>
    /// <returns>A new vector (entries ≤ 0).</returns>
    public static Vector<T> LogSoftmax<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return LogSoftmax(x, ref result);
    }

    /// <summary>log softmax(x) = x − log Σ exp(x) (stable), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The logits.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination (entries ≤ 0).</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> LogSoftmax<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(x, ref destination, ClassificationKernel<T>.LogSoftmax, "LogSoftmax", nameof(x));

    /// <summary>y ⊙ (g − 𝟙 (yᵀg)) per column: the adjoint of x for y = softmax(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output softmax(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SoftmaxBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SoftmaxBackward(y, g, ref result);
    }

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

    /// <summary>y ⊙ (g − yᵀg): the adjoint of x for y = softmax(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output softmax(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> SoftmaxBackward<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SoftmaxBackward(y, g, ref result);
    }

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

    /// <summary>g − exp(y) (𝟙ᵀg) per column: the adjoint of x for y = log softmax(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> LogSoftmaxBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LogSoftmaxBackward(y, g, ref result);
    }

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

    /// <summary>g − exp(y) (𝟙ᵀg): the adjoint of x for y = log softmax(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> LogSoftmaxBackward<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return LogSoftmaxBackward(y, g, ref result);
    }

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

    /// <summary>g − 𝟙 softmax(x)ᵀg per column: the differential of y = log softmax(x) along ∂x = g (forward mode).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(x).</param>
    /// <param name="g">The input differential ∂x, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> LogSoftmaxTangent<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LogSoftmaxTangent(y, g, ref result);
    }

    /// <summary>g − 𝟙 softmax(x)ᵀg per column, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(x).</param>
    /// <param name="g">The input differential ∂x, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> LogSoftmaxTangent<T>(Matrix<T> y, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(y, g, T.Zero, ref destination, ClassificationKernel<T>.LogSoftmaxTangent,
            new Operands("LogSoftmaxTangent", nameof(y), nameof(g)));

    /// <summary>g − 𝟙 softmax(x)ᵀg: the differential of y = log softmax(x) along ∂x = g (forward mode).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(x).</param>
    /// <param name="g">The input differential ∂x, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> LogSoftmaxTangent<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return LogSoftmaxTangent(y, g, ref result);
    }

    /// <summary>g − 𝟙 softmax(x)ᵀg, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(x).</param>
    /// <param name="g">The input differential ∂x, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> LogSoftmaxTangent<T>(Vector<T> y, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(y, g, T.Zero, ref destination, ClassificationKernel<T>.LogSoftmaxTangent,
            new Operands("LogSoftmaxTangent", nameof(y), nameof(g)));

    /// <summary>
    /// scale · (softmax(logits) diag(𝟙ᵀY) − Y) / N, N = the number of columns: the adjoint of the logits for
    /// L = scale · CrossEntropy(logits, Y) (the mean over columns), exact for any Y (counts, zero columns, soft labels).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The forward input, one sample per column.</param>
    /// <param name="y">The targets, of the same shape.</param>
    /// <param name="scale">The incoming adjoint ∂L/∂CE.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> CrossEntropyBackward<T>(Matrix<T> logits, Matrix<T> y, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return CrossEntropyBackward(logits, y, scale, ref result);
    }

    /// <summary>
    /// scale · (softmax(logits) diag(𝟙ᵀY) − Y) / N, N = the number of columns: the adjoint of the logits for
    /// L = scale · CrossEntropy(logits, Y) (the mean over columns), exact for any Y, into <paramref name="destination"/>.
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
    /// scale · ((𝟙ᵀy) softmax(logits) − y): the adjoint of the logits for L = scale · CrossEntropy(logits, y), exact for any y.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The forward input.</param>
    /// <param name="y">The targets (any nonnegative weights, not only a distribution), of the same length.</param>
    /// <param name="scale">The incoming adjoint ∂L/∂CE.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> CrossEntropyBackward<T>(Vector<T> logits, Vector<T> y, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return CrossEntropyBackward(logits, y, scale, ref result);
    }

    /// <summary>
    /// scale · ((𝟙ᵀy) softmax(logits) − y): the adjoint of the logits for L = scale · CrossEntropy(logits, y), exact for
    /// any y, into <paramref name="destination"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The forward input.</param>
    /// <param name="y">The targets (any nonnegative weights, not only a distribution), of the same length.</param>
    /// <param name="scale">The incoming adjoint ∂L/∂CE.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> CrossEntropyBackward<T>(Vector<T> logits, Vector<T> y, T scale, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Columnwise(logits, y, scale, ref destination, ClassificationKernel<T>.CrossEntropyBackward,
            new Operands("CrossEntropyBackward", nameof(logits), nameof(y)));
}
