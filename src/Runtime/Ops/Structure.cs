using System;
using System.Numerics;
using AutoGradGen.Compute;

namespace AutoGradGen;

/// <summary>
/// The functions that differentiable methods are written with, meant for <c>using static AutoGradGen.Ops;</c>.
/// Each validates its arguments once (null → <see cref="ArgumentNullException"/>, wrong shape →
/// <see cref="ArgumentException"/> naming both shapes, before anything is written) and returns a
/// new value; operands are never modified.
/// </summary>
public static partial class Ops
{
    /// <summary>The transpose Aᵀ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <returns>A new n×m matrix with element (j, i) = A[i, j].</returns>
    public static Matrix<T> Transpose<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Linear.Transpose(a);

    /// <summary>The inverse A⁻¹, by LU with partial pivoting. Prefer <c>Solve</c> for A⁻¹B.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A square matrix.</param>
    /// <returns>A new matrix A⁻¹.</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square.</exception>
    /// <exception cref="SingularMatrixException"><paramref name="a"/> is singular (message starts "Inverse:").</exception>
    public static Matrix<T> Inverse<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Factorization.Inverse(a);

    /// <summary>X = A⁻¹ B, the solution of A X = B, by LU with partial pivoting (A⁻¹ is never formed).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A square n×n matrix.</param>
    /// <param name="b">An n×p right-hand side.</param>
    /// <returns>A new n×p matrix.</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square, or <paramref name="b"/> does not have n rows.</exception>
    /// <exception cref="SingularMatrixException"><paramref name="a"/> is singular (message starts "Solve:").</exception>
    public static Matrix<T> Solve<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Factorization.Solve(a, b);

    /// <summary>x = A⁻¹ b, the solution of A x = b, by LU with partial pivoting (A⁻¹ is never formed).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A square n×n matrix.</param>
    /// <param name="b">A right-hand side of length n.</param>
    /// <returns>A new vector of length n.</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square, or <paramref name="b"/> does not have length n.</exception>
    /// <exception cref="SingularMatrixException"><paramref name="a"/> is singular (message starts "Solve:").</exception>
    public static Vector<T> Solve<T>(Matrix<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Factorization.Solve(a, b);

    /// <summary>The outer product x yᵀ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector of length m.</param>
    /// <param name="y">A vector of length n.</param>
    /// <returns>A new m×n matrix with element (i, j) = xᵢ yⱼ.</returns>
    public static Matrix<T> Outer<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Products.Outer(x, y);
}
