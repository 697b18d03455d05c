using System;
using System.Numerics;
using AutoGradGen.Compute;

namespace AutoGradGen;

/// <content>Arithmetic operators: products, scalar scaling, sums, differences and column broadcasting.</content>
public sealed partial class Matrix<T>
{
    /// <summary>The matrix product <paramref name="left"/> · <paramref name="right"/>.</summary>
    /// <param name="left">An m×k matrix.</param>
    /// <param name="right">A k×n matrix.</param>
    /// <returns>A new m×n matrix.</returns>
    /// <exception cref="ArgumentException">The inner dimensions differ.</exception>
    public static Matrix<T> operator *(Matrix<T> left, Matrix<T> right) =>
        Products.Multiply(left, right);

    /// <summary>The matrix-vector product <paramref name="left"/> · <paramref name="right"/>.</summary>
    /// <param name="left">An m×k matrix.</param>
    /// <param name="right">A vector of length k.</param>
    /// <returns>A new vector of length m.</returns>
    /// <exception cref="ArgumentException">The lengths do not fit.</exception>
    public static Vector<T> operator *(Matrix<T> left, Vector<T> right) =>
        Products.Multiply(left, right);

    /// <summary>Every element multiplied by <paramref name="scalar"/>.</summary>
    /// <param name="scalar">The factor.</param>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A new matrix s·A.</returns>
    public static Matrix<T> operator *(T scalar, Matrix<T> matrix) =>
        Linear.Scale(scalar, matrix);

    /// <summary>Every element multiplied by <paramref name="scalar"/>.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="scalar">The factor.</param>
    /// <returns>A new matrix A·s.</returns>
    public static Matrix<T> operator *(Matrix<T> matrix, T scalar) => scalar * matrix;

    /// <summary>Every element divided by <paramref name="scalar"/> (IEEE rules: ±∞ or NaN for a zero divisor).</summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="scalar">The divisor.</param>
    /// <returns>A new matrix A / s.</returns>
    public static Matrix<T> operator /(Matrix<T> matrix, T scalar) =>
        Linear.Divide(matrix, scalar);

    /// <summary>The element-wise sum.</summary>
    /// <param name="left">A matrix.</param>
    /// <param name="right">A matrix of the same shape.</param>
    /// <returns>A new matrix A + B.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> operator +(Matrix<T> left, Matrix<T> right) =>
        Linear.Add(left, right);

    /// <summary>The element-wise difference.</summary>
    /// <param name="left">A matrix.</param>
    /// <param name="right">A matrix of the same shape.</param>
    /// <returns>A new matrix A − B.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> operator -(Matrix<T> left, Matrix<T> right) =>
        Linear.Subtract(left, right);

    /// <summary>Every element negated.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A new matrix −A.</returns>
    public static Matrix<T> operator -(Matrix<T> matrix) =>
        Linear.Negate(matrix);

    /// <summary>
    /// Adds the column vector to every column: A + b 1ᵀ (the bias of a batched layer W X + b).
    /// </summary>
    /// <param name="matrix">An m×n matrix.</param>
    /// <param name="column">A vector of length m.</param>
    /// <returns>A new m×n matrix with element (i, j) = A[i, j] + b[i].</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count.</exception>
    public static Matrix<T> operator +(Matrix<T> matrix, Vector<T> column) =>
        Linear.AddColumns(matrix, column);

    /// <summary>Subtracts the column vector from every column: A − b 1ᵀ.</summary>
    /// <param name="matrix">An m×n matrix.</param>
    /// <param name="column">A vector of length m.</param>
    /// <returns>A new m×n matrix with element (i, j) = A[i, j] − b[i].</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count.</exception>
    public static Matrix<T> operator -(Matrix<T> matrix, Vector<T> column) =>
        Linear.SubtractColumns(matrix, column);

    /// <summary><paramref name="scalar"/> added to every element: A + s.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="scalar">The scalar s.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> operator +(Matrix<T> matrix, T scalar) =>
        Linear.AddScalar(matrix, scalar);

    /// <summary><paramref name="scalar"/> added to every element: s + A.</summary>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> operator +(T scalar, Matrix<T> matrix) =>
        Linear.AddScalar(scalar, matrix);

    /// <summary><paramref name="scalar"/> subtracted from every element: A − s.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="scalar">The scalar s.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> operator -(Matrix<T> matrix, T scalar) =>
        Linear.SubtractScalar(matrix, scalar);

    /// <summary>Every element subtracted from <paramref name="scalar"/>: s − A.</summary>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> operator -(T scalar, Matrix<T> matrix) =>
        Linear.SubtractScalar(scalar, matrix);
}
