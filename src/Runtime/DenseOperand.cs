using System.Numerics;

namespace AutoGradGen;

/// <summary>
/// What the shared drivers of <see cref="Compute.Dense"/> need of a <see cref="Matrix{T}"/> or a
/// <see cref="Vector{T}"/> (an n×1 column): the shape, the row-major storage and a constructor, so that
/// one driver serves both overloads of an element-wise operation.
/// </summary>
internal interface IDenseOperand<TSelf, T>
    where TSelf : class, IDenseOperand<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    int Rows { get; }

    int Cols { get; }

    T[] Data { get; }

    /// <summary>A new operand of zeros (a vector takes <paramref name="rows"/> as its length; cols is 1).</summary>
    static abstract TSelf Create(int rows, int cols);
}

/// <content>The matrix as a dense operand of the shared drivers.</content>
public sealed partial class Matrix<T> : IDenseOperand<Matrix<T>, T>
{
    T[] IDenseOperand<Matrix<T>, T>.Data => Data;

    static Matrix<T> IDenseOperand<Matrix<T>, T>.Create(int rows, int cols) => new(rows, cols);
}

/// <content>The vector as an n×1 dense operand of the shared drivers.</content>
public sealed partial class Vector<T> : IDenseOperand<Vector<T>, T>
{
    int IDenseOperand<Vector<T>, T>.Rows => Length;

    int IDenseOperand<Vector<T>, T>.Cols => 1;

    T[] IDenseOperand<Vector<T>, T>.Data => Data;

    static Vector<T> IDenseOperand<Vector<T>, T>.Create(int rows, int cols) => new(rows);
}
