using System;
using System.Numerics;

namespace AutoGradGen;

/// <summary>
/// A dense column vector of <typeparamref name="T"/> (<see cref="float"/> or <see cref="double"/>).
/// In shape messages a vector of length n is written n×1.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Not to be confused with <see cref="System.Numerics.Vector{T}"/>, the SIMD register type:
/// code that imports <c>System.Numerics</c> too should write <c>AutoGradGen.Vector&lt;T&gt;</c>.
/// Operators never modify their operands; each returns a new vector.
/// </remarks>
public sealed partial class Vector<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a vector of <paramref name="length"/> zeros.</summary>
    /// <param name="length">Number of elements (0 or more).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public Vector(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Data = length == 0 ? [] : new T[length];
    }

    /// <summary>Wraps <paramref name="data"/> (taken over, not copied).</summary>
    internal Vector(T[] data)
    {
        Data = data;
    }

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>The elements.</summary>
    internal T[] Data { get; }

    /// <summary>Gets or sets element <paramref name="index"/>.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="Length"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the vector.</exception>
    public T this[int index]
    {
        get
        {
            CheckIndex(index);
            return Data[index];
        }

        set
        {
            CheckIndex(index);
            Data[index] = value;
        }
    }

    /// <summary>The elements as a span (writes change the vector).</summary>
    /// <returns>A span of length <see cref="Length"/>.</returns>
    public Span<T> AsSpan() => Data;

    /// <summary>Copies an array into a new vector.</summary>
    /// <param name="values">The elements.</param>
    /// <returns>A new vector that shares no storage with <paramref name="values"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static Vector<T> FromArray(T[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new Vector<T>(values.Length == 0 ? [] : (T[])values.Clone());
    }

    /// <summary>Copies the elements into a new array.</summary>
    /// <returns>A new array of length <see cref="Length"/>.</returns>
    public T[] ToArray() => Data.Length == 0 ? [] : (T[])Data.Clone();

    /// <summary>A deep copy of the vector.</summary>
    /// <returns>A new vector with the same elements.</returns>
    public Vector<T> Clone() => new(ToArray());

    /// <summary>The length and the elements (the first 16 of a longer vector, then "…").</summary>
    /// <returns>For example "Vector&lt;double&gt; 3: [ 1, 2, 3 ]ᵀ".</returns>
    public override string ToString() => TextFormat.FormatVector<T>(Data);

    /// <summary>A new vector of the same length as <paramref name="like"/>, filled with zeros.</summary>
    internal static Vector<T> ZerosLike(Vector<T> like) => new(like.Length);

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Data.Length)
        {
            ThrowHelper.ThrowIndexOutOfRange($"{index}", ThrowHelper.Shape(Data.Length, 1), nameof(index));
        }
    }
}
