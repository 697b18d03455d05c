using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Workspace;

/// <summary>
/// A dense layer f(W X + b𝟙ᵀ) whose product has no other use is one call, <c>Fused.MultiplyAddColumnsActivate</c>: the GEMM
/// adds the bias and applies f to each block of the product as it finishes (in parallel when the product is), and the
/// product is never stored. Checked against a closed form written here, finite differences, FWithGradient and the
/// accumulate contract, in double and float; the code shows the fused call, and a product that is used again is kept.
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
        }
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
