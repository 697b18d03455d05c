using System;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace AutoGradGen;

/// <content>
/// Interop without copies: a matrix over memory the caller owns (<see cref="Wrap(T[], int, int)"/>,
/// <see cref="Wrap(Memory{T}, int, int)"/>), the matrix's storage seen as <see cref="Memory{T}"/>,
/// <see cref="TensorSpan{T}"/> or <see cref="Tensor{T}"/>, and copying factories from spans and tensors.
/// </content>
/// <remarks>
/// <para><b>Aliasing.</b> A wrapped matrix and the array it wraps are one storage: a write through
/// either (the indexer, <see cref="AsSpan"/>, an <c>FBackward</c> that fills the matrix, an optimizer
/// step) is seen by the other. The same holds for the views <see cref="AsMemory"/>,
/// <see cref="AsTensorSpan"/> and <see cref="AsTensor"/>. Operators and <see cref="Ops"/> still never
/// write their operands, and their results never share storage with them. Do not change the
/// storage from another thread while an operation reads it.</para>
/// <para>Element (i, j) is <c>storage[i * cols + j]</c> (row-major), the layout of a C# <c>T[,]</c>,
/// of a row-major <see cref="Tensor{T}"/> and of a contiguous TorchSharp or NumPy array.</para>
/// </remarks>
public sealed partial class Matrix<T>
{
    /// <summary>
    /// A <paramref name="rows"/>×<paramref name="cols"/> matrix whose storage is
    /// <paramref name="storage"/> itself (no copy; row-major, element (i, j) at <c>i * cols + j</c>).
    /// </summary>
    /// <param name="storage">An array of exactly <c>rows * cols</c> elements; the matrix keeps a reference to it.</param>
    /// <param name="rows">Number of rows (0 or more).</param>
    /// <param name="cols">Number of columns (0 or more).</param>
    /// <returns>A matrix that aliases <paramref name="storage"/>: writes through one are seen by the other.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="storage"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="storage"/> is not <c>rows * cols</c>.</exception>
    public static Matrix<T> Wrap(T[] storage, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(storage);
        Interop.RequireStorageLength("Matrix.Wrap", storage.Length, rows, cols, nameof(storage));
        return new Matrix<T>(rows, cols, storage);
    }

    /// <summary>
    /// A <paramref name="rows"/>×<paramref name="cols"/> matrix over <paramref name="storage"/> (no
    /// copy), when that memory is a whole array of <c>rows * cols</c> elements, as
    /// <c>array.AsMemory()</c> or <c>new Memory&lt;T&gt;(array)</c> are.
    /// </summary>
    /// <param name="storage">Memory backed by a whole <c>T[]</c> of exactly <c>rows * cols</c> elements.</param>
    /// <param name="rows">Number of rows (0 or more).</param>
    /// <param name="cols">Number of columns (0 or more).</param>
    /// <returns>A matrix that aliases <paramref name="storage"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException">
    /// The length is not <c>rows * cols</c>, or the memory is a slice of a longer array or is not
    /// backed by an array (native or pooled memory): the runtime's kernels work on whole arrays, so
    /// such memory cannot be wrapped; copy it with <see cref="FromSpan"/> instead.
    /// </exception>
    public static Matrix<T> Wrap(Memory<T> storage, int rows, int cols)
    {
        Interop.RequireStorageLength("Matrix.Wrap", storage.Length, rows, cols, nameof(storage));
        return new Matrix<T>(rows, cols, Interop.WholeArray(storage, "Matrix.Wrap", nameof(storage)));
    }

    /// <summary>Copies <paramref name="values"/> (row-major) into a new <paramref name="rows"/>×<paramref name="cols"/> matrix.</summary>
    /// <param name="values">Exactly <c>rows * cols</c> elements; element (i, j) is <c>values[i * cols + j]</c>.</param>
    /// <param name="rows">Number of rows (0 or more).</param>
    /// <param name="cols">Number of columns (0 or more).</param>
    /// <returns>A new matrix that shares no storage with <paramref name="values"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="values"/> is not <c>rows * cols</c>.</exception>
    public static Matrix<T> FromSpan(ReadOnlySpan<T> values, int rows, int cols)
    {
        Interop.RequireStorageLength("Matrix.FromSpan", values.Length, rows, cols, nameof(values));
        var result = new Matrix<T>(rows, cols);
        values.CopyTo(result.Data);
        return result;
    }

    /// <summary>The row-major storage as memory (no copy; writes change the matrix).</summary>
    /// <returns>Memory of length <c>Rows * Cols</c>.</returns>
    public Memory<T> AsMemory() => Data;

    /// <summary>The matrix as a <see cref="TensorSpan{T}"/> of lengths [Rows, Cols] (no copy; writes change the matrix).</summary>
    /// <returns>A dense rank-2 tensor span over the storage.</returns>
    public TensorSpan<T> AsTensorSpan() => new(Data, [Rows, Cols]);

    /// <summary>The matrix as a read-only tensor span of lengths [Rows, Cols] (no copy).</summary>
    /// <returns>A dense rank-2 read-only tensor span over the storage.</returns>
    public ReadOnlyTensorSpan<T> AsReadOnlyTensorSpan() => new(Data, [Rows, Cols]);

    /// <summary>A rank-2 <see cref="Tensor{T}"/> of lengths [Rows, Cols] whose backing buffer is this matrix's storage (no copy).</summary>
    /// <returns>A tensor that aliases the matrix: writes through one are seen by the other.</returns>
    public Tensor<T> AsTensor() => Tensor.Create(Data, [Rows, Cols]);

    /// <summary>Copies a rank-2 tensor (any strides) into a new matrix of its shape.</summary>
    /// <param name="tensor">A tensor of lengths [rows, cols].</param>
    /// <returns>A new matrix that shares no storage with <paramref name="tensor"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException">The tensor's rank is not 2.</exception>
    public static Matrix<T> FromTensor(Tensor<T> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return FromTensorSpan(tensor.AsReadOnlyTensorSpan());
    }

    /// <summary>Copies a rank-2 tensor span (any strides) into a new matrix of its shape.</summary>
    /// <param name="tensor">A tensor span of lengths [rows, cols].</param>
    /// <returns>A new matrix that shares no storage with <paramref name="tensor"/>.</returns>
    /// <exception cref="ArgumentException">The rank is not 2.</exception>
    public static Matrix<T> FromTensorSpan(scoped in ReadOnlyTensorSpan<T> tensor)
    {
        var (rows, cols) = Interop.MatrixShape(tensor.Lengths, "Matrix.FromTensor", nameof(tensor));
        var result = new Matrix<T>(rows, cols);
        tensor.FlattenTo(result.Data);
        return result;
    }

    /// <summary>Copies this matrix into <paramref name="destination"/>, whose lengths must be [Rows, Cols] (any strides).</summary>
    /// <param name="destination">A rank-2 tensor span of the matrix's shape.</param>
    /// <exception cref="ArgumentException">The destination's shape differs from the matrix's.</exception>
    public void CopyTo(scoped in TensorSpan<T> destination)
    {
        Interop.RequireSameShape("Matrix.CopyTo", ThrowHelper.Shape(Rows, Cols), destination.Lengths, [Rows, Cols], nameof(destination));
        AsReadOnlyTensorSpan().CopyTo(destination);
    }
}

/// <summary>Checks shared by the interop members of <see cref="Matrix{T}"/> and <see cref="Vector{T}"/>.</summary>
internal static class Interop
{
    /// <summary>Throws unless a storage of <paramref name="length"/> elements fits a rows×cols matrix exactly.</summary>
    internal static void RequireStorageLength(string operation, int length, int rows, int cols, string paramName)
    {
        ThrowHelper.RequireValidShape(rows, cols);
        if ((long)rows * cols != length)
        {
            throw new ArgumentException(
                $"{operation}: the storage has {length} elements but a {ThrowHelper.Shape(rows, cols)} matrix needs "
                + $"{(long)rows * cols}; its length must be rows × cols.",
                paramName);
        }
    }

    /// <summary>The array behind <paramref name="memory"/> when the memory is that whole array; throws otherwise.</summary>
    internal static T[] WholeArray<T>(Memory<T> memory, string operation, string paramName)
    {
        if (memory.Length == 0)
        {
            return [];
        }

        if (MemoryMarshal.TryGetArray<T>(memory, out var segment) && segment.Array is { } array
            && segment.Offset == 0 && segment.Count == array.Length)
        {
            return array;
        }

        string what = segment.Array is { } backing
            ? $"elements {segment.Offset}..{segment.Offset + segment.Count - 1} of a {backing.Length}-element array"
            : "memory not backed by an array (native or pooled memory)";
        throw new ArgumentException(
            $"{operation}: the storage is {what}; only memory that is a whole array can be wrapped without a copy "
            + "(the runtime's kernels work on whole arrays). Copy it with FromSpan(memory.Span, …), or wrap a T[] of exactly the operand's size.",
            paramName);
    }

    /// <summary>The (rows, cols) of a rank-2 tensor; throws naming the tensor's shape otherwise.</summary>
    internal static (int Rows, int Cols) MatrixShape(ReadOnlySpan<nint> lengths, string operation, string paramName)
    {
        if (lengths.Length != 2)
        {
            throw new ArgumentException(
                $"{operation}: the tensor is {Format(lengths)} (rank {lengths.Length}) but a matrix is rows×cols (rank 2).", paramName);
        }

        return (checked((int)lengths[0]), checked((int)lengths[1]));
    }

    /// <summary>Throws unless <paramref name="lengths"/> equal <paramref name="expected"/>, naming both shapes.</summary>
    internal static void RequireSameShape(string operation, string ownShape, ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> expected, string paramName)
    {
        if (!lengths.SequenceEqual(expected))
        {
            throw new ArgumentException(
                $"{operation}: the source is {ownShape} but the destination is {Format(lengths)}; they must have the same shape.", paramName);
        }
    }

    /// <summary>Formats tensor lengths as "2×3×4" (rank 0: "a scalar").</summary>
    internal static string Format(ReadOnlySpan<nint> lengths)
    {
        if (lengths.Length == 0)
        {
            return "a scalar";
        }

        var parts = new string[lengths.Length];
        for (int i = 0; i < lengths.Length; i++)
        {
            parts[i] = lengths[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return string.Join('×', parts);
    }
}
