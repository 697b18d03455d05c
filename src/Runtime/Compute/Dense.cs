using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Kernels;

namespace AutoGradGen.Compute;

/// <summary>
/// The shared plumbing of the <c>Compute</c> families: destination slots, and the validate-then-run
/// drivers that hand a matrix's or vector's storage to a span kernel of <see cref="AutoGradGen.Kernels"/>.
/// </summary>
/// <remarks>
/// Every public destination-passing method of a family validates like its allocating form
/// (null → <see cref="ArgumentNullException"/>, a shape mismatch → <see cref="ArgumentException"/> naming
/// both shapes, nothing written), then makes sure the destination has the result's shape — reused when
/// its shape already matches, replaced only when it is null or of another shape — writes the whole
/// result into it and returns it. The destination must not be an input (checked by reference).
/// The allocating forms are the same methods with a null destination: one kernel behind both.
/// </remarks>
internal static class Dense
{
    /// <summary>
    /// A binary operation's name, its operands' parameter names (null checks, aliasing messages) and whether its
    /// shape messages use those names (backward helpers: "y is 3×4 and g is …") or "left"/"right" (operators, Ops).
    /// </summary>
    internal readonly record struct Operands(string Operation, string Left = "left", string Right = "right", bool Named = true)
    {
        public string LeftLabel => Named ? Left : "left";

        public string RightLabel => Named ? Right : "right";
    }

    /// <summary>The destination, replaced by a new rows×cols matrix unless it already has that shape.</summary>
    internal static Matrix<T> Ensure<T>(ref Matrix<T>? destination, int rows, int cols)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Ensure<T, Matrix<T>>(ref destination, rows, cols);

    /// <summary>The destination, replaced by a new vector unless it already has that length.</summary>
    internal static Vector<T> Ensure<T>(ref Vector<T>? destination, int length)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Ensure<T, Vector<T>>(ref destination, length, 1);

    /// <summary>The destination, replaced by a new rows×cols operand unless it already has that shape.</summary>
    internal static TDense Ensure<T, TDense>(ref TDense? destination, int rows, int cols)
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
    internal static TDense Map<T, TDense>(
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
    internal static TDense Zip<T, TDense>(
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

    /// <summary>The element-wise function <paramref name="kernel"/> of two same-shape operands and a scalar parameter, into the destination.</summary>
    internal static TDense Zip<T, TDense>(
        TDense left, TDense right, T scalar, ref TDense? destination, SpanZipScalar<T> kernel, in Operands names)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDense : class, IDenseOperand<TDense, T>
    {
        ArgumentNullException.ThrowIfNull(left, names.Left);
        ArgumentNullException.ThrowIfNull(right, names.Right);
        ThrowHelper.RequireSameShape(left.Rows, left.Cols, right.Rows, right.Cols, names.Operation, names.LeftLabel,
            names.RightLabel);
        RequireNotAliased(destination, left, right, names);
        var result = Ensure<T, TDense>(ref destination, left.Rows, left.Cols);
        kernel(left.Data, right.Data, scalar, result.Data);
        return result;
    }

    /// <summary>A column-wise kernel of one rows×cols operand (a vector is one column), into the destination.</summary>
    internal static TDense Columnwise<T, TDense>(
        TDense source, ref TDense? destination, ColumnMap<T> kernel, string operation, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDense : class, IDenseOperand<TDense, T>
    {
        ArgumentNullException.ThrowIfNull(source, name);
        ThrowHelper.RequireNotAliased(destination, source, operation, name);
        var result = Ensure<T, TDense>(ref destination, source.Rows, source.Cols);
        kernel(source.Data, source.Rows, source.Cols, result.Data);
        return result;
    }

    /// <summary>A column-wise kernel of two same-shape operands and a scalar, into the destination.</summary>
    internal static TDense Columnwise<T, TDense>(
        TDense left, TDense right, T scalar, ref TDense? destination, ColumnZip<T> kernel, in Operands names)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDense : class, IDenseOperand<TDense, T>
    {
        ArgumentNullException.ThrowIfNull(left, names.Left);
        ArgumentNullException.ThrowIfNull(right, names.Right);
        ThrowHelper.RequireSameShape(left.Rows, left.Cols, right.Rows, right.Cols, names.Operation, names.LeftLabel,
            names.RightLabel);
        RequireNotAliased(destination, left, right, names);
        var result = Ensure<T, TDense>(ref destination, left.Rows, left.Cols);
        kernel(left.Data, right.Data, scalar, left.Rows, left.Cols, result.Data);
        return result;
    }

    /// <summary>target += scale · value in place (a plain sum when the scale is 1: the same result, one pass less).</summary>
    internal static void AddScaled<T, TDense>(TDense target, T scale, TDense value, string operation, bool accumulate = true)
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
    internal static void RequireNotAliased(object? destination, object left, object right, in Operands names)
    {
        ThrowHelper.RequireNotAliased(destination, left, names.Operation, names.Left);
        ThrowHelper.RequireNotAliased(destination, right, names.Operation, names.Right);
    }
}
