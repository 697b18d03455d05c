using System;
using System.Numerics;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <content>
/// Scalar broadcasts: A + s𝟙𝟙ᵀ, s𝟙𝟙ᵀ + A, A − s𝟙𝟙ᵀ, s𝟙𝟙ᵀ − A (and the vector forms), the operators
/// <c>A + s</c>, <c>s + A</c>, <c>A - s</c>, <c>s - A</c>; each in its allocating and its destination-passing form.
/// The operand order is the one written, so that generated code reads as the user's.
/// </content>
public static partial class Linear
{
    /// <summary>A + s: <paramref name="scalar"/> added to every element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">The matrix.</param>
    /// <param name="scalar">The scalar s.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> AddScalar<T>(Matrix<T> matrix, T scalar)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return AddScalar(matrix, scalar, ref result);
    }

    /// <summary>A + s, into <paramref name="destination"/> (reused when its shape matches; not the operand).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">The matrix.</param>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="destination">The result's slot.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> AddScalar<T>(Matrix<T> matrix, T scalar, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(matrix, scalar, ref destination, Kernel<T>.AddScalar, "AddScalar", nameof(matrix));

    /// <summary>s + A: <paramref name="scalar"/> added to every element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> AddScalar<T>(T scalar, Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddScalar(matrix, scalar);

    /// <summary>s + A, into <paramref name="destination"/> (reused when its shape matches; not the operand).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="matrix">The matrix.</param>
    /// <param name="destination">The result's slot.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> AddScalar<T>(T scalar, Matrix<T> matrix, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddScalar(matrix, scalar, ref destination);

    /// <summary>A − s: <paramref name="scalar"/> subtracted from every element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">The matrix.</param>
    /// <param name="scalar">The scalar s.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> SubtractScalar<T>(Matrix<T> matrix, T scalar)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SubtractScalar(matrix, scalar, ref result);
    }

    /// <summary>A − s, into <paramref name="destination"/> (reused when its shape matches; not the operand).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">The matrix.</param>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="destination">The result's slot.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> SubtractScalar<T>(Matrix<T> matrix, T scalar, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(matrix, scalar, ref destination, Kernel<T>.SubtractScalar, "SubtractScalar", nameof(matrix));

    /// <summary>s − A: every element subtracted from <paramref name="scalar"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> SubtractScalar<T>(T scalar, Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SubtractScalar(scalar, matrix, ref result);
    }

    /// <summary>s − A, into <paramref name="destination"/> (reused when its shape matches; not the operand).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="matrix">The matrix.</param>
    /// <param name="destination">The result's slot.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> SubtractScalar<T>(T scalar, Matrix<T> matrix, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(matrix, scalar, ref destination, Kernel<T>.ScalarMinus, "SubtractScalar", nameof(matrix));

    /// <summary>v + s: <paramref name="scalar"/> added to every element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="vector">The vector.</param>
    /// <param name="scalar">The scalar s.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> AddScalar<T>(Vector<T> vector, T scalar)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return AddScalar(vector, scalar, ref result);
    }

    /// <summary>v + s, into <paramref name="destination"/> (reused when its length matches; not the operand).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="vector">The vector.</param>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="destination">The result's slot.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> AddScalar<T>(Vector<T> vector, T scalar, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(vector, scalar, ref destination, Kernel<T>.AddScalar, "AddScalar", nameof(vector));

    /// <summary>s + v: <paramref name="scalar"/> added to every element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="vector">The vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> AddScalar<T>(T scalar, Vector<T> vector)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddScalar(vector, scalar);

    /// <summary>s + v, into <paramref name="destination"/> (reused when its length matches; not the operand).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="vector">The vector.</param>
    /// <param name="destination">The result's slot.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> AddScalar<T>(T scalar, Vector<T> vector, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddScalar(vector, scalar, ref destination);

    /// <summary>v − s: <paramref name="scalar"/> subtracted from every element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="vector">The vector.</param>
    /// <param name="scalar">The scalar s.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> SubtractScalar<T>(Vector<T> vector, T scalar)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SubtractScalar(vector, scalar, ref result);
    }

    /// <summary>v − s, into <paramref name="destination"/> (reused when its length matches; not the operand).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="vector">The vector.</param>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="destination">The result's slot.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> SubtractScalar<T>(Vector<T> vector, T scalar, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(vector, scalar, ref destination, Kernel<T>.SubtractScalar, "SubtractScalar", nameof(vector));

    /// <summary>s − v: every element subtracted from <paramref name="scalar"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="vector">The vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> SubtractScalar<T>(T scalar, Vector<T> vector)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SubtractScalar(scalar, vector, ref result);
    }

    /// <summary>s − v, into <paramref name="destination"/> (reused when its length matches; not the operand).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="vector">The vector.</param>
    /// <param name="destination">The result's slot.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> SubtractScalar<T>(T scalar, Vector<T> vector, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(vector, scalar, ref destination, Kernel<T>.ScalarMinus, "SubtractScalar", nameof(vector));
}
