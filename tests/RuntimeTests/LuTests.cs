using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// LU with partial pivoting and everything built on it: Inverse, Solve, Det, LogDet, the transposed
/// solves. Solves are checked by their residual (backward error, which LU with partial pivoting
/// keeps at O(n ε)), determinants against Leibniz, cofactor and an independent elimination in double.
/// </summary>
public abstract class LuTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly int[] RightHandWidths = [0, 1, 2, 5, 17];

    private static T V(double x) => T.CreateChecked(x);

    private static Matrix<T> M(double[,] values) => Matrix<T>.FromArray(Inputs.FromDoubles<T>(values));

    /// <summary>‖op(A) X − B‖∞ ≤ c n ε (‖A‖∞ ‖X‖∞ + ‖B‖∞), computed in double.</summary>
    private static void AssertSmallResidual(double[,] a, Matrix<T> x, double[,] b, string context)
    {
        int n = a.GetLength(0);
        var xd = Naive.ToDouble(x.ToArray());
        var ax = Naive.Multiply(a, xd);
        double residual = Naive.MaxAbs(Naive.Zip(ax, b, (p, q) => p - q));
        double scale = (Naive.NormInf(a) * Naive.NormInf(xd)) + Naive.NormInf(b);
        double bound = Near.Tol<T>(8 * (n + 1)) * scale;
        Assert.True(residual <= bound, $"{context} ({typeof(T).Name}): residual {residual:G3} > {bound:G3}");
    }

    [Fact]
    public void SolveMatrixHasSmallResidual()
    {
        foreach (int n in Shapes.SquareSizes)
        {
            foreach (int p in RightHandWidths)
            {
                var a = Inputs.RandomMatrix<T>(n, n, seed: 1000 + n);
                var b = Inputs.RandomMatrix<T>(n, p, seed: 2000 + p);
                var ma = Matrix<T>.FromArray(a);
                var mb = Matrix<T>.FromArray(b);
                var x = Solve(ma, mb);
                Assert.Equal(n, x.Rows);
                Assert.Equal(p, x.Cols);
                AssertSmallResidual(Naive.ToDouble(a), x, Naive.ToDouble(b), $"Solve {n}×{n}, {p} columns");
                Assert.Equal(a, ma.ToArray());
                Assert.Equal(b, mb.ToArray());
            }
        }
    }

    [Fact]
    public void SolveVectorHasSmallResidual()
    {
        foreach (int n in Shapes.SquareSizes)
        {
            var a = Inputs.RandomMatrix<T>(n, n, seed: 3000 + n);
            var b = Inputs.RandomArray<T>(n, seed: 4000 + n);
            var x = Solve(Matrix<T>.FromArray(a), Vector<T>.FromArray(b));
            var xm = Matrix<T>.FromArray(Inputs.FromDoubles<T>(Naive.Column(Naive.ToDouble(x.ToArray()))));
            AssertSmallResidual(Naive.ToDouble(a), xm, Naive.Column(Naive.ToDouble(b)), $"Solve vector {n}");
        }
    }

    [Fact]
    public void SolveTransposedHasSmallResidual()
    {
        foreach (int n in Shapes.SquareSizes)
        {
            var a = Inputs.RandomMatrix<T>(n, n, seed: 5000 + n);
            var lu = Factorization.Factor(Matrix<T>.FromArray(a));
            var at = Naive.Transpose(Naive.ToDouble(a));
            foreach (int p in RightHandWidths)
            {
                var b = Inputs.RandomMatrix<T>(n, p, seed: 6000 + p);
                AssertSmallResidual(at, lu.SolveTransposed(Matrix<T>.FromArray(b)), Naive.ToDouble(b), $"SolveTransposed {n}, {p}");
            }

            var bv = Inputs.RandomArray<T>(n, seed: 7000 + n);
            var xv = lu.SolveTransposed(Vector<T>.FromArray(bv));
            var xm = Matrix<T>.FromArray(Inputs.FromDoubles<T>(Naive.Column(Naive.ToDouble(xv.ToArray()))));
            AssertSmallResidual(at, xm, Naive.Column(Naive.ToDouble(bv)), $"SolveTransposed vector {n}");
        }
    }

    [Fact]
    public void InverseTimesAIsIdentity()
    {
        foreach (int n in Shapes.SquareSizes)
        {
            var a = Inputs.RandomMatrix<T>(n, n, seed: 8000 + n);
            var ad = Naive.ToDouble(a);
            var inverse = Inverse(Matrix<T>.FromArray(a));
            var id = Naive.ToDouble(Matrix<T>.Identity(n).ToArray());
            var inverseD = Naive.ToDouble(inverse.ToArray());
            double bound = Near.Tol<T>(8 * (n + 1)) * Naive.NormInf(ad) * Naive.NormInf(inverseD);
            double left = Naive.MaxAbs(Naive.Zip(Naive.Multiply(inverseD, ad), id, (p, q) => p - q));
            double right = Naive.MaxAbs(Naive.Zip(Naive.Multiply(ad, inverseD), id, (p, q) => p - q));
            Assert.True(left <= bound, $"A⁻¹A − I = {left:G3} > {bound:G3} at n = {n}");
            Assert.True(right <= bound, $"AA⁻¹ − I = {right:G3} > {bound:G3} at n = {n}");

            var inverseT = Naive.ToDouble(Factorization.Factor(Matrix<T>.FromArray(a)).InverseTransposed().ToArray());
            double transposed = Naive.MaxAbs(Naive.Zip(Naive.Multiply(Naive.Transpose(ad), inverseT), id, (p, q) => p - q));
            Assert.True(transposed <= bound, $"AᵀA⁻ᵀ − I = {transposed:G3} > {bound:G3} at n = {n}");
        }
    }

    [Fact]
    public void PivotingHandlesZeroAndTinyLeadingEntries()
    {
        var swap = M(new double[,] { { 0, 1 }, { 1, 0 } });
        Assert.Equal(swap.ToArray(), Inverse(swap).ToArray());
        Assert.Equal(V(-1), Det(swap));
        Assert.Equal(T.Zero, LogDet(swap));

        // Without row exchanges this loses every digit: 1 − 1/ε swamps the second row.
        double tiny = typeof(T) == typeof(float) ? 1e-10 : 1e-20;
        var a = M(new double[,] { { tiny, 1 }, { 1, 1 } });
        var x = Solve(a, Vector<T>.FromArray([V(1), V(2)]));
        Near.VectorEqual([1, 1], x, Near.Tol<T>(4), "tiny pivot");

        var cyclic = M(new double[,] { { 0, 0, 2 }, { 3, 0, 0 }, { 0, 5, 0 } });
        Assert.Equal(V(30), Det(cyclic));
        Near.MatrixEqual(new double[,] { { 0, 1.0 / 3, 0 }, { 0, 0, 0.2 }, { 0.5, 0, 0 } }, Inverse(cyclic), Near.Tol<T>(2), "cyclic⁻¹");
    }

    [Fact]
    public void DetMatchesLeibnizAndCofactorExpansion()
    {
        for (int n = 0; n <= 7; n++)
        {
            for (int seed = 0; seed < 4; seed++)
            {
                var a = Inputs.RandomMatrix<T>(n, n, seed: (100 * n) + seed, lo: -2, hi: 2);
                var ad = Naive.ToDouble(a);
                double leibniz = Naive.LeibnizDet(ad);
                double cofactor = Naive.CofactorDet(ad);
                Assert.True(Math.Abs(leibniz - cofactor) <= 1e-12 * (1 + Math.Abs(leibniz)), "the two references disagree");

                // Hadamard's bound ∏‖rowᵢ‖ scales the rounding error of any elimination.
                double hadamard = 1;
                for (int i = 0; i < n; i++)
                {
                    hadamard *= Math.Sqrt(Enumerable.Range(0, n).Sum(j => ad[i, j] * ad[i, j]));
                }

                var m = Matrix<T>.FromArray(a);
                Near.ScalarWithin(leibniz, Det(m), Near.Tol<T>(16 * (n + 1)) * hadamard, $"Det {n}×{n} seed {seed}");
                Near.ScalarWithin(leibniz, Factorization.Factor(m).Determinant(), Near.Tol<T>(16 * (n + 1)) * hadamard, $"Determinant {n}×{n}");
                if (Math.Abs(leibniz) > 1e-2 * hadamard)
                {
                    Near.ScalarWithin(Math.Log(Math.Abs(leibniz)), LogDet(m), 1e-2, $"LogDet {n}×{n} seed {seed}");
                }
            }
        }
    }

    [Fact]
    public void LogDetMatchesIndependentEliminationIncludingNegativeDeterminants()
    {
        int negatives = 0;
        foreach (int n in Shapes.SquareSizes)
        {
            for (int seed = 0; seed < 2; seed++)
            {
                var a = Inputs.RandomMatrix<T>(n, n, seed: (1000 * seed) + n);
                double expected = Naive.LogAbsDetByElimination(Naive.ToDouble(a), out int sign);
                var m = Matrix<T>.FromArray(a);
                double tol = Near.Tol<T>(64 * (n + 1) * (n + 1));
                Near.ScalarWithin(expected, LogDet(m), tol, $"LogDet {n}×{n} seed {seed}");
                Near.ScalarWithin(expected, Factorization.Factor(m).LogAbsDeterminant(), tol, $"LogAbsDeterminant {n}×{n}");
                T det = Det(m);
                Assert.Equal(sign, T.Sign(det));
                Near.ScalarWithin(expected, Math.Log(Math.Abs(Naive.D(det))), tol, $"log|Det| {n}×{n}");
                negatives += sign < 0 ? 1 : 0;
            }
        }

        Assert.True(negatives >= 5, "the sample should contain negative determinants");
    }

    [Fact]
    public void HandComputedDeterminants()
    {
        var a = M(new double[,] { { 1, 2 }, { 3, 4 } });
        Near.ScalarEqual(-2, Det(a), Near.Tol<T>(4), "det [[1,2],[3,4]]");
        Near.ScalarEqual(Math.Log(2), LogDet(a), Near.Tol<T>(4), "log|det| [[1,2],[3,4]]");
        var b = M(new double[,] { { 2, 0, 0 }, { 1, -3, 0 }, { 4, 5, 0.5 } });
        Near.ScalarEqual(-3, Det(b), Near.Tol<T>(4), "triangular");
        Near.ScalarEqual(Math.Log(3), LogDet(b), Near.Tol<T>(4), "triangular log");
        Near.ScalarEqual(7, Det(M(new double[,] { { 7 } })), 0, "1×1");
        Near.ScalarEqual(-7, Det(M(new double[,] { { -7 } })), 0, "1×1 negative");
    }

    [Fact]
    public void EmptyMatrixIsTheEmptyProduct()
    {
        var empty = new Matrix<T>(0, 0);
        Assert.Equal(T.One, Det(empty));
        Assert.Equal(T.Zero, LogDet(empty));
        var inverse = Inverse(empty);
        Assert.Equal(0, inverse.Rows);
        Assert.Equal(0, inverse.Cols);
        var x = Solve(empty, new Matrix<T>(0, 3));
        Assert.Equal(0, x.Rows);
        Assert.Equal(3, x.Cols);
        Assert.Equal(0, Solve(empty, new Vector<T>(0)).Length);
        var lu = Factorization.Factor(empty);
        Assert.Equal(0, lu.Size);
        Assert.False(lu.IsSingular);
        Assert.Equal(0, lu.InverseTransposed().Rows);
    }

    public static TheoryData<double[,], int> SingularMatrices() => new()
    {
        { new double[,] { { 1, 2 }, { 2, 4 } }, 1 },
        { new double[,] { { 0 } }, 0 },
        { new double[,] { { 0, 0 }, { 0, 0 } }, 0 },
        { new double[,] { { 1, 2, 3 }, { 1, 2, 3 }, { 4, 5, 6 } }, 2 },
        { new double[,] { { 1, 0, 2 }, { 3, 0, 4 }, { 5, 0, 7 } }, 1 },
    };

    [Theory]
    [MemberData(nameof(SingularMatrices))]
    public void SingularMatrixIsReportedNotThrownByFactor(double[,] values, int zeroPivotColumn)
    {
        var a = M(values);
        var lu = Factorization.Factor(a, MatrixOperation.Det);
        Assert.True(lu.IsSingular);
        Assert.Equal(T.Zero, lu.Determinant());
        Assert.Equal(T.Zero, Det(a));

        int n = a.Rows;
        // log|det A| = −∞ has no gradient: LogDet throws like the solves its gradient needs.
        AssertSingular("Det", zeroPivotColumn, () => lu.LogAbsDeterminant());
        AssertSingular("LogDet", zeroPivotColumn, () => LogDet(a));
        AssertSingular("Inverse", zeroPivotColumn, () => Inverse(a));
        AssertSingular("Solve", zeroPivotColumn, () => Solve(a, new Matrix<T>(n, 2)));
        AssertSingular("Solve", zeroPivotColumn, () => Solve(a, new Vector<T>(n)));
        AssertSingular("Det", zeroPivotColumn, () => lu.Solve(new Matrix<T>(n, 1)));
        AssertSingular("Det", zeroPivotColumn, () => lu.Solve(new Vector<T>(n)));
        AssertSingular("Det", zeroPivotColumn, () => lu.SolveTransposed(new Matrix<T>(n, 3)));
        AssertSingular("Det", zeroPivotColumn, () => lu.SolveTransposed(new Vector<T>(n)));
        AssertSingular("Det", zeroPivotColumn, () => lu.Inverse());
        AssertSingular("Det", zeroPivotColumn, () => lu.InverseTransposed());
        Assert.Equal(Inputs.FromDoubles<T>(values), a.ToArray());
    }

    [Fact]
    public void FactorLeavesInputAloneAndIsReusable()
    {
        var a = Inputs.RandomMatrix<T>(9, 9, seed: 77);
        var m = Matrix<T>.FromArray(a);
        var lu = Factorization.Factor(m);
        Assert.Equal(a, m.ToArray());
        Assert.Equal(9, lu.Size);
        Assert.False(lu.IsSingular);
        var b = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(9, 4, seed: 78));
        Assert.Equal(lu.Solve(b).ToArray(), lu.Solve(b).ToArray());
        Assert.Equal(lu.Inverse().ToArray(), Inverse(m).ToArray());
        Near.MatrixEqual(Naive.ToDouble(Transpose(lu.Inverse()).ToArray()), lu.InverseTransposed(), Near.Tol<T>(2000), "A⁻ᵀ");
    }

    [Fact]
    public void NonSquareThrowsNamingTheShapeAndOperation()
    {
        var a = new Matrix<T>(3, 4);
        AssertNotSquare("LU", () => Factorization.Factor(a));
        AssertNotSquare("Det", () => Factorization.Factor(a, MatrixOperation.Det));
        AssertNotSquare("Inverse", () => Inverse(a));
        AssertNotSquare("Det", () => Det(a));
        AssertNotSquare("LogDet", () => LogDet(a));
        AssertNotSquare("Trace", () => Trace(a));
        AssertNotSquare("Solve", () => Solve(a, new Matrix<T>(3, 1)));
        AssertNotSquare("Solve", () => Solve(a, new Vector<T>(3)));
    }

    private static void AssertSingular(string operation, int column, Action action)
    {
        var ex = Assert.Throws<SingularMatrixException>(action);
        Assert.IsAssignableFrom<InvalidOperationException>(ex);
        Assert.StartsWith(operation + ":", ex.Message);
        Assert.Contains("singular", ex.Message);
        Assert.Contains($"column {column}", ex.Message);
    }

    private static void AssertNotSquare(string operation, Action action)
    {
        var ex = Assert.Throws<ArgumentException>(action);
        Assert.StartsWith(operation + ":", ex.Message);
        Assert.Contains("3×4", ex.Message);
        Assert.Contains("square", ex.Message);
    }
}

public sealed class LuTestsFloat : LuTests<float>
{
}

public sealed class LuTestsDouble : LuTests<double>
{
}
