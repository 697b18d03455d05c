using System;
using System.Numerics;
using System.Numerics.Tensors;

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
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Ensure<T, Matrix<T>>(ref destination, rows, cols);

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
        Ensure<T, Vector<T>>(ref destination, length, 1);

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

    /// <summary>The destination, replaced by a new rows×cols operand unless it already has that shape.</summary>
    private static TDense Ensure<T, TDense>(ref TDense? destination, int rows, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDense : class, IDenseOperand<TDense, T>
    {
        if (destination is null || destination.Rows != rows || destination.Cols != cols)
        {
            destination = TDense.Create(rows, cols);
        }

        return destination;
    }

    /// <summary>The element-wise function <paramref name="kernel"/> of one matrix or vector, into the destination.</summary>
    private static TDense Map<T, TDense>(
        TDense source, T scalar, ref TDense? destination, SpanMap<T> kernel, string operation, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDense : class, IDenseOperand<TDense, T>
    {
        ArgumentNullException.ThrowIfNull(source, name);
        ThrowHelper.RequireNotAliased(destination, source, operation, name);
        var result = Ensure<T, TDense>(ref destination, source.Rows, source.Cols);
        kernel(source.Data, scalar, result.Data);
        return result;
    }

    /// <summary>The element-wise function <paramref name="kernel"/> of two same-shape operands, into the destination.</summary>
    private static TDense Zip<T, TDense>(
        TDense left, TDense right, ref TDense? destination, SpanZip<T> kernel, in Operands names)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDense : class, IDenseOperand<TDense, T>
    {
        ArgumentNullException.ThrowIfNull(left, names.Left);
        ArgumentNullException.ThrowIfNull(right, names.Right);
        ThrowHelper.RequireSameShape(left.Rows, left.Cols, right.Rows, right.Cols, names.Operation, names.LeftLabel,
            names.RightLabel);
        RequireNotAliased(destination, left, right, names);
        var result = Ensure<T, TDense>(ref destination, left.Rows, left.Cols);
        kernel(left.Data, right.Data, result.Data);
        return result;
    }

    /// <summary>target += scale · value in place (a plain sum when the scale is 1: the same result, one pass less).</summary>
    private static void AddScaled<T, TDense>(TDense target, T scale, TDense value, string operation, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDense : class, IDenseOperand<TDense, T>
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(value);
        ThrowHelper.RequireSameShape(target.Rows, target.Cols, value.Rows, value.Cols, operation, nameof(target),
            nameof(value));
        if (!accumulate)
        {
            // Overwrite: target = scale · value (a gradient buffer's first contribution, no zeroing needed).
            TensorPrimitives.Multiply<T>(value.Data, scale, target.Data);
        }
        else if (scale == T.One)
        {
            TensorPrimitives.Add<T>(target.Data, value.Data, target.Data);
        }
        else
        {
            TensorPrimitives.MultiplyAdd<T>(value.Data, scale, target.Data, target.Data);
        }
    }

    /// <summary>The destination is neither operand.</summary>
    private static void RequireNotAliased(object? destination, object left, object right, in Operands names)
    {
        ThrowHelper.RequireNotAliased(destination, left, names.Operation, names.Left);
        ThrowHelper.RequireNotAliased(destination, right, names.Operation, names.Right);
    }
}
