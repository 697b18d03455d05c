using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>Matrix functions: Inverse, Solve (matrix and vector right-hand side), Outer, Trace, Det, LogDet.</summary>
public class MatrixFunctionRulesTests
{
    private static string Src(string body) => GradientAssert.Source(body);

    [Theory, InlineData("double"), InlineData("float")]
    public void Inverse(string t)
    {
        // Y = A⁻¹: ∂Y = −A⁻¹ ∂A A⁻¹ ⇒ ∇A = −A⁻ᵀ W A⁻ᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> A, [NoGradient] Matrix<double> W) => Dot(W, Inverse(A));");
        var p = new Inputs(t, 201).WellConditioned("A", 4).Matrix("W", 4, 4);
        var inv = Inv(p.M("A"));
        var W = p.M("W");
        GradientAssert.Gradient(src, p, Dot(W, inv), ("A", Neg(Mul(T(inv), W, T(inv)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void InverseTimesMatrix(string t)
    {
        // f = ⟨W, A⁻¹B⟩ spelled with Inverse: ∇A = −A⁻ᵀ W (A⁻¹B)ᵀ, ∇B = A⁻ᵀ W
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, [NoGradient] Matrix<double> W) => Dot(W, Inverse(A) * B);");
        var p = new Inputs(t, 202).WellConditioned("A", 3).Matrix("B", 3, 2).Matrix("W", 3, 2);
        var inv = Inv(p.M("A"));
        var (B, W) = (p.M("B"), p.M("W"));
        var Y = Mul(inv, B);
        GradientAssert.Gradient(src, p, Dot(W, Y), ("A", Neg(Mul(T(inv), W, T(Y)))), ("B", Mul(T(inv), W)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SolveMatrixRhs(string t)
    {
        // Y = A⁻¹B: ∇B = A⁻ᵀW, ∇A = −A⁻ᵀ W Yᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, [NoGradient] Matrix<double> W) => Dot(W, Solve(A, B));");
        var p = new Inputs(t, 203).WellConditioned("A", 4).Matrix("B", 4, 3).Matrix("W", 4, 3);
        var inv = Inv(p.M("A"));
        var (B, W) = (p.M("B"), p.M("W"));
        var Y = Mul(inv, B);
        var gB = Mul(T(inv), W);
        GradientAssert.Gradient(src, p, Dot(W, Y), ("A", Neg(Mul(gB, T(Y)))), ("B", gB));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SolveVectorRhs(string t)
    {
        // y = A⁻¹b: ∇b = A⁻ᵀv, ∇A = −(A⁻ᵀv) yᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Vector<double> b, [NoGradient] Vector<double> v) => Dot(v, Solve(A, b));");
        var p = new Inputs(t, 204).WellConditioned("A", 4).Vector("b", 4).Vector("v", 4);
        var inv = Inv(p.M("A"));
        var y = Mul(inv, p.V("b"));
        var gb = Mul(T(inv), p.V("v"));
        GradientAssert.Gradient(src, p, Dot(p.V("v"), y), ("A", Neg(Outer(gb, y))), ("b", gb));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void OuterProduct(string t)
    {
        // f = ⟨W, x yᵀ⟩ = xᵀWy: ∇x = W y, ∇y = Wᵀ x
        var src = Src("[Differentiable] public static double F(Vector<double> x, Vector<double> y, [NoGradient] Matrix<double> W) => Dot(W, Outer(x, y));");
        var p = new Inputs(t, 205).Vector("x", 3).Vector("y", 5).Matrix("W", 3, 5);
        var (x, y, W) = (p.V("x"), p.V("y"), p.M("W"));
        GradientAssert.Gradient(src, p, Dot(x, Mul(W, y)), ("x", Mul(W, y)), ("y", Mul(T(W), x)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void TraceOfMatrix(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A) => Trace(A);");
        var p = new Inputs(t, 206).Matrix("A", 4, 4);
        GradientAssert.Gradient(src, p, Trace(p.M("A")), ("A", Identity(4)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void TraceOfProduct(string t)
    {
        // Tr(A B) with A 3×5, B 5×3: ∇A = Bᵀ, ∇B = Aᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B) => Trace(A * B);");
        var p = new Inputs(t, 207).Matrix("A", 3, 5).Matrix("B", 5, 3);
        var (A, B) = (p.M("A"), p.M("B"));
        GradientAssert.Gradient(src, p, Trace(Mul(A, B)), ("A", T(B)), ("B", T(A)));
    }

    [Theory]
    [InlineData("double", false)]
    [InlineData("float", false)]
    [InlineData("double", true)]
    [InlineData("float", true)]
    public void Determinant(string t, bool negative)
    {
        // ∂|A| = |A| Tr(A⁻¹∂A) ⇒ ∇A = |A| A⁻ᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> A) => Det(A);");
        var p = new Inputs(t, 208);
        _ = negative ? p.NegativeDeterminant("A", 3) : p.WellConditioned("A", 3);
        var A = p.M("A");
        double det = Det(A);
        Assert.Equal(negative, det < 0);
        GradientAssert.Gradient(src, p, det, ("A", Scale(det, T(Inv(A)))));
    }

    [Theory]
    [InlineData("double", false)]
    [InlineData("float", false)]
    [InlineData("double", true)]
    [InlineData("float", true)]
    public void LogAbsDeterminant(string t, bool negative)
    {
        // LogDet = log|det A|, also for det A < 0: ∇A = A⁻ᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> A) => LogDet(A);");
        var p = new Inputs(t, 209);
        _ = negative ? p.NegativeDeterminant("A", 4) : p.WellConditioned("A", 4);
        var A = p.M("A");
        Assert.Equal(negative, Det(A) < 0);
        GradientAssert.Gradient(src, p, Math.Log(Math.Abs(Det(A))), ("A", T(Inv(A))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void DeterminantOfProduct(string t)
    {
        // |A B| with square A, B: ∇A = |AB| (AB)⁻ᵀ Bᵀ, ∇B = |AB| Aᵀ (AB)⁻ᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B) => Det(A * B);");
        var p = new Inputs(t, 210).WellConditioned("A", 3).NegativeDeterminant("B", 3);
        var (A, B) = (p.M("A"), p.M("B"));
        var AB = Mul(A, B);
        double det = Det(AB);
        var g = Scale(det, T(Inv(AB)));
        GradientAssert.Gradient(src, p, det, ("A", Mul(g, T(B))), ("B", Mul(T(A), g)));
    }
}
