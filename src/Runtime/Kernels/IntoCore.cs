using System;
using System.Numerics;

namespace AutoGradGen.Kernels;

/// <summary>
/// Destination-passing ("Into") forms of every allocating operation that generated code uses, for
/// generated workspace methods whose intermediates live in reusable slots of a caller-owned object:
/// in steady state (same shapes every call) nothing is allocated.
/// </summary>
/// <remarks>
/// <para>
/// Every method has the name and leading arguments of its allocating counterpart plus a trailing
/// <c>ref destination</c>. It validates like the allocating form (null → <see cref="ArgumentNullException"/>,
/// a shape mismatch → <see cref="ArgumentException"/> naming both shapes, nothing written), then makes sure
/// the destination has the result's shape — the existing object is reused when its shape already matches;
/// a new one is allocated only when it is null or of another shape — writes the whole result into it
/// (stale contents never leak through) and returns it.
/// </para>
/// <para>
/// The destination must not be one of the inputs (the kernels read the inputs while they write it):
/// passing an input throws <see cref="ArgumentException"/>, checked by reference before anything is written.
/// The accumulating forms (<c>AddTo</c>, <c>AddScaledTo</c>, <c>MultiplyAddTo</c>, <c>OuterAddTo</c>,
/// <c>Zero</c>) update a caller-owned target of the right shape in place instead.
/// </para>
/// <para>
/// The allocating operations (operators, <see cref="Ops"/>, <see cref="Blas"/>, <see cref="Elementwise"/>,
/// <see cref="Broadcast"/>) are these methods with a null destination: one kernel behind both.
/// </para>
/// </remarks>
public static partial class Into
{
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
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (destination is null || destination.Rows != rows || destination.Cols != cols)
        {
            destination = new Matrix<T>(rows, cols);
        }

        return destination;
    }

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
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (destination is null || destination.Length != length)
        {
            destination = new Vector<T>(length);
        }

        return destination;
    }

    /// <summary>destination = f(source, scalar), element by element (the scalar is unused by some kernels).</summary>
    internal delegate void SpanMap<T>(ReadOnlySpan<T> source, T scalar, Span<T> destination);

    /// <summary>destination = f(left, right), element by element.</summary>
    internal delegate void SpanZip<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination);

    /// <summary>
    /// A binary operation's name, its operands' parameter names (null checks, aliasing messages) and whether its
    /// shape messages use those names (backward helpers: "y is 3×4 and g is …") or "left"/"right" (operators, Ops).
    /// </summary>
    internal readonly record struct Operands(string Operation, string Left = "left", string Right = "right", bool Named = true)
    {
        public string LeftLabel => Named ? Left : "left";

        public string RightLabel => Named ? Right : "right";
    }

    /// <summary>The element-wise function <paramref name="kernel"/> of one matrix, into the destination.</summary>
    private static Matrix<T> Map<T>(
        Matrix<T> source, T scalar, ref Matrix<T>? destination, SpanMap<T> kernel, string operation, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(source, name);
        ThrowHelper.RequireNotAliased(destination, source, operation, name);
        var result = Ensure(ref destination, source.Rows, source.Cols);
        kernel(source.Data, scalar, result.Data);
        return result;
    }

    /// <summary>The element-wise function <paramref name="kernel"/> of one vector, into the destination.</summary>
    private static Vector<T> Map<T>(
        Vector<T> source, T scalar, ref Vector<T>? destination, SpanMap<T> kernel, string operation, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(source, name);
        ThrowHelper.RequireNotAliased(destination, source, operation, name);
        var result = Ensure(ref destination, source.Length);
        kernel(source.Data, scalar, result.Data);
        return result;
    }

    /// <summary>The element-wise function <paramref name="kernel"/> of two same-shape matrices, into the destination.</summary>
    private static Matrix<T> Zip<T>(
        Matrix<T> left, Matrix<T> right, ref Matrix<T>? destination, SpanZip<T> kernel, in Operands names)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(left, names.Left);
        ArgumentNullException.ThrowIfNull(right, names.Right);
        ThrowHelper.RequireSameShape(left, right, names.Operation, names.LeftLabel, names.RightLabel);
        RequireNotAliased(destination, left, right, names);
        var result = Ensure(ref destination, left.Rows, left.Cols);
        kernel(left.Data, right.Data, result.Data);
        return result;
    }

    /// <summary>The element-wise function <paramref name="kernel"/> of two same-length vectors, into the destination.</summary>
    private static Vector<T> Zip<T>(
        Vector<T> left, Vector<T> right, ref Vector<T>? destination, SpanZip<T> kernel, in Operands names)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(left, names.Left);
        ArgumentNullException.ThrowIfNull(right, names.Right);
        ThrowHelper.RequireSameLength(left, right, names.Operation, names.LeftLabel, names.RightLabel);
        RequireNotAliased(destination, left, right, names);
        var result = Ensure(ref destination, left.Length);
        kernel(left.Data, right.Data, result.Data);
        return result;
    }

    /// <summary>The destination is neither operand.</summary>
    private static void RequireNotAliased(object? destination, object left, object right, in Operands names)
    {
        ThrowHelper.RequireNotAliased(destination, left, names.Operation, names.Left);
        ThrowHelper.RequireNotAliased(destination, right, names.Operation, names.Right);
    }
}
