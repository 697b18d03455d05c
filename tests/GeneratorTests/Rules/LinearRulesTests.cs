using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>
/// Linear rules: + − unary − s·X X·s X/s, matrix·matrix, matrix·vector, Transpose, Matrix ± Vector.
/// Each output is probed with a fixed [NoGradient] weight W (f = ⟨W, g(·)⟩), so every output entry
/// enters with its own weight and the expected gradient is the adjoint of g applied to W.
/// </summary>
public class LinearRulesTests
{
    private static string Src(string body) => GradientAssert.Source(body);

    [Theory, InlineData("double"), InlineData("float")]
    public void MatrixSum(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, [NoGradient] Matrix<double> W) => Dot(W, A + B);");
        var p = new Inputs(t, 101).Matrix("A", 3, 4).Matrix("B", 3, 4).Matrix("W", 3, 4);
        var W = p.M("W");
        GradientAssert.Gradient(src, p, Dot(W, Add(p.M("A"), p.M("B"))), ("A", W), ("B", W));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void MatrixDifference(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, [NoGradient] Matrix<double> W) => Dot(W, A - B);");
        var p = new Inputs(t, 102).Matrix("A", 3, 4).Matrix("B", 3, 4).Matrix("W", 3, 4);
        var W = p.M("W");
        GradientAssert.Gradient(src, p, Dot(W, Sub(p.M("A"), p.M("B"))), ("A", W), ("B", Neg(W)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void UnaryMinus(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Vector<double> x, [NoGradient] Matrix<double> W, [NoGradient] Vector<double> v) => Dot(W, -A) + Dot(v, -x);");
        var p = new Inputs(t, 103).Matrix("A", 2, 5).Vector("x", 4).Matrix("W", 2, 5).Vector("v", 4);
        var W = p.M("W");
        var v = p.V("v");
        GradientAssert.Gradient(src, p, -Dot(W, p.M("A")) - Dot(v, p.V("x")), ("A", Neg(W)), ("x", Scale(-1, v)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarTimesMatrix_BothSides(string t)
    {
        // f = ⟨W, s·A⟩ + ⟨W, A·s⟩ = 2s⟨W, A⟩
        var src = Src("[Differentiable] public static double F(double s, Matrix<double> A, [NoGradient] Matrix<double> W) => Dot(W, s * A) + Dot(W, A * s);");
        var p = new Inputs(t, 104).Scalar("s").Matrix("A", 3, 2).Matrix("W", 3, 2);
        double s = p.S("s");
        var W = p.M("W");
        var A = p.M("A");
        GradientAssert.Gradient(src, p, 2 * s * Dot(W, A), ("s", 2 * Dot(W, A)), ("A", Scale(2 * s, W)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void MatrixDividedByScalar(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A, double s, [NoGradient] Matrix<double> W) => Dot(W, A / s);");
        var p = new Inputs(t, 105).Matrix("A", 3, 3).Scalar("s", 0.5, 2).Matrix("W", 3, 3);
        double s = p.S("s");
        var W = p.M("W");
        var A = p.M("A");
        GradientAssert.Gradient(src, p, Dot(W, A) / s, ("A", Scale(1 / s, W)), ("s", -Dot(W, A) / (s * s)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void VectorLinearOps(string t)
    {
        // f = vᵀ(x + y) + uᵀ(x − y) + vᵀ(s·x) + uᵀ(y / s)
        var src = Src("""
            [Differentiable]
            public static double F(Vector<double> x, Vector<double> y, double s, [NoGradient] Vector<double> u, [NoGradient] Vector<double> v)
                => Dot(v, x + y) + Dot(u, x - y) + Dot(v, s * x) + Dot(u, y / s);
            """);
        var p = new Inputs(t, 106).Vector("x", 4).Vector("y", 4).Scalar("s", 0.5, 2).Vector("u", 4).Vector("v", 4);
        double[] x = p.V("x"), y = p.V("y"), u = p.V("u"), v = p.V("v");
        double s = p.S("s");
        double value = Dot(v, Add(x, y)) + Dot(u, Sub(x, y)) + (s * Dot(v, x)) + (Dot(u, y) / s);
        GradientAssert.Gradient(src, p, value,
            ("x", Add(Add(v, u), Scale(s, v))),
            ("y", Add(Sub(v, u), Scale(1 / s, u))),
            ("s", Dot(v, x) - (Dot(u, y) / (s * s))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarArithmetic(string t)
    {
        // f = a·b + a/b − (−a) − b
        var src = Src("[Differentiable] public static double F(double a, double b) => a * b + a / b - (-a) - b;");
        var p = new Inputs(t, 107).Scalar("a").Scalar("b", 0.5, 2);
        double a = p.S("a"), b = p.S("b");
        GradientAssert.Gradient(src, p, (a * b) + (a / b) + a - b, ("a", b + (1 / b) + 1), ("b", a - (a / (b * b)) - 1));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void IntegerLiteralFactor(string t)
    {
        // f = ⟨W, 2A⟩ + 3 Sum(A): ∇A = 2W + 3·𝟙𝟙ᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> A, [NoGradient] Matrix<double> W) => Dot(W, 2 * A) + 3 * Sum(A);");
        var p = new Inputs(t, 108).Matrix("A", 2, 3).Matrix("W", 2, 3);
        var A = p.M("A");
        var W = p.M("W");
        GradientAssert.Gradient(src, p, (2 * Dot(W, A)) + (3 * Sum(A)), ("A", Map(W, w => (2 * w) + 3)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void MatrixTimesMatrix(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, [NoGradient] Matrix<double> W) => Dot(W, A * B);");
        var p = new Inputs(t, 109).Matrix("A", 3, 4).Matrix("B", 4, 2).Matrix("W", 3, 2);
        var (A, B, W) = (p.M("A"), p.M("B"), p.M("W"));
        GradientAssert.Gradient(src, p, Dot(W, Mul(A, B)), ("A", Mul(W, T(B))), ("B", Mul(T(A), W)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ChainOfThreeProducts(string t)
    {
        // f = ⟨W, A B C⟩: ∇A = W Cᵀ Bᵀ, ∇B = Aᵀ W Cᵀ, ∇C = Bᵀ Aᵀ W
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, Matrix<double> C, [NoGradient] Matrix<double> W) => Dot(W, A * B * C);");
        var p = new Inputs(t, 110).Matrix("A", 2, 3).Matrix("B", 3, 4).Matrix("C", 4, 5).Matrix("W", 2, 5);
        var (A, B, C, W) = (p.M("A"), p.M("B"), p.M("C"), p.M("W"));
        GradientAssert.Gradient(src, p, Dot(W, Mul(A, B, C)),
            ("A", Mul(W, T(C), T(B))), ("B", Mul(T(A), W, T(C))), ("C", Mul(T(B), T(A), W)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void MatrixTimesVector(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Vector<double> x, [NoGradient] Vector<double> v) => Dot(v, A * x);");
        var p = new Inputs(t, 111).Matrix("A", 3, 5).Vector("x", 5).Vector("v", 3);
        var (A, x, v) = (p.M("A"), p.V("x"), p.V("v"));
        GradientAssert.Gradient(src, p, Dot(v, Mul(A, x)), ("A", Outer(v, x)), ("x", Mul(T(A), v)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Transposition(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A, [NoGradient] Matrix<double> W) => Dot(W, Transpose(A));");
        var p = new Inputs(t, 112).Matrix("A", 3, 4).Matrix("W", 4, 3);
        var W = p.M("W");
        GradientAssert.Gradient(src, p, Dot(W, T(p.M("A"))), ("A", T(W)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void TransposeInsideProduct(string t)
    {
        // f = ⟨W, Aᵀ B⟩: ∇A = B Wᵀ, ∇B = A W
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, [NoGradient] Matrix<double> W) => Dot(W, Transpose(A) * B);");
        var p = new Inputs(t, 113).Matrix("A", 4, 3).Matrix("B", 4, 2).Matrix("W", 3, 2);
        var (A, B, W) = (p.M("A"), p.M("B"), p.M("W"));
        GradientAssert.Gradient(src, p, Dot(W, Mul(T(A), B)), ("A", Mul(B, T(W))), ("B", Mul(A, W)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void MatrixPlusVectorBroadcast(string t)
    {
        // f = ⟨W, A + b𝟙ᵀ⟩: ∇A = W, ∇b = W𝟙 (row sums)
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Vector<double> b, [NoGradient] Matrix<double> W) => Dot(W, A + b);");
        var p = new Inputs(t, 114).Matrix("A", 3, 5).Vector("b", 3).Matrix("W", 3, 5);
        var W = p.M("W");
        GradientAssert.Gradient(src, p, Dot(W, AddCol(p.M("A"), p.V("b"))), ("A", W), ("b", RowSums(W)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void MatrixMinusVectorBroadcast(string t)
    {
        // f = ⟨W, A − b𝟙ᵀ⟩: ∇A = W, ∇b = −W𝟙
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Vector<double> b, [NoGradient] Matrix<double> W) => Dot(W, A - b);");
        var p = new Inputs(t, 115).Matrix("A", 3, 5).Vector("b", 3).Matrix("W", 3, 5);
        var W = p.M("W");
        GradientAssert.Gradient(src, p, Dot(W, SubCol(p.M("A"), p.V("b"))), ("A", W), ("b", Scale(-1, RowSums(W))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void AffineLayerBroadcast(string t)
    {
        // f = ⟨V, W X + b𝟙ᵀ⟩: ∇W = V Xᵀ, ∇b = V𝟙
        var src = Src("[Differentiable] public static double F(Matrix<double> W, Vector<double> b, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> V) => Dot(V, W * X + b);");
        var p = new Inputs(t, 116).Matrix("W", 3, 4).Vector("b", 3).Matrix("X", 4, 6).Matrix("V", 3, 6);
        var (W, X, V) = (p.M("W"), p.M("X"), p.M("V"));
        GradientAssert.Gradient(src, p, Dot(V, AddCol(Mul(W, X), p.V("b"))), ("W", Mul(V, T(X))), ("b", RowSums(V)));
    }
}
