using System;
using System.Numerics;
using System.Numerics.Tensors;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// Products with a diagonal matrix that is never formed (see <see cref="Products"/>): diag(d) M scales the rows of M,
/// M diag(d) its columns, one vectorized pass per row.
/// </summary>
public static partial class Products
{
    /// <summary>diag(d) M: row i of M scaled by dᵢ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="d">The diagonal, one entry per row of <paramref name="m"/>.</param>
    /// <param name="m">An r×c matrix.</param>
    /// <returns>A new r×c matrix.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="d"/> is not the row count of <paramref name="m"/>.</exception>
    public static Matrix<T> ScaleRows<T>(Vector<T> d, Matrix<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ScaleRows(d, m, ref result);
    }

    /// <summary>diag(d) M: row i of M scaled by dᵢ, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="d">The diagonal, one entry per row of <paramref name="m"/>.</param>
    /// <param name="m">An r×c matrix.</param>
    /// <param name="destination">The r×c result's slot (reused when its shape matches); not <paramref name="m"/>.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="d"/> is not the row count of <paramref name="m"/>, or the destination is <paramref name="m"/>.
    /// </exception>
    public static Matrix<T> ScaleRows<T>(Vector<T> d, Matrix<T> m, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(m);
        if (d.Length != m.Rows)
        {
            ThrowHelper.ThrowShapeMismatch("ScaleRows", nameof(d), ThrowHelper.Shape(d), nameof(m), ThrowHelper.Shape(m),
                "d needs one entry per row of m", nameof(d));
        }

        ThrowHelper.RequireNotAliased(destination, m, "ScaleRows", nameof(m));
        var result = Ensure(ref destination, m.Rows, m.Cols);
        for (int i = 0; i < m.Rows; i++)
        {
            TensorPrimitives.Multiply<T>(m.Row(i), d.Data[i], result.Row(i));
        }

        return result;
    }

    /// <summary>M diag(d): column j of M scaled by dⱼ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="m">An r×c matrix.</param>
    /// <param name="d">The diagonal, one entry per column of <paramref name="m"/>.</param>
    /// <returns>A new r×c matrix.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="d"/> is not the column count of <paramref name="m"/>.</exception>
    public static Matrix<T> ScaleColumns<T>(Matrix<T> m, Vector<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ScaleColumns(m, d, ref result);
    }

    /// <summary>M diag(d): column j of M scaled by dⱼ, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="m">An r×c matrix.</param>
    /// <param name="d">The diagonal, one entry per column of <paramref name="m"/>.</param>
    /// <param name="destination">The r×c result's slot (reused when its shape matches); not <paramref name="m"/>.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="d"/> is not the column count of <paramref name="m"/>, or the destination is <paramref name="m"/>.
    /// </exception>
    public static Matrix<T> ScaleColumns<T>(Matrix<T> m, Vector<T> d, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(d);
        if (d.Length != m.Cols)
        {
            ThrowHelper.ThrowShapeMismatch("ScaleColumns", nameof(m), ThrowHelper.Shape(m), nameof(d), ThrowHelper.Shape(d),
                "d needs one entry per column of m", nameof(d));
        }

        ThrowHelper.RequireNotAliased(destination, m, "ScaleColumns", nameof(m));
        var result = Ensure(ref destination, m.Rows, m.Cols);
        for (int i = 0; i < m.Rows; i++)
        {
            TensorPrimitives.Multiply<T>(m.Row(i), d.Data, result.Row(i));
        }

        return result;
    }
}
