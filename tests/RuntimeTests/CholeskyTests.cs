using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The Cholesky kernel and <see cref="CholeskyFactorization{T}"/> against an independent reference: a plain
/// triple-loop Cholesky–Banachiewicz (A = L Lᵀ, row by row) in double, on every size 1..67 and 0, and
/// solves checked by their residual in double. Non-positive-definite input must be reported, not thrown.
/// </summary>
public abstract class CholeskyTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly int[] Widths = [0, 1, 2, 5, 17];

    private static double Eps => typeof(T) == typeof(float) ? 1.1920929e-7 : 2.220446049250313e-16;

    /// <summary>A = B Bᵀ + n I with B uniform in [−1, 1): symmetric positive definite, condition number O(n).</summary>
    internal static double[,] RandomSpd(int n, int seed)
    {
        var random = new Random(seed);
        var b = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                b[i, j] = (random.NextDouble() * 2) - 1;
            }
        }

        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = i == j ? n : 0;
                for (int k = 0; k < n; k++)
                {
                    sum += b[i, k] * b[j, k];
                }

                a[i, j] = sum;
            }
        }

        return a;
    }

    /// <summary>The reference: L lower triangular with A = L Lᵀ, or null when a pivot is not positive.</summary>
    internal static double[,]? ReferenceLower(double[,] a)
    {
        int n = a.GetLength(0);
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                if (i == j)
                {
                    if (!(sum > 0))
                    {
                        return null;
                    }

                    l[i, i] = Math.Sqrt(sum);
                }
                else
                {
                    l[i, j] = sum / l[j, j];
                }
            }
        }

        return l;
    }

    private static Matrix<T> ToMatrix(double[,] a)
    {
        var m = new Matrix<T>(a.GetLength(0), a.GetLength(1));
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Cols; j++)
            {
                m[i, j] = T.CreateChecked(a[i, j]);
            }
        }

        return m;
    }

    /// <summary>A rounded to T and back, so the reference factors exactly the matrix the kernel sees.</summary>
    private static double[,] Rounded(double[,] a) => ToDouble(ToMatrix(a));

    private static double[,] ToDouble(Matrix<T> m)
    {
        var a = new double[m.Rows, m.Cols];
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Cols; j++)
            {
                a[i, j] = double.CreateChecked(m[i, j]);
            }
        }

        return a;
    }

    private static double MaxAbs(double[,] a)
    {
        double max = 0;
        foreach (double x in a)
        {
            max = Math.Max(max, Math.Abs(x));
        }

        return max;
    }

    [Fact]
    public void FactorMatchesReferenceOnEverySizeUpTo67()
    {
        for (int n = 0; n <= 67; n++)
        {
            double[,] a = Rounded(RandomSpd(n, seed: 100 + n));
            var factorization = new CholeskyFactorization<T>(n);
            var input = ToMatrix(a);
            Assert.True(factorization.Factor(input), $"n = {n}: reported not positive definite");
            Assert.True(factorization.IsPositiveDefinite);
            Assert.Equal(-1, factorization.FailedColumn);
            Assert.Equal(a, ToDouble(input)); // the input is not modified

            double[,] l = ReferenceLower(a)!;
            double[,] u = ToDouble(factorization.UpperFactor());
            double scale = Math.Sqrt(MaxAbs(a));
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double expected = j >= i ? l[j, i] : 0; // U = Lᵀ
                    double tolerance = 16 * (n + 1) * Eps * scale;
                    Assert.True(Math.Abs(u[i, j] - expected) <= tolerance,
                        $"n = {n}, U[{i},{j}] = {u[i, j]:R}, reference {expected:R}, tolerance {tolerance:G3}");
                }
            }
        }
    }

    [Fact]
    public void SolvesHaveSmallResidual()
    {
        foreach (int n in new[] { 1, 2, 3, 7, 8, 16, 17, 31, 33, 64, 67 })
        {
            double[,] a = Rounded(RandomSpd(n, seed: 200 + n));
            var factorization = new CholeskyFactorization<T>(n);
            Assert.True(factorization.Factor(ToMatrix(a)));
            foreach (int p in Widths)
            {
                double[,] b = Rounded(RandomRectangle(n, p, seed: 300 + p));
                var x = factorization.Solve(ToMatrix(b));
                Assert.Equal(n, x.Rows);
                Assert.Equal(p, x.Cols);
                AssertResidual(a, ToDouble(x), b, $"n = {n}, {p} columns");
            }

            double[,] column = Rounded(RandomRectangle(n, 1, seed: 400 + n));
            var vector = new Vector<T>(n);
            for (int i = 0; i < n; i++)
            {
                vector[i] = T.CreateChecked(column[i, 0]);
            }

            var solved = factorization.Solve(vector);
            var asColumn = new double[n, 1];
            for (int i = 0; i < n; i++)
            {
                asColumn[i, 0] = double.CreateChecked(solved[i]);
            }

            AssertResidual(a, asColumn, column, $"n = {n}, vector");
        }
    }

    [Fact]
    public void DestinationAndSpanFormsAgreeWithTheAllocatingForm()
    {
        const int n = 9;
        var factorization = new CholeskyFactorization<T>(n);
        Assert.True(factorization.Factor(ToMatrix(RandomSpd(n, seed: 5))));
        var b = ToMatrix(RandomRectangle(n, 1, seed: 6));
        var vector = new Vector<T>(n);
        b.AsSpan().CopyTo(vector.AsSpan());
        var expected = factorization.Solve(vector).ToArray();

        Vector<T>? destination = new Vector<T>(n);
        var kept = destination;
        factorization.Solve(vector, ref destination);
        Assert.Same(kept, destination);
        Assert.Equal(expected, destination!.ToArray());

        var span = new T[n];
        factorization.Solve(vector.AsSpan(), span);
        Assert.Equal(expected, span);

        var inPlace = vector.Clone();
        Vector<T>? alias = inPlace;
        factorization.Solve(inPlace, ref alias);
        Assert.Equal(expected, inPlace.ToArray());

        Matrix<T>? matrixDestination = new Matrix<T>(n, 1);
        var keptMatrix = matrixDestination;
        factorization.Solve(b, ref matrixDestination);
        Assert.Same(keptMatrix, matrixDestination);
        Assert.Equal(expected, matrixDestination!.AsSpan().ToArray());
    }

    [Fact]
    public void RefactoringAndSolvingAllocateNothing()
    {
        const int n = 33;
        var factorization = new CholeskyFactorization<T>(n);
        var a = ToMatrix(RandomSpd(n, seed: 7));
        var b = new T[n];
        var x = new T[n];
        factorization.Factor(a);
        factorization.Solve(b, x);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            factorization.Factor(a.AsSpan(), T.One);
            factorization.Solve(b, x);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void LogDeterminantMatchesTheReference()
    {
        foreach (int n in new[] { 0, 1, 4, 17, 40 })
        {
            double[,] a = Rounded(RandomSpd(n, seed: 500 + n));
            double[,] l = ReferenceLower(a)!;
            double expected = 0;
            for (int i = 0; i < n; i++)
            {
                expected += 2 * Math.Log(l[i, i]);
            }

            var factorization = new CholeskyFactorization<T>(n);
            Assert.True(factorization.Factor(ToMatrix(a)));
            double actual = double.CreateChecked(factorization.LogDeterminant());
            Assert.True(Math.Abs(actual - expected) <= 64 * (n + 1) * Eps * Math.Max(1, Math.Abs(expected)), $"n = {n}: {actual} vs {expected}");
        }
    }

    [Fact]
    public void ShiftFactorsAPlusSigmaI()
    {
        // A = [[1, 2], [2, 1]] has eigenvalues 3 and −1: not positive definite; A + 2I has 5 and 1.
        var a = ToMatrix(new double[,] { { 1, 2 }, { 2, 1 } });
        var factorization = new CholeskyFactorization<T>(2);
        Assert.False(factorization.Factor(a));
        Assert.True(factorization.Factor(a, T.CreateChecked(2)));
        double[,] u = ToDouble(factorization.UpperFactor());
        double[,] l = ReferenceLower(new double[,] { { 3, 2 }, { 2, 3 } })!;
        Assert.Equal(l[0, 0], u[0, 0], 1e-6);
        Assert.Equal(l[1, 0], u[0, 1], 1e-6);
        Assert.Equal(l[1, 1], u[1, 1], 1e-6);
        Assert.Equal(0, u[1, 0]);
    }

    [Fact]
    public void NotPositiveDefiniteIsReportedNotThrown()
    {
        foreach (int n in new[] { 1, 2, 5, 16, 33, 67 })
        {
            // B Bᵀ + nI − (λ + 1) e_k e_kᵀ-ish: subtract enough from one diagonal entry that the matrix is indefinite.
            double[,] a = RandomSpd(n, seed: 600 + n);
            int k = n / 2;
            a[k, k] = -1;
            var factorization = new CholeskyFactorization<T>(n);
            Assert.False(factorization.Factor(ToMatrix(a)), $"n = {n}");
            Assert.False(factorization.IsPositiveDefinite);
            Assert.Null(ReferenceLower(Rounded(a)));
            Assert.InRange(factorization.FailedColumn, 0, k);
            var error = Assert.Throws<InvalidOperationException>(() => factorization.Solve(new Vector<T>(n)));
            Assert.StartsWith("Cholesky: the matrix is not positive definite", error.Message);
        }
    }

    [Fact]
    public void ZeroSingularAndNaNMatricesFail()
    {
        var factorization = new CholeskyFactorization<T>(3);
        Assert.False(factorization.Factor(new Matrix<T>(3, 3)));
        Assert.Equal(0, factorization.FailedColumn);

        // Positive semidefinite and singular: [1 1; 1 1] ⊕ [1] has a zero pivot in column 1.
        Assert.False(factorization.Factor(ToMatrix(new double[,] { { 1, 1, 0 }, { 1, 1, 0 }, { 0, 0, 1 } })));
        Assert.Equal(1, factorization.FailedColumn);

        var nan = Matrix<T>.Identity(3);
        nan[2, 2] = T.NaN;
        Assert.False(factorization.Factor(nan));
        Assert.Equal(2, factorization.FailedColumn);
        Assert.False(factorization.Factor(Matrix<T>.Identity(3), T.NaN));
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        Assert.Throws<InvalidOperationException>(() => new CholeskyFactorization<T>(2).Solve(new Vector<T>(2)));
        var factorization = new CholeskyFactorization<T>(2);
        Assert.Throws<ArgumentException>(() => factorization.Factor(new Matrix<T>(3, 3)));
        Assert.Throws<ArgumentException>(() => factorization.Factor(new T[3], T.Zero));
        Assert.True(factorization.Factor(Matrix<T>.Identity(2)));
        Assert.Throws<ArgumentException>(() => factorization.Solve(new Vector<T>(3)));
        Assert.Throws<ArgumentException>(() => factorization.Solve(new Matrix<T>(3, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CholeskyFactorization<T>(-1));
    }

    private static double[,] RandomRectangle(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        var b = new double[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                b[i, j] = (random.NextDouble() * 2) - 1;
            }
        }

        return b;
    }

    /// <summary>‖A X − B‖∞ ≤ 16 (n + 1) ε (‖A‖∞ ‖X‖∞ + ‖B‖∞), in double (Cholesky is backward stable).</summary>
    private static void AssertResidual(double[,] a, double[,] x, double[,] b, string context)
    {
        int n = a.GetLength(0), p = x.GetLength(1);
        double residual = 0, normA = 0, normX = 0, normB = 0;
        for (int i = 0; i < n; i++)
        {
            double rowA = 0, rowX = 0, rowB = 0;
            for (int j = 0; j < p; j++)
            {
                double sum = -b[i, j];
                for (int k = 0; k < n; k++)
                {
                    sum += a[i, k] * x[k, j];
                }

                residual = Math.Max(residual, Math.Abs(sum));
                rowX += Math.Abs(x[i, j]);
                rowB += Math.Abs(b[i, j]);
            }

            for (int k = 0; k < n; k++)
            {
                rowA += Math.Abs(a[i, k]);
            }

            (normA, normX, normB) = (Math.Max(normA, rowA), Math.Max(normX, rowX), Math.Max(normB, rowB));
        }

        double bound = 16 * (n + 1) * Eps * ((normA * normX) + normB);
        Assert.True(residual <= bound, $"{context} ({typeof(T).Name}): residual {residual:G3} > {bound:G3}");
    }
}

/// <summary>Cholesky in single precision.</summary>
public sealed class CholeskyTestsFloat : CholeskyTests<float>
{
}

/// <summary>Cholesky in double precision.</summary>
public sealed class CholeskyTestsDouble : CholeskyTests<double>
{
}
