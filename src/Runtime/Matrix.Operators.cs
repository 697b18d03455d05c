using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Kernels;

namespace AutoGradGen;

/// <content>Arithmetic operators: products, scalar scaling, sums, differences and column broadcasting.</content>
public sealed partial class Matrix<T>
{
    /// <summary>The matrix product <paramref name="left"/> · <paramref name="right"/>.</summary>
    /// <param name="left">An m×k matrix.</param>
    /// <param name="right">A k×n matrix.</param>
    /// <returns>A new m×n matrix.</returns>
    /// <exception cref="ArgumentException">The inner dimensions differ.</exception>
    public static Matrix<T> operator *(Matrix<T> left, Matrix<T> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ThrowHelper.RequireInner("Matrix product", left.Rows, left.Cols, right.Rows, right.Cols);
        var result = new Matrix<T>(left.Rows, right.Cols);
        Products.Multiply<T>(left.Data, right.Data, result.Data, left.Rows, left.Cols, right.Cols);
        return result;
    }

    /// <summary>The matrix-vector product <paramref name="left"/> · <paramref name="right"/>.</summary>
    /// <param name="left">An m×k matrix.</param>
    /// <param name="right">A vector of length k.</param>
    /// <returns>A new vector of length m.</returns>
    /// <exception cref="ArgumentException">The lengths do not fit.</exception>
    public static Vector<T> operator *(Matrix<T> left, Vector<T> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ThrowHelper.RequireInner("Matrix-vector product", left.Rows, left.Cols, right.Length, 1);
        var result = new Vector<T>(left.Rows);
        Products.Multiply<T>(left.Data, right.Data, result.Data, left.Rows, left.Cols, 1);
        return result;
    }

    /// <summary>Every element multiplied by <paramref name="scalar"/>.</summary>
    /// <param name="scalar">The factor.</param>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A new matrix s·A.</returns>
    public static Matrix<T> operator *(T scalar, Matrix<T> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var result = ZerosLike(matrix);
        TensorPrimitives.Multiply<T>(matrix.Data, scalar, result.Data);
        return result;
    }

    /// <summary>Every element multiplied by <paramref name="scalar"/>.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="scalar">The factor.</param>
    /// <returns>A new matrix A·s.</returns>
    public static Matrix<T> operator *(Matrix<T> matrix, T scalar) => scalar * matrix;

    /// <summary>Every element divided by <paramref name="scalar"/> (IEEE rules: ±∞ or NaN for a zero divisor).</summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="scalar">The divisor.</param>
    /// <returns>A new matrix A / s.</returns>
    public static Matrix<T> operator /(Matrix<T> matrix, T scalar)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var result = ZerosLike(matrix);
        TensorPrimitives.Divide<T>(matrix.Data, scalar, result.Data);
        return result;
    }

    /// <summary>The element-wise sum.</summary>
    /// <param name="left">A matrix.</param>
    /// <param name="right">A matrix of the same shape.</param>
    /// <returns>A new matrix A + B.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> operator +(Matrix<T> left, Matrix<T> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ThrowHelper.RequireSameShape(left, right, "Matrix sum");
        var result = ZerosLike(left);
        TensorPrimitives.Add<T>(left.Data, right.Data, result.Data);
        return result;
    }

    /// <summary>The element-wise difference.</summary>
    /// <param name="left">A matrix.</param>
    /// <param name="right">A matrix of the same shape.</param>
    /// <returns>A new matrix A − B.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> operator -(Matrix<T> left, Matrix<T> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ThrowHelper.RequireSameShape(left, right, "Matrix difference");
        var result = ZerosLike(left);
        TensorPrimitives.Subtract<T>(left.Data, right.Data, result.Data);
        return result;
    }

    /// <summary>Every element negated.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A new matrix −A.</returns>
    public static Matrix<T> operator -(Matrix<T> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var result = ZerosLike(matrix);
        TensorPrimitives.Negate<T>(matrix.Data, result.Data);
        return result;
    }

    /// <summary>
    /// Adds the column vector to every column: A + b 1ᵀ (the bias of a batched layer W X + b).
    /// </summary>
    /// <param name="matrix">An m×n matrix.</param>
    /// <param name="column">A vector of length m.</param>
    /// <returns>A new m×n matrix with element (i, j) = A[i, j] + b[i].</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count.</exception>
    public static Matrix<T> operator +(Matrix<T> matrix, Vector<T> column) =>
        BroadcastColumn(matrix, column, T.One, "Matrix + column vector");

    /// <summary>Subtracts the column vector from every column: A − b 1ᵀ.</summary>
    /// <param name="matrix">An m×n matrix.</param>
    /// <param name="column">A vector of length m.</param>
    /// <returns>A new m×n matrix with element (i, j) = A[i, j] − b[i].</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count.</exception>
    public static Matrix<T> operator -(Matrix<T> matrix, Vector<T> column) =>
        BroadcastColumn(matrix, column, -T.One, "Matrix - column vector");

    /// <summary>A + sign · b 1ᵀ, one vectorized row at a time.</summary>
    private static Matrix<T> BroadcastColumn(Matrix<T> matrix, Vector<T> column, T sign, string operation)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(column);
        if (column.Length != matrix.Rows)
        {
            ThrowHelper.ThrowShapeMismatch(operation, "left", ThrowHelper.Shape(matrix), "right",
                ThrowHelper.Shape(column), "the vector's length must equal the matrix's row count",
                nameof(column));
        }

        var result = ZerosLike(matrix);
        for (int i = 0; i < matrix.Rows; i++)
        {
            TensorPrimitives.Add<T>(matrix.Row(i), sign * column.Data[i], result.Row(i));
        }

        return result;
    }
}
