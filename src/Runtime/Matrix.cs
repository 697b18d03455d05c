using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGradGen;

/// <summary>
/// A dense matrix of <typeparamref name="T"/> (<see cref="float"/> or <see cref="double"/>),
/// stored row-major in one array: element (i, j) is at <c>i * Cols + j</c>.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Operators and <see cref="Ops"/> functions never modify their operands; each returns a new
/// matrix. A shape mismatch throws <see cref="ArgumentException"/> naming both shapes before
/// anything is allocated or written.
/// </remarks>
public sealed partial class Matrix<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a <paramref name="rows"/>×<paramref name="cols"/> matrix of zeros.</summary>
    /// <param name="rows">Number of rows (0 or more).</param>
    /// <param name="cols">Number of columns (0 or more).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or the element count exceeds an array's.</exception>
    public Matrix(int rows, int cols)
    {
        ThrowHelper.RequireValidShape(rows, cols);
        Rows = rows;
        Cols = cols;
        Data = rows * cols == 0 ? [] : new T[rows * cols];
    }

    /// <summary>Wraps <paramref name="data"/> (taken over, not copied). The caller guarantees the length.</summary>
    internal Matrix(int rows, int cols, T[] data)
    {
        Rows = rows;
        Cols = cols;
        Data = data;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Cols { get; }

    /// <summary>The row-major storage (length <c>Rows * Cols</c>).</summary>
    internal T[] Data { get; }

    /// <summary>Gets or sets element (<paramref name="row"/>, <paramref name="col"/>).</summary>
    /// <param name="row">Row index, 0 ≤ row &lt; <see cref="Rows"/>.</param>
    /// <param name="col">Column index, 0 ≤ col &lt; <see cref="Cols"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the matrix.</exception>
    public T this[int row, int col]
    {
        get
        {
            CheckIndex(row, col);
            return Data[(row * Cols) + col];
        }

        set
        {
            CheckIndex(row, col);
            Data[(row * Cols) + col] = value;
        }
    }

    /// <summary>The row-major elements as a span (writes change the matrix).</summary>
    /// <returns>A span of length <c>Rows * Cols</c>.</returns>
    public Span<T> AsSpan() => Data;

    /// <summary>Copies a two-dimensional array into a new matrix.</summary>
    /// <param name="values">The elements; <c>values[i, j]</c> becomes element (i, j).</param>
    /// <returns>A new matrix that shares no storage with <paramref name="values"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static Matrix<T> FromArray(T[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new Matrix<T>(values.GetLength(0), values.GetLength(1));
        SpanOf(values).CopyTo(result.Data);
        return result;
    }

    /// <summary>The <paramref name="n"/>×<paramref name="n"/> identity matrix.</summary>
    /// <param name="n">Size (0 or more).</param>
    /// <returns>A new matrix with ones on the diagonal and zeros elsewhere.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public static Matrix<T> Identity(int n)
    {
        var result = new Matrix<T>(n, n);
        for (int i = 0; i < n; i++)
        {
            result.Data[(i * n) + i] = T.One;
        }

        return result;
    }

    /// <summary>Copies the matrix into a new two-dimensional array.</summary>
    /// <returns>An array with <c>[i, j]</c> equal to element (i, j).</returns>
    public T[,] ToArray()
    {
        var result = new T[Rows, Cols];
        Data.AsSpan().CopyTo(SpanOf(result));
        return result;
    }

    /// <summary>A deep copy of the matrix.</summary>
    /// <returns>A new matrix with the same shape and elements.</returns>
    public Matrix<T> Clone() => new(Rows, Cols, (T[])Data.Clone());

    /// <summary>
    /// The shape and the elements, one row per line, columns aligned (the first 8 rows and
    /// columns of a larger matrix, then "…").
    /// </summary>
    /// <returns>For example "Matrix&lt;double&gt; 2×2" followed by "[ 1  2 ]" and "[ 3  4 ]".</returns>
    public override string ToString() => TextFormat.FormatMatrix<T>(Data, Rows, Cols);

    /// <summary>A new matrix of the same shape as <paramref name="like"/>, filled with zeros.</summary>
    internal static Matrix<T> ZerosLike(Matrix<T> like) => new(like.Rows, like.Cols);

    /// <summary>Row <paramref name="i"/> as a span.</summary>
    internal Span<T> Row(int i) => Data.AsSpan(i * Cols, Cols);

    private static Span<T> SpanOf(T[,] array) =>
        MemoryMarshal.CreateSpan(
            ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

    private void CheckIndex(int row, int col)
    {
        if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols)
        {
            ThrowHelper.ThrowIndexOutOfRange($"({row}, {col})", ThrowHelper.Shape(Rows, Cols), nameof(row));
        }
    }
}
