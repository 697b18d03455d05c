using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// Matrix products, each in its allocating and its destination-passing form: A B, A x, Aᵀ B, Aᵀ x, A Bᵀ
/// (the transpose is never materialized: the GEMM kernel reads the operand transposed), x yᵀ, and the
/// accumulating forms C += op(A) op(B) and C += s·x yᵀ that add into caller-owned gradient buffers.
/// Every product runs through the one GEMM kernel, which settles empty outputs and k = 0 itself.
/// </summary>
public static partial class Products
{
    /// <summary>The matrix product A · B (through the GEMM kernel).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">An m×k matrix.</param>
    /// <param name="right">A k×n matrix.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The inner dimensions differ.</exception>
    public static Matrix<T> Multiply<T>(Matrix<T> left, Matrix<T> right)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Multiply(left, right, ref result);
    }

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

    /// <summary>The matrix-vector product A · x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">An m×k matrix.</param>
    /// <param name="right">A vector of length k.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths do not fit, or the destination is the vector operand.</exception>
    public static Vector<T> Multiply<T>(Matrix<T> left, Vector<T> right)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Multiply(left, right, ref result);
    }

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

    /// <summary>aᵀ b without forming aᵀ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A k×m matrix.</param>
    /// <param name="b">A k×n matrix.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The row counts differ.</exception>
    public static Matrix<T> MultiplyTransposeA<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return MultiplyTransposeA(a, b, ref result);
    }

    /// <summary>aᵀ b without forming aᵀ, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A k×m matrix.</param>
    /// <param name="b">A k×n matrix.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The row counts differ, or the destination is an operand.</exception>
    public static Matrix<T> MultiplyTransposeA<T>(Matrix<T> a, Matrix<T> b, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Product(a, b, ref destination, new Operands("MultiplyTransposeA", nameof(a), nameof(b)),
            transposeLeft: true, transposeRight: false);

    /// <summary>aᵀ x without forming aᵀ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A k×m matrix.</param>
    /// <param name="x">A vector of length k.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count.</exception>
    public static Vector<T> MultiplyTransposeA<T>(Matrix<T> a, Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return MultiplyTransposeA(a, x, ref result);
    }

    /// <summary>aᵀ x without forming aᵀ, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A k×m matrix.</param>
    /// <param name="x">A vector of length k.</param>
    /// <param name="destination">The result's slot, length m (reused when its length matches); not <paramref name="x"/>.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count, or the destination is <paramref name="x"/>.</exception>
    public static Vector<T> MultiplyTransposeA<T>(Matrix<T> a, Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Product(a, x, ref destination, new Operands("MultiplyTransposeA", nameof(a), nameof(x)), transposeLeft: true);

    /// <summary>a bᵀ without forming bᵀ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×k matrix.</param>
    /// <param name="b">An n×k matrix.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The column counts differ.</exception>
    public static Matrix<T> MultiplyTransposeB<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return MultiplyTransposeB(a, b, ref result);
    }

    /// <summary>a bᵀ without forming bᵀ, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×k matrix.</param>
    /// <param name="b">An n×k matrix.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The column counts differ, or the destination is an operand.</exception>
    public static Matrix<T> MultiplyTransposeB<T>(Matrix<T> a, Matrix<T> b, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Product(a, b, ref destination, new Operands("MultiplyTransposeB", nameof(a), nameof(b)),
            transposeLeft: false, transposeRight: true);

    /// <summary>The outer product x yᵀ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector of length m.</param>
    /// <param name="y">A vector of length n.</param>
    /// <returns>A new matrix, with element (i, j) = xᵢ yⱼ.</returns>
    public static Matrix<T> Outer<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Outer(x, y, ref result);
    }

    /// <summary>The outer product x yᵀ, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector of length m.</param>
    /// <param name="y">A vector of length n.</param>
    /// <param name="destination">The m×n result's slot (reused when its shape matches).</param>
    /// <returns>The destination, with element (i, j) = xᵢ yⱼ.</returns>
    public static Matrix<T> Outer<T>(Vector<T> x, Vector<T> y, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var result = Ensure(ref destination, x.Length, y.Length);
        Gemm.Multiply<T>(x.Data, y.Data, result.Data, x.Length, 1, y.Length);
        return result;
    }

    /// <summary>
    /// C += op(A) op(B), accumulated by the GEMM kernel itself (no temporary product): the gradient step
    /// Ḡ_A += Ḡ_Y Bᵀ or Ḡ_B += Aᵀ Ḡ_Y into a caller-owned buffer.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">C, an m×n matrix, updated in place; neither <paramref name="a"/> nor <paramref name="b"/>.</param>
    /// <param name="a">A, m×k (k×m when <paramref name="transposeA"/>).</param>
    /// <param name="b">B, k×n (n×k when <paramref name="transposeB"/>).</param>
    /// <param name="transposeA">Use Aᵀ (never materialized).</param>
    /// <param name="transposeB">Use Bᵀ (never materialized).</param>
    /// <param name="accumulate">True (the default) adds to <paramref name="target"/>; false overwrites it (no zeroing needed first).</param>
    /// <exception cref="ArgumentException">
    /// The inner dimensions differ, C is not m×n (the message names both shapes), or C is A or B.
    /// </exception>
    public static void MultiplyAddTo<T>(
        Matrix<T> target, Matrix<T> a, Matrix<T> b, bool transposeA = false, bool transposeB = false, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        MultiplyAddTo(target, T.One, a, b, transposeA, transposeB, accumulate);

    /// <summary>
    /// C += s · op(A) op(B), accumulated by the GEMM kernel itself with the factor on its packing (no temporary product,
    /// no pass over C to scale it): the gradient step Ḡ_A += 2 Ḡ_Y Bᵀ of a squared norm into a caller-owned buffer.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">C, an m×n matrix, updated in place; neither <paramref name="a"/> nor <paramref name="b"/>.</param>
    /// <param name="scale">The factor s.</param>
    /// <param name="a">A, m×k (k×m when <paramref name="transposeA"/>).</param>
    /// <param name="b">B, k×n (n×k when <paramref name="transposeB"/>).</param>
    /// <param name="transposeA">Use Aᵀ (never materialized).</param>
    /// <param name="transposeB">Use Bᵀ (never materialized).</param>
    /// <param name="accumulate">True (the default) adds to <paramref name="target"/>; false overwrites it (no zeroing needed first).</param>
    /// <exception cref="ArgumentException">
    /// The inner dimensions differ, C is not m×n (the message names both shapes), or C is A or B.
    /// </exception>
    public static void MultiplyAddTo<T>(
        Matrix<T> target, T scale, Matrix<T> a, Matrix<T> b, bool transposeA = false, bool transposeB = false, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (m, k, n) = ProductShape(a, b, "MultiplyAddTo", transposeA, transposeB);
        ThrowHelper.RequireSameShape(target.Rows, target.Cols, m, n, "MultiplyAddTo", "target", "product", nameof(target));
        RequireNotAliased(target, a, b, new Operands("MultiplyAddTo", nameof(a), nameof(b)));
        Gemm.MultiplyScaled<T>(scale, a.Data, b.Data, target.Data, m, k, n, transposeA, transposeB, accumulate);
    }

    /// <summary>C += s · x yᵀ (one vectorized FMA per row of C): the gradient of a matrix-vector product.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">C, an m×n matrix, updated in place.</param>
    /// <param name="x">A vector of length m.</param>
    /// <param name="y">A vector of length n.</param>
    /// <param name="scale">The factor s.</param>
    /// <param name="accumulate">True (the default) adds to <paramref name="target"/>; false overwrites it (no zeroing needed first).</param>
    /// <exception cref="ArgumentException">C is not m×n (the message names both shapes).</exception>
    public static void OuterAddTo<T>(Matrix<T> target, Vector<T> x, Vector<T> y, T scale, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ThrowHelper.RequireSameShape(target.Rows, target.Cols, x.Length, y.Length, "OuterAddTo", "target", "x yᵀ", nameof(target));
        for (int i = 0; i < x.Length; i++)
        {
            Span<T> row = target.Row(i);
            if (accumulate)
            {
                TensorPrimitives.FusedMultiplyAdd(y.Data, scale * x.Data[i], row, row);
            }
            else
            {
                TensorPrimitives.Multiply(y.Data, scale * x.Data[i], row);
            }
        }
    }

    /// <summary>op(left) op(right) through the GEMM kernel, into the destination.</summary>
    private static Matrix<T> Product<T>(
        Matrix<T> left, Matrix<T> right, ref Matrix<T>? destination, in Operands names,
        bool transposeLeft, bool transposeRight)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Product(T.One, left, right, ref destination, names, transposeLeft, transposeRight);

    /// <summary>s · op(left) op(right) through the GEMM kernel (the factor on its packing), into the destination.</summary>
    private static Matrix<T> Product<T>(
        T scale, Matrix<T> left, Matrix<T> right, ref Matrix<T>? destination, in Operands names,
        bool transposeLeft, bool transposeRight)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(left, names.Left);
        ArgumentNullException.ThrowIfNull(right, names.Right);
        var (m, k, n) = ProductShape(left, right, names.Operation, transposeLeft, transposeRight);
        RequireNotAliased(destination, left, right, names);
        var result = Ensure(ref destination, m, n);
        Gemm.MultiplyScaled<T>(scale, left.Data, right.Data, result.Data, m, k, n, transposeLeft, transposeRight, accumulate: false);
        return result;
    }

    /// <summary>op(left) · vector through the GEMM kernel, into the destination.</summary>
    private static Vector<T> Product<T>(
        Matrix<T> left, Vector<T> right, ref Vector<T>? destination, in Operands names, bool transposeLeft)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(left, names.Left);
        ArgumentNullException.ThrowIfNull(right, names.Right);
        ThrowHelper.RequireInner(names.Operation, left.Rows, left.Cols, right.Length, 1, transposeLeft);
        ThrowHelper.RequireNotAliased(destination, right, names.Operation, names.Right);
        int m = transposeLeft ? left.Cols : left.Rows;
        var result = Ensure(ref destination, m);
        Gemm.Multiply<T>(left.Data, right.Data, result.Data, m, right.Length, 1, transposeA: transposeLeft);
        return result;
    }

    /// <summary>Validates op(left) (m×k) · op(right) (k×n) and returns (m, k, n).</summary>
    private static (int M, int K, int N) ProductShape<T>(
        Matrix<T> left, Matrix<T> right, string operation, bool transposeLeft, bool transposeRight)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.RequireInner(operation, left.Rows, left.Cols, right.Rows, right.Cols, transposeLeft, transposeRight);
        return (transposeLeft ? left.Cols : left.Rows, transposeLeft ? left.Rows : left.Cols,
            transposeRight ? right.Rows : right.Cols);
    }
}
