using System.Numerics;
using AutoGradGen.Compute;

namespace AutoGradGen;

/// <content>Reductions of a matrix to a vector: the sums and means of its rows and of its columns.</content>
public static partial class Ops
{
    /// <summary>A𝟙, the sums of the rows: element i is Σⱼ aᵢⱼ (0 when A has no columns).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An r×c matrix.</param>
    /// <returns>A new vector of length r.</returns>
    public static Vector<T> RowSums<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Linear.RowSums(a);

    /// <summary>A𝟙/c, the means of the rows: element i is Σⱼ aᵢⱼ / c (NaN when A has no columns).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An r×c matrix.</param>
    /// <returns>A new vector of length r.</returns>
    public static Vector<T> RowMeans<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Linear.RowMeans(a);

    /// <summary>Aᵀ𝟙, the sums of the columns: element j is Σᵢ aᵢⱼ (0 when A has no rows).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An r×c matrix.</param>
    /// <returns>A new vector of length c.</returns>
    public static Vector<T> ColumnSums<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Linear.ColumnSums(a);

    /// <summary>Aᵀ𝟙/r, the means of the columns: element j is Σᵢ aᵢⱼ / r (NaN when A has no rows).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">An r×c matrix.</param>
    /// <returns>A new vector of length c.</returns>
    public static Vector<T> ColumnMeans<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Linear.ColumnMeans(a);
}
