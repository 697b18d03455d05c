using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen;

/// <content>Arithmetic operators: scalar scaling, sums, differences, negation.</content>
public sealed partial class Vector<T>
{
    /// <summary>Every element multiplied by <paramref name="scalar"/>.</summary>
    /// <param name="scalar">The factor.</param>
    /// <param name="vector">The vector.</param>
    /// <returns>A new vector s·v.</returns>
    public static Vector<T> operator *(T scalar, Vector<T> vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var result = ZerosLike(vector);
        TensorPrimitives.Multiply<T>(vector.Data, scalar, result.Data);
        return result;
    }

    /// <summary>Every element multiplied by <paramref name="scalar"/>.</summary>
    /// <param name="vector">The vector.</param>
    /// <param name="scalar">The factor.</param>
    /// <returns>A new vector v·s.</returns>
    public static Vector<T> operator *(Vector<T> vector, T scalar) => scalar * vector;

    /// <summary>Every element divided by <paramref name="scalar"/> (IEEE rules for a zero divisor).</summary>
    /// <param name="vector">The vector.</param>
    /// <param name="scalar">The divisor.</param>
    /// <returns>A new vector v / s.</returns>
    public static Vector<T> operator /(Vector<T> vector, T scalar)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var result = ZerosLike(vector);
        TensorPrimitives.Divide<T>(vector.Data, scalar, result.Data);
        return result;
    }

    /// <summary>The element-wise sum.</summary>
    /// <param name="left">A vector.</param>
    /// <param name="right">A vector of the same length.</param>
    /// <returns>A new vector x + y.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> operator +(Vector<T> left, Vector<T> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ThrowHelper.RequireSameLength(left, right, "Vector sum");
        var result = ZerosLike(left);
        TensorPrimitives.Add<T>(left.Data, right.Data, result.Data);
        return result;
    }

    /// <summary>The element-wise difference.</summary>
    /// <param name="left">A vector.</param>
    /// <param name="right">A vector of the same length.</param>
    /// <returns>A new vector x − y.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> operator -(Vector<T> left, Vector<T> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ThrowHelper.RequireSameLength(left, right, "Vector difference");
        var result = ZerosLike(left);
        TensorPrimitives.Subtract<T>(left.Data, right.Data, result.Data);
        return result;
    }

    /// <summary>Every element negated.</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>A new vector −v.</returns>
    public static Vector<T> operator -(Vector<T> vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var result = ZerosLike(vector);
        TensorPrimitives.Negate<T>(vector.Data, result.Data);
        return result;
    }
}
