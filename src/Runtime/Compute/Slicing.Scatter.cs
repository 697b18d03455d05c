using System;
using System.Numerics;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// The adjoints of the slicing ops: the gradient Ḡ of a slice scattered into the same block of a zero matrix of
/// the sliced operand's shape (<c>Scatter…</c>, allocating and <c>ref destination</c>), or added into a gradient
/// buffer in place (<c>Scatter…AddTo</c>, with <c>accumulate: false</c> writing zeros elsewhere first), so that an
/// element or column read inside a loop costs O(slice) in the backward sweep, not O(matrix).
/// </summary>
public static partial class Slicing
{
    private static void Prepare<T>(Span<T> target, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (overwrite)
        {
            target.Clear();
        }
    }

    private static void RequireLength<T>(Vector<T> g, int length, string operation, (int Rows, int Cols) shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(g);
        if (g.Length != length)
        {
            ThrowHelper.ThrowShapeMismatch(operation, "the gradient", Text(Shape(g)), "the operand", Text(shape), "the gradient must have length " + length);
        }
    }

    // ── an element ──

    /// <summary>Ḡ at (i, j) of a zero matrix shaped like <paramref name="like"/>: the adjoint of A[i, j].</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The read matrix (only its shape is used).</param>
    /// <param name="g">The element's gradient.</param>
    /// <param name="i">Row index.</param>
    /// <param name="j">Column index.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> ScatterElement<T>(Matrix<T> like, T g, int i, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ScatterElement(like, g, i, j, ref result);
    }

    /// <summary>Ḡ at (i, j) of a zero matrix shaped like <paramref name="like"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The read matrix (only its shape is used).</param>
    /// <param name="g">The element's gradient.</param>
    /// <param name="i">Row index.</param>
    /// <param name="j">Column index.</param>
    /// <param name="destination">The result's slot (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    public static Matrix<T> ScatterElement<T>(Matrix<T> like, T g, int i, int j, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(like);
        var result = Ensure(ref destination, like.Rows, like.Cols);
        ScatterElementAddTo(result, g, i, j, accumulate: false);
        return result;
    }

    /// <summary>target[i, j] += Ḡ (with <paramref name="accumulate"/> false: target = Ḡ at (i, j), zeros elsewhere).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The gradient buffer of the read matrix.</param>
    /// <param name="g">The element's gradient.</param>
    /// <param name="i">Row index.</param>
    /// <param name="j">Column index.</param>
    /// <param name="accumulate">True: add; false: overwrite the whole buffer.</param>
    public static void ScatterElementAddTo<T>(Matrix<T> target, T g, int i, int j, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        RequireIndex(i, target.Rows, "ScatterElement", "row", Shape(target), nameof(i));
        RequireIndex(j, target.Cols, "ScatterElement", "column", Shape(target), nameof(j));
        Prepare<T>(target.Data, !accumulate);
        target.Data[(i * target.Cols) + j] += g;
    }

    /// <summary>Ḡ at i of a zero vector shaped like <paramref name="like"/>: the adjoint of v[i].</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The read vector (only its length is used).</param>
    /// <param name="g">The element's gradient.</param>
    /// <param name="i">Index.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> ScatterElement<T>(Vector<T> like, T g, int i)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return ScatterElement(like, g, i, ref result);
    }

    /// <summary>Ḡ at i of a zero vector shaped like <paramref name="like"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The read vector (only its length is used).</param>
    /// <param name="g">The element's gradient.</param>
    /// <param name="i">Index.</param>
    /// <param name="destination">The result's slot (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    public static Vector<T> ScatterElement<T>(Vector<T> like, T g, int i, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(like);
        var result = Ensure(ref destination, like.Length);
        ScatterElementAddTo(result, g, i, accumulate: false);
        return result;
    }

    /// <summary>target[i] += Ḡ (with <paramref name="accumulate"/> false: target = Ḡ at i, zeros elsewhere).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The gradient buffer of the read vector.</param>
    /// <param name="g">The element's gradient.</param>
    /// <param name="i">Index.</param>
    /// <param name="accumulate">True: add; false: overwrite the whole buffer.</param>
    public static void ScatterElementAddTo<T>(Vector<T> target, T g, int i, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        RequireIndex(i, target.Length, "ScatterElement", "row", Shape(target), nameof(i));
        Prepare<T>(target.Data, !accumulate);
        target.Data[i] += g;
    }

    // ── lines ──

    /// <summary>Ḡ in column j of a zero matrix shaped like <paramref name="like"/>: the adjoint of Column(A, j).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The read matrix (only its shape is used).</param>
    /// <param name="g">The column's gradient, of length Rows.</param>
    /// <param name="j">Column index.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> ScatterColumn<T>(Matrix<T> like, Vector<T> g, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ScatterColumn(like, g, j, ref result);
    }

    /// <summary>Ḡ in column j of a zero matrix shaped like <paramref name="like"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The read matrix (only its shape is used).</param>
    /// <param name="g">The column's gradient, of length Rows.</param>
    /// <param name="j">Column index.</param>
    /// <param name="destination">The result's slot (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    public static Matrix<T> ScatterColumn<T>(Matrix<T> like, Vector<T> g, int j, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(like);
        RequireIndex(j, like.Cols, "ScatterColumn", "column", Shape(like), nameof(j));
        RequireLength(g, like.Rows, "ScatterColumn", Shape(like));
        var result = Ensure(ref destination, like.Rows, like.Cols);
        ScatterColumnAddTo(result, g, j, accumulate: false);
        return result;
    }

    /// <summary>Column j of target += Ḡ (with <paramref name="accumulate"/> false: zeros elsewhere).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The gradient buffer of the read matrix.</param>
    /// <param name="g">The column's gradient, of length Rows.</param>
    /// <param name="j">Column index.</param>
    /// <param name="accumulate">True: add; false: overwrite the whole buffer.</param>
    public static void ScatterColumnAddTo<T>(Matrix<T> target, Vector<T> g, int j, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        RequireIndex(j, target.Cols, "ScatterColumn", "column", Shape(target), nameof(j));
        RequireLength(g, target.Rows, "ScatterColumn", Shape(target));
        Prepare<T>(target.Data, !accumulate);
        SliceKernels.Scatter<T>(g.Data, target.Data, j, target.Cols, add: true);
    }

    /// <summary>Ḡᵀ in row i of a zero matrix shaped like <paramref name="like"/>: the adjoint of Row(A, i).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The read matrix (only its shape is used).</param>
    /// <param name="g">The row's gradient, of length Cols.</param>
    /// <param name="i">Row index.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> ScatterRow<T>(Matrix<T> like, Vector<T> g, int i)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ScatterRow(like, g, i, ref result);
    }

    /// <summary>Ḡᵀ in row i of a zero matrix shaped like <paramref name="like"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The read matrix (only its shape is used).</param>
    /// <param name="g">The row's gradient, of length Cols.</param>
    /// <param name="i">Row index.</param>
    /// <param name="destination">The result's slot (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    public static Matrix<T> ScatterRow<T>(Matrix<T> like, Vector<T> g, int i, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(like);
        RequireIndex(i, like.Rows, "ScatterRow", "row", Shape(like), nameof(i));
        RequireLength(g, like.Cols, "ScatterRow", Shape(like));
        var result = Ensure(ref destination, like.Rows, like.Cols);
        ScatterRowAddTo(result, g, i, accumulate: false);
        return result;
    }

    /// <summary>Row i of target += Ḡᵀ (with <paramref name="accumulate"/> false: zeros elsewhere).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The gradient buffer of the read matrix.</param>
    /// <param name="g">The row's gradient, of length Cols.</param>
    /// <param name="i">Row index.</param>
    /// <param name="accumulate">True: add; false: overwrite the whole buffer.</param>
    public static void ScatterRowAddTo<T>(Matrix<T> target, Vector<T> g, int i, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        RequireIndex(i, target.Rows, "ScatterRow", "row", Shape(target), nameof(i));
        RequireLength(g, target.Cols, "ScatterRow", Shape(target));
        Prepare<T>(target.Data, !accumulate);
        SliceKernels.Scatter<T>(g.Data, target.Data, i * target.Cols, 1, add: true);
    }

    /// <summary>Ḡ on the diagonal of a zero matrix shaped like <paramref name="like"/>: the adjoint of Diagonal(A).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The read matrix (only its shape is used).</param>
    /// <param name="g">The diagonal's gradient, of length min(Rows, Cols).</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> ScatterDiagonal<T>(Matrix<T> like, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ScatterDiagonal(like, g, ref result);
    }

    /// <summary>Ḡ on the diagonal of a zero matrix shaped like <paramref name="like"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The read matrix (only its shape is used).</param>
    /// <param name="g">The diagonal's gradient, of length min(Rows, Cols).</param>
    /// <param name="destination">The result's slot (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    public static Matrix<T> ScatterDiagonal<T>(Matrix<T> like, Vector<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(like);
        RequireLength(g, Math.Min(like.Rows, like.Cols), "ScatterDiagonal", Shape(like));
        var result = Ensure(ref destination, like.Rows, like.Cols);
        ScatterDiagonalAddTo(result, g, accumulate: false);
        return result;
    }

    /// <summary>The diagonal of target += Ḡ (with <paramref name="accumulate"/> false: zeros elsewhere).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The gradient buffer of the read matrix.</param>
    /// <param name="g">The diagonal's gradient, of length min(Rows, Cols).</param>
    /// <param name="accumulate">True: add; false: overwrite the whole buffer.</param>
    public static void ScatterDiagonalAddTo<T>(Matrix<T> target, Vector<T> g, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        RequireLength(g, Math.Min(target.Rows, target.Cols), "ScatterDiagonal", Shape(target));
        Prepare<T>(target.Data, !accumulate);
        SliceKernels.Scatter<T>(g.Data, target.Data, 0, target.Cols + 1, add: true);
    }
}
