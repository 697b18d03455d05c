using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Workspace;

/// <summary>
/// A dense layer f(W X + b𝟙ᵀ) whose product has no other use is one call, <c>Fused.MultiplyAddColumnsActivate</c>: the GEMM
/// adds the bias and applies f to each block of the product as it finishes (in parallel when the product is), and the
/// product is never stored. Backward, a gradient Ḡ_H = W₂ᵀ Ḡ that only f′ reads is one call too,
/// <c>Fused.MultiplyActivationBackward</c>. Checked against a closed form written here, finite differences, FWithGradient
/// and the accumulate contract, in double and float; the code shows the fused calls, and a product or a gradient that is
/// used again is kept.
/// </summary>
public class ActivatedProductTests
{
    public const string Layer = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> T)
            {
                var H = Tanh(W1 * X + b1);
                return SquaredNorm(W2 * H + b2 - T);
            }
        }
        """;

    public const string ProductUsedTwice = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W1, Vector<double> b1, [NoGradient] Matrix<double> X)
            {
                var Z = W1 * X;
                return Sum(Sigmoid(Z + b1)) + SquaredNorm(Z);
            }
        }
        """;

    /// <summary>12×16 · 16×20: the packed GEMM with edge tiles, so the epilogue runs block by block.</summary>
    private static Inputs Point(string type) => new Inputs(type, 131)
        .Matrix("W1", 12, 16, -0.4, 0.4).Vector("b1", 12).Matrix("W2", 3, 12).Vector("b2", 3).Matrix("X", 16, 20).Matrix("T", 3, 20);

    /// <summary>
    /// By hand: H = tanh(W₁X + b₁𝟙ᵀ), R = W₂H + b₂𝟙ᵀ − T, f = ‖R‖²; R̄ = 2R, ∇W₂ = R̄Hᵀ, ∇b₂ = R̄𝟙,
    /// Z̄ = (W₂ᵀR̄) ⊙ (1 − H²), ∇W₁ = Z̄Xᵀ, ∇b₁ = Z̄𝟙.
    /// </summary>
    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void DenseLayer_MatchesTheClosedForm(string type)
    {
        var p = Point(type);
        var (W1, b1, W2, b2, X, Tg) = (p.M("W1"), p.V("b1"), p.M("W2"), p.V("b2"), p.M("X"), p.M("T"));
        var H = Map(AddCol(Mul(W1, X), b1), Math.Tanh);
        var R = Sub(AddCol(Mul(W2, H), b2), Tg);
        var Rbar = Scale(2, R);
        var Zbar = Had(Mul(T(W2), Rbar), Map(H, h => 1 - (h * h)));
        GradientAssert.Gradient(Layer, p, Sum(Had(R, R)),
            ("W1", Mul(Zbar, T(X))), ("b1", RowSums(Zbar)), ("W2", Mul(Rbar, T(H))), ("b2", RowSums(Rbar)));
        if (type == "double")
        {
            GradientAssert.Workspace(Layer, "F", p, "W1", "b1", "W2", "b2");
        }
        GradientAssert.NoSteadyStateAllocation(Layer, "F", p, 4);
    }

    [Fact]
    public void TheLayerIsOneCall_AndTheProductIsNeverStored()
    {
        var code = GeneratorHarness.Run(Layer).Generated.Single(g => g.Key.StartsWith("M.F_", StringComparison.Ordinal)).Value;
        foreach (var method in new[] { "public static double FBackward(", "public static double FWithGradient(" })
        {
            var body = CodeText.Method(code, method);
            Assert.Equal(1, CodeText.Occurrences(body, "Fused.MultiplyAddColumnsActivate(W1, X, b1, global::AutoGradGen.Compute.Activation.Tanh"));
            Assert.Contains("is computed by the activation's GEMM", body, StringComparison.Ordinal);
            Assert.Equal(0, CodeText.Occurrences(body, "= W1 * X;"));
            Assert.Equal(0, CodeText.Occurrences(body, "Products.Multiply(W1, X"));
            // ∇Z = (2 W₂ᵀ R) ⊙ (1 − H²): the 2 of ∇‖R‖² rides on the product.
            Assert.Equal(1, CodeText.Occurrences(body, "Fused.MultiplyActivationBackward(2.0, W2, differenceT, H, global::AutoGradGen.Compute.Activation.Tanh, transposeLeft: true, transposeRight: false"));
            Assert.Equal(0, CodeText.Occurrences(body, "Elementwise.TanhBackward("));
            Assert.Equal(0, CodeText.Occurrences(body, "MultiplyTransposeA("));
            Assert.Equal(0, CodeText.Occurrences(body, "Linear.Scale("));
        }
    }

    public const string OutputReadTwice = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, [NoGradient] Matrix<double> X)
            {
                var H = Sigmoid(W1 * X + b1);
                return SquaredNorm(W2 * H) + Sum(H);
            }
        }
        """;

    /// <summary>
    /// By hand: H = σ(W₁X + b₁𝟙ᵀ), f = ‖W₂H‖² + ΣH; Ḡ_H = 2W₂ᵀW₂H + 𝟙𝟙ᵀ (two contributions: not a lone product),
    /// Z̄ = Ḡ_H ⊙ H ⊙ (1 − H), ∇W₁ = Z̄Xᵀ, ∇b₁ = Z̄𝟙, ∇W₂ = 2W₂HHᵀ.
    /// </summary>
    [Fact]
    public void AGradientWithTwoContributions_IsStored()
    {
        var p = new Inputs("double", 133).Matrix("W1", 12, 16, -0.4, 0.4).Vector("b1", 12).Matrix("W2", 3, 12).Matrix("X", 16, 20);
        var (W1, b1, W2, X) = (p.M("W1"), p.V("b1"), p.M("W2"), p.M("X"));
        var H = Map(AddCol(Mul(W1, X), b1), Sigmoid);
        var O = Mul(W2, H);
        var Hbar = Add(Scale(2, Mul(T(W2), O)), Fill(12, 20, 1));
        var Zbar = Had(Hbar, Map(H, h => h * (1 - h)));
        GradientAssert.Gradient(OutputReadTwice, p, Sum(Had(O, O)) + Sum(H),
            ("W1", Mul(Zbar, T(X))), ("b1", RowSums(Zbar)), ("W2", Scale(2, Mul(O, T(H)))));
        var code = GeneratorHarness.Run(OutputReadTwice).Generated.Single(g => g.Key.StartsWith("M.F_", StringComparison.Ordinal)).Value;
        var backward = CodeText.Method(code, "public static double FBackward(");
        Assert.Equal(0, CodeText.Occurrences(backward, "MultiplyActivationBackward"));
        Assert.Equal(1, CodeText.Occurrences(backward, "Elementwise.SigmoidBackward(H, "));
    }

    /// <summary>By hand: Z = W₁X, f = Σσ(Z + b₁𝟙ᵀ) + ‖Z‖²; Z̄ = σ′(Z + b₁𝟙ᵀ) + 2Z, ∇W₁ = Z̄Xᵀ, ∇b₁ = σ′(Z + b₁𝟙ᵀ)𝟙.</summary>
    [Fact]
    public void AProductUsedAgain_IsStoredAndTheAdditionAloneIsFused()
    {
        var p = new Inputs("double", 132).Matrix("W1", 12, 16, -0.4, 0.4).Vector("b1", 12).Matrix("X", 16, 20);
        var (W1, b1, X) = (p.M("W1"), p.V("b1"), p.M("X"));
        var Z = Mul(W1, X);
        var S = Map(AddCol(Z, b1), SigmoidPrime);
        GradientAssert.Gradient(ProductUsedTwice, p, Sum(Map(AddCol(Z, b1), Sigmoid)) + Sum(Had(Z, Z)),
            ("W1", Mul(Add(S, Scale(2, Z)), T(X))), ("b1", RowSums(S)));
        var code = GeneratorHarness.Run(ProductUsedTwice).Generated.Single(g => g.Key.StartsWith("M.F_", StringComparison.Ordinal)).Value;
        var backward = CodeText.Method(code, "public static double FBackward(");
        Assert.Equal(0, CodeText.Occurrences(backward, "MultiplyAddColumnsActivate"));
        Assert.Equal(1, CodeText.Occurrences(backward, "Fused.AddColumnsActivate(Z, b1"));
    }
}
