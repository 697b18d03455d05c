using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Cookbook;

/// <summary>
/// Determinant and inverse derivatives from The Matrix Cookbook (15 Nov 2012 edition), sections 2.1.1 and 2.2.
/// X is a well-conditioned, non-symmetric random matrix (random + n·I); no symmetrization is expected.
/// </summary>
public class CookbookDeterminantInverseTests
{
    [Theory]
    [InlineData("double", false)]
    [InlineData("float", false)]
    [InlineData("double", true)]
    [InlineData("float", true)]
    public void Eq49_Determinant(string t, bool negative)
    {
        // (49) ∂det(X)/∂X = det(X)(X⁻¹)ᵀ
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> X) => Det(X);");
        var p = new Inputs(t, 801);
        _ = negative ? p.NegativeDeterminant("X", 4) : p.WellConditioned("X", 4);
        var X = p.M("X");
        GradientAssert.Gradient(src, p, Det(X), ("X", Scale(Det(X), T(Inv(X)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq51_DeterminantOfAXB(string t)
    {
        // (51) ∂det(AXB)/∂X = det(AXB)(X⁻¹)ᵀ for square A, X, B
        var src = GradientAssert.Source("[Differentiable] public static double F([NoGradient] Matrix<double> A, Matrix<double> X, [NoGradient] Matrix<double> B) => Det(A * X * B);");
        var p = new Inputs(t, 802).WellConditioned("A", 3).WellConditioned("X", 3).NegativeDeterminant("B", 3);
        var (A, X, B) = (p.M("A"), p.M("X"), p.M("B"));
        double det = Det(Mul(A, X, B));
        GradientAssert.Gradient(src, p, det, ("X", Scale(det, T(Inv(X)))));
    }

    [Theory]
    [InlineData("double", false)]
    [InlineData("float", false)]
    [InlineData("double", true)]
    [InlineData("float", true)]
    public void Eq57_LogAbsDeterminant(string t, bool negative)
    {
        // (57) ∂ln|det(X)|/∂X = (X⁻¹)ᵀ = (Xᵀ)⁻¹, also for det(X) < 0
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> X) => LogDet(X);");
        var p = new Inputs(t, 803);
        _ = negative ? p.NegativeDeterminant("X", 5) : p.WellConditioned("X", 5);
        var X = p.M("X");
        GradientAssert.Gradient(src, p, Math.Log(Math.Abs(Det(X))), ("X", Inv(T(X))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq61_BilinearFormOfInverse(string t)
    {
        // (61) ∂aᵀX⁻¹b/∂X = −X⁻ᵀabᵀX⁻ᵀ
        var src = GradientAssert.Source("[Differentiable] public static double F([NoGradient] Vector<double> a, Matrix<double> X, [NoGradient] Vector<double> b) => Dot(a, Inverse(X) * b);");
        var p = new Inputs(t, 804).Vector("a", 4).WellConditioned("X", 4).Vector("b", 4);
        var (a, b) = (p.V("a"), p.V("b"));
        var inv = Inv(p.M("X"));
        GradientAssert.Gradient(src, p, Dot(a, Mul(inv, b)), ("X", Neg(Mul(T(inv), Outer(a, b), T(inv)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq61_BilinearFormOfInverse_ViaSolve_AllArguments(string t)
    {
        // (61) spelled with Solve and with a, b differentiated too: ∇a = X⁻¹b, ∇b = X⁻ᵀa
        var src = GradientAssert.Source("[Differentiable] public static double F(Vector<double> a, Matrix<double> X, Vector<double> b) => Dot(a, Solve(X, b));");
        var p = new Inputs(t, 805).Vector("a", 3).WellConditioned("X", 3).Vector("b", 3);
        var (a, b) = (p.V("a"), p.V("b"));
        var inv = Inv(p.M("X"));
        GradientAssert.Gradient(src, p, Dot(a, Mul(inv, b)),
            ("a", Mul(inv, b)), ("X", Neg(Mul(T(inv), Outer(a, b), T(inv)))), ("b", Mul(T(inv), a)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq62_DeterminantOfInverse(string t)
    {
        // (62) ∂det(X⁻¹)/∂X = −det(X⁻¹)(X⁻¹)ᵀ
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> X) => Det(Inverse(X));");
        var p = new Inputs(t, 806).WellConditioned("X", 3);
        var inv = Inv(p.M("X"));
        double det = Det(inv);
        GradientAssert.Gradient(src, p, det, ("X", Scale(-det, T(inv))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq60_InverseEntryViaProbe(string t)
    {
        // (60) ∂(X⁻¹)ₖₗ/∂Xᵢⱼ = −(X⁻¹)ₖᵢ(X⁻¹)ⱼₗ, contracted with a probe W: ∇X = −X⁻ᵀ W X⁻ᵀ
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> X, [NoGradient] Matrix<double> W) => Sum(Hadamard(W, Inverse(X)));");
        var p = new Inputs(t, 807).WellConditioned("X", 4).Matrix("W", 4, 4);
        var inv = Inv(p.M("X"));
        var W = p.M("W");
        // entry-wise: ∇Xᵢⱼ = −Σₖₗ Wₖₗ (X⁻¹)ₖᵢ (X⁻¹)ⱼₗ
        var g = new double[4, 4];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                for (int k = 0; k < 4; k++)
                {
                    for (int l = 0; l < 4; l++)
                    {
                        g[i, j] -= W[k, l] * inv[k, i] * inv[j, l];
                    }
                }
            }
        }
        GradientAssert.Gradient(src, p, Dot(W, inv), ("X", g));
    }
}
