using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <content>
/// Constant fills and broadcast reductions (<see cref="Broadcast"/>) into a destination, and accumulation
/// into caller-owned gradient buffers: target += value, target += s·value, target = 0.
/// </content>
public static partial class Into
{
    /// <summary>Every element equal to <paramref name="value"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="rows">Number of rows (0 or more).</param>
    /// <param name="cols">Number of columns (0 or more).</param>
    /// <param name="value">The fill value.</param>
    /// <param name="destination">The result's slot (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public static Matrix<T> Filled<T>(int rows, int cols, T value, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Ensure(ref destination, rows, cols);
        result.Data.AsSpan().Fill(value);
        return result;
    }

    /// <summary>Every element equal to <paramref name="value"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="length">Number of elements (0 or more).</param>
    /// <param name="value">The fill value.</param>
    /// <param name="destination">The result's slot (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static Vector<T> Filled<T>(int length, T value, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Ensure(ref destination, length);
        result.Data.AsSpan().Fill(value);
        return result;
    }

    /// <summary>
    /// m · 1, the row sums (the adjoint of b in A + b 1ᵀ), into <paramref name="destination"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="m">An r×c matrix.</param>
    /// <param name="destination">The result's slot, length r (reused when its length matches).</param>
    /// <returns>The destination, with element i = Σⱼ mᵢⱼ (zeros when c = 0).</returns>
    public static Vector<T> SumColumns<T>(Matrix<T> m, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(m);
        var result = Ensure(ref destination, m.Rows);
        for (int i = 0; i < m.Rows; i++)
        {
            result.Data[i] = TensorPrimitives.Sum<T>(m.Row(i));
        }

        return result;
    }

    /// <summary>c · I, the n×n identity scaled by <paramref name="value"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="n">Size (0 or more).</param>
    /// <param name="value">The diagonal value c.</param>
    /// <param name="destination">The result's slot (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public static Matrix<T> ScaledIdentity<T>(int n, T value, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Ensure(ref destination, n, n);
        result.Data.AsSpan().Clear();
        for (int i = 0; i < n; i++)
        {
            result.Data[(i * n) + i] = value;
        }

        return result;
    }

    /// <summary>target += value, element by element, in place.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The accumulator, updated in place.</param>
    /// <param name="value">What is added, of the same shape (may be <paramref name="target"/> itself).</param>
    /// <param name="accumulate">True (the default) adds to <paramref name="target"/>; false overwrites it (no zeroing needed first).</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static void AddTo<T>(Matrix<T> target, Matrix<T> value, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddScaled(target, T.One, value, "AddTo", accumulate);

    /// <summary>target += value, element by element, in place.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The accumulator, updated in place.</param>
    /// <param name="value">What is added, of the same length (may be <paramref name="target"/> itself).</param>
    /// <param name="accumulate">True (the default) adds to <paramref name="target"/>; false overwrites it (no zeroing needed first).</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void AddTo<T>(Vector<T> target, Vector<T> value, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddScaled(target, T.One, value, "AddTo", accumulate);

    /// <summary>target += scale · value (rounded as target + (scale · value)), in place.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The accumulator, updated in place.</param>
    /// <param name="scale">The factor s.</param>
    /// <param name="value">What is added, of the same shape (may be <paramref name="target"/> itself).</param>
    /// <param name="accumulate">True (the default) adds to <paramref name="target"/>; false overwrites it (no zeroing needed first).</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static void AddScaledTo<T>(Matrix<T> target, T scale, Matrix<T> value, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddScaled(target, scale, value, "AddScaledTo", accumulate);

    /// <summary>target += scale · value (rounded as target + (scale · value)), in place.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The accumulator, updated in place.</param>
    /// <param name="scale">The factor s.</param>
    /// <param name="value">What is added, of the same length (may be <paramref name="target"/> itself).</param>
    /// <param name="accumulate">True (the default) adds to <paramref name="target"/>; false overwrites it (no zeroing needed first).</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void AddScaledTo<T>(Vector<T> target, T scale, Vector<T> value, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddScaled(target, scale, value, "AddScaledTo", accumulate);

    /// <summary>Sets every element to zero (resets a gradient buffer).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The matrix to clear.</param>
    public static void Zero<T>(Matrix<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Data.AsSpan().Clear();
    }

    /// <summary>Sets every element to zero (resets a gradient buffer).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The vector to clear.</param>
    public static void Zero<T>(Vector<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Data.AsSpan().Clear();
    }
}
