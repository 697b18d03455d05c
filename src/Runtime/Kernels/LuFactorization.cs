using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// The result of <see cref="Lu.Factor{T}(Matrix{T}, string)"/>: P A = L U, with L unit lower
/// triangular and U upper triangular stored together in one n×n array, and P a row permutation.
/// Solves with A and with Aᵀ reuse the same factors; nothing here forms an inverse unless asked.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Solves and inverses of a singular factorization throw <see cref="SingularMatrixException"/>
/// whose message starts with the operation name given to <see cref="Lu.Factor{T}(Matrix{T}, string)"/>;
/// <see cref="Determinant"/> and <see cref="LogAbsDeterminant"/> return 0 and −∞ instead.
/// </remarks>
public sealed class LuFactorization<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] lu;
    private readonly int[] permutation;
    private readonly bool oddSwaps;
    private readonly int firstZeroPivot;
    private readonly string operation;

    internal LuFactorization(T[] lu, int size, int[] permutation, bool oddSwaps, int firstZeroPivot, string operation)
    {
        this.lu = lu;
        Size = size;
        this.permutation = permutation;
        this.oddSwaps = oddSwaps;
        this.firstZeroPivot = firstZeroPivot;
        this.operation = operation;
    }

    /// <summary>n, the order of the factored n×n matrix.</summary>
    public int Size { get; }

    /// <summary>True when elimination met an exactly-zero pivot (LAPACK <c>getrf</c>'s info &gt; 0).</summary>
    public bool IsSingular => firstZeroPivot >= 0;

    /// <summary>det A = ±∏ uᵢᵢ (the sign of P); 0 when singular; 1 for a 0×0 matrix.</summary>
    /// <returns>The determinant (it may overflow to ±∞ where <see cref="LogAbsDeterminant"/> does not).</returns>
    public T Determinant()
    {
        if (IsSingular)
        {
            return T.Zero;
        }

        T det = oddSwaps ? -T.One : T.One;
        for (int i = 0; i < Size; i++)
        {
            det *= lu[(i * Size) + i];
        }

        return det;
    }

    /// <summary>log |det A| = Σ log |uᵢᵢ|; −∞ when singular; 0 for a 0×0 matrix. Fine for negative det.</summary>
    /// <returns>The logarithm of the absolute determinant.</returns>
    public T LogAbsDeterminant()
    {
        if (IsSingular)
        {
            return T.NegativeInfinity;
        }

        T sum = T.Zero;
        for (int i = 0; i < Size; i++)
        {
            sum += T.Log(T.Abs(lu[(i * Size) + i]));
        }

        return sum;
    }

    /// <summary>X = A⁻¹ B, by forward and back substitution.</summary>
    /// <param name="b">An n×p right-hand side.</param>
    /// <returns>A new n×p matrix X with A X = B.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n rows.</exception>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Matrix<T> Solve(Matrix<T> b)
    {
        ArgumentNullException.ThrowIfNull(b);
        ThrowHelper.RequireRightHandSide(Size, b.Rows, b.Cols, operation);
        RequireNonSingular();
        var x = new Matrix<T>(Size, b.Cols);
        GatherRows(b.Data, x.Data, b.Cols);
        SubstituteLU(x.Data, b.Cols);
        return x;
    }

    /// <summary>x = A⁻¹ b, by forward and back substitution.</summary>
    /// <param name="b">A right-hand side of length n.</param>
    /// <returns>A new vector x with A x = b.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have length n.</exception>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Vector<T> Solve(Vector<T> b)
    {
        ArgumentNullException.ThrowIfNull(b);
        ThrowHelper.RequireRightHandSide(Size, b.Length, 1, operation);
        RequireNonSingular();
        var x = new Vector<T>(Size);
        GatherRows(b.Data, x.Data, 1);
        SubstituteLU(x.Data, 1);
        return x;
    }

    /// <summary>X = A⁻ᵀ B (solves Aᵀ X = B with the same factors: Aᵀ = Uᵀ Lᵀ P).</summary>
    /// <param name="b">An n×p right-hand side.</param>
    /// <returns>A new n×p matrix X with Aᵀ X = B.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n rows.</exception>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Matrix<T> SolveTransposed(Matrix<T> b)
    {
        ArgumentNullException.ThrowIfNull(b);
        ThrowHelper.RequireRightHandSide(Size, b.Rows, b.Cols, operation);
        RequireNonSingular();
        var work = (T[])b.Data.Clone();
        SubstituteTransposed(work, b.Cols);
        var x = new Matrix<T>(Size, b.Cols);
        ScatterRows(work, x.Data, b.Cols);
        return x;
    }

    /// <summary>x = A⁻ᵀ b (solves Aᵀ x = b with the same factors).</summary>
    /// <param name="b">A right-hand side of length n.</param>
    /// <returns>A new vector x with Aᵀ x = b.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have length n.</exception>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Vector<T> SolveTransposed(Vector<T> b)
    {
        ArgumentNullException.ThrowIfNull(b);
        ThrowHelper.RequireRightHandSide(Size, b.Length, 1, operation);
        RequireNonSingular();
        var work = (T[])b.Data.Clone();
        SubstituteTransposed(work, 1);
        var x = new Vector<T>(Size);
        ScatterRows(work, x.Data, 1);
        return x;
    }

    /// <summary>A⁻¹, by solving A X = I column block at once.</summary>
    /// <returns>A new n×n matrix.</returns>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Matrix<T> Inverse()
    {
        RequireNonSingular();
        var x = new Matrix<T>(Size, Size);
        for (int i = 0; i < Size; i++)
        {
            x.Data[(i * Size) + permutation[i]] = T.One; // row i of P I
        }

        SubstituteLU(x.Data, Size);
        return x;
    }

    /// <summary>A⁻ᵀ = (A⁻¹)ᵀ, by solving Aᵀ X = I (the gradient of log |det A|).</summary>
    /// <returns>A new n×n matrix.</returns>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Matrix<T> InverseTransposed()
    {
        RequireNonSingular();
        var work = new T[Size * Size];
        for (int i = 0; i < Size; i++)
        {
            work[(i * Size) + i] = T.One;
        }

        SubstituteTransposed(work, Size);
        var x = new Matrix<T>(Size, Size);
        ScatterRows(work, x.Data, Size);
        return x;
    }

    private void RequireNonSingular()
    {
        if (IsSingular)
        {
            ThrowHelper.ThrowSingular(operation, firstZeroPivot);
        }
    }

    /// <summary>destination row i = source row P(i): the right-hand side P B.</summary>
    private void GatherRows(ReadOnlySpan<T> source, Span<T> destination, int width)
    {
        for (int i = 0; i < Size; i++)
        {
            source.Slice(permutation[i] * width, width).CopyTo(destination.Slice(i * width, width));
        }
    }

    /// <summary>destination row P(i) = source row i: X = Pᵀ W.</summary>
    private void ScatterRows(ReadOnlySpan<T> source, Span<T> destination, int width)
    {
        for (int i = 0; i < Size; i++)
        {
            source.Slice(i * width, width).CopyTo(destination.Slice(permutation[i] * width, width));
        }
    }

    /// <summary>In place on n×p rows: W ← U⁻¹ L⁻¹ W.</summary>
    private void SubstituteLU(Span<T> x, int width)
    {
        if (width == 1)
        {
            TriangularSolve.LowerUnitVector<T>(lu, x, Size);
            TriangularSolve.UpperVector<T>(lu, x, Size);
        }
        else if (width > 0)
        {
            TriangularSolve.LowerUnit<T>(lu, x, Size, width);
            TriangularSolve.Upper<T>(lu, x, Size, width);
        }
    }

    /// <summary>In place on n×p rows: W ← L⁻ᵀ U⁻ᵀ W.</summary>
    private void SubstituteTransposed(Span<T> x, int width)
    {
        if (width == 1)
        {
            TriangularSolve.UpperTransposedVector<T>(lu, x, Size);
            TriangularSolve.LowerUnitTransposedVector<T>(lu, x, Size);
        }
        else if (width > 0)
        {
            TriangularSolve.UpperTransposed<T>(lu, x, Size, width);
            TriangularSolve.LowerUnitTransposed<T>(lu, x, Size, width);
        }
    }
}
