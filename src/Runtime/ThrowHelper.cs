using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace AutoGradGen;

/// <summary>
/// The one place where the runtime validates shapes and throws. Public entry points call a
/// <c>Require…</c> check before they allocate or write anything; kernels behind them do no checks.
/// Every shape-mismatch message names both shapes, as "rows×cols" (a vector of length n is n×1).
/// Hidden from stack traces: the first frame a user sees is the public entry point that validated.
/// </summary>
[StackTraceHidden]
internal static class ThrowHelper
{
    /// <summary>Formats a shape as "rows×cols".</summary>
    internal static string Shape(int rows, int cols) =>
        string.Create(CultureInfo.InvariantCulture, $"{rows}×{cols}");

    internal static string Shape<T>(Matrix<T> m) where T : unmanaged, IFloatingPointIeee754<T> =>
        Shape(m.Rows, m.Cols);

    internal static string Shape<T>(Vector<T> v) where T : unmanaged, IFloatingPointIeee754<T> =>
        Shape(v.Length, 1);

    /// <summary>A <paramref name="operation"/> on two operands whose shapes do not fit.</summary>
    [DoesNotReturn]
    internal static void ThrowShapeMismatch(
        string operation, string leftName, string leftShape, string rightName, string rightShape,
        string requirement, string? paramName = null) =>
        throw new ArgumentException(
            $"{operation}: {leftName} is {leftShape} and {rightName} is {rightShape}; {requirement}.",
            paramName);

    [DoesNotReturn]
    internal static void ThrowNotSquare(string operation, string shape, string? paramName = null) =>
        throw new ArgumentException($"{operation}: the matrix is {shape}; it must be square.", paramName);

    [DoesNotReturn]
    internal static void ThrowSingular(string operation, int column) =>
        throw new SingularMatrixException(string.Create(
            CultureInfo.InvariantCulture,
            $"{operation}: the matrix is singular (zero pivot in column {column})."));

    [DoesNotReturn]
    internal static void ThrowIndexOutOfRange(string index, string shape, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, $"Index {index} is outside a {shape} operand.");

    [DoesNotReturn]
    internal static void ThrowTooLarge(int rows, int cols) =>
        throw new ArgumentOutOfRangeException(
            nameof(cols), $"A {Shape(rows, cols)} matrix has more elements than an array can hold.");

    [DoesNotReturn]
    internal static void ThrowAliased(string operation, string inputName) =>
        throw new ArgumentException(
            $"{operation}: the destination is the same object as {inputName}; it must not alias an input.",
            "destination");

    /// <summary>A destination-passing operation's destination must not be one of its inputs.</summary>
    internal static void RequireNotAliased(object? destination, object input, string operation, string inputName)
    {
        if (ReferenceEquals(destination, input))
        {
            ThrowAliased(operation, inputName);
        }
    }

    /// <summary>Both matrices must have the same shape (element-wise operations).</summary>
    internal static void RequireSameShape<T>(
        Matrix<T> left, Matrix<T> right, string operation, string leftName = "left", string rightName = "right")
        where T : unmanaged, IFloatingPointIeee754<T>
        => RequireSameShape(left.Rows, left.Cols, right.Rows, right.Cols, operation, leftName, rightName);

    /// <summary>Both vectors must have the same length (element-wise operations).</summary>
    internal static void RequireSameLength<T>(
        Vector<T> left, Vector<T> right, string operation, string leftName = "left", string rightName = "right")
        where T : unmanaged, IFloatingPointIeee754<T>
        => RequireSameShape(left.Length, 1, right.Length, 1, operation, leftName, rightName);

    /// <summary>
    /// Two operands of shapes leftRows×leftCols and rightRows×rightCols must have the same shape (the
    /// exception's parameter is <paramref name="paramName"/>, by default the right operand).
    /// </summary>
    internal static void RequireSameShape(
        int leftRows, int leftCols, int rightRows, int rightCols, string operation, string leftName, string rightName,
        string? paramName = null)
    {
        if (leftRows != rightRows || leftCols != rightCols)
        {
            ThrowShapeMismatch(operation, leftName, Shape(leftRows, leftCols), rightName, Shape(rightRows, rightCols),
                "the shapes must match", paramName ?? rightName);
        }
    }

    /// <summary>
    /// op(left) is m×k and op(right) is k×n: the inner dimensions must agree. Shapes are the stored
    /// ones; an operand used transposed is marked so in the message.
    /// </summary>
    internal static void RequireInner(
        string operation, int leftRows, int leftCols, int rightRows, int rightCols,
        bool transposeLeft = false, bool transposeRight = false)
    {
        int leftInner = transposeLeft ? leftRows : leftCols;
        int rightInner = transposeRight ? rightCols : rightRows;
        if (leftInner != rightInner)
        {
            string left = Shape(leftRows, leftCols) + (transposeLeft ? " (used transposed)" : "");
            string right = Shape(rightRows, rightCols) + (transposeRight ? " (used transposed)" : "");
            ThrowShapeMismatch(operation, "left", left, "right", right,
                "the inner dimensions must match", "right");
        }
    }

    /// <summary>The matrix must be square (trace, determinant, inverse, solve).</summary>
    internal static void RequireSquare<T>(Matrix<T> a, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Rows != a.Cols)
        {
            ThrowNotSquare(operation, Shape(a), nameof(a));
        }
    }

    /// <summary>The right-hand side of A X = B must have as many rows as A.</summary>
    internal static void RequireRightHandSide(int size, int rhsRows, int rhsCols, string operation)
    {
        if (rhsRows != size)
        {
            ThrowShapeMismatch(operation, "A", Shape(size, size), "B", Shape(rhsRows, rhsCols),
                string.Create(CultureInfo.InvariantCulture, $"B must have {size} rows"), "b");
        }
    }

    /// <summary>A matrix shape: both dimensions non-negative and the element count representable.</summary>
    internal static void RequireValidShape(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if ((long)rows * cols > Array.MaxLength)
        {
            ThrowTooLarge(rows, cols);
        }
    }
}
