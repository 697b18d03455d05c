using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// The linear operations of generated code, each in its allocating form and its destination-passing form
/// (<c>ref destination</c>, reused when its shape matches): sums, differences, negation, scaling, column
/// broadcasts and their adjoint (row sums), the transpose, constant fills, c·I; the accumulating forms that
/// add into caller-owned gradient buffers (<c>AddTo</c>, <c>AddScaledTo</c>, <c>Zero</c>); slots
/// (<c>Ensure</c>) and the gradient-buffer shape check of a generated <c>FBackward</c>.
/// </summary>
/// <remarks>
/// The operators of <see cref="Matrix{T}"/> and <see cref="Vector{T}"/> and <see cref="Ops.Transpose{T}(Matrix{T})"/>
/// are these methods. Validation happens once, here, before anything is written; the destination must not be an input.
/// </remarks>
public static partial class Linear
{
    private const int TransposeBlock = 32;

    /// <summary>The element-wise sum A + B.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A matrix.</param>
    /// <param name="right">A matrix of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> Add<T>(Matrix<T> left, Matrix<T> right)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Add(left, right, ref result);
    }

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

    /// <summary>The element-wise sum x + y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A vector.</param>
    /// <param name="right">A vector of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> Add<T>(Vector<T> left, Vector<T> right)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Add(left, right, ref result);
    }

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

    /// <summary>The element-wise difference A − B.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A matrix.</param>
    /// <param name="right">A matrix of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> Subtract<T>(Matrix<T> left, Matrix<T> right)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Subtract(left, right, ref result);
    }

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

    /// <summary>The element-wise difference x − y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="left">A vector.</param>
    /// <param name="right">A vector of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> Subtract<T>(Vector<T> left, Vector<T> right)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Subtract(left, right, ref result);
    }

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

    /// <summary>−A.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Negate<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Negate(matrix, ref result);
    }

    /// <summary>−A, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">The matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Negate<T>(Matrix<T> matrix, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(matrix, T.Zero, ref destination, Kernel<T>.Negate, "Negate", nameof(matrix));

    /// <summary>−v.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="vector">The vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Negate<T>(Vector<T> vector)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Negate(vector, ref result);
    }

    /// <summary>−v, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="vector">The vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Negate<T>(Vector<T> vector, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(vector, T.Zero, ref destination, Kernel<T>.Negate, "Negate", nameof(vector));

    /// <summary>s·A.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scalar">The factor s.</param>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Scale<T>(T scalar, Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Scale(scalar, matrix, ref result);
    }

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

    /// <summary>s·v.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="scalar">The factor s.</param>
    /// <param name="vector">The vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Scale<T>(T scalar, Vector<T> vector)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Scale(scalar, vector, ref result);
    }

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

    /// <summary>A / s (IEEE rules for a zero divisor).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">The matrix.</param>
    /// <param name="scalar">The divisor s.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Divide<T>(Matrix<T> matrix, T scalar)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Divide(matrix, scalar, ref result);
    }

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

    /// <summary>v / s (IEEE rules for a zero divisor).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="vector">The vector.</param>
    /// <param name="scalar">The divisor s.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Divide<T>(Vector<T> vector, T scalar)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Divide(vector, scalar, ref result);
    }

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

    /// <summary>A + b 1ᵀ (b added to every column: the bias of a batched layer).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">An m×n matrix.</param>
    /// <param name="column">A vector of length m.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count.</exception>
    public static Matrix<T> AddColumns<T>(Matrix<T> matrix, Vector<T> column)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return AddColumns(matrix, column, ref result);
    }

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

    /// <summary>A − b 1ᵀ (b subtracted from every column).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="matrix">An m×n matrix.</param>
    /// <param name="column">A vector of length m.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The vector's length is not the matrix's row count.</exception>
    public static Matrix<T> SubtractColumns<T>(Matrix<T> matrix, Vector<T> column)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SubtractColumns(matrix, column, ref result);
    }

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

    /// <summary>
    /// m · 1, the row sums (the adjoint of b in A + b 1ᵀ).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="m">An r×c matrix.</param>
    /// <returns>A new vector, with element i = Σⱼ mᵢⱼ (zeros when c = 0).</returns>
    public static Vector<T> SumColumns<T>(Matrix<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SumColumns(m, ref result);
    }

    /// <summary>
    /// m · 1, the row sums (the adjoint of b in A + b 1ᵀ), into <paramref name="destination"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="m">An r×c matrix.</param>
    /// <param name="destination">The result's slot, length r (reused when its length matches).</param>
    /// <returns>The destination, with element i = Σⱼ mᵢⱼ (zeros when c = 0).</returns>
    public static Vector<T> SumColumns<T>(Matrix<T> m, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(m);
        var result = Ensure(ref destination, m.Rows);
        for (int i = 0; i < m.Rows; i++)
        {
            result.Data[i] = TensorPrimitives.Sum<T>(m.Row(i));
        }

        return result;
    }

    /// <summary>The transpose Aᵀ (32×32 cache-blocked copy).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Transpose<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Transpose(a, ref result);
    }

    /// <summary>The transpose Aᵀ (32×32 cache-blocked copy), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="destination">The n×m result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Transpose<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ThrowHelper.RequireNotAliased(destination, a, "Transpose", nameof(a));
        var result = Ensure(ref destination, a.Cols, a.Rows);
        int rows = a.Rows, cols = a.Cols;
        T[] source = a.Data, target = result.Data;

        // Cache blocking: both the read and the write stay within a 32×32 tile.
        for (int i0 = 0; i0 < rows; i0 += TransposeBlock)
        {
            int iEnd = Math.Min(i0 + TransposeBlock, rows);
            for (int j0 = 0; j0 < cols; j0 += TransposeBlock)
            {
                int jEnd = Math.Min(j0 + TransposeBlock, cols);
                for (int i = i0; i < iEnd; i++)
                {
                    for (int j = j0; j < jEnd; j++)
                    {
                        target[(j * rows) + i] = source[(i * cols) + j];
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
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
        return Filled(rows, cols, value, ref result);
    }

    /// <summary>Every element equal to <paramref name="value"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="rows">Number of rows (0 or more).</param>
    /// <param name="cols">Number of columns (0 or more).</param>
    /// <param name="value">The fill value.</param>
    /// <param name="destination">The result's slot (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public static Matrix<T> Filled<T>(int rows, int cols, T value, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Ensure(ref destination, rows, cols);
        result.Data.AsSpan().Fill(value);
        return result;
    }

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="length">Number of elements (0 or more).</param>
    /// <param name="value">The fill value.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static Vector<T> Filled<T>(int length, T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Filled(length, value, ref result);
    }

    /// <summary>Every element equal to <paramref name="value"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="length">Number of elements (0 or more).</param>
    /// <param name="value">The fill value.</param>
    /// <param name="destination">The result's slot (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static Vector<T> Filled<T>(int length, T value, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Ensure(ref destination, length);
        result.Data.AsSpan().Fill(value);
        return result;
    }

    /// <summary>c · I, the n×n identity scaled by <paramref name="value"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="n">Size (0 or more).</param>
    /// <param name="value">The diagonal value c.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public static Matrix<T> ScaledIdentity<T>(int n, T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ScaledIdentity(n, value, ref result);
    }

    /// <summary>c · I, the n×n identity scaled by <paramref name="value"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="n">Size (0 or more).</param>
    /// <param name="value">The diagonal value c.</param>
    /// <param name="destination">The result's slot (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public static Matrix<T> ScaledIdentity<T>(int n, T value, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Ensure(ref destination, n, n);
        result.Data.AsSpan().Clear();
        for (int i = 0; i < n; i++)
        {
            result.Data[(i * n) + i] = value;
        }

        return result;
    }

    /// <summary>target += value, element by element, in place.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The accumulator, updated in place.</param>
    /// <param name="value">What is added, of the same shape (may be <paramref name="target"/> itself).</param>
    /// <param name="accumulate">True (the default) adds to <paramref name="target"/>; false overwrites it (no zeroing needed first).</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static void AddTo<T>(Matrix<T> target, Matrix<T> value, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddScaled(target, T.One, value, "AddTo", accumulate);

    /// <summary>target += value, element by element, in place.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The accumulator, updated in place.</param>
    /// <param name="value">What is added, of the same length (may be <paramref name="target"/> itself).</param>
    /// <param name="accumulate">True (the default) adds to <paramref name="target"/>; false overwrites it (no zeroing needed first).</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void AddTo<T>(Vector<T> target, Vector<T> value, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddScaled(target, T.One, value, "AddTo", accumulate);

    /// <summary>target += scale · value (rounded as target + (scale · value)), in place.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The accumulator, updated in place.</param>
    /// <param name="scale">The factor s.</param>
    /// <param name="value">What is added, of the same shape (may be <paramref name="target"/> itself).</param>
    /// <param name="accumulate">True (the default) adds to <paramref name="target"/>; false overwrites it (no zeroing needed first).</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static void AddScaledTo<T>(Matrix<T> target, T scale, Matrix<T> value, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddScaled(target, scale, value, "AddScaledTo", accumulate);

    /// <summary>target += scale · value (rounded as target + (scale · value)), in place.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The accumulator, updated in place.</param>
    /// <param name="scale">The factor s.</param>
    /// <param name="value">What is added, of the same length (may be <paramref name="target"/> itself).</param>
    /// <param name="accumulate">True (the default) adds to <paramref name="target"/>; false overwrites it (no zeroing needed first).</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void AddScaledTo<T>(Vector<T> target, T scale, Vector<T> value, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddScaled(target, scale, value, "AddScaledTo", accumulate);

    /// <summary>Sets every element to zero (resets a gradient buffer).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The matrix to clear.</param>
    public static void Zero<T>(Matrix<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Data.AsSpan().Clear();
    }

    /// <summary>Sets every element to zero (resets a gradient buffer).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The vector to clear.</param>
    public static void Zero<T>(Vector<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Data.AsSpan().Clear();
    }

    /// <summary>
    /// Makes <paramref name="destination"/> a <paramref name="rows"/>×<paramref name="cols"/> matrix: kept when it
    /// already has that shape (its contents are left as they are), replaced by a new matrix of zeros otherwise.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="destination">The slot; null or of another shape gets a new matrix.</param>
    /// <param name="rows">Number of rows (0 or more).</param>
    /// <param name="cols">Number of columns (0 or more).</param>
    /// <returns>The matrix now in <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public static Matrix<T> Ensure<T>(ref Matrix<T>? destination, int rows, int cols)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Dense.Ensure(ref destination, rows, cols);

    /// <summary>
    /// Makes <paramref name="destination"/> a vector of <paramref name="length"/> elements: kept when it already
    /// has that length (its contents are left as they are), replaced by a new vector of zeros otherwise.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="destination">The slot; null or of another length gets a new vector.</param>
    /// <param name="length">Number of elements (0 or more).</param>
    /// <returns>The vector now in <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static Vector<T> Ensure<T>(ref Vector<T>? destination, int length)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Dense.Ensure(ref destination, length);

    /// <summary>
    /// For generated <c>FBackward</c> methods: checks, before anything is written, that a caller-owned
    /// gradient buffer has its parameter's shape. A null buffer means that gradient is not wanted.
    /// </summary>
    /// <param name="buffer">The gradient buffer (for example <c>dW</c>).</param>
    /// <param name="parameter">The parameter it is the gradient of.</param>
    /// <param name="bufferName">The buffer's parameter name, for the message.</param>
    /// <param name="parameterName">The parameter's name, for the message.</param>
    /// <exception cref="ArgumentNullException">The parameter is null.</exception>
    /// <exception cref="ArgumentException">The shapes differ; the message names both.</exception>
    public static void RequireSameShape<T>(Matrix<T>? buffer, Matrix<T> parameter, string bufferName, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameter, parameterName);
        if (buffer is not null && (buffer.Rows != parameter.Rows || buffer.Cols != parameter.Cols))
        {
            ThrowHelper.ThrowShapeMismatch("Gradient buffer", bufferName, ThrowHelper.Shape(buffer), parameterName,
                ThrowHelper.Shape(parameter), "they must have the same shape", bufferName);
        }
    }

    /// <inheritdoc cref="RequireSameShape{T}(Matrix{T}, Matrix{T}, string, string)"/>
    public static void RequireSameShape<T>(Vector<T>? buffer, Vector<T> parameter, string bufferName, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameter, parameterName);
        if (buffer is not null && buffer.Length != parameter.Length)
        {
            ThrowHelper.ThrowShapeMismatch("Gradient buffer", bufferName, ThrowHelper.Shape(buffer), parameterName,
                ThrowHelper.Shape(parameter), "they must have the same shape", bufferName);
        }
    }

    /// <summary>
    /// For generated second-order methods: checks, before anything is written, that a caller-owned square buffer
    /// (the Hessian) is <paramref name="rows"/> × <paramref name="cols"/>.
    /// </summary>
    /// <param name="buffer">The buffer.</param>
    /// <param name="rows">The rows it must have.</param>
    /// <param name="cols">The columns it must have.</param>
    /// <param name="bufferName">The buffer's parameter name, for the message.</param>
    /// <exception cref="ArgumentNullException">The buffer is null.</exception>
    /// <exception cref="ArgumentException">The shape differs; the message names both shapes.</exception>
    public static void RequireShape<T>(Matrix<T> buffer, int rows, int cols, string bufferName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(buffer, bufferName);
        if (buffer.Rows != rows || buffer.Cols != cols)
        {
            throw new ArgumentException(
                $"{bufferName} is {buffer.Rows}×{buffer.Cols} but must be {rows}×{cols} (one row and one column per differentiated entry).", bufferName);
        }
    }

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
