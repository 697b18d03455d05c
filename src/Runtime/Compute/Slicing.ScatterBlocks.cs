using System;
using System.Numerics;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>The adjoints of SliceRows and SliceColumns: Ḡ scattered into (or added to) a block of rows or columns.</summary>
public static partial class Slicing
{
    private static void RequireBlock<T>(int start, int count, int size, int gOther, int other, Matrix<T> g, string operation, string what, (int Rows, int Cols) shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gOther != other)
        {
            ThrowHelper.ThrowShapeMismatch(operation, "the gradient", Text(Shape(g)), "the operand", Text(shape),
                "the gradient must have " + other + (what == "row" ? " columns" : " rows"));
        }
        RequireRange(start, count, size, operation, what, shape);
    }

    /// <summary>Ḡ in rows start … start + Ḡ.Rows − 1 of a zero matrix shaped like <paramref name="like"/>: the adjoint of SliceRows.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The sliced matrix (only its shape is used).</param>
    /// <param name="g">The slice's gradient, count×Cols.</param>
    /// <param name="start">The first row.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> ScatterRows<T>(Matrix<T> like, Matrix<T> g, int start)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ScatterRows(like, g, start, ref result);
    }

    /// <summary>Ḡ in rows start … of a zero matrix shaped like <paramref name="like"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The sliced matrix (only its shape is used).</param>
    /// <param name="g">The slice's gradient, count×Cols.</param>
    /// <param name="start">The first row.</param>
    /// <param name="destination">The result's slot (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    public static Matrix<T> ScatterRows<T>(Matrix<T> like, Matrix<T> g, int start, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(like);
        ArgumentNullException.ThrowIfNull(g);
        RequireBlock(start, g.Rows, like.Rows, g.Cols, like.Cols, g, "ScatterRows", "row", Shape(like));
        ThrowHelper.RequireNotAliased(destination, g, "ScatterRows", nameof(g));
        var result = Ensure(ref destination, like.Rows, like.Cols);
        ScatterRowsAddTo(result, g, start, accumulate: false);
        return result;
    }

    /// <summary>Rows start … of target += Ḡ (with <paramref name="accumulate"/> false: zeros elsewhere).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The gradient buffer of the sliced matrix.</param>
    /// <param name="g">The slice's gradient, count×Cols.</param>
    /// <param name="start">The first row.</param>
    /// <param name="accumulate">True: add; false: overwrite the whole buffer.</param>
    public static void ScatterRowsAddTo<T>(Matrix<T> target, Matrix<T> g, int start, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(g);
        RequireBlock(start, g.Rows, target.Rows, g.Cols, target.Cols, g, "ScatterRows", "row", Shape(target));
        ThrowHelper.RequireNotAliased(target, g, "ScatterRowsAddTo", nameof(g));
        Prepare<T>(target.Data, !accumulate);
        SliceKernels.Block<T>(g.Data, g.Cols, 0, 0, target.Data, target.Cols, start, 0, g.Rows, g.Cols, add: true);
    }

    /// <summary>Ḡ in entries start … of a zero vector shaped like <paramref name="like"/>: the adjoint of SliceRows of a vector.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The sliced vector (only its length is used).</param>
    /// <param name="g">The slice's gradient.</param>
    /// <param name="start">The first entry.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> ScatterRows<T>(Vector<T> like, Vector<T> g, int start)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return ScatterRows(like, g, start, ref result);
    }

    /// <summary>Ḡ in entries start … of a zero vector shaped like <paramref name="like"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The sliced vector (only its length is used).</param>
    /// <param name="g">The slice's gradient.</param>
    /// <param name="start">The first entry.</param>
    /// <param name="destination">The result's slot (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    public static Vector<T> ScatterRows<T>(Vector<T> like, Vector<T> g, int start, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(like);
        ArgumentNullException.ThrowIfNull(g);
        RequireRange(start, g.Length, like.Length, "ScatterRows", "row", Shape(like));
        ThrowHelper.RequireNotAliased(destination, g, "ScatterRows", nameof(g));
        var result = Ensure(ref destination, like.Length);
        ScatterRowsAddTo(result, g, start, accumulate: false);
        return result;
    }

    /// <summary>Entries start … of target += Ḡ (with <paramref name="accumulate"/> false: zeros elsewhere).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The gradient buffer of the sliced vector.</param>
    /// <param name="g">The slice's gradient.</param>
    /// <param name="start">The first entry.</param>
    /// <param name="accumulate">True: add; false: overwrite the whole buffer.</param>
    public static void ScatterRowsAddTo<T>(Vector<T> target, Vector<T> g, int start, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(g);
        RequireRange(start, g.Length, target.Length, "ScatterRows", "row", Shape(target));
        ThrowHelper.RequireNotAliased(target, g, "ScatterRowsAddTo", nameof(g));
        Prepare<T>(target.Data, !accumulate);
        SliceKernels.Scatter<T>(g.Data, target.Data, start, 1, add: true);
    }

    /// <summary>Ḡ in columns start … start + Ḡ.Cols − 1 of a zero matrix shaped like <paramref name="like"/>: the adjoint of SliceColumns.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The sliced matrix (only its shape is used).</param>
    /// <param name="g">The slice's gradient, Rows×count.</param>
    /// <param name="start">The first column.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> ScatterColumns<T>(Matrix<T> like, Matrix<T> g, int start)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ScatterColumns(like, g, start, ref result);
    }

    /// <summary>Ḡ in columns start … of a zero matrix shaped like <paramref name="like"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The sliced matrix (only its shape is used).</param>
    /// <param name="g">The slice's gradient, Rows×count.</param>
    /// <param name="start">The first column.</param>
    /// <param name="destination">The result's slot (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    public static Matrix<T> ScatterColumns<T>(Matrix<T> like, Matrix<T> g, int start, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(like);
        ArgumentNullException.ThrowIfNull(g);
        RequireBlock(start, g.Cols, like.Cols, g.Rows, like.Rows, g, "ScatterColumns", "column", Shape(like));
        ThrowHelper.RequireNotAliased(destination, g, "ScatterColumns", nameof(g));
        var result = Ensure(ref destination, like.Rows, like.Cols);
        ScatterColumnsAddTo(result, g, start, accumulate: false);
        return result;
    }

    /// <summary>Columns start … of target += Ḡ (with <paramref name="accumulate"/> false: zeros elsewhere).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The gradient buffer of the sliced matrix.</param>
    /// <param name="g">The slice's gradient, Rows×count.</param>
    /// <param name="start">The first column.</param>
    /// <param name="accumulate">True: add; false: overwrite the whole buffer.</param>
    public static void ScatterColumnsAddTo<T>(Matrix<T> target, Matrix<T> g, int start, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(g);
        RequireBlock(start, g.Cols, target.Cols, g.Rows, target.Rows, g, "ScatterColumns", "column", Shape(target));
        ThrowHelper.RequireNotAliased(target, g, "ScatterColumnsAddTo", nameof(g));
        Prepare<T>(target.Data, !accumulate);
        SliceKernels.Block<T>(g.Data, g.Cols, 0, 0, target.Data, target.Cols, 0, start, g.Rows, g.Cols, add: true);
    }
}
