using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Cookbook;

/// <summary>
/// Derivatives of scalar forms (linear, bilinear, quadratic) from The Matrix Cookbook (15 Nov 2012
/// edition), section 2.4, plus least squares and log-sum-exp.
/// </summary>
public class CookbookScalarFormTests
{
    private static string Src(string parameters, string body)
        => GradientAssert.Source($"[Differentiable] public static double F({parameters}) => {body};");

    private const string NgV = "[NoGradient] Vector<double> ";
    private const string NgM = "[NoGradient] Matrix<double> ";

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq69_LinearFormInVector(string t)
    {
        // (69) ∂xᵀa/∂x = ∂aᵀx/∂x = a
        var p = new Inputs(t, 901).Vector("x", 5).Vector("a", 5);
        var (x, a) = (p.V("x"), p.V("a"));
        GradientAssert.Gradient(Src("Vector<double> x, " + NgV + "a", "Dot(x, a) + Dot(a, x)"), p, 2 * Dot(x, a), ("x", Scale(2, a)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq70_BilinearFormaXb(string t)
    {
        // (70) ∂aᵀXb/∂X = abᵀ
        var p = new Inputs(t, 902).Vector("a", 3).Matrix("X", 3, 4).Vector("b", 4);
        var (a, X, b) = (p.V("a"), p.M("X"), p.V("b"));
        GradientAssert.Gradient(Src(NgV + "a, Matrix<double> X, " + NgV + "b", "Dot(a, X * b)"), p, Dot(a, Mul(X, b)), ("X", Outer(a, b)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq71_BilinearFormaXtb(string t)
    {
        // (71) ∂aᵀXᵀb/∂X = baᵀ
        var p = new Inputs(t, 903).Vector("a", 4).Matrix("X", 3, 4).Vector("b", 3);
        var (a, X, b) = (p.V("a"), p.M("X"), p.V("b"));
        GradientAssert.Gradient(Src(NgV + "a, Matrix<double> X, " + NgV + "b", "Dot(a, Transpose(X) * b)"), p,
            Dot(a, Mul(T(X), b)), ("X", Outer(b, a)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq72_QuadraticFormInMatrix(string t)
    {
        // (72) ∂aᵀXa/∂X = ∂aᵀXᵀa/∂X = aaᵀ (the sum of both: 2aaᵀ)
        var p = new Inputs(t, 904).Vector("a", 3).Matrix("X", 3, 3);
        var (a, X) = (p.V("a"), p.M("X"));
        GradientAssert.Gradient(Src(NgV + "a, Matrix<double> X", "Dot(a, X * a) + Dot(a, Transpose(X) * a)"), p,
            2 * Dot(a, Mul(X, a)), ("X", Scale(2, Outer(a, a))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq77_bXtXc(string t)
    {
        // (77) ∂bᵀXᵀXc/∂X = X(bcᵀ + cbᵀ)
        var p = new Inputs(t, 905).Vector("b", 3).Matrix("X", 4, 3).Vector("c", 3);
        var (b, X, c) = (p.V("b"), p.M("X"), p.V("c"));
        GradientAssert.Gradient(Src(NgV + "b, Matrix<double> X, " + NgV + "c", "Dot(b, Transpose(X) * X * c)"), p,
            Dot(Mul(X, b), Mul(X, c)), ("X", Mul(X, Add(Outer(b, c), Outer(c, b)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq78_AffineBilinearInVector(string t)
    {
        // (78) ∂(Bx + b)ᵀC(Dx + d)/∂x = BᵀC(Dx + d) + DᵀCᵀ(Bx + b)
        var p = new Inputs(t, 906).Matrix("B", 3, 2).Vector("x", 2).Vector("b", 3).Matrix("C", 3, 4).Matrix("D", 4, 2).Vector("d", 4);
        var (B, x, b, C, D, d) = (p.M("B"), p.V("x"), p.V("b"), p.M("C"), p.M("D"), p.V("d"));
        var u = Add(Mul(B, x), b);
        var v = Add(Mul(D, x), d);
        GradientAssert.Gradient(
            Src(NgM + "B, Vector<double> x, " + NgV + "b, " + NgM + "C, " + NgM + "D, " + NgV + "d", "Dot(B * x + b, C * (D * x + d))"),
            p, Dot(u, Mul(C, v)), ("x", Add(Mul(T(B), Mul(C, v)), Mul(T(D), Mul(T(C), u)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq81_QuadraticFormInVector(string t)
    {
        // (81) ∂xᵀBx/∂x = (B + Bᵀ)x
        var p = new Inputs(t, 907).Vector("x", 4).Matrix("B", 4, 4);
        var (x, B) = (p.V("x"), p.M("B"));
        GradientAssert.Gradient(Src("Vector<double> x, " + NgM + "B", "Dot(x, B * x)"), p, Dot(x, Mul(B, x)), ("x", Mul(Add(B, T(B)), x)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq82_bXtDXc(string t)
    {
        // (82) ∂bᵀXᵀDXc/∂X = DᵀXbcᵀ + DXcbᵀ
        var p = new Inputs(t, 908).Vector("b", 2).Matrix("X", 3, 2).Matrix("D", 3, 3).Vector("c", 2);
        var (b, X, D, c) = (p.V("b"), p.M("X"), p.M("D"), p.V("c"));
        GradientAssert.Gradient(Src(NgV + "b, Matrix<double> X, " + NgM + "D, " + NgV + "c", "Dot(b, Transpose(X) * D * X * c)"), p,
            Dot(Mul(X, b), Mul(D, Mul(X, c))),
            ("X", Add(Mul(Mul(T(D), X), Outer(b, c)), Mul(Mul(D, X), Outer(c, b)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq83_QuadraticFormOfAffine(string t)
    {
        // (83) ∂(Xb + c)ᵀD(Xb + c)/∂X = (D + Dᵀ)(Xb + c)bᵀ
        var src = GradientAssert.Source("""
            [Differentiable]
            public static double F(Matrix<double> X, [NoGradient] Vector<double> b, [NoGradient] Vector<double> c, [NoGradient] Matrix<double> D)
            {
                var r = X * b + c;
                return Dot(r, D * r);
            }
            """);
        var p = new Inputs(t, 909).Matrix("X", 3, 4).Vector("b", 4).Vector("c", 3).Matrix("D", 3, 3);
        var (X, b, c, D) = (p.M("X"), p.V("b"), p.V("c"), p.M("D"));
        var r = Add(Mul(X, b), c);
        GradientAssert.Gradient(src, p, Dot(r, Mul(D, r)), ("X", Outer(Mul(Add(D, T(D)), r), b)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq86to88_WeightedResidual(string t)
    {
        // W symmetric. (86) ∂/∂x (x − As)ᵀW(x − As) = 2W(x − As); (87) ∂/∂s = −2AᵀW(x − As); (88) ∂/∂A = −2W(x − As)sᵀ
        var src = GradientAssert.Source("""
            [Differentiable]
            public static double F(Vector<double> x, Matrix<double> A, Vector<double> s, [NoGradient] Matrix<double> W)
            {
                var r = x - A * s;
                return Dot(r, W * r);
            }
            """);
        var B = new Inputs("double", 910).Matrix("B", 4, 4).M("B");
        var p = new Inputs(t, 911).Vector("x", 4).Matrix("A", 4, 3).Vector("s", 3).Add("W", Add(B, T(B)));
        var (x, A, s, W) = (p.V("x"), p.M("A"), p.V("s"), p.M("W"));
        var r = Sub(x, Mul(A, s));
        var Wr = Mul(W, r);
        GradientAssert.Gradient(src, p, Dot(r, Wr),
            ("x", Scale(2, Wr)), ("A", Scale(-2, Outer(Wr, s))), ("s", Scale(-2, Mul(T(A), Wr))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LeastSquaresInMatrix(string t)
    {
        // ‖Xa − b‖² = (Xa − b)ᵀ(Xa − b); by (83) with D = I: ∇X = 2(Xa − b)aᵀ
        var p = new Inputs(t, 912).Matrix("X", 5, 3).Vector("a", 3).Vector("b", 5);
        var (X, a, b) = (p.M("X"), p.V("a"), p.V("b"));
        var r = Sub(Mul(X, a), b);
        GradientAssert.Gradient(Src("Matrix<double> X, " + NgV + "a, " + NgV + "b", "SquaredNorm(X * a - b)"), p,
            Dot(r, r), ("X", Scale(2, Outer(r, a))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LogSumExp_IsSoftmax(string t)
    {
        // ∂ log Σᵢ exp(xᵢ) / ∂x = softmax(x) = exp(x) / Σ exp(x)
        var p = new Inputs(t, 913).Vector("x", 6, -3, 3);
        var x = p.V("x");
        double z = x.Sum(Math.Exp);
        GradientAssert.Gradient(Src("Vector<double> x", "Log(Sum(Exp(x)))"), p, Math.Log(z), ("x", Map(x, v => Math.Exp(v) / z)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LogSumExpOfAffine(string t)
    {
        // f = log 𝟙ᵀexp(W x): ∇W = softmax(Wx) xᵀ, ∇x = Wᵀ softmax(Wx)
        var p = new Inputs(t, 914).Matrix("W", 4, 3).Vector("x", 3);
        var (W, x) = (p.M("W"), p.V("x"));
        var e = Map(Mul(W, x), Math.Exp);
        double z = e.Sum();
        var sm = Scale(1 / z, e);
        GradientAssert.Gradient(Src("Matrix<double> W, Vector<double> x", "Log(Sum(Exp(W * x)))"), p, Math.Log(z),
            ("W", Outer(sm, x)), ("x", Mul(T(W), sm)));
    }
}
