using System;
using System.Globalization;
using System.Numerics;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// Element and slice reads (a column, a row, a block of rows or columns, the diagonal) and concatenation, each in
/// its allocating form and its destination-passing form (<c>ref destination</c>, reused when its shape matches, so
/// that a read inside a loop allocates nothing once warmed up). Their adjoints, which scatter a gradient into the
/// right block of a zero matrix (or add it there), are in <c>Slicing.Scatter.cs</c>.
/// </summary>
/// <remarks>
/// Indices, starts and counts are validated once, here, before anything is written:
/// <see cref="ArgumentOutOfRangeException"/> naming the operand's shape and the index; concatenated operands whose
/// sizes do not fit throw <see cref="ArgumentException"/> naming both shapes. The destination must not be an input.
/// </remarks>
public static partial class Slicing
{
    // ── validation ──

    // The operand's shape is passed as its dimensions and formatted only on failure: a valid read allocates nothing.

    internal static void RequireIndex(int index, int size, string operation, string what, (int Rows, int Cols) shape, string paramName)
    {
        if ((uint)index >= (uint)size)
        {
            throw new ArgumentOutOfRangeException(paramName, index, string.Create(CultureInfo.InvariantCulture,
                $"{operation}: {what} index {index} is outside a {ThrowHelper.Shape(shape.Rows, shape.Cols)} operand (valid: 0 ≤ {what} < {size})."));
        }
    }

    internal static void RequireRange(int start, int count, int size, string operation, string what, (int Rows, int Cols) shape)
    {
        if (start < 0 || count < 0 || (long)start + count > size)
        {
            throw new ArgumentOutOfRangeException(start < 0 || count >= 0 ? nameof(start) : nameof(count), string.Create(CultureInfo.InvariantCulture,
                $"{operation}: {count} {what}s from {what} {start} do not fit in a {ThrowHelper.Shape(shape.Rows, shape.Cols)} operand (valid: start ≥ 0, count ≥ 0, start + count ≤ {size})."));
        }
    }

    private static (int Rows, int Cols) Shape<T>(Matrix<T> a) where T : unmanaged, IFloatingPointIeee754<T> => (a.Rows, a.Cols);

    private static (int Rows, int Cols) Shape<T>(Vector<T> v) where T : unmanaged, IFloatingPointIeee754<T> => (v.Length, 1);

    private static string Text((int Rows, int Cols) shape) => ThrowHelper.Shape(shape.Rows, shape.Cols);

    // ── elements ──

    /// <summary>The element A[i, j], with the index validated against A's shape.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="i">Row index.</param>
    /// <param name="j">Column index.</param>
    /// <returns>A[i, j].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside A.</exception>
    public static T Element<T>(Matrix<T> a, int i, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        RequireIndex(i, a.Rows, "A[i, j]", "row", Shape(a), nameof(i));
        RequireIndex(j, a.Cols, "A[i, j]", "column", Shape(a), nameof(j));
        return a.Data[(i * a.Cols) + j];
    }

    /// <summary>The element v[i], with the index validated against v's length.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="v">A vector.</param>
    /// <param name="i">Index.</param>
    /// <returns>v[i].</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is outside v.</exception>
    public static T Element<T>(Vector<T> v, int i)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(v);
        RequireIndex(i, v.Length, "v[i]", "row", Shape(v), nameof(i));
        return v.Data[i];
    }

    // ── lines ──

    /// <summary>Column j of A, A_{:,j}.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="j">Column index, 0 ≤ j &lt; n.</param>
    /// <returns>A new vector of length m.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="j"/> is outside A.</exception>
    public static Vector<T> Column<T>(Matrix<T> a, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Column(a, j, ref result);
    }

    /// <summary>Column j of A, A_{:,j}, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="j">Column index, 0 ≤ j &lt; n.</param>
    /// <param name="destination">The result's slot, of length m (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="j"/> is outside A.</exception>
    public static Vector<T> Column<T>(Matrix<T> a, int j, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        RequireIndex(j, a.Cols, "Column", "column", Shape(a), nameof(j));
        var result = Ensure(ref destination, a.Rows);
        SliceKernels.Gather<T>(a.Data, j, a.Cols, result.Data);
        return result;
    }

    /// <summary>Row i of A as a (column) vector, A_{i,:}ᵀ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="i">Row index, 0 ≤ i &lt; m.</param>
    /// <returns>A new vector of length n.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is outside A.</exception>
    public static Vector<T> Row<T>(Matrix<T> a, int i)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Row(a, i, ref result);
    }

    /// <summary>Row i of A as a (column) vector, A_{i,:}ᵀ, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="i">Row index, 0 ≤ i &lt; m.</param>
    /// <param name="destination">The result's slot, of length n (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is outside A.</exception>
    public static Vector<T> Row<T>(Matrix<T> a, int i, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        RequireIndex(i, a.Rows, "Row", "row", Shape(a), nameof(i));
        var result = Ensure(ref destination, a.Cols);
        a.Row(i).CopyTo(result.Data);
        return result;
    }

    /// <summary>The diagonal of A, (a₁₁, …, a_kk) with k = min(m, n).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <returns>A new vector of length min(m, n).</returns>
    public static Vector<T> Diagonal<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Diagonal(a, ref result);
    }

    /// <summary>The diagonal of A, of length min(m, n), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="destination">The result's slot, of length min(m, n) (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    public static Vector<T> Diagonal<T>(Matrix<T> a, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        var result = Ensure(ref destination, Math.Min(a.Rows, a.Cols));
        SliceKernels.Gather<T>(a.Data, 0, a.Cols + 1, result.Data);
        return result;
    }

    // ── blocks ──

    /// <summary>Rows start … start + count − 1 of A, A_{s:s+c,:}.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="start">The first row.</param>
    /// <param name="count">Number of rows (start + count ≤ m).</param>
    /// <returns>A new count×n matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rows do not fit in A.</exception>
    public static Matrix<T> SliceRows<T>(Matrix<T> a, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SliceRows(a, start, count, ref result);
    }

    /// <summary>Rows start … start + count − 1 of A, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="start">The first row.</param>
    /// <param name="count">Number of rows (start + count ≤ m).</param>
    /// <param name="destination">The result's slot, count×n (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rows do not fit in A.</exception>
    public static Matrix<T> SliceRows<T>(Matrix<T> a, int start, int count, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        RequireRange(start, count, a.Rows, "SliceRows", "row", Shape(a));
        ThrowHelper.RequireNotAliased(destination, a, "SliceRows", nameof(a));
        var result = Ensure(ref destination, count, a.Cols);
        a.Data.AsSpan(start * a.Cols, count * a.Cols).CopyTo(result.Data);
        return result;
    }

    /// <summary>Entries start … start + count − 1 of v, v_{s:s+c}.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="v">A vector of length m.</param>
    /// <param name="start">The first entry.</param>
    /// <param name="count">Number of entries (start + count ≤ m).</param>
    /// <returns>A new vector of length count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The entries do not fit in v.</exception>
    public static Vector<T> SliceRows<T>(Vector<T> v, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SliceRows(v, start, count, ref result);
    }

    /// <summary>Entries start … start + count − 1 of v, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="v">A vector of length m.</param>
    /// <param name="start">The first entry.</param>
    /// <param name="count">Number of entries (start + count ≤ m).</param>
    /// <param name="destination">The result's slot, of length count (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The entries do not fit in v.</exception>
    public static Vector<T> SliceRows<T>(Vector<T> v, int start, int count, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(v);
        RequireRange(start, count, v.Length, "SliceRows", "row", Shape(v));
        ThrowHelper.RequireNotAliased(destination, v, "SliceRows", nameof(v));
        var result = Ensure(ref destination, count);
        v.Data.AsSpan(start, count).CopyTo(result.Data);
        return result;
    }

    /// <summary>Columns start … start + count − 1 of A, A_{:,s:s+c}.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="start">The first column.</param>
    /// <param name="count">Number of columns (start + count ≤ n).</param>
    /// <returns>A new m×count matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The columns do not fit in A.</exception>
    public static Matrix<T> SliceColumns<T>(Matrix<T> a, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SliceColumns(a, start, count, ref result);
    }

    /// <summary>Columns start … start + count − 1 of A, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="start">The first column.</param>
    /// <param name="count">Number of columns (start + count ≤ n).</param>
    /// <param name="destination">The result's slot, m×count (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The columns do not fit in A.</exception>
    public static Matrix<T> SliceColumns<T>(Matrix<T> a, int start, int count, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        RequireRange(start, count, a.Cols, "SliceColumns", "column", Shape(a));
        ThrowHelper.RequireNotAliased(destination, a, "SliceColumns", nameof(a));
        var result = Ensure(ref destination, a.Rows, count);
        SliceKernels.Block<T>(a.Data, a.Cols, 0, start, result.Data, count, 0, 0, a.Rows, count, add: false);
        return result;
    }

    // ── concatenation ──

    /// <summary>[A; B]: A above B.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="b">A p×n matrix.</param>
    /// <returns>A new (m + p)×n matrix.</returns>
    /// <exception cref="ArgumentException">The column counts differ.</exception>
    public static Matrix<T> ConcatRows<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ConcatRows(a, b, ref result);
    }

    /// <summary>[A; B]: A above B, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="b">A p×n matrix.</param>
    /// <param name="destination">The result's slot, (m + p)×n (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The column counts differ.</exception>
    public static Matrix<T> ConcatRows<T>(Matrix<T> a, Matrix<T> b, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Cols != b.Cols)
        {
            ThrowHelper.ThrowShapeMismatch("ConcatRows", "A", Text(Shape(a)), "B", Text(Shape(b)), "they must have the same number of columns");
        }
        ThrowHelper.RequireNotAliased(destination, a, "ConcatRows", nameof(a));
        ThrowHelper.RequireNotAliased(destination, b, "ConcatRows", nameof(b));
        var result = Ensure(ref destination, a.Rows + b.Rows, a.Cols);
        a.Data.CopyTo(result.Data.AsSpan());
        b.Data.CopyTo(result.Data.AsSpan(a.Data.Length));
        return result;
    }

    /// <summary>[a; b]: the vector a followed by b.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A vector of length m.</param>
    /// <param name="b">A vector of length p.</param>
    /// <returns>A new vector of length m + p.</returns>
    public static Vector<T> ConcatRows<T>(Vector<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return ConcatRows(a, b, ref result);
    }

    /// <summary>[a; b]: the vector a followed by b, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A vector of length m.</param>
    /// <param name="b">A vector of length p.</param>
    /// <param name="destination">The result's slot, of length m + p (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    public static Vector<T> ConcatRows<T>(Vector<T> a, Vector<T> b, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ThrowHelper.RequireNotAliased(destination, a, "ConcatRows", nameof(a));
        ThrowHelper.RequireNotAliased(destination, b, "ConcatRows", nameof(b));
        var result = Ensure(ref destination, a.Length + b.Length);
        a.Data.CopyTo(result.Data.AsSpan());
        b.Data.CopyTo(result.Data.AsSpan(a.Length));
        return result;
    }

    /// <summary>[A B]: A left of B.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="b">An m×p matrix.</param>
    /// <returns>A new m×(n + p) matrix.</returns>
    /// <exception cref="ArgumentException">The row counts differ.</exception>
    public static Matrix<T> ConcatColumns<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ConcatColumns(a, b, ref result);
    }

    /// <summary>[A B]: A left of B, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="b">An m×p matrix.</param>
    /// <param name="destination">The result's slot, m×(n + p) (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The row counts differ.</exception>
    public static Matrix<T> ConcatColumns<T>(Matrix<T> a, Matrix<T> b, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rows != b.Rows)
        {
            ThrowHelper.ThrowShapeMismatch("ConcatColumns", "A", Text(Shape(a)), "B", Text(Shape(b)), "they must have the same number of rows");
        }
        ThrowHelper.RequireNotAliased(destination, a, "ConcatColumns", nameof(a));
        ThrowHelper.RequireNotAliased(destination, b, "ConcatColumns", nameof(b));
        int cols = a.Cols + b.Cols;
        var result = Ensure(ref destination, a.Rows, cols);
        SliceKernels.Block<T>(a.Data, a.Cols, 0, 0, result.Data, cols, 0, 0, a.Rows, a.Cols, add: false);
        SliceKernels.Block<T>(b.Data, b.Cols, 0, 0, result.Data, cols, 0, a.Cols, a.Rows, b.Cols, add: false);
        return result;
    }
}
