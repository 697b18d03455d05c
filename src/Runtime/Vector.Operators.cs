using System;
using System.Numerics;
using AutoGradGen.Compute;

namespace AutoGradGen;

/// <content>Arithmetic operators: scalar scaling, sums, differences, negation.</content>
public sealed partial class Vector<T>
{
    /// <summary>Every element multiplied by <paramref name="scalar"/>.</summary>
    /// <param name="scalar">The factor.</param>
    /// <param name="vector">The vector.</param>
    /// <returns>A new vector s·v.</returns>
    public static Vector<T> operator *(T scalar, Vector<T> vector) =>
        Linear.Scale(scalar, vector);

    /// <summary>Every element multiplied by <paramref name="scalar"/>.</summary>
    /// <param name="vector">The vector.</param>
    /// <param name="scalar">The factor.</param>
    /// <returns>A new vector v·s.</returns>
    public static Vector<T> operator *(Vector<T> vector, T scalar) => scalar * vector;

    /// <summary>Every element divided by <paramref name="scalar"/> (IEEE rules for a zero divisor).</summary>
    /// <param name="vector">The vector.</param>
    /// <param name="scalar">The divisor.</param>
    /// <returns>A new vector v / s.</returns>
    public static Vector<T> operator /(Vector<T> vector, T scalar) =>
        Linear.Divide(vector, scalar);

    /// <summary>The element-wise sum.</summary>
    /// <param name="left">A vector.</param>
    /// <param name="right">A vector of the same length.</param>
    /// <returns>A new vector x + y.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> operator +(Vector<T> left, Vector<T> right) =>
        Linear.Add(left, right);

    /// <summary>The element-wise difference.</summary>
    /// <param name="left">A vector.</param>
    /// <param name="right">A vector of the same length.</param>
    /// <returns>A new vector x − y.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> operator -(Vector<T> left, Vector<T> right) =>
        Linear.Subtract(left, right);

    /// <summary>Every element negated.</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>A new vector −v.</returns>
    public static Vector<T> operator -(Vector<T> vector) =>
        Linear.Negate(vector);

    /// <summary><paramref name="scalar"/> added to every element: v + s.</summary>
    /// <param name="vector">The vector.</param>
    /// <param name="scalar">The scalar s.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> operator +(Vector<T> vector, T scalar) =>
        Linear.AddScalar(vector, scalar);

    /// <summary><paramref name="scalar"/> added to every element: s + v.</summary>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="vector">The vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> operator +(T scalar, Vector<T> vector) =>
        Linear.AddScalar(scalar, vector);

    /// <summary><paramref name="scalar"/> subtracted from every element: v − s.</summary>
    /// <param name="vector">The vector.</param>
    /// <param name="scalar">The scalar s.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> operator -(Vector<T> vector, T scalar) =>
        Linear.SubtractScalar(vector, scalar);

    /// <summary>Every element subtracted from <paramref name="scalar"/>: s − v.</summary>
    /// <param name="scalar">The scalar s.</param>
    /// <param name="vector">The vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> operator -(T scalar, Vector<T> vector) =>
        Linear.SubtractScalar(scalar, vector);
}
