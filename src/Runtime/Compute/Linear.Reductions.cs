using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Compute;

/// <summary>
/// The reductions of a matrix to a vector (row and column sums and means) and their transposes, which spread
/// a vector over the columns (x𝟙ᵀ) or the rows (𝟙xᵀ) of a matrix (see <see cref="Linear"/>).
/// A mean over nothing (a matrix with no columns, or no rows) is NaN, as <see cref="Ops.Mean{T}(Matrix{T})"/> is.
/// </summary>
public static partial class Linear
{
    /// <summary>A𝟙, the sums of the rows (element i = Σⱼ aᵢⱼ; zeros when A has no columns).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new vector of length Rows.</returns>
    public static Vector<T> RowSums<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return RowSums(a, ref result);
    }

    /// <summary>A𝟙, the sums of the rows (element i = Σⱼ aᵢⱼ; zeros when A has no columns), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot, of length Rows (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    public static Vector<T> RowSums<T>(Matrix<T> a, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        var result = Ensure(ref destination, a.Rows);
        for (int i = 0; i < a.Rows; i++)
        {
            result.Data[i] = TensorPrimitives.Sum<T>(a.Row(i));
        }
        return result;
    }

    /// <summary>A𝟙/cols, the means of the rows.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new vector of length Rows.</returns>
    public static Vector<T> RowMeans<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return RowMeans(a, ref result);
    }

    /// <summary>A𝟙/cols, the means of the rows, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot, of length Rows (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    public static Vector<T> RowMeans<T>(Matrix<T> a, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        var result = Ensure(ref destination, a.Rows);
        T n = T.CreateChecked(a.Cols);
        for (int i = 0; i < a.Rows; i++)
        {
            result.Data[i] = TensorPrimitives.Sum<T>(a.Row(i)) / n;
        }
        return result;
    }

    /// <summary>Aᵀ𝟙, the sums of the columns (element j = Σᵢ aᵢⱼ; zeros when A has no rows).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new vector of length Cols.</returns>
    public static Vector<T> ColumnSums<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return ColumnSums(a, ref result);
    }

    /// <summary>Aᵀ𝟙, the sums of the columns (element j = Σᵢ aᵢⱼ; zeros when A has no rows), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot, of length Cols (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    public static Vector<T> ColumnSums<T>(Matrix<T> a, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        var result = Ensure(ref destination, a.Cols);
        Span<T> sums = result.Data;
        sums.Clear();
        for (int i = 0; i < a.Rows; i++)
        {
            TensorPrimitives.Add(sums, a.Row(i), sums);
        }
        return result;
    }

    /// <summary>Aᵀ𝟙/rows, the means of the columns.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new vector of length Cols.</returns>
    public static Vector<T> ColumnMeans<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return ColumnMeans(a, ref result);
    }

    /// <summary>Aᵀ𝟙/rows, the means of the columns, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot, of length Cols (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    public static Vector<T> ColumnMeans<T>(Matrix<T> a, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        var result = Ensure(ref destination, a.Cols);
        Span<T> sums = result.Data;
        sums.Clear();
        for (int i = 0; i < a.Rows; i++)
        {
            TensorPrimitives.Add(sums, a.Row(i), sums);
        }
        TensorPrimitives.Divide(sums, T.CreateChecked(a.Rows), sums);
        return result;
    }

    /// <summary>x𝟙ᵀ: x copied into every column (the transpose of RowSums).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The matrix whose shape the result takes (its values are not read).</param>
    /// <param name="x">A vector of length rows of <paramref name="like"/>.</param>
    /// <returns>A new matrix of <paramref name="like"/>'s shape.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="x"/> is not the rows of <paramref name="like"/>.</exception>
    public static Matrix<T> SpreadColumns<T>(Matrix<T> like, Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SpreadColumns(like, x, ref result);
    }

    /// <summary>x𝟙ᵀ: x copied into every column (the transpose of RowSums), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The matrix whose shape the result takes (its values are not read).</param>
    /// <param name="x">A vector of length rows of <paramref name="like"/>.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); may be <paramref name="like"/>.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="x"/> is not the rows of <paramref name="like"/>.</exception>
    public static Matrix<T> SpreadColumns<T>(Matrix<T> like, Vector<T> x, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Spread(like, x, overColumns: true, mean: false, ref destination, nameof(SpreadColumns));

    /// <summary>x𝟙ᵀ/cols (the transpose of RowMeans).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The matrix whose shape the result takes (its values are not read).</param>
    /// <param name="x">A vector of length rows of <paramref name="like"/>.</param>
    /// <returns>A new matrix of <paramref name="like"/>'s shape.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="x"/> is not the rows of <paramref name="like"/>.</exception>
    public static Matrix<T> SpreadColumnsMean<T>(Matrix<T> like, Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SpreadColumnsMean(like, x, ref result);
    }

    /// <summary>x𝟙ᵀ/cols (the transpose of RowMeans), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The matrix whose shape the result takes (its values are not read).</param>
    /// <param name="x">A vector of length rows of <paramref name="like"/>.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); may be <paramref name="like"/>.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="x"/> is not the rows of <paramref name="like"/>.</exception>
    public static Matrix<T> SpreadColumnsMean<T>(Matrix<T> like, Vector<T> x, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Spread(like, x, overColumns: true, mean: true, ref destination, nameof(SpreadColumnsMean));

    /// <summary>𝟙xᵀ: x copied into every row (the transpose of ColumnSums).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The matrix whose shape the result takes (its values are not read).</param>
    /// <param name="x">A vector of length cols of <paramref name="like"/>.</param>
    /// <returns>A new matrix of <paramref name="like"/>'s shape.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="x"/> is not the cols of <paramref name="like"/>.</exception>
    public static Matrix<T> SpreadRows<T>(Matrix<T> like, Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SpreadRows(like, x, ref result);
    }

    /// <summary>𝟙xᵀ: x copied into every row (the transpose of ColumnSums), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The matrix whose shape the result takes (its values are not read).</param>
    /// <param name="x">A vector of length cols of <paramref name="like"/>.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); may be <paramref name="like"/>.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="x"/> is not the cols of <paramref name="like"/>.</exception>
    public static Matrix<T> SpreadRows<T>(Matrix<T> like, Vector<T> x, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Spread(like, x, overColumns: false, mean: false, ref destination, nameof(SpreadRows));

    /// <summary>𝟙xᵀ/rows (the transpose of ColumnMeans).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The matrix whose shape the result takes (its values are not read).</param>
    /// <param name="x">A vector of length cols of <paramref name="like"/>.</param>
    /// <returns>A new matrix of <paramref name="like"/>'s shape.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="x"/> is not the cols of <paramref name="like"/>.</exception>
    public static Matrix<T> SpreadRowsMean<T>(Matrix<T> like, Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SpreadRowsMean(like, x, ref result);
    }

    /// <summary>𝟙xᵀ/rows (the transpose of ColumnMeans), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The matrix whose shape the result takes (its values are not read).</param>
    /// <param name="x">A vector of length cols of <paramref name="like"/>.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); may be <paramref name="like"/>.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="x"/> is not the cols of <paramref name="like"/>.</exception>
    public static Matrix<T> SpreadRowsMean<T>(Matrix<T> like, Vector<T> x, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Spread(like, x, overColumns: false, mean: true, ref destination, nameof(SpreadRowsMean));

    /// <summary>
    /// x𝟙ᵀ (x into every column, over columns) or 𝟙xᵀ (x into every row), divided by the number of columns
    /// or rows for a mean's transpose: the one kernel behind the four spreads.
    /// </summary>
    private static Matrix<T> Spread<T>(Matrix<T> like, Vector<T> x, bool overColumns, bool mean, ref Matrix<T>? destination, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(like);
        ArgumentNullException.ThrowIfNull(x);
        int needed = overColumns ? like.Rows : like.Cols;
        if (x.Length != needed)
        {
            ThrowHelper.ThrowShapeMismatch(operation, "like", ThrowHelper.Shape(like.Rows, like.Cols), "x", ThrowHelper.Shape(x.Length, 1),
                overColumns ? "x must have one entry per row" : "x must have one entry per column", nameof(x));
        }
        int rows = like.Rows;
        int cols = like.Cols;
        var result = Ensure(ref destination, rows, cols);
        T n = T.CreateChecked(overColumns ? cols : rows); // a mean's count, divided by as the means divide
        for (int i = 0; i < rows; i++)
        {
            Span<T> row = result.Data.AsSpan(i * cols, cols);
            if (overColumns)
            {
                row.Fill(mean ? x.Data[i] / n : x.Data[i]);
            }
            else if (mean)
            {
                TensorPrimitives.Divide(x.Data, n, row);
            }
            else
            {
                x.Data.AsSpan().CopyTo(row);
            }
        }
        return result;
    }
}
