using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>
/// Program structure: integer dimensions and int parameters as constants, reassigned locals, compound
/// assignment, a parameter used twice, a parameter without influence, scalar parameters, [NoGradient]/int/bool
/// parameters (no out), and calls to another scalar [Differentiable] method.
/// </summary>
public class ProgramStructureRulesTests
{
    private static string Src(string body) => GradientAssert.Source(body);

    [Theory, InlineData("double"), InlineData("float")]
    public void ColsTimesLogDet(string t)
    {
        // f = n log|S| with n = X.Cols: ∇S = n S⁻ᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> S, [NoGradient] Matrix<double> X) => X.Cols * LogDet(S);");
        var p = new Inputs(t, 501).WellConditioned("S", 3).Matrix("X", 2, 5);
        var S = p.M("S");
        GradientAssert.Gradient(src, p, 5 * Math.Log(Math.Abs(Det(S))), ("S", Scale(5, T(Inv(S)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void DimensionLocalsAndIntParameter(string t)
    {
        // f = (k·rows / len) Sum(A) + len·Dot(x, x), with rows = A.Rows, len = x.Length, k an int parameter
        var src = Src("""
            [Differentiable]
            public static double F(Matrix<double> A, Vector<double> x, int k)
            {
                int rows = A.Rows;
                var len = x.Length;
                return k * rows * Sum(A) / len + len * Dot(x, x);
            }
            """);
        var p = new Inputs(t, 502).Matrix("A", 3, 2).Vector("x", 4).Int("k", 7);
        var (A, x) = (p.M("A"), p.V("x"));
        double factor = 7.0 * 3 / 4;
        GradientAssert.Gradient(src, p, (factor * Sum(A)) + (4 * Dot(x, x)), ("A", Fill(3, 2, factor)), ("x", Scale(8, x)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ReassignedLocal(string t)
    {
        // h = σ(A x + b); f = ‖h‖²: G = 2h ⊙ σ′(Ax + b); ∇A = G xᵀ, ∇x = Aᵀ G, ∇b = G
        var src = Src("""
            [Differentiable]
            public static double F(Matrix<double> A, Vector<double> x, Vector<double> b)
            {
                var h = A * x;
                h = h + b;
                h = Sigmoid(h);
                return SquaredNorm(h);
            }
            """);
        var p = new Inputs(t, 503).Matrix("A", 3, 4).Vector("x", 4).Vector("b", 3);
        var (A, x) = (p.M("A"), p.V("x"));
        var pre = Add(Mul(A, x), p.V("b"));
        var h = Map(pre, Sigmoid);
        var G = Had(Scale(2, h), Map(pre, SigmoidPrime));
        GradientAssert.Gradient(src, p, Dot(h, h), ("A", Outer(G, x)), ("x", Mul(T(A), G)), ("b", G));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void CompoundAssignmentOnScalar(string t)
    {
        // f = c (xᵀx + 𝟙ᵀA x) − bᵀx
        var src = Src("""
            [Differentiable]
            public static double F(Matrix<double> A, Vector<double> x, double c, Vector<double> b)
            {
                var s = Dot(x, x);
                s += Sum(A * x);
                s *= c;
                s -= Dot(b, x);
                return s;
            }
            """);
        var p = new Inputs(t, 504).Matrix("A", 3, 4).Vector("x", 4).Scalar("c").Vector("b", 4);
        var (A, x, c, b) = (p.M("A"), p.V("x"), p.S("c"), p.V("b"));
        double inner = Dot(x, x) + Sum(Mul(A, x));
        var ones = Fill(3, 1.0);
        GradientAssert.Gradient(src, p, (c * inner) - Dot(b, x),
            ("A", Scale(c, Outer(ones, x))),
            ("x", Sub(Scale(c, Add(Scale(2, x), Mul(T(A), ones))), b)),
            ("c", inner),
            ("b", Scale(-1, x)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void CompoundAssignmentOnMatrix(string t)
    {
        // Y = (A B + C) s − A B; f = ⟨W, Y⟩
        var src = Src("""
            [Differentiable]
            public static double F(Matrix<double> A, Matrix<double> B, Matrix<double> C, double s, [NoGradient] Matrix<double> W)
            {
                var Y = A * B;
                Y += C;
                Y *= s;
                Y -= A * B;
                return Dot(W, Y);
            }
            """);
        var p = new Inputs(t, 505).Matrix("A", 2, 3).Matrix("B", 3, 4).Matrix("C", 2, 4).Scalar("s").Matrix("W", 2, 4);
        var (A, B, C, s, W) = (p.M("A"), p.M("B"), p.M("C"), p.S("s"), p.M("W"));
        var AB = Mul(A, B);
        var value = Dot(W, Sub(Scale(s, Add(AB, C)), AB));
        GradientAssert.Gradient(src, p, value,
            ("A", Scale(s - 1, Mul(W, T(B)))),
            ("B", Scale(s - 1, Mul(T(A), W))),
            ("C", Scale(s, W)),
            ("s", Dot(W, Add(AB, C))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ParameterUsedTwice_QuadraticForm(string t)
    {
        // xᵀAx: ∇x = (A + Aᵀ)x, ∇A = x xᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Vector<double> x) => Dot(x, A * x);");
        var p = new Inputs(t, 506).Matrix("A", 4, 4).Vector("x", 4);
        var (A, x) = (p.M("A"), p.V("x"));
        GradientAssert.Gradient(src, p, Dot(x, Mul(A, x)), ("A", Outer(x, x)), ("x", Mul(Add(A, T(A)), x)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ParameterUsedTwice_MatrixSquare(string t)
    {
        // ⟨W, A A⟩: ∇A = W Aᵀ + Aᵀ W
        var src = Src("[Differentiable] public static double F(Matrix<double> A, [NoGradient] Matrix<double> W) => Dot(W, A * A);");
        var p = new Inputs(t, 507).Matrix("A", 3, 3).Matrix("W", 3, 3);
        var (A, W) = (p.M("A"), p.M("W"));
        GradientAssert.Gradient(src, p, Dot(W, Mul(A, A)), ("A", Add(Mul(W, T(A)), Mul(T(A), W))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ParametersWithoutInfluence_GetZerosOfTheirShape(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Vector<double> u, double s, Matrix<double> Z) => Sum(A);");
        var p = new Inputs(t, 508).Matrix("A", 2, 3).Vector("u", 4).Scalar("s").Matrix("Z", 3, 5);
        GradientAssert.Gradient(src, p, Sum(p.M("A")),
            ("A", Fill(2, 3, 1)), ("u", new double[4]), ("s", 0.0), ("Z", new double[3, 5]));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarParameter(string t)
    {
        // f = s² Tr(A) + eˢ: ∇s = 2s Tr(A) + eˢ, ∇A = s² I
        var src = Src("[Differentiable] public static double F(double s, Matrix<double> A) => s * s * Trace(A) + Exp(s);");
        var p = new Inputs(t, 509).Scalar("s").Matrix("A", 3, 3);
        var (s, A) = (p.S("s"), p.M("A"));
        GradientAssert.Gradient(src, p, (s * s * Trace(A)) + Math.Exp(s),
            ("s", (2 * s * Trace(A)) + Math.Exp(s)), ("A", Scale(s * s, Identity(3))));
    }

    private const string ConstantParameters = """
        [Differentiable]
        public static double F([NoGradient] Matrix<double> X, Matrix<double> A, int k, bool flag, [NoGradient] double c, Vector<double> b, [NoGradient] Vector<double> y)
            => k * Dot(X, A) + c * Dot(b, y);
        """;

    [Theory, InlineData("double"), InlineData("float")]
    public void NoGradientIntAndBoolParameters_GetNoOut(string t)
    {
        var names = GradientAssert.Parameters(GradientAssert.Source(ConstantParameters), t, "FWithGradient");
        Assert.Equal(new[]
        {
            $"Matrix<{Cs(t)}> X", $"Matrix<{Cs(t)}> A", "Int32 k", "Boolean flag", $"{Cs(t)} c", $"Vector<{Cs(t)}> b", $"Vector<{Cs(t)}> y",
            $"out Matrix<{Cs(t)}> dA", $"out Vector<{Cs(t)}> db",
        }, names);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void NoGradientIntAndBoolParameters_Gradients(string t)
    {
        // f = k⟨X, A⟩ + c bᵀy: ∇A = kX, ∇b = c y
        var p = new Inputs(t, 510).Matrix("X", 2, 3).Matrix("A", 2, 3).Int("k", 3).Bool("flag", true).Scalar("c").Vector("b", 4).Vector("y", 4);
        var (X, A, c, b, y) = (p.M("X"), p.M("A"), p.S("c"), p.V("b"), p.V("y"));
        GradientAssert.Gradient(GradientAssert.Source(ConstantParameters), p, (3 * Dot(X, A)) + (c * Dot(b, y)),
            ("A", Scale(3, X)), ("b", Scale(c, y)));
    }

    private const string CallingScalarMethod = """
        [Differentiable]
        public static double G(Matrix<double> A, Vector<double> x) => Dot(x, A * x);

        [Differentiable]
        public static double F(Matrix<double> B, Vector<double> y, [NoGradient] Vector<double> z) => G(B * B, y) + 3 * G(B, z);
        """;

    [Theory, InlineData("double"), InlineData("float")]
    public void CallsAnotherScalarDifferentiableMethod(string t)
    {
        // f = yᵀB²y + 3 zᵀBz: ∇y = (B² + B²ᵀ)y, ∇B = y yᵀ Bᵀ + Bᵀ y yᵀ + 3 z zᵀ
        var p = new Inputs(t, 511).Matrix("B", 3, 3).Vector("y", 3).Vector("z", 3);
        var (B, y, z) = (p.M("B"), p.V("y"), p.V("z"));
        var B2 = Mul(B, B);
        var yy = Outer(y, y);
        GradientAssert.Gradient(GradientAssert.Source(CallingScalarMethod), p, Dot(y, Mul(B2, y)) + (3 * Dot(z, Mul(B, z))),
            ("B", Add(Add(Mul(yy, T(B)), Mul(T(B), yy)), Scale(3, Outer(z, z)))),
            ("y", Mul(Add(B2, T(B2)), y)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void CalleeHasItsOwnGradient(string t)
    {
        var p = new Inputs(t, 512).Matrix("A", 3, 3).Vector("x", 3);
        var (A, x) = (p.M("A"), p.V("x"));
        GradientAssert.Gradient(GradientAssert.Source(CallingScalarMethod), "G", p, Dot(x, Mul(A, x)),
            ("A", Outer(x, x)), ("x", Mul(Add(A, T(A)), x)));
    }

    private static string Cs(string t) => t == "double" ? "Double" : "Single";
}
