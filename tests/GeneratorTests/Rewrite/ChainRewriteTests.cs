using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rewrite;

/// <summary>
/// Matrix-chain ordering: statically when literal sizes fix every dimension (the dynamic program, any number of
/// factors), on entry for three factors otherwise (both orders emitted, one comparison of costs). Gradients against
/// central differences and closed forms written here, double and float, both sides of the run-time choice.
/// </summary>
public class ChainRewriteTests
{
    private const string Three = "[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, Matrix<double> C) => SquaredNorm(A * B * C);";

    private static string Shaped(params (string Name, int Rows, int Cols)[] ps)
        => "[Differentiable] public static double F(" + string.Join(", ", ps.Select(p => "[Shape(\"" + p.Rows + "\", \"" + p.Cols + "\")] Matrix<double> " + p.Name)) +
           ") => SquaredNorm(" + string.Join(" * ", ps.Select(p => p.Name)) + ");";

    /// <summary>f = ‖A B C‖², R = A B C: ∇A = 2R(BC)ᵀ, ∇B = 2AᵀR Cᵀ, ∇C = 2(AB)ᵀR.</summary>
    private static void CheckThree(string source, string t, int p0, int p1, int p2, int p3, int seed)
    {
        var p = new Inputs(t, seed).Matrix("A", p0, p1).Matrix("B", p1, p2).Matrix("C", p2, p3);
        var (A, B, C) = (p.M("A"), p.M("B"), p.M("C"));
        var R = Mul(A, B, C);
        GradientAssert.Gradient(source, p, Sum(Had(R, R)),
            ("A", Scale(2, Mul(R, T(Mul(B, C))))), ("B", Scale(2, Mul(T(A), R, T(C)))), ("C", Scale(2, Mul(T(Mul(A, B)), R))));
    }

    [Theory]
    [InlineData("double", 7, 2, 6, 1)]   // A (B C) is cheaper: chosen on entry
    [InlineData("float", 7, 2, 6, 1)]
    [InlineData("double", 1, 6, 2, 7)]   // (A B) C as written is cheaper
    [InlineData("float", 1, 6, 2, 7)]
    public void ThreeFactorsChosenOnEntry(string t, int p0, int p1, int p2, int p3)
    {
        var src = GradientAssert.Source(Three);
        CheckThree(src, t, p0, p1, p2, p3, 4501);
        var code = Generated(src);
        Assert.Contains("if ((long)A.Rows * A.Cols * B.Cols + (long)A.Rows * B.Cols * C.Cols > (long)A.Cols * B.Cols * C.Cols + (long)A.Rows * A.Cols * C.Cols)", code, StringComparison.Ordinal);
        Assert.Contains("(rewritten: (A B) C = A (B C)", code, StringComparison.Ordinal);
        Assert.Contains("FHessianVectorProduct(", code, StringComparison.Ordinal);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LiteralSizesDecideAtCompileTime(string t)
    {
        // (A B) C: 7·2·6 + 7·6·1 = 126, A (B C): 2·6·1 + 7·2·1 = 26.
        var src = GradientAssert.Source(Shaped(("A", 7, 2), ("B", 2, 6), ("C", 6, 1)));
        CheckThree(src, t, 7, 2, 6, 1, 4502);
        var code = Generated(src);
        Assert.Contains("(rewritten: (A B) C = A (B C)", code, StringComparison.Ordinal);
        Assert.DoesNotContain("if ((long)", code, StringComparison.Ordinal);
        // As written when that is the cheaper order: no rewrite at all.
        var kept = Generated(GradientAssert.Source(Shaped(("A", 1, 6), ("B", 6, 2), ("C", 2, 7))));
        Assert.DoesNotContain("rewritten", kept, StringComparison.Ordinal);
        Assert.DoesNotContain("if ((long)", kept, StringComparison.Ordinal);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void FourFactorsByTheDynamicProgram(string t)
    {
        // p = 6, 2, 6, 2, 6: as written ((A B) C) D costs 72 + 72 + 72 = 216; (A (B C)) D or A ((B C) D) cost 24 + 24 + 72 = 120.
        var src = GradientAssert.Source(Shaped(("A", 6, 2), ("B", 2, 6), ("C", 6, 2), ("D", 2, 6)));
        var p = new Inputs(t, 4503).Matrix("A", 6, 2).Matrix("B", 2, 6).Matrix("C", 6, 2).Matrix("D", 2, 6);
        var (A, B, C, D) = (p.M("A"), p.M("B"), p.M("C"), p.M("D"));
        var R = Mul(A, B, C, D);
        GradientAssert.Gradient(src, p, Sum(Had(R, R)),
            ("A", Scale(2, Mul(R, T(Mul(B, C, D))))), ("B", Scale(2, Mul(T(A), R, T(Mul(C, D))))),
            ("C", Scale(2, Mul(T(Mul(A, B)), R, T(D)))), ("D", Scale(2, Mul(T(Mul(A, B, C)), R))));
        Assert.Contains("(rewritten: (A B) C = A (B C)", Generated(src), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("double", 5, 4, 6)]
    [InlineData("float", 5, 4, 6)]
    [InlineData("double", 1, 6, 2)]
    [InlineData("float", 1, 6, 2)]
    public void MatrixMatrixVector(string t, int m, int k, int n)
    {
        // f = wᵀ A B x: ∇A = w (Bx)ᵀ, ∇B = (Aᵀw) xᵀ, ∇x = Bᵀ Aᵀ w
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, Vector<double> x, [NoGradient] Vector<double> w) => Dot(w, A * B * x);");
        var p = new Inputs(t, 4504).Matrix("A", m, k).Matrix("B", k, n).Vector("x", n).Vector("w", m);
        var (A, B, x, w) = (p.M("A"), p.M("B"), p.V("x"), p.V("w"));
        var Bx = Mul(B, x);
        var Atw = Mul(T(A), w);
        GradientAssert.Gradient(src, p, Dot(w, Mul(A, Bx)), ("A", Outer(w, Bx)), ("B", Outer(Atw, x)), ("x", Mul(T(B), Atw)));
        Assert.Contains("(rewritten: (A B) C = A (B C)", Generated(src), StringComparison.Ordinal);
    }

    private static string Generated(string src) => GeneratorHarness.Run(src).Generated.Single(g => g.Key.Contains(".F_", StringComparison.Ordinal)).Value;
}
