using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Workspace;

/// <summary>
/// An intermediate adjoint that sums several products (∇A = 𝟙 + W₃ᵀG₃ + W₂ᵀG₂ + W₁ᵀG₁, like the four heads' Ā of a transformer
/// block): in FBackward, once the adjoint holds a slot of its own (a product's or a sum's), later products are added into it by
/// the GEMM (MultiplyAddTo), with no temporary product and no extra pass per term. Checked against a closed form written
/// here, finite differences, FWithGradient and the accumulate contract, in double and float.
/// </summary>
public class AdjointAccumulationTests
{
    public const string ThreeConsumers = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> X, Matrix<double> B, Matrix<double> W1, Matrix<double> W2, Matrix<double> W3)
            {
                var A = Tanh(B * X);
                return Sum(Tanh(W1 * A)) + Sum(Sigmoid(W2 * A)) + Sum(Tanh(W3 * A)) + Sum(A);
            }
        }
        """;

    private static Inputs Point(string type, int seed) => new Inputs(type, seed)
        .Matrix("X", 4, 5).Matrix("B", 3, 4).Matrix("W1", 2, 3).Matrix("W2", 3, 3).Matrix("W3", 4, 3);

    /// <summary>
    /// By hand: A = tanh(BX); with Gᵢ the adjoints of Pᵢ = WᵢA (G₁ = 1 − tanh²(P₁), G₂ = σ(P₂)(1 − σ(P₂)), G₃ = 1 − tanh²(P₃)),
    /// ∇Wᵢ = Gᵢ Aᵀ, Ā = W₁ᵀG₁ + W₂ᵀG₂ + W₃ᵀG₃ + 𝟙𝟙ᵀ, H = Ā ⊙ (1 − A²), ∇B = H Xᵀ, ∇X = Bᵀ H.
    /// </summary>
    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void ProductsAddIntoTheAdjoint_MatchTheClosedForm(string type)
    {
        var p = Point(type, 93);
        var (X, B, W1, W2, W3) = (p.M("X"), p.M("B"), p.M("W1"), p.M("W2"), p.M("W3"));
        var A = Map(Mul(B, X), Math.Tanh);
        var (P1, P2, P3) = (Mul(W1, A), Mul(W2, A), Mul(W3, A));
        var G1 = Map(P1, v => 1 - (Math.Tanh(v) * Math.Tanh(v)));
        var G2 = Map(P2, v => Sigmoid(v) * (1 - Sigmoid(v)));
        var G3 = Map(P3, v => 1 - (Math.Tanh(v) * Math.Tanh(v)));
        var abar = Add(Add(Mul(T(W1), G1), Mul(T(W2), G2)), Add(Mul(T(W3), G3), Fill(3, 5, 1)));
        var H = Zip(abar, A, (g, a) => g * (1 - (a * a)));
        double value = Sum(Map(P1, Math.Tanh)) + Sum(Map(P2, Sigmoid)) + Sum(Map(P3, Math.Tanh)) + Sum(A);
        GradientAssert.Gradient(ThreeConsumers, p, value,
            ("X", Mul(T(B), H)), ("B", Mul(H, T(X))), ("W1", Mul(G1, T(A))), ("W2", Mul(G2, T(A))), ("W3", Mul(G3, T(A))));
        if (type == "double")
        {
            // FBackward against FWithGradient to 1e-10: in double (in float the GEMM's accumulation into ∇A rounds unlike a
            // product added after it; float is checked against the closed form and finite differences above).
            GradientAssert.Workspace(ThreeConsumers, "F", p, "X", "B", "W1", "W2", "W3");
        }
        GradientAssert.NoSteadyStateAllocation(ThreeConsumers, "F", p, 5);
    }

    [Fact]
    public void FBackward_AddsTheLaterProductsIntoTheAdjoint()
    {
        var run = GeneratorHarness.Run(ThreeConsumers);
        var code = run.Generated.Single(g => g.Key.StartsWith("M.F_", StringComparison.Ordinal)).Value;
        var backward = CodeText.Method(code, "public static double FBackward(");
        // ∇A starts as the 𝟙 of Sum(A) (a filled slot, which may not be written into), becomes a sum in a slot of its own with
        // the first product, and takes the other two products in place.
        Assert.Contains("var dA = global::AutoGradGen.Compute.Linear.Filled(A.Rows, A.Cols, 1.0, ref workspace.", backward);
        Assert.Equal(1, CodeText.Occurrences(backward, "dA = global::AutoGradGen.Compute.Linear.Add(dA, global::AutoGradGen.Compute.Products.MultiplyTransposeA("));
        Assert.Equal(2, CodeText.Occurrences(backward, "global::AutoGradGen.Compute.Products.MultiplyAddTo(dA, "));
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
}
