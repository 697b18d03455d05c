using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>
/// The element-wise functions with a scalar parameter, against gradients written out here: Y = lrelu(A, s) gives
/// ∇A = W ⊙ lrelu′(A, s) (1 where A &gt; 0, s elsewhere, s at 0 too) and ∇s = ⟨W, min(A, 0)⟩ for the probe f = ⟨W, Y⟩;
/// Y = A^⊙p gives ∇A = W ⊙ p A^⊙(p−1) and ∇p = ⟨W, A^⊙p ⊙ log A⟩. The scalar parameter is differentiated when it is a
/// differentiated parameter, constant when it is a literal or [NoGradient].
/// </summary>
public class ParameterizedRulesTests
{
    private static double LeakyRelu(double x, double s) => x > 0 ? x : s * x;

    private static double LeakyReluPrime(double x, double s) => x > 0 ? 1 : s;

    [Theory, InlineData("double"), InlineData("float")]
    public void LeakyRelu_OnMatrix_WithADifferentiatedSlope(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, double s, [NoGradient] Matrix<double> W) => Dot(W, LeakyRelu(A, s));");
        var p = new Inputs(t, 901).AwayFromZero("A", 3, 4).Scalar("s", -0.5, 0.5).Matrix("W", 3, 4);
        var (A, s, W) = (p.M("A"), p.S("s"), p.M("W"));
        GradientAssert.Gradient(src, p, Dot(W, Map(A, a => LeakyRelu(a, s))),
            ("A", Had(W, Map(A, a => LeakyReluPrime(a, s)))), ("s", Dot(W, Map(A, a => Math.Min(a, 0)))));
        var forms = GradientAssert.ClosedForms(src, t, "FWithGradient");
        Assert.Contains("∇A = W ⊙ lrelu′(A, s)", forms);
        Assert.Contains("∇s = ⟨W, min(A, 0)⟩", forms);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LeakyRelu_OnVector_WithAConstantSlope_HasNoSlopeGradient(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Vector<double> x, [NoGradient] double s, [NoGradient] Vector<double> v) => Dot(v, LeakyRelu(x, s));");
        var p = new Inputs(t, 902).AwayFromZeroVector("x", 6).Scalar("s", 0.01, 0.3).Vector("v", 6);
        var (x, s, v) = (p.V("x"), p.S("s"), p.V("v"));
        GradientAssert.Gradient(src, p, Dot(v, Map(x, a => LeakyRelu(a, s))), ("x", Had(v, Map(x, a => LeakyReluPrime(a, s)))));
    }

    [Theory]
    [InlineData("double", -0.7)]
    [InlineData("float", 0.6)]
    public void LeakyRelu_OnScalar(string t, double x0)
    {
        var src = GradientAssert.Source(ScalarLeakyRelu);
        var p = new Inputs(t, 903).Add("x", x0).Scalar("s", 0.05, 0.4).Scalar("c");
        var (x, s, c) = (p.S("x"), p.S("s"), p.S("c"));
        GradientAssert.Gradient(src, p, c * LeakyRelu(x, s), ("x", c * LeakyReluPrime(x, s)), ("s", c * Math.Min(x, 0)), ("c", LeakyRelu(x, s)));
    }

    /// <summary>
    /// At x = 0 the derivative taken is the slope (documented; central differences would average 1 and s), and the one
    /// in the slope is min(0, 0) = 0.
    /// </summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void LeakyRelu_OnScalar_AtZero_TakesTheSlope(string t)
    {
        var g = GeneratorHarness.Method(GradientAssert.Compile(GradientAssert.Source(ScalarLeakyRelu), t), GradientAssert.TypeName, "FWithGradient");
        object?[] args = t == "double" ? [0.0, 0.25, 2.0, null, null, null] : [0f, 0.25f, 2f, null, null, null];
        Assert.Equal(0.0, Convert.ToDouble(g.Invoke(null, args)));
        Assert.Equal(0.5, Convert.ToDouble(args[3]));   // ∇x = c s
        Assert.Equal(0.0, Convert.ToDouble(args[4]));   // ∇s = c min(0, 0)
        Assert.Equal(0.0, Convert.ToDouble(args[5]));   // ∇c = lrelu(0, s)
    }

    private const string ScalarLeakyRelu = "[Differentiable] public static double F(double x, double s, double c) => c * LeakyRelu(x, s);";

    [Theory, InlineData("double"), InlineData("float")]
    public void Pow_OnMatrix_WithADifferentiatedExponent(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, double p, [NoGradient] Matrix<double> W) => Dot(W, Pow(A, p));");
        var q = new Inputs(t, 904).Matrix("A", 3, 4, 0.3, 2.5).Scalar("p", -1.5, 2.5).Matrix("W", 3, 4);
        var (A, p, W) = (q.M("A"), q.S("p"), q.M("W"));
        GradientAssert.Gradient(src, q, Dot(W, Map(A, a => Math.Pow(a, p))),
            ("A", Had(W, Map(A, a => p * Math.Pow(a, p - 1)))), ("p", Dot(W, Map(A, a => Math.Pow(a, p) * Math.Log(a)))));
        var forms = GradientAssert.ClosedForms(src, t, "FWithGradient");
        Assert.Contains("∇A = W ⊙ p A^⊙(p − 1)", forms);
        Assert.Contains("∇p = ⟨W, A^⊙p ⊙ log(A)⟩", forms);
    }

    /// <summary>An integer exponent takes negative entries (Math.Pow's domain), and its number is folded into the closed form.</summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void Pow_WithAnIntegerLiteral_TakesNegativeEntries(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Vector<double> x, [NoGradient] Vector<double> v) => Dot(v, Pow(x, 3));");
        var p = new Inputs(t, 905).Vector("x", 6, -2, 2).Vector("v", 6);
        var (x, v) = (p.V("x"), p.V("v"));
        GradientAssert.Gradient(src, p, Dot(v, Map(x, a => a * a * a)), ("x", Had(v, Map(x, a => 3 * a * a))));
        Assert.Contains("∇x = v ⊙ 3 x^⊙2", GradientAssert.ClosedForms(src, t, "FWithGradient"));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Pow_OnScalar(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(double x, double p, double c) => c * Pow(x, p);");
        var q = new Inputs(t, 906).Scalar("x", 0.3, 2.5).Scalar("p", -1.5, 2.5).Scalar("c");
        var (x, p, c) = (q.S("x"), q.S("p"), q.S("c"));
        GradientAssert.Gradient(src, q, c * Math.Pow(x, p),
            ("x", c * p * Math.Pow(x, p - 1)), ("p", c * Math.Pow(x, p) * Math.Log(x)), ("c", Math.Pow(x, p)));
    }

    /// <summary>Pow(x, 0) is constant and Pow(x, 1) linear: their gradients at x = 0 are exact (0 and v), not 0 · ∞.</summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void Pow_ZeroAndOne_AtZero(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Vector<double> x, [NoGradient] Vector<double> v) => Dot(v, Pow(x, 0)) + Dot(v, Pow(x, 1));");
        var p = new Inputs(t, 907).Add("x", new[] { 0.0, 0.5, -1.0 }).Vector("v", 3);
        var (x, v) = (p.V("x"), p.V("v"));
        GradientAssert.Gradient(src, p, Sum(v) + Dot(v, x), ("x", v));
    }
}
