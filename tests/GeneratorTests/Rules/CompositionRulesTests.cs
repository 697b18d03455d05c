using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>
/// Rules composed with each other: scalar functions of matrix scalars, a parameter reaching one op
/// through two paths, more layer shapes (vector results, Solve, Transpose, integer parameters).
/// </summary>
public class CompositionRulesTests
{
    private static string Src(string body) => GradientAssert.Source(body);

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarFunctionOfMatrixScalar(string t)
    {
        // f = exp(Tr A) + σ(s)·Sum(A): ∇A = e^{Tr A} I + σ(s) 𝟙𝟙ᵀ, ∇s = σ′(s) Sum(A)
        var src = Src("[Differentiable] public static double F(Matrix<double> A, double s) => Exp(Trace(A)) + Sigmoid(s) * Sum(A);");
        var p = new Inputs(t, 1101).Matrix("A", 3, 3, -0.5, 0.5).Scalar("s");
        var (A, s) = (p.M("A"), p.S("s"));
        double e = Math.Exp(Trace(A));
        GradientAssert.Gradient(src, p, e + (Sigmoid(s) * Sum(A)),
            ("A", Add(Scale(e, Identity(3)), Fill(3, 3, Sigmoid(s)))), ("s", SigmoidPrime(s) * Sum(A)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarTimesMatrixFromScalarFunction(string t)
    {
        // f = ⟨W, tanh(s) A⟩: ∇A = tanh(s) W, ∇s = (1 − tanh²s)⟨W, A⟩
        var src = Src("[Differentiable] public static double F(double s, Matrix<double> A, [NoGradient] Matrix<double> W) => Dot(W, Tanh(s) * A);");
        var p = new Inputs(t, 1102).Scalar("s").Matrix("A", 2, 4).Matrix("W", 2, 4);
        var (s, A, W) = (p.S("s"), p.M("A"), p.M("W"));
        double th = Math.Tanh(s);
        GradientAssert.Gradient(src, p, th * Dot(W, A), ("s", (1 - (th * th)) * Dot(W, A)), ("A", Scale(th, W)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void HadamardWithOwnTranspose(string t)
    {
        // Σᵢⱼ Aᵢⱼ Aⱼᵢ = Tr(A²): ∇A = 2Aᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> A) => Sum(Hadamard(A, Transpose(A)));");
        var p = new Inputs(t, 1103).Matrix("A", 4, 4);
        var A = p.M("A");
        GradientAssert.Gradient(src, p, Trace(Mul(A, A)), ("A", Scale(2, T(A))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void OuterOfSameVector(string t)
    {
        // ⟨W, x xᵀ⟩ = xᵀWx: ∇x = (W + Wᵀ)x
        var src = Src("[Differentiable] public static double F(Vector<double> x, [NoGradient] Matrix<double> W) => Dot(W, Outer(x, x));");
        var p = new Inputs(t, 1104).Vector("x", 4).Matrix("W", 4, 4);
        var (x, W) = (p.V("x"), p.M("W"));
        GradientAssert.Gradient(src, p, Dot(x, Mul(W, x)), ("x", Mul(Add(W, T(W)), x)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void DeterminantOfSquare(string t)
    {
        // |A²| = |A|²: ∇A = 2|A|² A⁻ᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> A) => Det(A * A);");
        var p = new Inputs(t, 1105).NegativeDeterminant("A", 3);
        var A = p.M("A");
        double d = Det(A);
        GradientAssert.Gradient(src, p, d * d, ("A", Scale(2 * d * d, T(Inv(A)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarQuotientOfReductions(string t)
    {
        // f = Sum(A) / ‖x‖² − Mean(x) / A.Rows
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Vector<double> x) => Sum(A) / SquaredNorm(x) - Mean(x) / A.Rows;");
        var p = new Inputs(t, 1106).Matrix("A", 3, 2).Vector("x", 5);
        var (A, x) = (p.M("A"), p.V("x"));
        double n2 = Dot(x, x), sum = Sum(A);
        GradientAssert.Gradient(src, p, (sum / n2) - (Sum(x) / 5 / 3),
            ("A", Fill(3, 2, 1 / n2)),
            ("x", Sub(Scale(-2 * sum / (n2 * n2), x), Fill(5, 1.0 / 15))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void VectorCompoundAssignment(string t)
    {
        // v = s(Ax − b) + b, f = ‖v‖²: with g = 2v, ∇A = s g xᵀ, ∇x = s Aᵀg, ∇b = (1 − s) g, ∇s = gᵀ(Ax − b)
        var src = Src("""
            [Differentiable]
            public static double F(Matrix<double> A, Vector<double> x, Vector<double> b, double s)
            {
                var v = A * x;
                v -= b;
                v *= s;
                v += b;
                return SquaredNorm(v);
            }
            """);
        var p = new Inputs(t, 1107).Matrix("A", 3, 4).Vector("x", 4).Vector("b", 3).Scalar("s");
        var (A, x, b, s) = (p.M("A"), p.V("x"), p.V("b"), p.S("s"));
        var r = Sub(Mul(A, x), b);
        var v = Add(Scale(s, r), b);
        var g = Scale(2, v);
        GradientAssert.Gradient(src, p, Dot(v, v),
            ("A", Outer(Scale(s, g), x)), ("x", Mul(T(A), Scale(s, g))), ("b", Scale(1 - s, g)), ("s", Dot(g, r)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SolveLayerPullback(string t)
    {
        // y = A⁻¹b; seed s: ∇b = A⁻ᵀs, ∇A = −(A⁻ᵀs) yᵀ
        var src = Src("[Differentiable] public static Vector<double> Layer(Matrix<double> A, Vector<double> b) => Solve(A, b);");
        var p = new Inputs(t, 1108).WellConditioned("A", 4).Vector("b", 4);
        var seed = new Inputs(t, 1109).Vector("s", 4).V("s");
        var inv = Inv(p.M("A"));
        var y = Mul(inv, p.V("b"));
        var gb = Mul(T(inv), seed);
        GradientAssert.Pullback(src, "Layer", p, seed, y, ("A", Neg(Outer(gb, y))), ("b", gb));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void TransposeLayerWithIntAndNoGradient(string t)
    {
        // Y = k (A B)ᵀ − C with B [NoGradient], k int; seed S: ∇A = k Sᵀ Bᵀ, ∇C = −S
        var src = Src("[Differentiable] public static Matrix<double> Layer(Matrix<double> A, [NoGradient] Matrix<double> B, int k, Matrix<double> C) => k * Transpose(A * B) - C;");
        var p = new Inputs(t, 1110).Matrix("A", 3, 4).Matrix("B", 4, 2).Int("k", 3).Matrix("C", 2, 3);
        var S = new Inputs(t, 1111).Matrix("S", 2, 3).M("S");
        var (A, B, C) = (p.M("A"), p.M("B"), p.M("C"));
        GradientAssert.Pullback(src, "Layer", p, S, Sub(Scale(3, T(Mul(A, B))), C),
            ("A", Scale(3, Mul(T(S), T(B)))), ("C", Neg(S)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ElementwiseLayerOnVector(string t)
    {
        // y = −Sqrt(x) ⊙ Log(x) + Relu(Square(x)); ∇x = s ⊙ (−(1/(2√x)) log x − √x/x + 2x)  (x > 0)
        var src = Src("[Differentiable] public static Vector<double> Layer(Vector<double> x) => -Hadamard(Sqrt(x), Log(x)) + Relu(Square(x));");
        var p = new Inputs(t, 1112).Vector("x", 5, 0.3, 2.5);
        var x = p.V("x");
        var S = new Inputs(t, 1113).Vector("s", 5).V("s");
        var y = Map(x, v => (-Math.Sqrt(v) * Math.Log(v)) + (v * v));
        var d = Map(x, v => (-0.5 / Math.Sqrt(v) * Math.Log(v)) - (Math.Sqrt(v) / v) + (2 * v));
        GradientAssert.Pullback(src, "Layer", p, S, y, ("x", Had(S, d)));
    }
}
