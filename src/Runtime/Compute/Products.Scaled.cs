using System.Numerics;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>Products times a factor, s · op(A) op(B), in one GEMM: the factor rides on the packing of A, never a pass over the result.</summary>
public static partial class Products
{
    /// <summary>s · A · B (through the GEMM kernel), into <paramref name="destination"/>: a scaled product without a second pass.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scale">The factor s.</param>
    /// <param name="left">An m×k matrix.</param>
    /// <param name="right">A k×n matrix.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="System.ArgumentException">The inner dimensions differ, or the destination is an operand.</exception>
    public static Matrix<T> Multiply<T>(T scale, Matrix<T> left, Matrix<T> right, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Product(scale, left, right, ref destination, new Operands("Matrix product"), transposeLeft: false, transposeRight: false);

    /// <summary>s · aᵀ b without forming aᵀ, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scale">The factor s.</param>
    /// <param name="a">A k×m matrix.</param>
    /// <param name="b">A k×n matrix.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="System.ArgumentException">The row counts differ, or the destination is an operand.</exception>
    public static Matrix<T> MultiplyTransposeA<T>(T scale, Matrix<T> a, Matrix<T> b, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Product(scale, a, b, ref destination, new Operands("MultiplyTransposeA", nameof(a), nameof(b)), transposeLeft: true, transposeRight: false);

    /// <summary>s · a bᵀ without forming bᵀ, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scale">The factor s.</param>
    /// <param name="a">An m×k matrix.</param>
    /// <param name="b">An n×k matrix.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="System.ArgumentException">The column counts differ, or the destination is an operand.</exception>
    public static Matrix<T> MultiplyTransposeB<T>(T scale, Matrix<T> a, Matrix<T> b, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Product(scale, a, b, ref destination, new Operands("MultiplyTransposeB", nameof(a), nameof(b)), transposeLeft: false, transposeRight: true);
}
