using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Examples;

/// <summary>
/// The lecture's examples 1–4: generated gradients against finite differences and against the
/// closed forms of the slides, computed here with plain loops (<see cref="Ref"/>).
/// </summary>
public class LectureExamplesTests
{
    public const string Bilinear = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Vector<double> x, Matrix<double> A, Vector<double> y) => Dot(x, A * y);
        }
        """;

    public const string LeastSquares = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Vector<double> w, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> y)
                => SquaredNorm(X * w - y);
        }
        """;

    public const string GaussianSolve = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> Sigma, Vector<double> mu, [NoGradient] Matrix<double> X)
            {
                int N = X.Cols;
                var C = X - mu;
                return N * LogDet(Sigma) + Sum(Hadamard(C, Solve(Sigma, C)));
            }
        }
        """;

    public const string GaussianTrace = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> Sigma, Vector<double> mu, [NoGradient] Matrix<double> X)
            {
                int N = X.Cols;
                var C = X - mu;
                return N * LogDet(Sigma) + Trace(Transpose(C) * Inverse(Sigma) * C);
            }
        }
        """;

    public const string SigmoidLayer = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F([NoGradient] Vector<double> x, [NoGradient] Matrix<double> A,
                                   Matrix<double> B, Vector<double> z, Vector<double> b)
            {
                var h = Inverse(B) * z + b;
                return Dot(x, A * Sigmoid(h));
            }
        }
        """;

    [Theory, InlineData("double"), InlineData("float")]
    public void Example1_Bilinear(string t)
    {
        var p = new Inputs(t, seed: 1).Vector("x", 3).Matrix("A", 3, 4).Vector("y", 4);
        double[] x = p.V("x"), y = p.V("y");
        var A = p.M("A");
        GradientAssert.Gradient(Bilinear, p, Dot(x, Mul(A, y)),
            ("x", Mul(A, y)),             // ∇x = A y
            ("A", Outer(x, y)),           // ∇A = x yᵀ
            ("y", Mul(T(A), x)));         // ∇y = Aᵀ x
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example2_LeastSquares(string t)
    {
        var p = new Inputs(t, seed: 2).Vector("w", 3).Matrix("X", 6, 3).Vector("y", 6);
        var X = p.M("X");
        var r = Sub(Mul(X, p.V("w")), p.V("y"));
        GradientAssert.Gradient(LeastSquares, p, Dot(r, r),
            ("w", Scale(2, Mul(T(X), r))));   // ∇w = 2 Xᵀ(Xw − y)
    }

    [Theory]
    [InlineData("double", false)]
    [InlineData("float", false)]
    [InlineData("double", true)]
    [InlineData("float", true)]
    public void Example3_GaussianMle_Solve(string t, bool symmetric) => GaussianCase(GaussianSolve, t, symmetric);

    [Theory]
    [InlineData("double", false)]
    [InlineData("float", false)]
    [InlineData("double", true)]
    [InlineData("float", true)]
    public void Example3_GaussianMle_TraceInverse(string t, bool symmetric) => GaussianCase(GaussianTrace, t, symmetric);

    private static void GaussianCase(string source, string t, bool symmetric)
    {
        const int D = 3, N = 5;
        var p = new Inputs(t, seed: 3);
        if (symmetric)
        {
            // Σ = B Bᵀ + I: symmetric positive definite. The gradient is still not symmetrized.
            var B = new Inputs("double", seed: 33).Matrix("B", D, D).M("B");
            p.Add("Sigma", Add(Mul(B, T(B)), Identity(D)));
        }
        else
        {
            p.WellConditioned("Sigma", D); // every entry independent, Σ ≠ Σᵀ
        }
        p.Vector("mu", D).Matrix("X", D, N, -2, 2);
        var sigma = p.M("Sigma");
        var C = SubCol(p.M("X"), p.V("mu"));          // columns xᵢ − μ
        var inv = Inv(sigma);
        var invT = T(inv);
        var S = Mul(C, T(C));                          // S = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ
        double quad = 0;
        for (int i = 0; i < N; i++)
        {
            var c = Col(C, i);
            quad += Dot(c, Mul(inv, c));
        }
        double value = (N * Math.Log(Math.Abs(Det(sigma)))) + quad;
        var dSigma = Sub(Scale(N, invT), Mul(invT, S, invT));        // N Σ⁻ᵀ − Σ⁻ᵀ S Σ⁻ᵀ
        var dMu = Scale(-1, Mul(Add(inv, invT), RowSums(C)));         // −(Σ⁻¹ + Σ⁻ᵀ) Σᵢ (xᵢ − μ)
        GradientAssert.Gradient(source, p, value, ("Sigma", dSigma), ("mu", dMu));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example4_SigmoidOfSolve(string t)
    {
        var p = new Inputs(t, seed: 4).Vector("x", 3).Matrix("A", 3, 4).WellConditioned("B", 4).Vector("z", 4).Vector("b", 4);
        double[] x = p.V("x"), z = p.V("z"), b = p.V("b");
        var A = p.M("A");
        var invB = Inv(p.M("B"));
        var h = Add(Mul(invB, z), b);
        var u = Had(Mul(T(A), x), Map(h, SigmoidPrime));              // (Aᵀx) ⊙ σ′(h)
        var invBT = T(invB);
        var dz = Mul(invBT, u);                                        // B⁻ᵀ u
        var dB = Neg(Mul(Outer(dz, z), invBT));                        // −B⁻ᵀ u zᵀ B⁻ᵀ
        GradientAssert.Gradient(SigmoidLayer, p, Dot(x, Mul(A, Map(h, Sigmoid))),
            ("B", dB), ("z", dz), ("b", u));
    }

    // The [ClosedForm] lines. The slides' spellings are used where the generator prints them; where it
    // prints an equivalent form (S = CCᵀ, Σᵢ(xᵢ − μ) = C𝟙, [·] as (·)) the assertion names the factors.
    [Theory, InlineData("double"), InlineData("float")]
    public void Example1_ClosedFormAttribute(string t)
    {
        var lines = GradientAssert.ClosedForms(Bilinear, t, "FWithGradient");
        Assert.Contains("∇x = Ay", lines);
        Assert.Contains("∇A = xyᵀ", lines);
        Assert.Contains("∇y = Aᵀx", lines);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example2_ClosedFormAttribute(string t)
        => Assert.Contains("∇w = 2Xᵀ(Xw − y)", GradientAssert.ClosedForms(LeastSquares, t, "FWithGradient"));

    [Theory]
    [InlineData("double", GaussianSolve)]
    [InlineData("float", GaussianSolve)]
    [InlineData("double", GaussianTrace)]
    [InlineData("float", GaussianTrace)]
    public void Example3_ClosedFormAttribute(string t, string source)
    {
        var lines = GradientAssert.ClosedForms(source, t, "FWithGradient");
        Assert.Contains("∇Σ = NΣ⁻ᵀ − Σ⁻ᵀCCᵀΣ⁻ᵀ", lines); // S = CCᵀ = Σᵢ(xᵢ − μ)(xᵢ − μ)ᵀ
        var mu = Assert.Single(lines, l => l.StartsWith("∇μ = ", StringComparison.Ordinal));
        // −(Σ⁻¹ + Σ⁻ᵀ) Σᵢ(xᵢ − μ), printed as −(Σ⁻¹C + Σ⁻ᵀC)𝟙 in either order
        Assert.StartsWith("∇μ = −(", mu);
        Assert.Contains("Σ⁻¹C", mu);
        Assert.Contains("Σ⁻ᵀC", mu);
        Assert.EndsWith(")𝟙", mu);
        Assert.Contains(lines, l => l.Contains("C = X − μ𝟙ᵀ", StringComparison.Ordinal));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example4_ClosedFormAttribute(string t)
    {
        var lines = GradientAssert.ClosedForms(SigmoidLayer, t, "FWithGradient");
        Assert.Contains("∇B = −B⁻ᵀ((Aᵀx) ⊙ σ′(h)) zᵀB⁻ᵀ", lines);
        Assert.Contains("∇z = B⁻ᵀ((Aᵀx) ⊙ σ′(h))", lines);
        Assert.Contains("∇b = (Aᵀx) ⊙ σ′(h)", lines);
        Assert.Contains(lines, l => l.Contains("h = B⁻¹z + b", StringComparison.Ordinal));
    }
}
