using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>An activation that generated code fuses with the addition before it.</summary>
public enum Activation
{
    /// <summary>σ(x) = 1 / (1 + e⁻ˣ).</summary>
    Sigmoid,

    /// <summary>tanh x.</summary>
    Tanh,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>eˣ.</summary>
    Exp,
}

/// <summary>
/// Fused element-wise chains for generated code: an addition followed by an activation, such as
/// σ(W X + b 𝟙ᵀ), in one sweep. Each chunk is added and then activated while it is still in L1, instead
/// of writing the whole sum and reading it back. The chunks are those of the unfused activation
/// (<see cref="Transcendental.ChunkLength{T}"/>, counted from index 0), so fused and unfused results are
/// the same bits.
/// </summary>
public static class Fused
{
    /// <summary>f(A + b 𝟙ᵀ): b added to every column, then the activation.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">An m×n matrix.</param>
    /// <param name="column">A vector of length m.</param>
    /// <param name="activation">The activation applied to the sum.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static Matrix<T> AddColumnsActivate<T>(Matrix<T> matrix, Vector<T> column, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return AddColumnsActivate(matrix, column, activation, ref result);
    }

    /// <summary>f(A + b 𝟙ᵀ): b added to every column, then the activation, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">An m×n matrix.</param>
    /// <param name="column">A vector of length m.</param>
    /// <param name="activation">The activation applied to the sum.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches); not the matrix operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count, or the destination is the matrix.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static Matrix<T> AddColumnsActivate<T>(Matrix<T> matrix, Vector<T> column, Activation activation, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(column);
        if (column.Length != matrix.Rows)
        {
            ThrowHelper.ThrowShapeMismatch("Matrix + column vector", "left", ThrowHelper.Shape(matrix), "right",
                ThrowHelper.Shape(column), "the vector's length must equal the matrix's row count", nameof(column));
        }

        ThrowHelper.RequireNotAliased(destination, matrix, "Matrix + column vector", nameof(matrix));
        RequireActivation(activation);
        var result = Ensure(ref destination, matrix.Rows, matrix.Cols);
        int cols = matrix.Cols;
        if (cols == 0)
        {
            return result;
        }
        int chunk = Transcendental.ChunkLength<T>();
        T[] source = matrix.Data, target = result.Data, b = column.Data;
        for (int start = 0; start < target.Length; start += chunk)
        {
            int end = Math.Min(target.Length, start + chunk);
            for (int at = start; at < end;)
            {
                int row = at / cols;
                int stop = Math.Min(end, (row + 1) * cols);
                TensorPrimitives.Add<T>(source.AsSpan(at, stop - at), b[row], target.AsSpan(at, stop - at));
                at = stop;
            }
            Activate(target.AsSpan(start, end - start), activation);
        }

        return result;
    }

    /// <summary>f(A B + b 𝟙ᵀ): a dense layer's product, bias and activation, with the last two done by the matrix product itself.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">An m×k matrix (the layer's weights).</param>
    /// <param name="right">A k×n matrix (its input, one sample per column).</param>
    /// <param name="column">A vector of length m (the bias).</param>
    /// <param name="activation">The activation applied to the sum.</param>
    /// <returns>A new m×n matrix.</returns>
    /// <exception cref="ArgumentException">The inner dimensions differ, or the vector's length is not m.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static Matrix<T> MultiplyAddColumnsActivate<T>(Matrix<T> left, Matrix<T> right, Vector<T> column, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return MultiplyAddColumnsActivate(left, right, column, activation, ref result);
    }

    /// <summary>
    /// f(A B + b 𝟙ᵀ) into <paramref name="destination"/>. The bias and the activation are applied to each block of the
    /// product by the thread that computed it, right after its last step, while the block is in that core's cache: a
    /// parallel product does them in parallel, and the product is never written out and read back. The result is
    /// bit for bit that of <see cref="Products.Multiply{T}(Matrix{T}, Matrix{T}, ref Matrix{T}?)"/> followed by
    /// <see cref="AddColumnsActivate{T}(Matrix{T}, Vector{T}, Activation, ref Matrix{T}?)"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">An m×k matrix (the layer's weights).</param>
    /// <param name="right">A k×n matrix (its input, one sample per column).</param>
    /// <param name="column">A vector of length m (the bias).</param>
    /// <param name="activation">The activation applied to the sum.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches); not a matrix operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The inner dimensions differ, the vector's length is not m, or the destination is an operand.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static Matrix<T> MultiplyAddColumnsActivate<T>(Matrix<T> left, Matrix<T> right, Vector<T> column, Activation activation, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        => MultiplyAddColumnsActivate(left, right, column, activation, ref destination, Parallelism.MaxThreads);

    /// <summary>The same on at most <paramref name="maxThreads"/> threads (tests pin the split).</summary>
    internal static unsafe Matrix<T> MultiplyAddColumnsActivate<T>(Matrix<T> left, Matrix<T> right, Vector<T> column, Activation activation, ref Matrix<T>? destination, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(column);
        ThrowHelper.RequireInner("Matrix product", left.Rows, left.Cols, right.Rows, right.Cols);
        if (column.Length != left.Rows)
        {
            ThrowHelper.ThrowShapeMismatch("Matrix product + column vector", "product", ThrowHelper.Shape(left.Rows, right.Cols), "column",
                ThrowHelper.Shape(column), "the vector's length must equal the product's row count", nameof(column));
        }

        ThrowHelper.RequireNotAliased(destination, left, "Matrix product", nameof(left));
        ThrowHelper.RequireNotAliased(destination, right, "Matrix product", nameof(right));
        RequireActivation(activation);
        var result = Ensure(ref destination, left.Rows, right.Cols);
        fixed (T* bias = column.Data)
        {
            Gemm.MultiplyWith(left.Data, right.Data, result.Data, left.Rows, left.Cols, right.Cols, transposeA: false, transposeB: false,
                accumulate: false, T.One, GemmPath.Auto, maxThreads, new BiasActivationEpilogue<T>(bias, activation));
        }

        return result;
    }

    /// <summary>(op(A) op(B)) ⊙ f′(Y) into a new matrix: see the overload with a destination.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A (op(A) is m×k).</param>
    /// <param name="right">B (op(B) is k×n).</param>
    /// <param name="output">Y = f(Z), m×n.</param>
    /// <param name="activation">f.</param>
    /// <param name="transposeLeft">Whether op(A) = Aᵀ.</param>
    /// <param name="transposeRight">Whether op(B) = Bᵀ.</param>
    /// <returns>A new m×n matrix.</returns>
    /// <exception cref="ArgumentException">The inner dimensions differ, or Y is not m×n.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static Matrix<T> MultiplyActivationBackward<T>(Matrix<T> left, Matrix<T> right, Matrix<T> output, Activation activation,
        bool transposeLeft, bool transposeRight)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return MultiplyActivationBackward(left, right, output, activation, transposeLeft, transposeRight, ref result);
    }

    /// <summary>
    /// (op(A) op(B)) ⊙ f′: the gradient of an activation's input Z from the gradient of its output Y = f(Z) when that
    /// gradient is a matrix product (Ḡ_Y = W₂ᵀ Ḡ in a dense network), with f′ read off Y. The product's blocks are multiplied by
    /// f′ by the thread that computed them, right after their last step; the product is never written out and read back.
    /// Bit for bit the product followed by <see cref="Elementwise.SigmoidBackward{T}(Matrix{T}, Matrix{T}, ref Matrix{T}?)"/>
    /// (or the tanh, relu and exp forms).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A (op(A) is m×k).</param>
    /// <param name="right">B (op(B) is k×n).</param>
    /// <param name="output">Y = f(Z), m×n.</param>
    /// <param name="activation">f.</param>
    /// <param name="transposeLeft">Whether op(A) = Aᵀ.</param>
    /// <param name="transposeRight">Whether op(B) = Bᵀ.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The inner dimensions differ, Y is not m×n, or the destination is an operand.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static Matrix<T> MultiplyActivationBackward<T>(Matrix<T> left, Matrix<T> right, Matrix<T> output, Activation activation,
        bool transposeLeft, bool transposeRight, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        => MultiplyActivationBackward(T.One, left, right, output, activation, transposeLeft, transposeRight, ref destination, Parallelism.MaxThreads);

    /// <summary>(s · op(A) op(B)) ⊙ f′(Y) into a new matrix: see the overload with a destination.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scale">s.</param>
    /// <param name="left">A (op(A) is m×k).</param>
    /// <param name="right">B (op(B) is k×n).</param>
    /// <param name="output">Y = f(Z), m×n.</param>
    /// <param name="activation">f.</param>
    /// <param name="transposeLeft">Whether op(A) = Aᵀ.</param>
    /// <param name="transposeRight">Whether op(B) = Bᵀ.</param>
    /// <returns>A new m×n matrix.</returns>
    /// <exception cref="ArgumentException">The inner dimensions differ, or Y is not m×n.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static Matrix<T> MultiplyActivationBackward<T>(T scale, Matrix<T> left, Matrix<T> right, Matrix<T> output, Activation activation,
        bool transposeLeft, bool transposeRight)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return MultiplyActivationBackward(scale, left, right, output, activation, transposeLeft, transposeRight, ref result);
    }

    /// <summary>
    /// (s · op(A) op(B)) ⊙ f′(Y) into <paramref name="destination"/>: the factor (the 2 of ∇‖R‖²) rides on the product's packing,
    /// as in <see cref="Products.MultiplyTransposeA{T}(T, Matrix{T}, Matrix{T}, ref Matrix{T}?)"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scale">s.</param>
    /// <param name="left">A (op(A) is m×k).</param>
    /// <param name="right">B (op(B) is k×n).</param>
    /// <param name="output">Y = f(Z), m×n.</param>
    /// <param name="activation">f.</param>
    /// <param name="transposeLeft">Whether op(A) = Aᵀ.</param>
    /// <param name="transposeRight">Whether op(B) = Bᵀ.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The inner dimensions differ, Y is not m×n, or the destination is an operand.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static Matrix<T> MultiplyActivationBackward<T>(T scale, Matrix<T> left, Matrix<T> right, Matrix<T> output, Activation activation,
        bool transposeLeft, bool transposeRight, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        => MultiplyActivationBackward(scale, left, right, output, activation, transposeLeft, transposeRight, ref destination, Parallelism.MaxThreads);

    /// <summary>The same on at most <paramref name="maxThreads"/> threads (tests pin the split).</summary>
    internal static unsafe Matrix<T> MultiplyActivationBackward<T>(T scale, Matrix<T> left, Matrix<T> right, Matrix<T> output, Activation activation,
        bool transposeLeft, bool transposeRight, ref Matrix<T>? destination, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(output);
        ThrowHelper.RequireInner("Matrix product", left.Rows, left.Cols, right.Rows, right.Cols, transposeLeft, transposeRight);
        int m = transposeLeft ? left.Cols : left.Rows, k = transposeLeft ? left.Rows : left.Cols, n = transposeRight ? right.Rows : right.Cols;
        if (output.Rows != m || output.Cols != n)
        {
            ThrowHelper.ThrowShapeMismatch("Activation backward", "product", ThrowHelper.Shape(m, n), "output",
                ThrowHelper.Shape(output), "the activation's output must have the product's shape", nameof(output));
        }

        ThrowHelper.RequireNotAliased(destination, left, "Matrix product", nameof(left));
        ThrowHelper.RequireNotAliased(destination, right, "Matrix product", nameof(right));
        ThrowHelper.RequireNotAliased(destination, output, "Activation backward", nameof(output));
        RequireActivation(activation);
        var result = Ensure(ref destination, m, n);
        fixed (T* y = output.Data)
        {
            Gemm.MultiplyWith(left.Data, right.Data, result.Data, m, k, n, transposeLeft, transposeRight,
                accumulate: false, scale, GemmPath.Auto, maxThreads, new ActivationBackwardEpilogue<T>(y, activation));
        }

        return result;
    }

    /// <summary>f(A + B), element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A matrix.</param>
    /// <param name="right">A matrix of the same shape.</param>
    /// <param name="activation">The activation applied to the sum.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static Matrix<T> AddActivate<T>(Matrix<T> left, Matrix<T> right, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return AddActivate(left, right, activation, ref result);
    }

    /// <summary>f(A + B), element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A matrix.</param>
    /// <param name="right">A matrix of the same shape.</param>
    /// <param name="activation">The activation applied to the sum.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static Matrix<T> AddActivate<T>(Matrix<T> left, Matrix<T> right, Activation activation, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ThrowHelper.RequireSameShape(left, right, "Matrix addition");
        ThrowHelper.RequireNotAliased(destination, left, "Matrix addition", nameof(left));
        ThrowHelper.RequireNotAliased(destination, right, "Matrix addition", nameof(right));
        RequireActivation(activation);
        var result = Ensure(ref destination, left.Rows, left.Cols);
        AddActivate(left.Data, right.Data, result.Data, activation);
        return result;
    }

    /// <summary>f(x + y), element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A vector.</param>
    /// <param name="right">A vector of the same length.</param>
    /// <param name="activation">The activation applied to the sum.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static Vector<T> AddActivate<T>(Vector<T> left, Vector<T> right, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return AddActivate(left, right, activation, ref result);
    }

    /// <summary>f(x + y), element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A vector.</param>
    /// <param name="right">A vector of the same length.</param>
    /// <param name="activation">The activation applied to the sum.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static Vector<T> AddActivate<T>(Vector<T> left, Vector<T> right, Activation activation, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (left.Length != right.Length)
        {
            ThrowHelper.ThrowShapeMismatch("Vector addition", "left", ThrowHelper.Shape(left), "right",
                ThrowHelper.Shape(right), "the lengths must be equal", nameof(right));
        }

        ThrowHelper.RequireNotAliased(destination, left, "Vector addition", nameof(left));
        ThrowHelper.RequireNotAliased(destination, right, "Vector addition", nameof(right));
        RequireActivation(activation);
        var result = Ensure(ref destination, left.Length);
        AddActivate(left.Data, right.Data, result.Data, activation);
        return result;
    }

    private static void AddActivate<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunkLength = Transcendental.ChunkLength<T>();
        for (int start = 0; start < d.Length; start += chunkLength)
        {
            int length = Math.Min(chunkLength, d.Length - start);
            var chunk = d.Slice(start, length);
            TensorPrimitives.Add(x.Slice(start, length), y.Slice(start, length), chunk);
            Activate(chunk, activation);
        }
    }

    /// <summary>The activation on one chunk, in place.</summary>
    internal static void Activate<T>(Span<T> values, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Sigmoid:
                Transcendental.ApplyChunk<T>(values, values, Transcendental.Kind.Sigmoid);
                break;
            case Activation.Tanh:
                Transcendental.ApplyChunk<T>(values, values, Transcendental.Kind.Tanh);
                break;
            case Activation.Relu:
                Kernel<T>.Relu(values, T.Zero, values);
                break;
            case Activation.Exp:
                Transcendental.ApplyChunk<T>(values, values, Transcendental.Kind.Exp);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>An undefined <see cref="Activation"/> value is rejected before anything is written.</summary>
    private static void RequireActivation(Activation activation)
    {
        if ((uint)activation > (uint)Activation.Exp)
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }
}
