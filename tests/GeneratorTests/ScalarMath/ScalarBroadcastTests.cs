using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.ScalarMath;

/// <summary>
/// Scalar broadcasts A + s, s + A, A − s, s − A on matrices and vectors: ∂(A + s𝟙𝟙ᵀ) = ∂A + ∂s 𝟙𝟙ᵀ, so for the probe
/// f = ⟨W, Y⟩ the gradients written out here are ∇A = ±W and ∇s = ±Σ W; and the smoothed norm √(r² + ε).
/// </summary>
public class ScalarBroadcastTests
{
    [Theory]
    [InlineData("double", "A + s", 1, 1), InlineData("float", "s + A", 1, 1), InlineData("double", "A - s", 1, -1)]
    [InlineData("float", "s - A", -1, 1), InlineData("double", "s - A", -1, 1), InlineData("float", "A - s", 1, -1)]
    public void Broadcast_OnMatrix(string t, string expression, double signA, double signS)
    {
        var src = GradientAssert.Source($"[Differentiable] public static double F(Matrix<double> A, double s, [NoGradient] Matrix<double> W) => Dot(W, Square({expression}));");
        var p = new Inputs(t, 2201).Matrix("A", 3, 4).Scalar("s").Matrix("W", 3, 4);
        var (A, s, W) = (p.M("A"), p.S("s"), p.M("W"));
        var y = Map(A, a => signA * a + signS * s);   // the broadcast's value
        var g = Had(W, Scale(2, y));                  // ∂f/∂Y of ⟨W, Y²⟩
        GradientAssert.Gradient(src, p, Dot(W, Map(y, v => v * v)), ("A", Scale(signA, g)), ("s", signS * Sum(g)));
        if (t == "double")   // FBackward is checked to 1e-10 relative: double only
        {
            GradientAssert.Workspace(src, "F", p, "A", "s");
        }
        GradientAssert.Tangent(src, "F", p);
        GradientAssert.HessianVectorProduct(src, "F", p);
    }

    [Theory]
    [InlineData("double", "x + s", 1, 1), InlineData("float", "s + x", 1, 1), InlineData("double", "x - s", 1, -1), InlineData("float", "s - x", -1, 1)]
    public void Broadcast_OnVector(string t, string expression, double signX, double signS)
    {
        var src = GradientAssert.Source($"[Differentiable] public static double F(Vector<double> x, double s, [NoGradient] Vector<double> w) => Dot(w, Exp({expression}));");
        var p = new Inputs(t, 2202).Vector("x", 5).Scalar("s").Vector("w", 5);
        var (x, s, w) = (p.V("x"), p.S("s"), p.V("w"));
        var e = Map(x, v => Math.Exp(signX * v + signS * s));
        var g = Had(w, e);
        GradientAssert.Gradient(src, p, Dot(w, e), ("x", Scale(signX, g)), ("s", signS * Sum(g)));
        GradientAssert.Tangent(src, "F", p);
        GradientAssert.HessianVectorProduct(src, "F", p);
        // H = [[diag(w ⊙ e), ±(w ⊙ e)], [±(w ⊙ e)ᵀ, Σ w ⊙ e]] with the signs of x and s: (signX signS) for the mixed block.
        var h = GradientAssert.Hessian(src, "F", p);
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                double expected = i < 5 && j < 5 ? (i == j ? g[i] : 0) : i < 5 ? signX * signS * g[i] : j < 5 ? signX * signS * g[j] : Sum(g);
                Assert.Equal(expected, h[i, j], t == "double" ? 1e-9 : 1e-4);
            }
        }
    }

    /// <summary>The smoothed norm Σ √(r² + ε) with r = A x − b: ∇A = (r ⊘ √(r² + ε)) xᵀ, ∇x = Aᵀ (r ⊘ √(r² + ε)).</summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void SmoothedAbsoluteResidual_SqrtOfSquarePlusEps(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Vector<double> x, [NoGradient] Vector<double> b) { var r = A * x - b; return Sum(Sqrt(Square(r) + 1e-3f)); }");
        var p = new Inputs(t, 2203).Matrix("A", 4, 3).Vector("x", 3).Vector("b", 4);
        var (A, x, b) = (p.M("A"), p.V("x"), p.V("b"));
        var r = Sub(Mul(A, x), b);
        var q = Map(r, v => v / Math.Sqrt(v * v + 1e-3));
        GradientAssert.Gradient(src, p, Sum(Map(r, v => Math.Sqrt(v * v + 1e-3))), ("A", Outer(q, x)), ("x", Mul(T(A), q)));
        if (t == "double")   // FBackward is checked to 1e-10 relative: double only
        {
            GradientAssert.Workspace(src, "F", p, "A", "x");
        }
        GradientAssert.Tangent(src, "F", p);
        GradientAssert.HessianVectorProduct(src, "F", p);
    }

    /// <summary>A layer: Y = s − A, its pullback for a seed Ḡ: Ā = −Ḡ, s̄ = Σ Ḡ.</summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void Broadcast_Pullback(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static Matrix<double> G(Matrix<double> A, double s) => s - A;");
        var p = new Inputs(t, 2204).Matrix("A", 2, 3).Scalar("s");
        var (A, s) = (p.M("A"), p.S("s"));
        var seed = Fill(2, 3, 0.5);
        seed[1, 2] = -1.25;
        GradientAssert.Pullback(src, "G", p, seed, Map(A, a => s - a), ("A", Neg(seed)), ("s", Sum(seed)));
        GradientAssert.Tangent(src, "G", p);
    }
}
