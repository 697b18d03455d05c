using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rewrite;

/// <summary>
/// Where the backward pass reads A⁻ᵀ anyway (the gradient of log|A| or |A|), the first-order methods form it once after
/// A's factorization and multiply by it instead of substituting for each solve with a matrix right-hand side. The
/// gradients against central differences (GradientAssert, every generated path) and against closed forms written
/// here; the generated backward forms A⁻ᵀ exactly once and makes no matrix solve.
/// </summary>
public class SharedInverseTests
{
    private const string DetTimesSolve = """
        [Differentiable]
        public static double F(Matrix<double> A, Matrix<double> B) => Det(A) * Sum(Solve(A, B)) + LogDet(A);
        """;

    /// <summary>
    /// f = |A| 𝟙ᵀA⁻¹B𝟙 + log|A|, Y = A⁻¹B, s = 𝟙ᵀY𝟙: ∇A = |A| s A⁻ᵀ − |A| A⁻ᵀ𝟙𝟙ᵀYᵀ + A⁻ᵀ, ∇B = |A| A⁻ᵀ𝟙𝟙ᵀ.
    /// </summary>
    [Theory]
    [InlineData("double", 4, 3)]
    [InlineData("float", 4, 3)]
    [InlineData("double", 3, 7)]
    [InlineData("float", 3, 7)]
    public void DeterminantTimesASolve(string t, int d, int n)
    {
        var src = GradientAssert.Source(DetTimesSolve);
        var p = new Inputs(t, 4401 + n).WellConditioned("A", d).Matrix("B", d, n);
        var (A, B) = (p.M("A"), p.M("B"));
        var invT = T(Inv(A));
        var Y = Mul(Inv(A), B);
        double det = Det(A), s = Sum(Y);
        var ones = Fill(d, n, 1.0);
        var dA = Add(Sub(Scale(det * s, invT), Scale(det, Mul(invT, Mul(ones, T(Y))))), invT);
        var dB = Scale(det, Mul(invT, ones));
        GradientAssert.Gradient(src, p, det * s + Math.Log(Math.Abs(det)), ("A", dA), ("B", dB));
    }

    [Fact]
    public void TheBackwardFormsTheInverseOnceAndMakesNoMatrixSolve()
    {
        var code = GeneratorHarness.Run(GradientAssert.Source(DetTimesSolve)).Generated.Single(g => g.Key.Contains(".F_", StringComparison.Ordinal)).Value;
        var backward = CodeText.Method(code, "public static double FBackward(");
        Assert.Equal(1, CodeText.Occurrences(backward, ".InverseTransposed("));
        Assert.Equal(0, CodeText.Occurrences(backward, ".Solve("));
        Assert.Equal(0, CodeText.Occurrences(backward, ".SolveTransposed("));
        Assert.Contains("formed once", backward, StringComparison.Ordinal);
        // Forward mode and second order keep the solves (they do not form A⁻ᵀ for log|A|).
        Assert.Contains(".Solve(", code, StringComparison.Ordinal);
    }
}
