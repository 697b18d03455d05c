using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Compute;

namespace AutoGradGen;

/// <content>Scalars of matrices and vectors: trace, determinants, inner products, sums, norms.</content>
public static partial class Ops
{
    /// <summary>Tr A, the sum of the diagonal (0 for a 0×0 matrix).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A square matrix.</param>
    /// <returns>Σ aᵢᵢ.</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square.</exception>
    public static T Trace<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ThrowHelper.RequireSquare(a, "Trace");
        T sum = T.Zero;
        for (int i = 0; i < a.Rows; i++)
        {
            sum += a.Data[(i * a.Cols) + i];
        }

        return sum;
    }

    /// <summary>det A, by LU with partial pivoting: 0 for a singular matrix (no exception), 1 for 0×0.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A square matrix.</param>
    /// <returns>The determinant (may overflow to ±∞ for large matrices: use <see cref="LogDet{T}(Matrix{T})"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square.</exception>
    public static T Det<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Factorization.Det(a);

    /// <summary>log |det A|, by LU with partial pivoting: fine for negative determinants; −∞ for a singular matrix.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A square matrix.</param>
    /// <returns>Σ log |uᵢᵢ| (0 for 0×0).</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square.</exception>
    public static T LogDet<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Factorization.LogDet(a);

    /// <summary>The inner product xᵀy.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="y">A vector of the same length.</param>
    /// <returns>Σ xᵢ yᵢ (0 when empty).</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static T Dot<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ThrowHelper.RequireSameLength(x, y, "Dot");
        return TensorPrimitives.Dot<T>(x.Data, y.Data);
    }

    /// <summary>The Frobenius inner product ⟨A, B⟩ = Tr(AᵀB) = Σ aᵢⱼ bᵢⱼ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="b">A matrix of the same shape.</param>
    /// <returns>Σ aᵢⱼ bᵢⱼ (0 when empty).</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static T Dot<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ThrowHelper.RequireSameShape(a, b, "Dot");
        return TensorPrimitives.Dot<T>(a.Data, b.Data);
    }

    /// <summary>The sum of all elements (0 when empty).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>Σ aᵢⱼ.</returns>
    public static T Sum<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        return TensorPrimitives.Sum<T>(a.Data);
    }

    /// <summary>The sum of all elements (0 when empty).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>Σ xᵢ.</returns>
    public static T Sum<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        return TensorPrimitives.Sum<T>(x.Data);
    }

    /// <summary>The mean of all elements; NaN when empty (0 / 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>Σ aᵢⱼ / (rows · cols).</returns>
    public static T Mean<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        return TensorPrimitives.Sum<T>(a.Data) / T.CreateChecked(a.Data.Length);
    }

    /// <summary>The mean of all elements; NaN when empty (0 / 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>Σ xᵢ / n.</returns>
    public static T Mean<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        return TensorPrimitives.Sum<T>(x.Data) / T.CreateChecked(x.Data.Length);
    }

    /// <summary>The squared Frobenius norm ‖A‖²_F = Σ aᵢⱼ² (0 when empty).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>Σ aᵢⱼ².</returns>
    public static T SquaredNorm<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        return TensorPrimitives.SumOfSquares<T>(a.Data);
    }

    /// <summary>The squared Euclidean norm ‖x‖² = xᵀx (0 when empty).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>Σ xᵢ².</returns>
    public static T SquaredNorm<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        return TensorPrimitives.SumOfSquares<T>(x.Data);
    }

    /// <summary>log Σᵢⱼ exp(aᵢⱼ), computed as m + log Σ exp(aᵢⱼ − m) with m the largest entry (no overflow).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>The log-sum-exp of every entry: −∞ when empty; NaN if an entry is NaN; +∞ if one is +∞.</returns>
    public static T LogSumExp<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        return LogSumExp<T>(a.Data);
    }

    /// <summary>log Σᵢ exp(xᵢ), computed as m + log Σ exp(xᵢ − m) with m the largest entry (no overflow).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>The log-sum-exp of every entry: −∞ when empty; NaN if an entry is NaN; +∞ if one is +∞.</returns>
    public static T LogSumExp<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        return LogSumExp<T>(x.Data);
    }

    private static T LogSumExp<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.IsEmpty)
        {
            return T.NegativeInfinity;
        }
        T max = TensorPrimitives.Max<T>(x); // NaN if any entry is NaN
        if (!T.IsFinite(max))
        {
            return max; // NaN, +∞ (the sum is +∞) or −∞ (every entry is −∞: log 0)
        }
        T sum = T.Zero;
        foreach (T v in x)
        {
            sum += T.Exp(v - max);
        }
        return max + T.Log(sum);
    }
}
