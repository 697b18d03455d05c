using System;
using System.Numerics;

namespace AutoGradGen.Kernels;

/// <summary>
/// Transposed matrix products, for generated code (the adjoints of Y = A B are Ḡ Bᵀ and Aᵀ Ḡ).
/// The transpose is never materialized: the product kernel reads the operand transposed.
/// Shapes are validated like the public API (messages name both stored shapes).
/// </summary>
public static class Blas
{
    /// <summary>aᵀ b without forming aᵀ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A k×m matrix.</param>
    /// <param name="b">A k×n matrix.</param>
    /// <returns>A new m×n matrix.</returns>
    /// <exception cref="ArgumentException">The row counts differ.</exception>
    public static Matrix<T> MultiplyTransposeA<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.MultiplyTransposeA(a, b, ref result);
    }

    /// <summary>aᵀ x without forming aᵀ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A k×m matrix.</param>
    /// <param name="x">A vector of length k.</param>
    /// <returns>A new vector of length m.</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count.</exception>
    public static Vector<T> MultiplyTransposeA<T>(Matrix<T> a, Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Into.MultiplyTransposeA(a, x, ref result);
    }

    /// <summary>a bᵀ without forming bᵀ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×k matrix.</param>
    /// <param name="b">An n×k matrix.</param>
    /// <returns>A new m×n matrix.</returns>
    /// <exception cref="ArgumentException">The column counts differ.</exception>
    public static Matrix<T> MultiplyTransposeB<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.MultiplyTransposeB(a, b, ref result);
    }
}
