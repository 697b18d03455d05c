using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.ScalarMath;

/// <summary>
/// Scalar math on T inside a body — Math.* on double, MathF.* on float, the T.Exp-style statics — against gradients
/// written out here (d exp = exp, d log = 1/x, d √ = 1/(2√x), d tanh = 1 − tanh², d|x| = sign x, d xʸ = (y xʸ⁻¹, xʸ log x),
/// d max(a, b) = (𝟙[a ≥ b], 𝟙[b &gt; a]), d min(a, b) = (𝟙[a ≤ b], 𝟙[a &gt; b])), and against central differences;
/// forward mode and the Hessian-vector product against differences too.
/// </summary>
public class ScalarMathTests
{
    private static string Smooth(string math) => GradientAssert.Source(
        $"[Differentiable] public static double F(double x, double y) => {math}.Exp(x) * {math}.Log(y) + {math}.Sqrt(y) * {math}.Tanh(x) + {math}.Pow(y, x);");

    private static (double Value, double Dx, double Dy) SmoothReference(double x, double y)
    {
        double th = Math.Tanh(x), value = Math.Exp(x) * Math.Log(y) + Math.Sqrt(y) * th + Math.Pow(y, x);
        double dx = Math.Exp(x) * Math.Log(y) + Math.Sqrt(y) * (1 - th * th) + Math.Pow(y, x) * Math.Log(y);
        double dy = Math.Exp(x) / y + th / (2 * Math.Sqrt(y)) + x * Math.Pow(y, x - 1);
        return (value, dx, dy);
    }

    [Theory, InlineData("double", "Math"), InlineData("float", "MathF"), InlineData("double", "double"), InlineData("float", "float")]
    public void ExpLogSqrtTanhPow_OnScalars(string t, string math)
    {
        // The harness turns "double" into "float" for the float variant, so MathF is written for float only.
        var src = Smooth(math == "MathF" ? "System.MathF" : math == "Math" ? "System.Math" : "double");
        var p = new Inputs(t, 2101).Scalar("x", -0.8, 0.9).Scalar("y", 0.4, 2.0);
        var (value, dx, dy) = SmoothReference(p.S("x"), p.S("y"));
        GradientAssert.Gradient(src, p, value, ("x", dx), ("y", dy));
        GradientAssert.Tangent(src, "F", p);
        GradientAssert.HessianVectorProduct(src, "F", p);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Hessian_OfScalarMath_IsTheClosedForm(string t)
    {
        // f = exp(x) log(y): H = [[eˣ log y, eˣ / y], [eˣ / y, −eˣ / y²]].
        var src = GradientAssert.Source("[Differentiable] public static double F(double x, double y) => double.Exp(x) * double.Log(y);");
        var p = new Inputs(t, 2102).Scalar("x", -0.5, 0.5).Scalar("y", 0.5, 1.5);
        double x = p.S("x"), y = p.S("y"), e = Math.Exp(x);
        var h = GradientAssert.Hessian(src, "F", p);
        var expected = new[,] { { e * Math.Log(y), e / y }, { e / y, -e / (y * y) } };
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                Assert.Equal(expected[i, j], h[i, j], t == "double" ? 1e-9 : 1e-3);
            }
        }
    }

    private const string Kinked = "[Differentiable] public static double F(double x, double y, double z) => System.Math.Abs(x) * System.Math.Max(y, z) + System.Math.Min(x, z) * y;";

    [Theory, InlineData("double", 0.7, -0.3, 0.5), InlineData("double", -0.6, 0.8, -0.2), InlineData("float", -0.4, 0.1, 0.9)]
    public void AbsMaxMin_AwayFromKinks(string t, double x, double y, double z)
    {
        var src = GradientAssert.Source(t == "float" ? Kinked.Replace("Math.", "MathF.") : Kinked);
        var p = new Inputs(t, 2103).Add("x", x).Add("y", y).Add("z", z);
        (x, y, z) = (p.S("x"), p.S("y"), p.S("z"));
        double max = Math.Max(y, z), min = Math.Min(x, z);
        double dx = Math.Sign(x) * max + (x <= z ? y : 0);
        double dy = Math.Abs(x) * (y >= z ? 1 : 0) + min;
        double dz = Math.Abs(x) * (z > y ? 1 : 0) + (x > z ? y : 0);
        GradientAssert.Gradient(src, p, Math.Abs(x) * max + min * y, ("x", dx), ("y", dy), ("z", dz));
        GradientAssert.Tangent(src, "F", p);
        GradientAssert.HessianVectorProduct(src, "F", p);
        GradientAssert.Hessian(src, "F", p);
    }

    /// <summary>At a tie max and min send the whole gradient to their first operand; at 0, |x|′ is taken as 0 (documented subgradients).</summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void AbsMaxMin_AtKinks_TakeTheDocumentedSubgradient(string t)
    {
        var src = GradientAssert.Source(t == "float" ? Kinked.Replace("Math.", "MathF.") : Kinked);
        var g = GeneratorHarness.Method(GradientAssert.Compile(src, t), GradientAssert.TypeName, "FWithGradient");
        object?[] args = t == "double" ? [0.0, 0.5, 0.5, null, null, null] : [0f, 0.5f, 0.5f, null, null, null];
        g.Invoke(null, args);
        // f = |x| max(y, z) + min(x, z) y at x = 0, y = z = 0.5: min picks x (x < z): ∂x = 0·max + y = 0.5;
        // max ties: ∂y = |x|·1 + min = 0, ∂z = |x|·0 + 0 = 0.
        Assert.Equal(0.5, Convert.ToDouble(args[3]), 6);
        Assert.Equal(0.0, Convert.ToDouble(args[4]), 6);
        Assert.Equal(0.0, Convert.ToDouble(args[5]), 6);
        var tie = GradientAssert.Source("[Differentiable] public static double F(double y, double z) => double.Max(y, z) + 2 * double.Min(y, z);");
        var h = GeneratorHarness.Method(GradientAssert.Compile(tie, t), GradientAssert.TypeName, "FWithGradient");
        object?[] at = t == "double" ? [0.25, 0.25, null, null] : [0.25f, 0.25f, null, null];
        h.Invoke(null, at);
        Assert.Equal(3.0, Convert.ToDouble(at[2]), 6);   // both ties go to y
        Assert.Equal(0.0, Convert.ToDouble(at[3]), 6);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarMath_OfMatrixReductions(string t)
    {
        // f = √(‖A‖² + 1) + log(Σ exp(A)) written with Ops reductions and scalar math: ∇A = A / √(‖A‖² + 1) + softmax over all entries.
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A) => double.Sqrt(SquaredNorm(A) + 1) + double.Log(Sum(Exp(A)));");
        var p = new Inputs(t, 2104).Matrix("A", 3, 2);
        var A = p.M("A");
        double norm = Math.Sqrt(Dot(A, A) + 1), total = Sum(Map(A, Math.Exp));
        GradientAssert.Gradient(src, p, norm + Math.Log(total), ("A", Add(Scale(1 / norm, A), Scale(1 / total, Map(A, Math.Exp)))));
        GradientAssert.HessianVectorProduct(src, "F", p);
    }
}
