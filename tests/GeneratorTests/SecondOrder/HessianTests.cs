using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.SecondOrder;

/// <summary>
/// FHessian: symmetric and equal to the stacked Hessian-vector products (checked by
/// <see cref="GradientAssert.Hessian"/>), its Hessian-vector product equal to central differences of the
/// gradient, and the Hessian equal to a closed form written here independently, on L2
/// logistic regression, ridge regression and a log-determinant, in double and float. The logistic and ridge
/// Hessians come from the batch of directions (one matrix expression); the log-determinant one, through a
/// vector outer product, column by column.
/// </summary>
public sealed class HessianTests
{
    private const string Logistic = "[Differentiable] public static double F(Vector<double> w, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> y, [NoGradient] double lambda) "
        + "=> BinaryCrossEntropyWithLogits(X * w, y) / X.Rows + lambda / 2 * SquaredNorm(w);";

    [Theory, InlineData("double"), InlineData("float")]
    public void Logistic_Hessian_IsXTransposedDiagSigmaPrimeX_OverN_PlusLambdaI(string t)
    {
        var inputs = new Inputs(t, seed: 51).Vector("w", 4).Matrix("X", 7, 4).Vector("y", 7, 0, 1).Scalar("lambda", 0.1, 0.5);
        var h = GradientAssert.Hessian(GradientAssert.Source(Logistic), "F", inputs);
        GradientAssert.HessianVectorProduct(GradientAssert.Source(Logistic), "F", inputs);
        var x = inputs.M("X");
        var z = Ref.Mul(x, inputs.V("w"));
        var d = new double[7, 7];
        for (int i = 0; i < 7; i++)
        {
            double s = 1 / (1 + Math.Exp(-z[i]));
            d[i, i] = s * (1 - s) / 7;
        }
        var expected = Ref.Add(Ref.Mul(Ref.T(x), d, x), Ref.Scale(inputs.S("lambda"), Ref.Identity(4)));
        HessianVectorProductTests.AssertClose(expected, h, t == "double" ? 1e-10 : 1e-4);
        Assert.Contains("H = ", string.Join("\n", GradientAssert.ClosedForms(GradientAssert.Source(Logistic), t, "FHessian")));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Ridge_Hessian_IsTwoXTransposedXPlusTwoLambdaI(string t)
    {
        var source = GradientAssert.Source("[Differentiable] public static double F(Vector<double> w, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> y, [NoGradient] double lambda) "
            + "=> SquaredNorm(X * w - y) + lambda * SquaredNorm(w);");
        var inputs = new Inputs(t, seed: 52).Vector("w", 3).Matrix("X", 6, 3).Vector("y", 6).Scalar("lambda", 0.1, 0.5);
        var h = GradientAssert.Hessian(source, "F", inputs);
        GradientAssert.HessianVectorProduct(source, "F", inputs);
        var x = inputs.M("X");
        var expected = Ref.Add(Ref.Scale(2, Ref.Mul(Ref.T(x), x)), Ref.Scale(2 * inputs.S("lambda"), Ref.Identity(3)));
        HessianVectorProductTests.AssertClose(expected, h, t == "double" ? 1e-10 : 1e-4);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LogDetOfRankOneUpdate_Hessian_MatchesTheClosedForm(string t)
    {
        // f(x) = log|A + x xᵀ|, A symmetric: with M = A + x xᵀ and m = M⁻¹x,
        // ∇f = 2m and ∇²f = 2M⁻¹ − 2(xᵀm) M⁻¹ − 2 m mᵀ.
        var source = GradientAssert.Source("[Differentiable] public static double F(Vector<double> x, [NoGradient] Matrix<double> A) => LogDet(A + Outer(x, x));");
        var inputs = new Inputs(t, seed: 53).Vector("x", 4).Matrix("A", 4, 4, -0.3, 0.3);
        var a = inputs.M("A");
        var sym = Ref.Scale(0.5, Ref.Add(a, Ref.T(a)));
        for (int i = 0; i < 4; i++)
        {
            sym[i, i] += 3;
        }
        inputs = inputs.Replace("A", sym);
        var h = GradientAssert.Hessian(source, "F", inputs);
        GradientAssert.HessianVectorProduct(source, "F", inputs);
        var xv = inputs.V("x");
        var inverse = Ref.Inv(Ref.Add(inputs.M("A"), Ref.Outer(xv, xv)));
        var m = Ref.Mul(inverse, xv);
        double xm = xv.Select((xi, i) => xi * m[i]).Sum();
        var expected = Ref.Sub(Ref.Scale(2 - (2 * xm), inverse), Ref.Scale(2, Ref.Outer(m, m)));
        HessianVectorProductTests.AssertClose(expected, h, t == "double" ? 1e-9 : 2e-3);
    }

    /// <summary>
    /// f(x, p) = Σ xᵢᵖ: ∂²f/∂xᵢ² = p(p − 1) xᵢ^(p−2) (PowSecond), ∂²f/∂xᵢ∂p = xᵢ^(p−1) (1 + p ln xᵢ) (PowMixedSecond),
    /// ∂²f/∂p² = Σ xᵢᵖ ln² xᵢ (the differential of xᵖ ⊙ ln x): one n + 1 square matrix, written out here.
    /// </summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void PowWithADifferentiatedExponent_Hessian_MatchesTheClosedForm(string t)
    {
        var source = GradientAssert.Source("[Differentiable] public static double F(Vector<double> x, double p) => Sum(Pow(x, p));");
        var inputs = new Inputs(t, seed: 55).Vector("x", 4, 0.4, 2).Scalar("p", 0.5, 2.5);
        var h = GradientAssert.Hessian(source, "F", inputs);
        var (x, p) = (inputs.V("x"), inputs.S("p"));
        var expected = new double[5, 5];
        for (int i = 0; i < 4; i++)
        {
            expected[i, i] = p * (p - 1) * Math.Pow(x[i], p - 2);
            expected[i, 4] = expected[4, i] = Math.Pow(x[i], p - 1) * (1 + (p * Math.Log(x[i])));
            expected[4, 4] += Math.Pow(x[i], p) * Math.Log(x[i]) * Math.Log(x[i]);
        }
        HessianVectorProductTests.AssertClose(expected, h, t == "double" ? 1e-10 : 1e-4);
    }

    /// <summary>
    /// f(x, s) = ‖lrelu(x, s)‖²/2 with a learnable slope: ∂²f/∂xᵢ² = lrelu′(xᵢ, s)² (f″ = 0), ∂²f/∂xᵢ∂s = 2 s xᵢ where
    /// xᵢ ≤ 0 (else 0), ∂²f/∂s² = Σ_{xᵢ ≤ 0} xᵢ².
    /// </summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void LeakyReluWithALearnableSlope_Hessian_MatchesTheClosedForm(string t)
    {
        var source = GradientAssert.Source("[Differentiable] public static double F(Vector<double> x, double s) => SquaredNorm(LeakyRelu(x, s)) / 2;");
        var inputs = new Inputs(t, seed: 56).Add("x", new[] { -1.5, 0.75, -0.25, 2.0, 0.5 }).Scalar("s", 0.05, 0.5);
        var h = GradientAssert.Hessian(source, "F", inputs);
        var (x, s) = (inputs.V("x"), inputs.S("s"));
        var expected = new double[6, 6];
        for (int i = 0; i < 5; i++)
        {
            bool negative = x[i] <= 0;
            expected[i, i] = negative ? s * s : 1;
            expected[i, 5] = expected[5, i] = negative ? 2 * s * x[i] : 0;
            expected[5, 5] += negative ? x[i] * x[i] : 0;
        }
        HessianVectorProductTests.AssertClose(expected, h, t == "double" ? 1e-12 : 1e-5);
    }

    /// <summary>With a constant exponent and slope the Hessian is diagonal, diag(p(p − 1) x^⊙(p−2)), and comes from the batch of directions.</summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void PowAndLeakyReluWithConstants_HessianIsOneDiagonalExpression(string t)
    {
        var source = GradientAssert.Source("[Differentiable] public static double F(Vector<double> x, [NoGradient] double p, [NoGradient] double s) "
            + "=> Sum(Pow(x, p)) + Sum(LeakyRelu(x, s));");
        var inputs = new Inputs(t, seed: 57).Vector("x", 5, 0.4, 2).Scalar("p", -1.5, 2.5).Scalar("s", 0.01, 0.3);
        var h = GradientAssert.Hessian(source, "F", inputs);
        var (x, p) = (inputs.V("x"), inputs.S("p"));
        var expected = new double[5, 5];
        for (int i = 0; i < 5; i++)
        {
            expected[i, i] = p * (p - 1) * Math.Pow(x[i], p - 2);
        }
        HessianVectorProductTests.AssertClose(expected, h, t == "double" ? 1e-10 : 1e-4);
        Assert.Contains("H = diag(p(p − 1) x^⊙(p − 2)) I", GradientAssert.ClosedForms(source, t, "FHessian"));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarAndVectorParameters_HessianIsOrderedByParameter(string t)
    {
        var source = GradientAssert.Source("[Differentiable] public static double F(Vector<double> w, double b, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> ones) "
            + "=> Sum(Softplus(X * w + b * ones)) + b * b * SquaredNorm(w);");
        var inputs = new Inputs(t, seed: 54).Vector("w", 3).Scalar("b").Matrix("X", 5, 3).Add("ones", Enumerable.Repeat(1.0, 5).ToArray());
        var h = GradientAssert.Hessian(source, "F", inputs);
        GradientAssert.HessianVectorProduct(source, "F", inputs);
        Assert.Equal(4, h.GetLength(0));
    }
}
