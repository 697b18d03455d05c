using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <content>The arithmetic operators of <see cref="Matrix{T}"/> and <see cref="Vector{T}"/>, into a destination.</content>
public static partial class Into
{
    /// <summary>The element-wise sum A + B, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A matrix.</param>
    /// <param name="right">A matrix of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> Add<T>(Matrix<T> left, Matrix<T> right, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(left, right, ref destination, Kernel<T>.Add, new Operands("Matrix sum"));

    /// <summary>The element-wise sum x + y, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A vector.</param>
    /// <param name="right">A vector of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> Add<T>(Vector<T> left, Vector<T> right, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(left, right, ref destination, Kernel<T>.Add, new Operands("Vector sum"));

    /// <summary>The element-wise difference A − B, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A matrix.</param>
    /// <param name="right">A matrix of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> Subtract<T>(Matrix<T> left, Matrix<T> right, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(left, right, ref destination, Kernel<T>.Subtract,
            new Operands("Matrix difference"));

    /// <summary>The element-wise difference x − y, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A vector.</param>
    /// <param name="right">A vector of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> Subtract<T>(Vector<T> left, Vector<T> right, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(left, right, ref destination, Kernel<T>.Subtract,
            new Operands("Vector difference"));

    /// <summary>−A, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">The matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Negate<T>(Matrix<T> matrix, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(matrix, T.Zero, ref destination, Kernel<T>.Negate, "Negate", nameof(matrix));

    /// <summary>−v, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="vector">The vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Negate<T>(Vector<T> vector, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(vector, T.Zero, ref destination, Kernel<T>.Negate, "Negate", nameof(vector));

    /// <summary>s·A, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scalar">The factor s.</param>
    /// <param name="matrix">The matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Scale<T>(T scalar, Matrix<T> matrix, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(matrix, scalar, ref destination, Kernel<T>.Scale, "Scale", nameof(matrix));

    /// <summary>s·v, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scalar">The factor s.</param>
    /// <param name="vector">The vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Scale<T>(T scalar, Vector<T> vector, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(vector, scalar, ref destination, Kernel<T>.Scale, "Scale", nameof(vector));

    /// <summary>A / s (IEEE rules for a zero divisor), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">The matrix.</param>
    /// <param name="scalar">The divisor s.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Divide<T>(Matrix<T> matrix, T scalar, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(matrix, scalar, ref destination, Kernel<T>.DivideByScalar, "Divide", nameof(matrix));

    /// <summary>v / s (IEEE rules for a zero divisor), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="vector">The vector.</param>
    /// <param name="scalar">The divisor s.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Divide<T>(Vector<T> vector, T scalar, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(vector, scalar, ref destination, Kernel<T>.DivideByScalar, "Divide", nameof(vector));

    /// <summary>The matrix product A · B (through the GEMM kernel), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">An m×k matrix.</param>
    /// <param name="right">A k×n matrix.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The inner dimensions differ, or the destination is an operand.</exception>
    public static Matrix<T> Multiply<T>(Matrix<T> left, Matrix<T> right, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Product(left, right, ref destination, new Operands("Matrix product"), transposeLeft: false, transposeRight: false);

    /// <summary>The matrix-vector product A · x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">An m×k matrix.</param>
    /// <param name="right">A vector of length k.</param>
    /// <param name="destination">The result's slot, length m (reused when its length matches); not the vector operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths do not fit, or the destination is the vector operand.</exception>
    public static Vector<T> Multiply<T>(Matrix<T> left, Vector<T> right, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Product(left, right, ref destination, new Operands("Matrix-vector product"), transposeLeft: false);

    /// <summary>A + b 1ᵀ (b added to every column: the bias of a batched layer), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">An m×n matrix.</param>
    /// <param name="column">A vector of length m.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches); not the matrix operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count, or the destination is the matrix.</exception>
    public static Matrix<T> AddColumns<T>(Matrix<T> matrix, Vector<T> column, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        BroadcastColumn(matrix, column, T.One, ref destination, "Matrix + column vector");

    /// <summary>A − b 1ᵀ (b subtracted from every column), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">An m×n matrix.</param>
    /// <param name="column">A vector of length m.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches); not the matrix operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count, or the destination is the matrix.</exception>
    public static Matrix<T> SubtractColumns<T>(Matrix<T> matrix, Vector<T> column, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        BroadcastColumn(matrix, column, -T.One, ref destination, "Matrix - column vector");

    /// <summary>A + sign · b 1ᵀ, one vectorized row at a time.</summary>
    private static Matrix<T> BroadcastColumn<T>(
        Matrix<T> matrix, Vector<T> column, T sign, ref Matrix<T>? destination, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(column);
        if (column.Length != matrix.Rows)
        {
            ThrowHelper.ThrowShapeMismatch(operation, "left", ThrowHelper.Shape(matrix), "right",
                ThrowHelper.Shape(column), "the vector's length must equal the matrix's row count",
                nameof(column));
        }

        ThrowHelper.RequireNotAliased(destination, matrix, operation, nameof(matrix));
        var result = Ensure(ref destination, matrix.Rows, matrix.Cols);
        for (int i = 0; i < matrix.Rows; i++)
        {
            TensorPrimitives.Add<T>(matrix.Row(i), sign * column.Data[i], result.Row(i));
        }

        return result;
    }
}
