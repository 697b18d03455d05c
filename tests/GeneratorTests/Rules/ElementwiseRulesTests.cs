using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>
/// Element-wise rules on matrices, vectors and scalars: Hadamard, Exp, Log, Sigmoid, Tanh, Relu, Softplus, Gelu, Abs, Square, Sqrt.
/// Y = f(A): ∂Y = f′(A) ⊙ ∂A ⇒ ∇A = W ⊙ f′(A) for the probe f = ⟨W, f(A)⟩.
/// Inputs: positive for Log/Sqrt, |x| ≥ 0.2 for Relu and Abs (away from their kinks).
/// Gelu's reference Φ is the Taylor series of erf, not the runtime's (an everywhere-positive series and a continued fraction).
/// </summary>
public class ElementwiseRulesTests
{
    private enum Domain
    {
        Any,
        Positive,
        AwayFromZero,
    }

    private sealed record Fn(Func<double, double> F, Func<double, double> Prime, Domain Domain);

    private static readonly Dictionary<string, Fn> Functions = new()
    {
        ["Exp"] = new(Math.Exp, Math.Exp, Domain.Any),
        ["Log"] = new(Math.Log, x => 1 / x, Domain.Positive),
        ["Sigmoid"] = new(Sigmoid, SigmoidPrime, Domain.Any),
        ["Tanh"] = new(Math.Tanh, x => 1 - (Math.Tanh(x) * Math.Tanh(x)), Domain.Any),
        ["Relu"] = new(x => Math.Max(0, x), x => x > 0 ? 1 : 0, Domain.AwayFromZero),
        ["Softplus"] = new(x => Math.Log(1 + Math.Exp(x)), Sigmoid, Domain.Any),
        ["Gelu"] = new(x => x * NormalCdf(x), x => NormalCdf(x) + (x * Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI)), Domain.Any),
        ["Abs"] = new(Math.Abs, x => Math.Sign(x), Domain.AwayFromZero),
        ["Square"] = new(x => x * x, x => 2 * x, Domain.Any),
        ["Sqrt"] = new(Math.Sqrt, x => 0.5 / Math.Sqrt(x), Domain.Positive),
    };

    /// <summary>Φ(x) = ½(1 + erf(x/√2)), erf z = 2/√π Σₙ (−1)ⁿ z^(2n+1)/(n!(2n+1)) (|x| ≤ 2 here: the series converges in ~40 terms).</summary>
    private static double NormalCdf(double x)
    {
        double z = x / Math.Sqrt(2);
        double sum = 0;
        double power = z; // (−1)ⁿ z^(2n+1)/n!
        for (int n = 0; n < 80; n++)
        {
            sum += power / ((2 * n) + 1);
            power *= -z * z / (n + 1);
        }
        return 0.5 * (1 + (2 / Math.Sqrt(Math.PI) * sum));
    }

    public static IEnumerable<object[]> Cases()
        => Functions.Keys.SelectMany(f => new[] { new object[] { f, "double" }, new object[] { f, "float" } });

    [Theory, MemberData(nameof(Cases))]
    public void OnMatrix(string fn, string t)
    {
        var src = GradientAssert.Source($"[Differentiable] public static double F(Matrix<double> A, [NoGradient] Matrix<double> W) => Dot(W, {fn}(A));");
        var f = Functions[fn];
        var p = new Inputs(t, 400 + fn.Length);
        _ = f.Domain switch
        {
            Domain.Positive => p.Matrix("A", 3, 4, 0.3, 2.5),
            Domain.AwayFromZero => p.AwayFromZero("A", 3, 4),
            _ => p.Matrix("A", 3, 4, -2, 2),
        };
        p.Matrix("W", 3, 4);
        var (A, W) = (p.M("A"), p.M("W"));
        GradientAssert.Gradient(src, p, Dot(W, Map(A, f.F)), ("A", Had(W, Map(A, f.Prime))));
    }

    [Theory, MemberData(nameof(Cases))]
    public void OnVector(string fn, string t)
    {
        var src = GradientAssert.Source($"[Differentiable] public static double F(Vector<double> x, [NoGradient] Vector<double> v) => Dot(v, {fn}(x));");
        var f = Functions[fn];
        var p = new Inputs(t, 420 + fn.Length);
        _ = f.Domain switch
        {
            Domain.Positive => p.Vector("x", 6, 0.3, 2.5),
            Domain.AwayFromZero => p.AwayFromZeroVector("x", 6),
            _ => p.Vector("x", 6, -2, 2),
        };
        p.Vector("v", 6);
        var (x, v) = (p.V("x"), p.V("v"));
        GradientAssert.Gradient(src, p, Dot(v, Map(x, f.F)), ("x", Had(v, Map(x, f.Prime))));
    }

    [Theory, MemberData(nameof(Cases))]
    public void OnScalar(string fn, string t)
    {
        // f = c · g(s): ∂f/∂s = c g′(s), ∂f/∂c = g(s)
        var src = GradientAssert.Source($"[Differentiable] public static double F(double s, double c) => c * {fn}(s);");
        var f = Functions[fn];
        var p = new Inputs(t, 440 + fn.Length);
        _ = f.Domain switch
        {
            Domain.Positive => p.Scalar("s", 0.3, 2.5),
            Domain.AwayFromZero => p.AwayFromZeroScalar("s"),
            _ => p.Scalar("s", -2, 2),
        };
        p.Scalar("c");
        var (s, c) = (p.S("s"), p.S("c"));
        GradientAssert.Gradient(src, p, c * f.F(s), ("s", c * f.Prime(s)), ("c", f.F(s)));
    }

    [Theory]
    [InlineData("double", 0.7)]
    [InlineData("float", 0.7)]
    [InlineData("double", -0.6)]
    [InlineData("float", -0.6)]
    public void ReluScalarBothSides(string t, double s0)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(double s, double c) => c * Relu(s);");
        var p = new Inputs(t, 450).Add("s", s0).Scalar("c");
        var (s, c) = (p.S("s"), p.S("c"));
        GradientAssert.Gradient(src, p, c * Math.Max(0, s), ("s", s > 0 ? c : 0), ("c", Math.Max(0, s)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void HadamardOfMatrices(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, [NoGradient] Matrix<double> W) => Dot(W, Hadamard(A, B));");
        var p = new Inputs(t, 460).Matrix("A", 3, 4).Matrix("B", 3, 4).Matrix("W", 3, 4);
        var (A, B, W) = (p.M("A"), p.M("B"), p.M("W"));
        GradientAssert.Gradient(src, p, Dot(W, Had(A, B)), ("A", Had(W, B)), ("B", Had(W, A)));
    }

    /// <summary>f = ⟨W, A ⊘ B⟩: ∇A = W ⊘ B, ∇B = −W ⊙ A ⊘ B² (entry by entry here); vectors: ∇x = v ⊘ y, ∇y = −v ⊙ x ⊘ y².</summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void ElementwiseDivide_OfMatricesAndVectors(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, [NoGradient] Matrix<double> W, "
            + "Vector<double> x, Vector<double> y, [NoGradient] Vector<double> v) => Dot(W, Divide(A, B)) + Dot(v, Divide(x, y));");
        var p = new Inputs(t, 463).Matrix("A", 3, 4).Matrix("B", 3, 4, 0.5, 2).Matrix("W", 3, 4).Vector("x", 5).Vector("y", 5, -2, -0.5).Vector("v", 5);
        var (A, B, W) = (p.M("A"), p.M("B"), p.M("W"));
        var (x, y, v) = (p.V("x"), p.V("y"), p.V("v"));
        double f = 0;
        var gA = new double[3, 4];
        var gB = new double[3, 4];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                f += W[i, j] * A[i, j] / B[i, j];
                gA[i, j] = W[i, j] / B[i, j];
                gB[i, j] = -W[i, j] * A[i, j] / (B[i, j] * B[i, j]);
            }
        }
        f += Enumerable.Range(0, 5).Sum(k => v[k] * x[k] / y[k]);
        GradientAssert.Gradient(src, p, f, ("A", gA), ("B", gB),
            ("x", Enumerable.Range(0, 5).Select(k => v[k] / y[k]).ToArray()), ("y", Enumerable.Range(0, 5).Select(k => -v[k] * x[k] / (y[k] * y[k])).ToArray()));
    }

    /// <summary>f = ⟨W, max(A, B)⟩ + ⟨V, min(A, B)⟩: each entry's weight goes to the larger (smaller) operand.</summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void MaximumAndMinimum_RouteTheGradient(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, [NoGradient] Matrix<double> W, [NoGradient] Matrix<double> V) "
            + "=> Dot(W, Maximum(A, B)) + Dot(V, Minimum(A, B));");
        var p = new Inputs(t, 464).Matrix("A", 3, 4).Matrix("B", 3, 4).Matrix("W", 3, 4).Matrix("V", 3, 4);
        var (A, B, W, V) = (p.M("A"), p.M("B"), p.M("W"), p.M("V"));
        double f = 0;
        var gA = new double[3, 4];
        var gB = new double[3, 4];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                bool aLarger = A[i, j] > B[i, j];
                f += (W[i, j] * Math.Max(A[i, j], B[i, j])) + (V[i, j] * Math.Min(A[i, j], B[i, j]));
                gA[i, j] = aLarger ? W[i, j] : V[i, j];
                gB[i, j] = aLarger ? V[i, j] : W[i, j];
            }
        }
        GradientAssert.Gradient(src, p, f, ("A", gA), ("B", gB));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void HadamardOfVectors(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Vector<double> x, Vector<double> y, [NoGradient] Vector<double> v) => Dot(v, Hadamard(x, y));");
        var p = new Inputs(t, 461).Vector("x", 5).Vector("y", 5).Vector("v", 5);
        var (x, y, v) = (p.V("x"), p.V("y"), p.V("v"));
        GradientAssert.Gradient(src, p, Dot(v, Had(x, y)), ("x", Had(v, y)), ("y", Had(v, x)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void HadamardSquareOfSameArgument(string t)
    {
        // Sum(A ⊙ A) = ‖A‖²: ∇A = 2A (both operands are A)
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A) => Sum(Hadamard(A, A));");
        var p = new Inputs(t, 462).Matrix("A", 4, 2);
        var A = p.M("A");
        GradientAssert.Gradient(src, p, Dot(A, A), ("A", Scale(2, A)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ElementwiseChain(string t)
    {
        // f = Sum(Sqrt(Exp(A) + Square(B))) : ∇A = eᴬ ⊙ / (2√·), ∇B = 2B ⊙ / (2√·)
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B) => Sum(Sqrt(Exp(A) + Square(B)));");
        var p = new Inputs(t, 463).Matrix("A", 3, 3).Matrix("B", 3, 3);
        var (A, B) = (p.M("A"), p.M("B"));
        var inner = Add(Map(A, Math.Exp), Map(B, b => b * b));
        var halfInvRoot = Map(inner, u => 0.5 / Math.Sqrt(u));
        GradientAssert.Gradient(src, p, Sum(Map(inner, Math.Sqrt)),
            ("A", Had(Map(A, Math.Exp), halfInvRoot)), ("B", Had(Scale(2, B), halfInvRoot)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarFormsCompose(string t)
    {
        // f = Log(Sum(Exp(x))) + Tanh(Sigmoid(s)) · Sqrt(c)
        var src = GradientAssert.Source("[Differentiable] public static double F(Vector<double> x, double s, double c) => Log(Sum(Exp(x))) + Tanh(Sigmoid(s)) * Sqrt(c);");
        var p = new Inputs(t, 464).Vector("x", 4).Scalar("s").Scalar("c", 0.5, 2);
        var (x, s, c) = (p.V("x"), p.S("s"), p.S("c"));
        double z = Sum(Map(x, Math.Exp));
        double th = Math.Tanh(Sigmoid(s));
        GradientAssert.Gradient(src, p, Math.Log(z) + (th * Math.Sqrt(c)),
            ("x", Map(x, v => Math.Exp(v) / z)),
            ("s", (1 - (th * th)) * SigmoidPrime(s) * Math.Sqrt(c)),
            ("c", th * 0.5 / Math.Sqrt(c)));
    }

    /// <summary>
    /// The logistic loss as users write it, with log σ: rewritten to −softplus(−z), whose rule gives
    /// ∇z = (yc ⊙ σ(z) − y ⊙ σ(−z))/n directly — exact where σ(z) underflows (|z| up to 40 here) — and the
    /// closed form prints that way (and Xᵀ(σ(z) − y)/n for the softplus spelling).
    /// </summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void LogisticLoss_ThroughLogSigmoid_IsStableAndSimplified(string t)
    {
        const string body = """
            [Differentiable] public static double F(Vector<double> w, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> y, [NoGradient] Vector<double> yc)
            { var z = X * w; return -(Dot(y, Log(Sigmoid(z))) + Dot(yc, Log(Sigmoid(-z)))) / X.Rows; }
            [Differentiable] public static double G(Vector<double> w, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> y)
            { var z = X * w; return (Sum(Softplus(z)) - Dot(y, z)) / X.Rows; }
            """;
        var src = GradientAssert.Source(body);
        var p = new Inputs(t, 777).Vector("w", 3, -4, 4).Matrix("X", 6, 3, -3, 3).Vector("y", 6, 0, 1);
        var (w, X, y) = (p.V("w"), p.M("X"), p.V("y"));
        var yc = y.Select(v => 1 - v).ToArray();
        p.Add("yc", yc);
        var z = Mul(X, w);
        double n = 6;
        static double LogSigmoid(double x) => x >= 0 ? -Math.Log(1 + Math.Exp(-x)) : x - Math.Log(1 + Math.Exp(x));
        double value = -z.Select((zi, i) => (y[i] * LogSigmoid(zi)) + (yc[i] * LogSigmoid(-zi))).Sum() / n;
        var dz = z.Select((zi, i) => (Sigmoid(zi) - y[i]) / n).ToArray();   // yc = 1 − y here
        GradientAssert.Gradient(src, "F", p, value, ("w", Mul(T(X), dz)));
        Assert.Contains("∇w = Xᵀ(yc ⊙ σ(z) − y ⊙ σ(−z))/rows(X)", GradientAssert.ClosedForms(src, t, "FWithGradient"));
        var q = new Inputs(t, 777).Vector("w", 3, -4, 4).Matrix("X", 6, 3, -3, 3).Vector("y", 6, 0, 1);
        Assert.Contains("∇w = Xᵀ(σ(z) − y)/rows(X)", GradientAssert.ClosedForms(src, t, "GWithGradient"));
        GradientAssert.Gradient(src, "G", q, z.Select(zi => Math.Log(1 + Math.Exp(zi))).Sum() / n - (Dot(y, z) / n), ("w", Mul(T(X), dz)));
    }

    /// <summary>|s| at s = 0 takes the subgradient 0 (documented); either side, ±c.</summary>
    [Theory]
    [InlineData("double", 0.0)]
    [InlineData("float", 0.0)]
    [InlineData("double", -0.6)]
    [InlineData("float", 0.7)]
    public void AbsScalarAtAndAwayFromZero(string t, double s0)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(double s, double c) => c * Abs(s);");
        var p = new Inputs(t, 451).Add("s", s0).Scalar("c");
        var (s, c) = (p.S("s"), p.S("c"));
        GradientAssert.Gradient(src, p, c * Math.Abs(s), ("s", c * Math.Sign(s)), ("c", Math.Abs(s)));
    }
}
