using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;
using static AutoGradGen.RuntimeTests.IntoInputs;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The reusable LU: <c>Factorization.Factor(a, op, ref f)</c> refactors in place when the size matches, its solves and
/// inverses write into reused destinations, and a whole refactor-and-solve step allocates nothing.
/// </summary>
public class IntoLuTests
{
    public static TheoryData<int> Sizes() => new(0, 1, 2, 3, 5, 8, 17, 33);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RefactoringReusesTheObjectAndMatchesAFreshFactorization(int n)
    {
        Refactor<double>(n);
        Refactor<float>(n);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SolvesAndInversesMatchTheAllocatingForms(int n)
    {
        foreach (var c in Cases<double>(n).Concat(Cases<float>(n)))
        {
            c.Run();
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RefactorAndSolvesAllocateNothing(int n)
    {
        var a = M<double>(n, n, 1);
        var b = M<double>(n, 4, 2);
        var v = V<double>(n, 3);
        LuFactorization<double>? lu = null;
        Matrix<double>? x = null, xt = null, inv = null, invT = null;
        Vector<double>? y = null, yt = null;
        IntoAccumulateTests.AssertNoAllocation(() =>
        {
            var f = Factorization.Factor(a, MatrixOperation.Solve, ref lu);
            f.Solve(b, ref x);
            f.SolveTransposed(b, ref xt);
            f.Solve(v, ref y);
            f.SolveTransposed(v, ref yt);
            f.Inverse(ref inv);
            f.InverseTransposed(ref invT);
        });
    }

    [Fact]
    public void ASizeChangeGivesANewFactorization()
    {
        LuFactorization<double>? lu = null;
        var first = Factorization.Factor(M<double>(3, 3, 1), MatrixOperation.Lu, ref lu);
        var second = Factorization.Factor(M<double>(4, 4, 2), MatrixOperation.Lu, ref lu);
        Assert.NotSame(first, second);
        Assert.Same(lu, second);
        Assert.Equal(4, second.Size);
        Assert.Equal(3, first.Size);
    }

    [Fact]
    public void RefactoringClearsAnEarlierSingularityAndTakesTheNewOperationName()
    {
        var singular = Matrix<double>.FromArray(new[,] { { 1.0, 2 }, { 2, 4 } });
        LuFactorization<double>? lu = null;
        var f = Factorization.Factor(singular, MatrixOperation.Det, ref lu);
        Assert.True(f.IsSingular);
        Assert.StartsWith("Det:", Assert.Throws<SingularMatrixException>(() => f.Inverse()).Message, StringComparison.Ordinal);

        Factorization.Factor(Matrix<double>.FromArray(new[,] { { 2.0, 1 }, { 1, 3 } }), MatrixOperation.Solve, ref lu);
        Assert.Same(f, lu);
        Assert.False(f.IsSingular);
        Assert.Equal(5.0, f.Determinant(), 12);

        Factorization.Factor(singular, MatrixOperation.LogDet, ref lu);
        Assert.StartsWith("LogDet:", Assert.Throws<ArgumentException>(() => f.Solve(new Vector<double>(3))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SolvingIntoTheRightHandSideIsRejected()
    {
        var f = Factorization.Factor(Matrix<double>.FromArray(new[,] { { 2.0, 1 }, { 1, 3 } }));
        var b = M<double>(2, 2, 1);
        var v = V<double>(2, 2);
        Matrix<double>? mb = b;
        Vector<double>? vb = v;
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => f.Solve(b, ref mb)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => f.SolveTransposed(b, ref mb)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => f.Solve(v, ref vb)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => f.SolveTransposed(v, ref vb)).ParamName);
    }

    private static void Refactor<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var first = M<T>(n, n, 4);
        var second = M<T>(n, n, 5);
        var b = M<T>(n, 3, 6);
        LuFactorization<T>? lu = null;
        var f = Factorization.Factor(first, MatrixOperation.Lu, ref lu);
        Assert.Same(lu, f);
        var g = Factorization.Factor(second, MatrixOperation.Lu, ref lu);
        Assert.Same(f, g);

        var fresh = Factorization.Factor(second);
        Assert.Equal(fresh.Determinant(), g.Determinant());
        Bits.Equal(fresh.Solve(b), g.Solve(b), $"refactored Solve n={n}");
        Bits.Equal(fresh.SolveTransposed(b), g.SolveTransposed(b), $"refactored SolveTransposed n={n}");
        Bits.Equal(fresh.Inverse(), g.Inverse(), $"refactored Inverse n={n}");
    }

    private static IEnumerable<IIntoCase> Cases<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = Factorization.Factor(M<T>(n, n, 7));
        var b = M<T>(n, 5, 8);
        var v = V<T>(n, 9);
        yield return Mat($"Solve {n}", () => f.Solve(b), (ref d) => f.Solve(b, ref d), b);
        yield return Mat($"SolveTransposed {n}", () => f.SolveTransposed(b), (ref d) => f.SolveTransposed(b, ref d), b);
        yield return Vec($"Solve(vector) {n}", () => f.Solve(v), (ref d) => f.Solve(v, ref d), v);
        yield return Vec($"SolveTransposed(vector) {n}", () => f.SolveTransposed(v), (ref d) => f.SolveTransposed(v, ref d), v);
        yield return Mat($"Inverse {n}", () => f.Inverse(), (ref d) => f.Inverse(ref d));
        yield return Mat($"InverseTransposed {n}", () => f.InverseTransposed(), (ref d) => f.InverseTransposed(ref d));
    }
}
