using System;
using System.Numerics;
using AutoGradGen.Compute;

namespace AutoGradGen;

/// <summary>Element and slice reads and concatenation (see <see cref="Slicing"/> for the destination-passing forms).</summary>
public static partial class Ops
{
    /// <summary>Column j of A, A_{:,j}.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="j">Column index, 0 ≤ j &lt; n.</param>
    /// <returns>A new vector of length m.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="j"/> is outside A (the message names A's shape and j).</exception>
    public static Vector<T> Column<T>(Matrix<T> a, int j)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Slicing.Column(a, j);

    /// <summary>Row i of A, as a (column) vector: A_{i,:}ᵀ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="i">Row index, 0 ≤ i &lt; m.</param>
    /// <returns>A new vector of length n.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is outside A.</exception>
    public static Vector<T> Row<T>(Matrix<T> a, int i)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Slicing.Row(a, i);

    /// <summary>Rows start … start + count − 1 of A.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="start">The first row.</param>
    /// <param name="count">Number of rows (start + count ≤ m).</param>
    /// <returns>A new count×n matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rows do not fit in A.</exception>
    public static Matrix<T> SliceRows<T>(Matrix<T> a, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Slicing.SliceRows(a, start, count);

    /// <summary>Entries start … start + count − 1 of v.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="v">A vector of length m.</param>
    /// <param name="start">The first entry.</param>
    /// <param name="count">Number of entries (start + count ≤ m).</param>
    /// <returns>A new vector of length count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The entries do not fit in v.</exception>
    public static Vector<T> SliceRows<T>(Vector<T> v, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Slicing.SliceRows(v, start, count);

    /// <summary>Columns start … start + count − 1 of A.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="start">The first column.</param>
    /// <param name="count">Number of columns (start + count ≤ n).</param>
    /// <returns>A new m×count matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The columns do not fit in A.</exception>
    public static Matrix<T> SliceColumns<T>(Matrix<T> a, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Slicing.SliceColumns(a, start, count);

    /// <summary>[A; B]: A above B.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="b">A p×n matrix.</param>
    /// <returns>A new (m + p)×n matrix.</returns>
    /// <exception cref="ArgumentException">The column counts differ (the message names both shapes).</exception>
    public static Matrix<T> ConcatRows<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Slicing.ConcatRows(a, b);

    /// <summary>[a; b]: the entries of a followed by those of b.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A vector of length m.</param>
    /// <param name="b">A vector of length p.</param>
    /// <returns>A new vector of length m + p.</returns>
    public static Vector<T> ConcatRows<T>(Vector<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Slicing.ConcatRows(a, b);

    /// <summary>[A B]: A left of B.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <param name="b">An m×p matrix.</param>
    /// <returns>A new m×(n + p) matrix.</returns>
    /// <exception cref="ArgumentException">The row counts differ (the message names both shapes).</exception>
    public static Matrix<T> ConcatColumns<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Slicing.ConcatColumns(a, b);

    /// <summary>The diagonal of A, (a₁₁, …, a_kk) with k = min(m, n).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An m×n matrix.</param>
    /// <returns>A new vector of length min(m, n).</returns>
    public static Vector<T> Diagonal<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Slicing.Diagonal(a);

    /// <summary>Token embedding: the columns ids of E, E_{:,ids} (column k of the result is column ids[k] of E).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="e">A d×V matrix, one column per token of a vocabulary of V.</param>
    /// <param name="ids">n token ids, each 0 ≤ id &lt; V (repeats allowed).</param>
    /// <returns>A new d×n matrix, one column per id (samples in columns).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside E (the message names its position, its value and E's shape).</exception>
    public static Matrix<T> Embedding<T>(Matrix<T> e, int[] ids)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Slicing.Embedding(e, ids);
}
