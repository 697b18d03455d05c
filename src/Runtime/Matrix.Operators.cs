using System;
using System.Numerics;
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
        Matrix<T>? result = null;
        return Into.Multiply(left, right, ref result);
    }

    /// <summary>The matrix-vector product <paramref name="left"/> · <paramref name="right"/>.</summary>
    /// <param name="left">An m×k matrix.</param>
    /// <param name="right">A vector of length k.</param>
    /// <returns>A new vector of length m.</returns>
    /// <exception cref="ArgumentException">The lengths do not fit.</exception>
    public static Vector<T> operator *(Matrix<T> left, Vector<T> right)
    {
        Vector<T>? result = null;
        return Into.Multiply(left, right, ref result);
    }

    /// <summary>Every element multiplied by <paramref name="scalar"/>.</summary>
    /// <param name="scalar">The factor.</param>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A new matrix s·A.</returns>
    public static Matrix<T> operator *(T scalar, Matrix<T> matrix)
    {
        Matrix<T>? result = null;
        return Into.Scale(scalar, matrix, ref result);
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
        Matrix<T>? result = null;
        return Into.Divide(matrix, scalar, ref result);
    }

    /// <summary>The element-wise sum.</summary>
    /// <param name="left">A matrix.</param>
    /// <param name="right">A matrix of the same shape.</param>
    /// <returns>A new matrix A + B.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> operator +(Matrix<T> left, Matrix<T> right)
    {
        Matrix<T>? result = null;
        return Into.Add(left, right, ref result);
    }

    /// <summary>The element-wise difference.</summary>
    /// <param name="left">A matrix.</param>
    /// <param name="right">A matrix of the same shape.</param>
    /// <returns>A new matrix A − B.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> operator -(Matrix<T> left, Matrix<T> right)
    {
        Matrix<T>? result = null;
        return Into.Subtract(left, right, ref result);
    }

    /// <summary>Every element negated.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A new matrix −A.</returns>
    public static Matrix<T> operator -(Matrix<T> matrix)
    {
        Matrix<T>? result = null;
        return Into.Negate(matrix, ref result);
    }

    /// <summary>
    /// Adds the column vector to every column: A + b 1ᵀ (the bias of a batched layer W X + b).
    /// </summary>
    /// <param name="matrix">An m×n matrix.</param>
    /// <param name="column">A vector of length m.</param>
    /// <returns>A new m×n matrix with element (i, j) = A[i, j] + b[i].</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count.</exception>
    public static Matrix<T> operator +(Matrix<T> matrix, Vector<T> column)
    {
        Matrix<T>? result = null;
        return Into.AddColumns(matrix, column, ref result);
    }

    /// <summary>Subtracts the column vector from every column: A − b 1ᵀ.</summary>
    /// <param name="matrix">An m×n matrix.</param>
    /// <param name="column">A vector of length m.</param>
    /// <returns>A new m×n matrix with element (i, j) = A[i, j] − b[i].</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count.</exception>
    public static Matrix<T> operator -(Matrix<T> matrix, Vector<T> column)
    {
        Matrix<T>? result = null;
        return Into.SubtractColumns(matrix, column, ref result);
    }
}
