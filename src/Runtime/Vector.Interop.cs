using System;
using System.Numerics.Tensors;

namespace AutoGradGen;

/// <content>
/// Interop without copies: a vector over an array the caller owns (<see cref="Wrap(T[])"/>,
/// <see cref="Wrap(Memory{T})"/>), its storage seen as <see cref="Memory{T}"/>,
/// <see cref="TensorSpan{T}"/> or <see cref="Tensor{T}"/>, and copying factories from spans and tensors.
/// </content>
/// <remarks>
/// <b>Aliasing.</b> A wrapped vector and the array it wraps are one storage: a write through either
/// is seen by the other, and so are writes through <see cref="AsMemory"/>, <see cref="AsTensorSpan"/>
/// and <see cref="AsTensor"/>. Operators and <see cref="Ops"/> still never write their operands.
/// </remarks>
public sealed partial class Vector<T>
{
    /// <summary>A vector whose storage is <paramref name="storage"/> itself (no copy).</summary>
    /// <param name="storage">The elements; the vector keeps a reference to the array.</param>
    /// <returns>A vector of length <c>storage.Length</c> that aliases <paramref name="storage"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="storage"/> is null.</exception>
    public static Vector<T> Wrap(T[] storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return new Vector<T>(storage);
    }

    /// <summary>
    /// A vector over <paramref name="storage"/> (no copy), when that memory is a whole array, as
    /// <c>array.AsMemory()</c> and <c>new Memory&lt;T&gt;(array)</c> are.
    /// </summary>
    /// <param name="storage">Memory backed by a whole <c>T[]</c>.</param>
    /// <returns>A vector that aliases <paramref name="storage"/>.</returns>
    /// <exception cref="ArgumentException">
    /// The memory is a slice of a longer array or is not backed by an array: copy it with
    /// <see cref="FromSpan"/> instead.
    /// </exception>
    public static Vector<T> Wrap(Memory<T> storage) =>
        new(Interop.WholeArray(storage, "Vector.Wrap", nameof(storage)));

    /// <summary>Copies <paramref name="values"/> into a new vector.</summary>
    /// <param name="values">The elements.</param>
    /// <returns>A new vector that shares no storage with <paramref name="values"/>.</returns>
    public static Vector<T> FromSpan(ReadOnlySpan<T> values) =>
        new(values.Length == 0 ? [] : values.ToArray());

    /// <summary>The storage as memory (no copy; writes change the vector).</summary>
    /// <returns>Memory of length <see cref="Length"/>.</returns>
    public Memory<T> AsMemory() => Data;

    /// <summary>The vector as a rank-1 <see cref="TensorSpan{T}"/> of length [Length] (no copy).</summary>
    /// <returns>A dense tensor span over the storage; writes change the vector.</returns>
    public TensorSpan<T> AsTensorSpan() => new(Data);

    /// <summary>The vector as a rank-1 read-only tensor span (no copy).</summary>
    /// <returns>A dense read-only tensor span over the storage.</returns>
    public ReadOnlyTensorSpan<T> AsReadOnlyTensorSpan() => new(Data);

    /// <summary>A rank-1 <see cref="Tensor{T}"/> whose backing buffer is this vector's storage (no copy).</summary>
    /// <returns>A tensor that aliases the vector.</returns>
    public Tensor<T> AsTensor() => Tensor.Create(Data, [Data.Length]);

    /// <summary>Copies a rank-1 tensor, or a rank-2 tensor of one column (n×1), into a new vector.</summary>
    /// <param name="tensor">A tensor of lengths [n] or [n, 1].</param>
    /// <returns>A new vector that shares no storage with <paramref name="tensor"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException">The tensor is neither [n] nor [n, 1].</exception>
    public static Vector<T> FromTensor(Tensor<T> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return FromTensorSpan(tensor.AsReadOnlyTensorSpan());
    }

    /// <summary>Copies a tensor span of lengths [n] or [n, 1] (any strides) into a new vector.</summary>
    /// <param name="tensor">A tensor span of lengths [n] or [n, 1].</param>
    /// <returns>A new vector that shares no storage with <paramref name="tensor"/>.</returns>
    /// <exception cref="ArgumentException">The tensor is neither [n] nor [n, 1].</exception>
    public static Vector<T> FromTensorSpan(scoped in ReadOnlyTensorSpan<T> tensor)
    {
        var lengths = tensor.Lengths;
        if (!(lengths.Length == 1 || (lengths.Length == 2 && lengths[1] == 1)))
        {
            throw new ArgumentException(
                $"Vector.FromTensor: the tensor is {Interop.Format(lengths)} but a vector is n (rank 1) or n×1.",
                nameof(tensor));
        }

        var result = new Vector<T>(checked((int)lengths[0]));
        tensor.FlattenTo(result.Data);
        return result;
    }

    /// <summary>Copies this vector into <paramref name="destination"/>, whose lengths must be [Length].</summary>
    /// <param name="destination">A rank-1 tensor span of the vector's length.</param>
    /// <exception cref="ArgumentException">The destination's shape differs from the vector's.</exception>
    public void CopyTo(scoped in TensorSpan<T> destination)
    {
        Interop.RequireSameShape("Vector.CopyTo", Interop.Format([Data.Length]), destination.Lengths, [Data.Length], nameof(destination));
        AsReadOnlyTensorSpan().CopyTo(destination);
    }
}
