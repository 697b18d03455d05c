using System;
using System.Numerics;
using AutoGradGen.Kernels;

namespace AutoGradGen.Compute;

/// <summary>
/// The operation an LU factorization serves. Its name starts every error message of the factorization
/// (<c>Inverse: the matrix is singular (zero pivot in column 1).</c>), so a user sees the function they called.
/// </summary>
public enum MatrixOperation
{
    /// <summary>A plain factorization (messages start with "LU").</summary>
    Lu,

    /// <summary>A⁻¹ (<see cref="Ops.Inverse{T}(Matrix{T})"/>).</summary>
    Inverse,

    /// <summary>A⁻¹B (<c>Ops.Solve</c>).</summary>
    Solve,

    /// <summary>det A (<see cref="Ops.Det{T}(Matrix{T})"/>).</summary>
    Det,

    /// <summary>log |det A| (<see cref="Ops.LogDet{T}(Matrix{T})"/>).</summary>
    LogDet,
}

/// <summary>
/// LU factorization with partial pivoting, P A = L U: the one implementation behind
/// <see cref="Ops.Inverse{T}(Matrix{T})"/>, <c>Ops.Solve</c>, <see cref="Ops.Det{T}(Matrix{T})"/>
/// and <see cref="Ops.LogDet{T}(Matrix{T})"/>. Generated code factors once and reuses the factors in the
/// backward pass (A⁻ᵀ for ∇ log|det A|, solves with Aᵀ for ∇ of A⁻¹B), and in a workspace refactors
/// in place (<c>Factor(a, operation, ref factorization)</c>).
/// </summary>
public static class Factorization
{
    /// <summary>
    /// Factors a square matrix (the input is not modified). Never throws for a singular matrix:
    /// an exactly-zero pivot is recorded in <see cref="LuFactorization{T}.IsSingular"/>, as LAPACK
    /// <c>getrf</c> does, and elimination goes on with the next column.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The square matrix A.</param>
    /// <param name="operation">
    /// The user-facing operation this factorization serves (<see cref="MatrixOperation.Inverse"/>,
    /// <see cref="MatrixOperation.Solve"/>, …); its name starts every error message, including that of
    /// <see cref="SingularMatrixException"/>.
    /// </param>
    /// <returns>The factors L, U and the row permutation P.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square (the message names its shape).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="operation"/> is not a defined value.</exception>
    public static LuFactorization<T> Factor<T>(Matrix<T> a, MatrixOperation operation = MatrixOperation.Lu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LuFactorization<T>? factors = null;
        return Factor(a, operation, ref factors);
    }

    /// <summary>
    /// Factors a square matrix into a reusable factorization: when <paramref name="destination"/> already
    /// has the matrix's size its storage is overwritten (nothing is allocated), otherwise a new one is made.
    /// The factors it held before are gone: results computed from them earlier are unaffected.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The square matrix A (not modified).</param>
    /// <param name="operation">The user-facing operation this factorization serves; it starts every error message.</param>
    /// <param name="destination">The factorization's slot (reused when its <see cref="LuFactorization{T}.Size"/> matches).</param>
    /// <returns>The destination, now holding P A = L U.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square (the message names its shape).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="operation"/> is not a defined value.</exception>
    public static LuFactorization<T> Factor<T>(Matrix<T> a, MatrixOperation operation, ref LuFactorization<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ThrowHelper.RequireSquare(a, Name(operation));
        if (destination is null || destination.Size != a.Rows)
        {
            destination = new LuFactorization<T>(a.Rows);
        }

        destination.Refactor(a.Data, operation);
        return destination;
    }

    /// <summary>A⁻¹ by LU with partial pivoting.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A square matrix.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square.</exception>
    /// <exception cref="SingularMatrixException"><paramref name="a"/> is exactly singular.</exception>
    public static Matrix<T> Inverse<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Factor(a, MatrixOperation.Inverse).Inverse();

    /// <summary>A⁻¹B without forming A⁻¹.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A square n×n matrix.</param>
    /// <param name="b">An n×p right-hand side.</param>
    /// <returns>A new n×p matrix.</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square, or <paramref name="b"/> does not have n rows.</exception>
    /// <exception cref="SingularMatrixException"><paramref name="a"/> is exactly singular.</exception>
    public static Matrix<T> Solve<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ThrowHelper.RequireSquare(a, "Solve");
        ThrowHelper.RequireRightHandSide(a.Rows, b.Rows, b.Cols, "Solve");
        return Factor(a, MatrixOperation.Solve).Solve(b);
    }

    /// <summary>A⁻¹b without forming A⁻¹.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A square n×n matrix.</param>
    /// <param name="b">A right-hand side of length n.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square, or <paramref name="b"/> does not have length n.</exception>
    /// <exception cref="SingularMatrixException"><paramref name="a"/> is exactly singular.</exception>
    public static Vector<T> Solve<T>(Matrix<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ThrowHelper.RequireSquare(a, "Solve");
        ThrowHelper.RequireRightHandSide(a.Rows, b.Length, 1, "Solve");
        return Factor(a, MatrixOperation.Solve).Solve(b);
    }

    /// <summary>det A by LU (0 when exactly singular, 1 for 0×0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A square matrix.</param>
    /// <returns>The determinant.</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square.</exception>
    public static T Det<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Factor(a, MatrixOperation.Det).Determinant();

    /// <summary>log |det A| by LU (−∞ when exactly singular, 0 for 0×0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A square matrix.</param>
    /// <returns>The logarithm of the absolute determinant.</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square.</exception>
    public static T LogDet<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Factor(a, MatrixOperation.LogDet).LogAbsDeterminant();

    /// <summary>The name that starts the messages of <paramref name="operation"/> (no allocation).</summary>
    internal static string Name(MatrixOperation operation) => operation switch
    {
        MatrixOperation.Lu => "LU",
        MatrixOperation.Inverse => "Inverse",
        MatrixOperation.Solve => "Solve",
        MatrixOperation.Det => "Det",
        MatrixOperation.LogDet => "LogDet",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown matrix operation."),
    };
}

/// <summary>
/// The result of <see cref="Factorization.Factor{T}(Matrix{T}, MatrixOperation)"/>: P A = L U, with L unit lower
/// triangular and U upper triangular stored together in one n×n array, and P a row permutation.
/// Solves with A and with Aᵀ reuse the same factors; nothing here forms an inverse unless asked.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Solves and inverses of a singular factorization throw <see cref="SingularMatrixException"/>
/// whose message starts with the name of the operation given to <see cref="Factorization.Factor{T}(Matrix{T}, MatrixOperation)"/>;
/// so does <see cref="LogAbsDeterminant"/> (log 0 = −∞ has no gradient), while <see cref="Determinant"/> returns 0.
/// <para>
/// <c>Factorization.Factor(a, operation, ref factorization)</c> refactors an existing object of the right size in
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

    /// <summary>
    /// log |det A| = Σ log |uᵢᵢ|; 0 for a 0×0 matrix; fine for a negative determinant. An exactly singular
    /// matrix throws, as its gradient A⁻ᵀ does: log|det A| would be −∞, and the value and the gradient of
    /// <c>LogDet</c> behave the same.
    /// </summary>
    /// <returns>The logarithm of the absolute determinant.</returns>
    /// <exception cref="SingularMatrixException">A pivot is exactly zero (the message starts with the operation).</exception>
    public T LogAbsDeterminant()
    {
        RequireNonSingular();

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
        var x = Dense.Ensure(ref destination, Size, b.Cols);
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
        var x = Dense.Ensure(ref destination, Size);
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
        var x = Dense.Ensure(ref destination, Size, b.Cols);
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
        var x = Dense.Ensure(ref destination, Size);
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
        var x = Dense.Ensure(ref destination, Size, Size);
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
        var x = Dense.Ensure(ref destination, Size, Size);
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
    internal void Refactor(ReadOnlySpan<T> a, MatrixOperation operation)
    {
        a.CopyTo(lu);
        (oddSwaps, firstZeroPivot) = Lu.Decompose<T>(lu, permutation, pivots, Size);
        this.operation = Factorization.Name(operation);
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
            TriangularSolve.Rows<T>(lu, x, Size, width, TriangularPair.LowerUnitThenUpper);
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
            TriangularSolve.Rows<T>(lu, x, Size, width, TriangularPair.UpperTransposedThenLowerUnitTransposed);
        }
    }
}
