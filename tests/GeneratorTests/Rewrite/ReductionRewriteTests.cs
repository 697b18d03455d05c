using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rewrite;

/// <summary>
/// Reductions pushed into products: (A B)𝟙 = A (B𝟙), row means likewise, sum(A B) = 𝟙ᵀA(B𝟙), Tr(A B) = ⟨Aᵀ, B⟩. The
/// generated gradients against central differences and against closed forms written here, double and float, and
/// the generated code names each identity and forms no matrix product.
/// </summary>
public class ReductionRewriteTests
{
    private static double[] Ones(int n) => Fill(n, 1);

    [Theory, InlineData("double"), InlineData("float")]
    public void RowSumsOfAProduct(string t)
    {
        // f = wᵀ (A B)𝟙: ∇A = w (B𝟙)ᵀ, ∇B = (Aᵀw) 𝟙ᵀ
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, Vector<double> w) => Dot(w, RowSums(A * B));");
        var p = new Inputs(t, 4401).Matrix("A", 3, 4).Matrix("B", 4, 5).Vector("w", 3);
        var (A, B, w) = (p.M("A"), p.M("B"), p.V("w"));
        var b1 = RowSums(B);
        GradientAssert.Gradient(src, p, Dot(w, Mul(A, b1)), ("A", Outer(w, b1)), ("B", Outer(Mul(T(A), w), Ones(5))), ("w", Mul(A, b1)));
        AssertRewritten(src, "(A B)𝟙 = A (B𝟙)");
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void RowMeansOfAProduct(string t)
    {
        // f = wᵀ (A B)𝟙/n: ∇A = w (B𝟙/n)ᵀ, ∇B = (Aᵀw) 𝟙ᵀ/n
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, Vector<double> w) => Dot(w, RowMeans(A * B));");
        var p = new Inputs(t, 4402).Matrix("A", 3, 4).Matrix("B", 4, 5).Vector("w", 3);
        var (A, B, w) = (p.M("A"), p.M("B"), p.V("w"));
        var b1 = Scale(1.0 / 5, RowSums(B));
        GradientAssert.Gradient(src, p, Dot(w, Mul(A, b1)), ("A", Outer(w, b1)), ("B", Outer(Mul(T(A), w), Fill(5, 1.0 / 5))), ("w", Mul(A, b1)));
        AssertRewritten(src, "(A B)𝟙 = A (B𝟙)");
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SumOfAProduct(string t)
    {
        // f = sum(A B) + ‖A‖²: ∇A = 𝟙 (B𝟙)ᵀ + 2A, ∇B = (Aᵀ𝟙) 𝟙ᵀ
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B) => Sum(A * B) + SquaredNorm(A);");
        var p = new Inputs(t, 4403).Matrix("A", 3, 4).Matrix("B", 4, 2);
        var (A, B) = (p.M("A"), p.M("B"));
        GradientAssert.Gradient(src, p, Sum(Mul(A, B)) + Sum(Had(A, A)),
            ("A", Add(Outer(Ones(3), RowSums(B)), Scale(2, A))), ("B", Outer(Mul(T(A), Ones(3)), Ones(2))));
        AssertRewritten(src, "sum(A B) = 𝟙ᵀ A (B𝟙)");
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void TraceOfAProduct(string t)
    {
        // f = Tr(A B) with A 3 × 5, B 5 × 3: ∇A = Bᵀ, ∇B = Aᵀ
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B) => Trace(A * B);");
        var p = new Inputs(t, 4404).Matrix("A", 3, 5).Matrix("B", 5, 3);
        var (A, B) = (p.M("A"), p.M("B"));
        GradientAssert.Gradient(src, p, Trace(Mul(A, B)), ("A", T(B)), ("B", T(A)));
        AssertRewritten(src, "Tr(A B) = Tr(B A) = ⟨Aᵀ, B⟩");
    }

    [Fact]
    public void AProductWithAnotherUseIsKept()
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B) { var P = A * B; return Sum(RowSums(P)) + SquaredNorm(P); }");
        var code = Generated(src);
        Assert.DoesNotContain("rewritten", code, StringComparison.Ordinal);
    }

    private static string Generated(string src) => GeneratorHarness.Run(src).Generated.Single(g => g.Key.Contains(".F_", StringComparison.Ordinal)).Value;

    private static void AssertRewritten(string src, string rule)
    {
        var code = Generated(src);
        Assert.Contains("(rewritten: " + rule + ")", code, StringComparison.Ordinal);
        // Shape errors still name the product as written; the code and its comments never form it.
        code = string.Join("\n", code.Split('\n').Where(l => !l.Contains("Shapes.Mismatch(", StringComparison.Ordinal)));
        // No matrix product A * B is formed anywhere (first or second order).
        Assert.DoesNotContain("A * B", code, StringComparison.Ordinal);
        Assert.DoesNotContain("Multiply(A, B", code, StringComparison.Ordinal);
    }
}
