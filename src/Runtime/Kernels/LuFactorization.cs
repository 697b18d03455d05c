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
/// <para>
/// <c>Lu.Factor(a, operation, ref factorization)</c> refactors an existing object of the right size in
/// place, and the solves and inverses have destination-passing forms (<c>ref destination</c>, reused when
/// its shape matches, never the right-hand side): a workspace that keeps both allocates nothing per call.
/// No method keeps scratch (the transposed solves undo the pivot swaps in place), so concurrent solves on
/// one factorization are safe as long as nothing refactors it meanwhile.
/// </para>
/// </remarks>
public sealed class LuFactorization<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] lu;
    private readonly int[] permutation;
    private readonly int[] pivots;
    private bool oddSwaps;
    private int firstZeroPivot;
    private string operation = "LU";

    /// <summary>Storage for the factors of an n×n matrix; <see cref="Refactor"/> fills it.</summary>
    internal LuFactorization(int size)
    {
        Size = size;
        lu = size == 0 ? [] : new T[size * size];
        permutation = new int[size];
        pivots = new int[size];
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
        Matrix<T>? x = null;
        return Solve(b, ref x);
    }

    /// <summary>X = A⁻¹ B into <paramref name="destination"/> (reused when it is n×p: nothing allocated).</summary>
    /// <param name="b">An n×p right-hand side.</param>
    /// <param name="destination">The result's slot; not <paramref name="b"/>.</param>
    /// <returns>The destination, X with A X = B.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n rows, or the destination is <paramref name="b"/>.</exception>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Matrix<T> Solve(Matrix<T> b, ref Matrix<T>? destination)
    {
        ArgumentNullException.ThrowIfNull(b);
        RequireSolvable(b.Rows, b.Cols, b, destination);
        var x = Into.Ensure(ref destination, Size, b.Cols);
        Solve(b.Data, x.Data, b.Cols);
        return x;
    }

    /// <summary>x = A⁻¹ b, by forward and back substitution.</summary>
    /// <param name="b">A right-hand side of length n.</param>
    /// <returns>A new vector x with A x = b.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have length n.</exception>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Vector<T> Solve(Vector<T> b)
    {
        Vector<T>? x = null;
        return Solve(b, ref x);
    }

    /// <summary>x = A⁻¹ b into <paramref name="destination"/> (reused when its length is n: nothing allocated).</summary>
    /// <param name="b">A right-hand side of length n.</param>
    /// <param name="destination">The result's slot; not <paramref name="b"/>.</param>
    /// <returns>The destination, x with A x = b.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have length n, or the destination is <paramref name="b"/>.</exception>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Vector<T> Solve(Vector<T> b, ref Vector<T>? destination)
    {
        ArgumentNullException.ThrowIfNull(b);
        RequireSolvable(b.Length, 1, b, destination);
        var x = Into.Ensure(ref destination, Size);
        Solve(b.Data, x.Data, 1);
        return x;
    }

    /// <summary>X = A⁻ᵀ B (solves Aᵀ X = B with the same factors: Aᵀ = Uᵀ Lᵀ P).</summary>
    /// <param name="b">An n×p right-hand side.</param>
    /// <returns>A new n×p matrix X with Aᵀ X = B.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n rows.</exception>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Matrix<T> SolveTransposed(Matrix<T> b)
    {
        Matrix<T>? x = null;
        return SolveTransposed(b, ref x);
    }

    /// <summary>X = A⁻ᵀ B into <paramref name="destination"/> (reused when it is n×p: nothing allocated).</summary>
    /// <param name="b">An n×p right-hand side.</param>
    /// <param name="destination">The result's slot; not <paramref name="b"/>.</param>
    /// <returns>The destination, X with Aᵀ X = B.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n rows, or the destination is <paramref name="b"/>.</exception>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Matrix<T> SolveTransposed(Matrix<T> b, ref Matrix<T>? destination)
    {
        ArgumentNullException.ThrowIfNull(b);
        RequireSolvable(b.Rows, b.Cols, b, destination);
        var x = Into.Ensure(ref destination, Size, b.Cols);
        SolveTransposed(b.Data, x.Data, b.Cols);
        return x;
    }

    /// <summary>x = A⁻ᵀ b (solves Aᵀ x = b with the same factors).</summary>
    /// <param name="b">A right-hand side of length n.</param>
    /// <returns>A new vector x with Aᵀ x = b.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have length n.</exception>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Vector<T> SolveTransposed(Vector<T> b)
    {
        Vector<T>? x = null;
        return SolveTransposed(b, ref x);
    }

    /// <summary>x = A⁻ᵀ b into <paramref name="destination"/> (reused when its length is n: nothing allocated).</summary>
    /// <param name="b">A right-hand side of length n.</param>
    /// <param name="destination">The result's slot; not <paramref name="b"/>.</param>
    /// <returns>The destination, x with Aᵀ x = b.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have length n, or the destination is <paramref name="b"/>.</exception>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Vector<T> SolveTransposed(Vector<T> b, ref Vector<T>? destination)
    {
        ArgumentNullException.ThrowIfNull(b);
        RequireSolvable(b.Length, 1, b, destination);
        var x = Into.Ensure(ref destination, Size);
        SolveTransposed(b.Data, x.Data, 1);
        return x;
    }

    /// <summary>A⁻¹, by solving A X = I column block at once.</summary>
    /// <returns>A new n×n matrix.</returns>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Matrix<T> Inverse()
    {
        Matrix<T>? x = null;
        return Inverse(ref x);
    }

    /// <summary>A⁻¹ into <paramref name="destination"/> (reused when it is n×n: nothing allocated).</summary>
    /// <param name="destination">The result's slot.</param>
    /// <returns>The destination, A⁻¹.</returns>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Matrix<T> Inverse(ref Matrix<T>? destination)
    {
        RequireNonSingular();
        var x = Into.Ensure(ref destination, Size, Size);
        x.Data.AsSpan().Clear();
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
        Matrix<T>? x = null;
        return InverseTransposed(ref x);
    }

    /// <summary>A⁻ᵀ into <paramref name="destination"/> (reused when it is n×n: nothing allocated).</summary>
    /// <param name="destination">The result's slot.</param>
    /// <returns>The destination, A⁻ᵀ.</returns>
    /// <exception cref="SingularMatrixException">The factorization is singular.</exception>
    public Matrix<T> InverseTransposed(ref Matrix<T>? destination)
    {
        RequireNonSingular();
        var x = Into.Ensure(ref destination, Size, Size);
        x.Data.AsSpan().Clear();
        for (int i = 0; i < Size; i++)
        {
            x.Data[(i * Size) + i] = T.One;
        }

        SubstituteTransposed(x.Data, Size);
        UnpermuteRows(x.Data, Size);
        return x;
    }

    /// <summary>Overwrites the factors with those of the n×n matrix <paramref name="a"/> (row-major).</summary>
    internal void Refactor(ReadOnlySpan<T> a, string operation)
    {
        a.CopyTo(lu);
        (oddSwaps, firstZeroPivot) = Lu.Decompose<T>(lu, permutation, pivots, Size);
        this.operation = operation;
    }

    /// <summary>The checks of every solve: n rows, a nonsingular factorization, a destination that is not the right-hand side.</summary>
    private void RequireSolvable(int rows, int cols, object b, object? destination)
    {
        ThrowHelper.RequireRightHandSide(Size, rows, cols, operation);
        RequireNonSingular();
        ThrowHelper.RequireNotAliased(destination, b, operation, nameof(b));
    }

    /// <summary>X = U⁻¹ L⁻¹ P B into <paramref name="x"/>: gather the rows, then substitute in place.</summary>
    private void Solve(ReadOnlySpan<T> b, Span<T> x, int width)
    {
        GatherRows(b, x, width);
        SubstituteLU(x, width);
    }

    /// <summary>X = Pᵀ L⁻ᵀ U⁻ᵀ B into <paramref name="x"/>: copy, substitute, then undo the pivot swaps in place.</summary>
    private void SolveTransposed(ReadOnlySpan<T> b, Span<T> x, int width)
    {
        b.CopyTo(x);
        SubstituteTransposed(x, width);
        UnpermuteRows(x, width);
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

    /// <summary>
    /// In place, W ← Pᵀ W: the pivot swaps k ↔ pivots[k] in reverse order (P applies them in order, and each
    /// swap is its own inverse), so no temporary is needed: row P(i) of the result is row i of W.
    /// </summary>
    private void UnpermuteRows(Span<T> x, int width)
    {
        for (int k = Size - 1; k >= 0; k--)
        {
            int other = pivots[k];
            if (other != k)
            {
                Lu.SwapRows(x.Slice(k * width, width), x.Slice(other * width, width));
            }
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
