using System;
using System.Numerics;

namespace AutoGradGen.Kernels;

/// <summary>
/// Constant fills and broadcast reductions, for generated code: seeds (∂L/∂L = 1 spread over a
/// shape), the adjoint of a column-broadcast bias (Σ over columns), and c·I for ∇ Tr.
/// </summary>
public static class Broadcast
{
    /// <summary>A <paramref name="rows"/>×<paramref name="cols"/> matrix with every element equal to <paramref name="value"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="rows">Number of rows (0 or more).</param>
    /// <param name="cols">Number of columns (0 or more).</param>
    /// <param name="value">The fill value.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public static Matrix<T> Filled<T>(int rows, int cols, T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.Filled(rows, cols, value, ref result);
    }

    /// <summary>A vector of <paramref name="length"/> elements equal to <paramref name="value"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="length">Number of elements (0 or more).</param>
    /// <param name="value">The fill value.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static Vector<T> Filled<T>(int length, T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Into.Filled(length, value, ref result);
    }

    /// <summary>
    /// m · 1, the row sums: the adjoint of b in A + b 1ᵀ (column broadcasting) given the adjoint of the sum.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="m">An r×c matrix.</param>
    /// <returns>A new vector of length r with element i = Σⱼ mᵢⱼ (zeros when c = 0).</returns>
    public static Vector<T> SumColumns<T>(Matrix<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Into.SumColumns(m, ref result);
    }

    /// <summary>c · I, the n×n identity scaled by <paramref name="value"/> (the adjoint of A in c · Tr A).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="n">Size (0 or more).</param>
    /// <param name="value">The diagonal value c.</param>
    /// <returns>A new n×n matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public static Matrix<T> ScaledIdentity<T>(int n, T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.ScaledIdentity(n, value, ref result);
    }
}
