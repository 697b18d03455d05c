using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>
/// Rules under less common conditions: shapes from 1×1 to sizes that take the runtime's blocked GEMM paths,
/// name collisions with generated names, a reused Inverse, Solve(A, A), nested layers, optional arguments.
/// </summary>
public class EdgeCaseRulesTests
{
    private const string Product = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> A, Matrix<double> B, [NoGradient] Matrix<double> W) => Dot(W, A * B);
        }
        """;

    [Theory]
    [InlineData("double", 1, 1, 1)]
    [InlineData("float", 1, 1, 1)]
    [InlineData("double", 1, 7, 1)]
    [InlineData("float", 5, 1, 3)]
    [InlineData("double", 17, 33, 9)]
    [InlineData("float", 17, 33, 9)]
    [InlineData("double", 23, 41, 19)]
    [InlineData("float", 23, 41, 19)]
    public void MatrixProductOverShapes(string t, int m, int k, int n)
    {
        // ∇A = W Bᵀ, ∇B = Aᵀ W: exercises the transposed products of the runtime kernels at many sizes
        var p = new Inputs(t, 1001 + m + k + n).Matrix("A", m, k).Matrix("B", k, n).Matrix("W", m, n);
        var (A, B, W) = (p.M("A"), p.M("B"), p.M("W"));
        GradientAssert.Gradient(Product, p, Dot(W, Mul(A, B)), ("A", Mul(W, T(B))), ("B", Mul(T(A), W)));
    }

    [Theory]
    [InlineData("double", 1, 1)]
    [InlineData("float", 1, 1)]
    [InlineData("double", 21, 45)]
    [InlineData("float", 21, 45)]
    public void MatrixVectorOverShapes(string t, int m, int n)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Vector<double> x, [NoGradient] Vector<double> v) => Dot(v, A * x);");
        var p = new Inputs(t, 1011 + m + n).Matrix("A", m, n).Vector("x", n).Vector("v", m);
        var (A, x, v) = (p.M("A"), p.V("x"), p.V("v"));
        GradientAssert.Gradient(src, p, Dot(v, Mul(A, x)), ("A", Outer(v, x)), ("x", Mul(T(A), v)));
    }

    [Theory]
    [InlineData("double", 1)]
    [InlineData("float", 1)]
    [InlineData("double", 12)]
    [InlineData("float", 12)]
    public void LogDetAndInverseOverSizes(string t, int n)
    {
        // f = log|X| + Tr(X⁻¹): ∇X = X⁻ᵀ − X⁻ᵀX⁻ᵀ
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> X) => LogDet(X) + Trace(Inverse(X));");
        var p = new Inputs(t, 1021 + n).NegativeDeterminant("X", n);
        var invT = T(Inv(p.M("X")));
        GradientAssert.Gradient(src, p, Math.Log(Math.Abs(Det(p.M("X")))) + Trace(Inv(p.M("X"))),
            ("X", Sub(invT, Mul(invT, invT))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void OutNameTakenByAnotherParameter(string t)
    {
        // parameters x and dx: the out for x cannot be called dx. f = xᵀ(dx ⊙ dx)
        var src = GradientAssert.Source("[Differentiable] public static double F(Vector<double> x, Vector<double> dx) => Dot(x, Hadamard(dx, dx));");
        var p = new Inputs(t, 1031).Vector("x", 4).Vector("dx", 4);
        var (x, dx) = (p.V("x"), p.V("dx"));
        GradientAssert.GradientWithSuffixedOuts(src, p, Dot(x, Had(dx, dx)), ("x", Had(dx, dx)), ("dx", Scale(2, Had(x, dx))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void UserNamesLikeGeneratedTemporaries(string t)
    {
        // locals named as a generator might name its temporaries must not collide
        var src = GradientAssert.Source("""
            [Differentiable]
            public static double F(Matrix<double> A, Vector<double> x, Vector<double> seed)
            {
                var t0 = A * x;
                var t1 = t0 + seed;
                var t2 = Tanh(t1);
                var t3 = Dot(t2, t2);
                var g = t3;
                var value = g;
                return value;
            }
            """);
        var p = new Inputs(t, 1041).Matrix("A", 3, 4).Vector("x", 4).Vector("seed", 3);
        var (A, x) = (p.M("A"), p.V("x"));
        var h = Map(Add(Mul(A, x), p.V("seed")), Math.Tanh);
        var G = Had(Scale(2, h), Map(h, v => 1 - (v * v)));
        GradientAssert.Gradient(src, p, Dot(h, h), ("A", Outer(G, x)), ("x", Mul(T(A), G)), ("seed", G));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void InverseReusedThroughALocal(string t)
    {
        // V = X⁻¹; f = Tr(V B) + ‖V‖²: ∇X = −X⁻ᵀ(Bᵀ + 2V)X⁻ᵀ
        var src = GradientAssert.Source("""
            [Differentiable]
            public static double F(Matrix<double> X, [NoGradient] Matrix<double> B)
            {
                var V = Inverse(X);
                return Trace(V * B) + SquaredNorm(V);
            }
            """);
        var p = new Inputs(t, 1051).WellConditioned("X", 3).Matrix("B", 3, 3);
        var V = Inv(p.M("X"));
        var B = p.M("B");
        GradientAssert.Gradient(src, p, Trace(Mul(V, B)) + Dot(V, V), ("X", Neg(Mul(T(V), Add(T(B), Scale(2, V)), T(V)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void InverseOfInverseAndTransposeOfInverse(string t)
    {
        // f = ⟨W, (X⁻¹)⁻¹⟩ + bᵀ X⁻ᵀ c = ⟨W, X⟩ + cᵀX⁻¹b: ∇X = W − X⁻ᵀ c bᵀ X⁻ᵀ
        var src = GradientAssert.Source("""
            [Differentiable]
            public static double F(Matrix<double> X, [NoGradient] Matrix<double> W, [NoGradient] Vector<double> b, [NoGradient] Vector<double> c)
                => Dot(W, Inverse(Inverse(X))) + Dot(b, Transpose(Inverse(X)) * c);
            """);
        var p = new Inputs(t, 1052).WellConditioned("X", 3).Matrix("W", 3, 3).Vector("b", 3).Vector("c", 3);
        var (X, W, b, c) = (p.M("X"), p.M("W"), p.V("b"), p.V("c"));
        var invT = T(Inv(X));
        GradientAssert.Gradient(src, p, Dot(W, X) + Dot(c, Mul(Inv(X), b)), ("X", Sub(W, Mul(invT, Outer(c, b), invT))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SolveWithTheSameMatrixOnBothSides(string t)
    {
        // Solve(A, A) = I, constant: ∇A = 0; plus Sum(A) so the value depends on A: ∇A = 𝟙𝟙ᵀ
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, [NoGradient] Matrix<double> W) => Dot(W, Solve(A, A)) + Sum(A);");
        var p = new Inputs(t, 1053).WellConditioned("A", 3).Matrix("W", 3, 3);
        GradientAssert.Gradient(src, p, Trace(p.M("W")) + Sum(p.M("A")), ("A", Fill(3, 3, 1)));
    }

    private const string Deep = """
        [Differentiable]
        public static Matrix<double> Dense(Matrix<double> W, Vector<double> b, Matrix<double> X) => Tanh(W * X + b);

        [Differentiable]
        public static Matrix<double> Deep(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2, [NoGradient] Matrix<double> X)
            => Dense(W2, b2, Dense(W1, b1, X));

        [Differentiable]
        public static double Loss(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
            => Mean(Square(Deep(W1, b1, W2, b2, X) - Y));
        """;

    /// <summary>Two tanh layers, backward by hand: G₂ = S ⊙ (1 − H₂²), G₁ = W₂ᵀG₂ ⊙ (1 − H₁²).</summary>
    private static (double[,] H2, double[,] dW1, double[] db1, double[,] dW2, double[] db2, double[,] dX) DeepVjp(Inputs p, double[,] S)
    {
        var (W1, W2, X) = (p.M("W1"), p.M("W2"), p.M("X"));
        var H1 = Map(AddCol(Mul(W1, X), p.V("b1")), Math.Tanh);
        var H2 = Map(AddCol(Mul(W2, H1), p.V("b2")), Math.Tanh);
        var G2 = Had(S, Map(H2, h => 1 - (h * h)));
        var G1 = Had(Mul(T(W2), G2), Map(H1, h => 1 - (h * h)));
        return (H2, Mul(G1, T(X)), RowSums(G1), Mul(G2, T(H1)), RowSums(G2), Mul(T(W1), G1));
    }

    private static Inputs DeepInputs(string t) =>
        new Inputs(t, 1061).Matrix("W1", 4, 3).Vector("b1", 4).Matrix("W2", 2, 4).Vector("b2", 2).Matrix("X", 3, 5);

    [Theory, InlineData("double"), InlineData("float")]
    public void NestedLayersPullback(string t)
    {
        var p = DeepInputs(t);
        var S = new Inputs(t, 1062).Matrix("S", 2, 5).M("S");
        var r = DeepVjp(p, S);
        GradientAssert.Pullback(GradientAssert.Source(Deep), "Deep", p, S, r.H2,
            ("W1", r.dW1), ("b1", r.db1), ("W2", r.dW2), ("b2", r.db2));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void InnerLayerPullbackIncludesItsInput(string t)
    {
        var p = new Inputs(t, 1063).Matrix("W", 2, 3).Vector("b", 2).Matrix("X", 3, 4);
        var S = new Inputs(t, 1064).Matrix("S", 2, 4).M("S");
        var (W, X) = (p.M("W"), p.M("X"));
        var H = Map(AddCol(Mul(W, X), p.V("b")), Math.Tanh);
        var G = Had(S, Map(H, h => 1 - (h * h)));
        GradientAssert.Pullback(GradientAssert.Source(Deep), "Dense", p, S, H,
            ("W", Mul(G, T(X))), ("b", RowSums(G)), ("X", Mul(T(W), G)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LossThroughNestedLayers(string t)
    {
        // L = mean((H₂ − Y)²) over the 2×5 entries: seed 2(H₂ − Y)/10
        var p = DeepInputs(t).Matrix("Y", 2, 5);
        var H2 = DeepVjp(p, Fill(2, 5, 0)).H2;
        var R = Sub(H2, p.M("Y"));
        var r = DeepVjp(p, Scale(2.0 / 10, R));
        GradientAssert.Gradient(GradientAssert.Source(Deep), "Loss", p, Dot(R, R) / 10,
            ("W1", r.dW1), ("b1", r.db1), ("W2", r.dW2), ("b2", r.db2));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void CalleeWithOptionalArgument(string t)
    {
        // G(A, k = 2) = k·Tr(A A); F(A) = G(A) + G(A, 3) = 5 Tr(A²): ∇A = 10 Aᵀ
        var src = GradientAssert.Source("""
            [Differentiable]
            public static double G(Matrix<double> A, int k = 2) => k * Trace(A * A);

            [Differentiable]
            public static double F(Matrix<double> A) => G(A) + G(A, 3);
            """);
        var p = new Inputs(t, 1071).Matrix("A", 3, 3);
        var A = p.M("A");
        GradientAssert.Gradient(src, p, 5 * Trace(Mul(A, A)), ("A", Scale(10, T(A))));
    }
}
