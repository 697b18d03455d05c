using System;
using System.Globalization;
using System.Numerics;
using AutoGradGen.Kernels;

namespace AutoGradGen.Compute;

/// <summary>
/// A reusable Cholesky factorization A = Uᵀ U (U upper triangular) of a symmetric positive definite n×n
/// matrix, in the style of <c>LuFactorization&lt;T&gt;</c>: the storage is allocated once by the
/// constructor, every <see cref="Factor(Matrix{T})"/> overwrites it, and the solves have
/// destination-passing and span forms, so a loop that refactors and solves allocates nothing.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Only the diagonal and the upper triangle of A are read (A is taken to be symmetric; nothing checks
/// that the lower triangle agrees). A matrix that is not positive definite is not an error here: the
/// factor methods return false and record the column where a pivot was not positive
/// (<see cref="FailedColumn"/>, like LAPACK <c>potrf</c>'s info), so a caller can fall back to LU or add
/// a shift (<see cref="Factor(ReadOnlySpan{T}, T)"/> factors A + σI). Solves then throw
/// <see cref="InvalidOperationException"/>. The solves keep no scratch: concurrent solves on one
/// factorization are safe as long as nothing refactors it meanwhile.
/// </remarks>
public sealed class CholeskyFactorization<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const string Operation = "Cholesky";
    private readonly T[] factor;
    private int failedColumn = -2; // −2: never factored; −1: positive definite; k ≥ 0: pivot k failed

    /// <summary>Storage for the factor of an n×n matrix; call a Factor method before solving.</summary>
    /// <param name="size">n ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative or n² is too large.</exception>
    public CholeskyFactorization(int size)
    {
        ThrowHelper.RequireValidShape(size, size);
        Size = size;
        factor = size == 0 ? [] : new T[size * size];
    }

    /// <summary>n, the order of the factored matrix.</summary>
    public int Size { get; }

    /// <summary>True when the last factorization succeeded (the matrix was positive definite in this precision).</summary>
    public bool IsPositiveDefinite => failedColumn == -1;

    /// <summary>
    /// −1 after a successful factorization; the 0-based column whose pivot was not positive (or was NaN or ∞)
    /// after a failed one; −2 before the first.
    /// </summary>
    public int FailedColumn => failedColumn;

    /// <summary>Factors <paramref name="a"/> (not modified; only its upper triangle and diagonal are read).</summary>
    /// <param name="a">A symmetric n×n matrix.</param>
    /// <returns>True when A is positive definite and the factor is ready; false otherwise (see <see cref="FailedColumn"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not n×n.</exception>
    public bool Factor(Matrix<T> a)
    {
        ArgumentNullException.ThrowIfNull(a);
        RequireOrder(a.Rows, a.Cols, nameof(a));
        return Factor(a.Data, T.Zero);
    }

    /// <summary>Factors A + σI, the Levenberg–Marquardt shift, without forming it separately.</summary>
    /// <param name="a">A symmetric n×n matrix (not modified).</param>
    /// <param name="shift">σ, added to the diagonal.</param>
    /// <returns>True when A + σI is positive definite.</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not n×n.</exception>
    public bool Factor(Matrix<T> a, T shift)
    {
        ArgumentNullException.ThrowIfNull(a);
        RequireOrder(a.Rows, a.Cols, nameof(a));
        return Factor(a.Data, shift);
    }

    /// <summary>Factors A + σI given as n² row-major values (not modified).</summary>
    /// <param name="a">The n×n matrix, row-major.</param>
    /// <param name="shift">σ, added to the diagonal (zero for A itself).</param>
    /// <returns>True when A + σI is positive definite.</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> does not hold n² values.</exception>
    public bool Factor(ReadOnlySpan<T> a, T shift)
    {
        if (a.Length != factor.Length)
        {
            throw new ArgumentException(Invariant($"{Operation}: {a.Length} values for a {Size}×{Size} matrix; expected {factor.Length}."), nameof(a));
        }

        a.CopyTo(factor);
        if (shift != T.Zero)
        {
            for (int k = 0; k < Size; k++)
            {
                factor[(k * Size) + k] += shift;
            }
        }

        failedColumn = Cholesky.Factor<T>(factor, Size);
        return failedColumn == -1;
    }

    /// <summary>log det A = 2 Σ log uₖₖ (0 for a 0×0 matrix); it does not overflow where det A would.</summary>
    /// <returns>The logarithm of the determinant.</returns>
    /// <exception cref="InvalidOperationException">The last factorization failed, or there was none.</exception>
    public T LogDeterminant()
    {
        RequireFactored();
        return Cholesky.LogDeterminant<T>(factor, Size);
    }

    /// <summary>The factor U (A = UᵀU) as a new upper-triangular matrix, zeros below the diagonal.</summary>
    /// <returns>A new n×n matrix.</returns>
    /// <exception cref="InvalidOperationException">The last factorization failed, or there was none.</exception>
    public Matrix<T> UpperFactor()
    {
        RequireFactored();
        var u = new Matrix<T>(Size, Size);
        for (int i = 0; i < Size; i++)
        {
            factor.AsSpan((i * Size) + i, Size - i).CopyTo(u.Data.AsSpan((i * Size) + i, Size - i));
        }

        return u;
    }

    /// <summary>x = A⁻¹ b.</summary>
    /// <param name="b">A right-hand side of length n.</param>
    /// <returns>A new vector x with A x = b.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have length n.</exception>
    /// <exception cref="InvalidOperationException">The last factorization failed, or there was none.</exception>
    public Vector<T> Solve(Vector<T> b)
    {
        Vector<T>? x = null;
        return Solve(b, ref x);
    }

    /// <summary>x = A⁻¹ b into <paramref name="destination"/> (reused when its length is n: nothing allocated).</summary>
    /// <param name="b">A right-hand side of length n.</param>
    /// <param name="destination">The result's slot; it may be <paramref name="b"/> itself (an in-place solve).</param>
    /// <returns>The destination, x with A x = b.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have length n.</exception>
    /// <exception cref="InvalidOperationException">The last factorization failed, or there was none.</exception>
    public Vector<T> Solve(Vector<T> b, ref Vector<T>? destination)
    {
        ArgumentNullException.ThrowIfNull(b);
        ThrowHelper.RequireRightHandSide(Size, b.Length, 1, Operation);
        RequireFactored();
        if (destination is null || destination.Length != Size)
        {
            destination = new Vector<T>(Size);
        }

        b.Data.CopyTo(destination.Data, 0);
        Cholesky.SolveVector<T>(factor, destination.Data, Size);
        return destination;
    }

    /// <summary>X = A⁻¹ B.</summary>
    /// <param name="b">An n×p right-hand side.</param>
    /// <returns>A new n×p matrix X with A X = B.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n rows.</exception>
    /// <exception cref="InvalidOperationException">The last factorization failed, or there was none.</exception>
    public Matrix<T> Solve(Matrix<T> b)
    {
        Matrix<T>? x = null;
        return Solve(b, ref x);
    }

    /// <summary>X = A⁻¹ B into <paramref name="destination"/> (reused when it is n×p: nothing allocated).</summary>
    /// <param name="b">An n×p right-hand side.</param>
    /// <param name="destination">The result's slot; it may be <paramref name="b"/> itself (an in-place solve).</param>
    /// <returns>The destination, X with A X = B.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n rows.</exception>
    /// <exception cref="InvalidOperationException">The last factorization failed, or there was none.</exception>
    public Matrix<T> Solve(Matrix<T> b, ref Matrix<T>? destination)
    {
        ArgumentNullException.ThrowIfNull(b);
        ThrowHelper.RequireRightHandSide(Size, b.Rows, b.Cols, Operation);
        RequireFactored();
        if (destination is null || destination.Rows != Size || destination.Cols != b.Cols)
        {
            destination = new Matrix<T>(Size, b.Cols);
        }

        b.Data.CopyTo(destination.Data, 0);
        Cholesky.Solve<T>(factor, destination.Data, Size, b.Cols);
        return destination;
    }

    /// <summary>x = A⁻¹ b on spans (<paramref name="b"/> and <paramref name="x"/> may be the same span).</summary>
    /// <param name="b">n values.</param>
    /// <param name="x">n values, overwritten with A⁻¹ b.</param>
    /// <exception cref="ArgumentException">A span does not have length n.</exception>
    /// <exception cref="InvalidOperationException">The last factorization failed, or there was none.</exception>
    public void Solve(ReadOnlySpan<T> b, Span<T> x)
    {
        ThrowHelper.RequireRightHandSide(Size, b.Length, 1, Operation);
        ThrowHelper.RequireRightHandSide(Size, x.Length, 1, Operation);
        RequireFactored();
        b.CopyTo(x);
        Cholesky.SolveVector(factor, x, Size);
    }

    private void RequireOrder(int rows, int cols, string paramName)
    {
        if (rows != Size || cols != Size)
        {
            ThrowHelper.ThrowShapeMismatch(Operation, "the factorization", ThrowHelper.Shape(Size, Size),
                "A", ThrowHelper.Shape(rows, cols), "the shapes must match", paramName);
        }
    }

    private void RequireFactored()
    {
        if (failedColumn == -2)
        {
            throw new InvalidOperationException($"{Operation}: nothing has been factored yet.");
        }

        if (failedColumn >= 0)
        {
            throw new InvalidOperationException(Invariant(
                $"{Operation}: the matrix is not positive definite (pivot in column {failedColumn} is not positive)."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
