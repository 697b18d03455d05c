using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Workspace;

/// <summary>
/// A factor on a product (the 2 of ∇‖R‖², the 1/8 of a scaled attention score) rides on the GEMM: FBackward computes
/// s · op(A) op(B) into its slot or adds it into a gradient buffer in one call, with no Scale pass over the product.
/// Checked against a closed form written here, finite differences, FWithGradient and the accumulate contract, in double
/// and float; the code shape shows the factor inside the product call.
/// </summary>
public class ScaledProductTests
{
    public const string Attention = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> Wq, Matrix<double> Wk, Matrix<double> Wv, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> T)
            {
                var Q = Wq * X;
                var K = Wk * X;
                var V = Wv * X;
                var P = Softmax(Transpose(K) * Q / 4);
                return SquaredNorm(V * P - T);
            }
        }
        """;

    private static Inputs Point(string type) => new Inputs(type, 97)
        .Matrix("Wq", 3, 4).Matrix("Wk", 3, 4).Matrix("Wv", 2, 4).Matrix("X", 4, 5).Matrix("T", 2, 5);

    /// <summary>
    /// By hand: S = KᵀQ/4, P = softmax(S) by columns, R = VP − T, f = ‖R‖²; Ō = 2R, V̄ = ŌPᵀ, P̄ = VᵀŌ,
    /// S̄ = P ⊙ (P̄ − 𝟙(𝟙ᵀ(P ⊙ P̄))), Q̄ = K S̄/4, K̄ = Q S̄ᵀ/4, W̄ = (each) Ȳ Xᵀ.
    /// </summary>
    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void Attention_MatchesTheClosedForm(string type)
    {
        var p = Point(type);
        var (Wq, Wk, Wv, X, Tg) = (p.M("Wq"), p.M("Wk"), p.M("Wv"), p.M("X"), p.M("T"));
        var (Q, K, V) = (Mul(Wq, X), Mul(Wk, X), Mul(Wv, X));
        var P = SoftmaxColumns(Scale(0.25, Mul(T(K), Q)));
        var R = Sub(Mul(V, P), Tg);
        var O = Scale(2, R);
        var Pbar = Mul(T(V), O);
        var Sbar = SoftmaxBackward(P, Pbar);
        var Qbar = Scale(0.25, Mul(K, Sbar));
        var Kbar = Scale(0.25, Mul(Q, T(Sbar)));
        var Vbar = Mul(O, T(P));
        GradientAssert.Gradient(Attention, p, Sum(Had(R, R)), ("Wq", Mul(Qbar, T(X))), ("Wk", Mul(Kbar, T(X))), ("Wv", Mul(Vbar, T(X))));
        if (type == "double")
        {
            GradientAssert.Workspace(Attention, "F", p, "Wq", "Wk", "Wv");
        }
        GradientAssert.NoSteadyStateAllocation(Attention, "F", p, 3);
    }

    public const string MaskedScores = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> Wq, Matrix<double> Wk, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> mask, [NoGradient] double scale)
            {
                var Q = Wq * X;
                var P = Softmax(Transpose(Wk * X) * Q * scale + mask);
                return Sum(Hadamard(P, P));
            }
        }
        """;

    /// <summary>
    /// By hand: K = Wk X, S = KᵀQ·c + M, P = softmax(S) by columns, f = Σ P²; P̄ = 2P, S̄ = P ⊙ (P̄ − 𝟙(𝟙ᵀ(P ⊙ P̄))),
    /// ∇Wq = c K S̄ Xᵀ, ∇Wk = c Q S̄ᵀ Xᵀ. The scaled scores are one GEMM (the product is never stored).
    /// </summary>
    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void MaskedScaledScores_MatchTheClosedForm(string type)
    {
        var p = new Inputs(type, 98).Matrix("Wq", 3, 4).Matrix("Wk", 3, 4).Matrix("X", 4, 5).Matrix("mask", 5, 5).Scalar("scale", 0.3, 0.7);
        var (Wq, Wk, X, Mk) = (p.M("Wq"), p.M("Wk"), p.M("X"), p.M("mask"));
        double c = p.S("scale");
        var (Q, K) = (Mul(Wq, X), Mul(Wk, X));
        var P = SoftmaxColumns(Add(Scale(c, Mul(T(K), Q)), Mk));
        var Sbar = SoftmaxBackward(P, Scale(2, P));
        GradientAssert.Gradient(MaskedScores, p, Sum(Had(P, P)), ("Wq", Scale(c, Mul(K, Sbar, T(X)))), ("Wk", Scale(c, Mul(Q, T(Sbar), T(X)))));
        if (type == "double")
        {
            GradientAssert.Workspace(MaskedScores, "F", p, "Wq", "Wk");
        }
        GradientAssert.NoSteadyStateAllocation(MaskedScores, "F", p, 2);
        var code = GeneratorHarness.Run(MaskedScores).Generated.Single(g => g.Key.StartsWith("M.F_", StringComparison.Ordinal)).Value;
        var backward = CodeText.Method(code, "public static double FBackward(");
        Assert.Contains("is computed scaled", backward, StringComparison.Ordinal);
        Assert.Equal(1, CodeText.Occurrences(backward, "Products.MultiplyTransposeA(scale, "));
    }

    [Fact]
    public void TheFactorsRideOnTheProducts()
    {
        var code = GeneratorHarness.Run(Attention).Generated.Single(g => g.Key.StartsWith("M.F_", StringComparison.Ordinal)).Value;
        var backward = CodeText.Method(code, "public static double FBackward(");
        Assert.Equal(0, CodeText.Occurrences(backward, "Linear.Scale("));
        Assert.Equal(0, CodeText.Occurrences(backward, "Linear.Divide("));
        Assert.Equal(1, CodeText.Occurrences(backward, "Products.MultiplyTransposeA(0.25, "));    // the scores KᵀQ/4
        Assert.Equal(1, CodeText.Occurrences(backward, "Products.MultiplyTransposeB(2.0, "));   // ∇V = 2R Pᵀ
        Assert.Equal(1, CodeText.Occurrences(backward, "Products.MultiplyTransposeA(2.0, "));   // ∇P = 2Vᵀ R
        Assert.Equal(1, CodeText.Occurrences(backward, "Products.Multiply(0.25, "));            // ∇Q = K ∇S / 4
        Assert.Equal(1, CodeText.Occurrences(backward, "Products.MultiplyTransposeB(0.25, "));  // ∇K = Q ∇Sᵀ / 4
    }

    /// <summary>S̄ = P ⊙ (P̄ − 𝟙(𝟙ᵀ(P ⊙ P̄))), column by column.</summary>
    private static double[,] SoftmaxBackward(double[,] P, double[,] Pbar)
    {
        var colsums = Enumerable.Range(0, Cols(P)).Select(j => Enumerable.Range(0, Rows(P)).Sum(i => P[i, j] * Pbar[i, j])).ToArray();
        var Sbar = Zip(P, Pbar, (a, b) => a * b);
        for (int i = 0; i < Rows(P); i++)
        {
            for (int j = 0; j < Cols(P); j++)
            {
                Sbar[i, j] -= P[i, j] * colsums[j];
            }
        }
        return Sbar;
    }

    private static double[,] SoftmaxColumns(double[,] s)
    {
        var y = new double[Rows(s), Cols(s)];
        for (int j = 0; j < Cols(s); j++)
        {
            double max = Enumerable.Range(0, Rows(s)).Max(i => s[i, j]);
            double total = Enumerable.Range(0, Rows(s)).Sum(i => Math.Exp(s[i, j] - max));
            for (int i = 0; i < Rows(s); i++)
            {
                y[i, j] = Math.Exp(s[i, j] - max) / total;
            }
        }
        return y;
    }
}
