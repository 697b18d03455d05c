using AutoGradGen.GeneratorTests.Infrastructure;
using AutoGradGen.GeneratorTests.Rules;
using Xunit;

namespace AutoGradGen.GeneratorTests.SecondOrder;

/// <summary>
/// FHessianVectorProduct, the tangent of the reverse sweep, for every op of the language: each adjoint case
/// made scalar as f = Σ F(…) + ‖F(…)‖²/2 (the sum reaches each op's second derivative, the norm JᵀJ), checked
/// against central differences of the generated gradient along a random direction and for symmetry, in
/// double and float. Then independently written closed forms: the Hessian of log|X| as the map
/// ∂X ↦ −X⁻ᵀ ∂Xᵀ X⁻ᵀ, and of the W3 Gaussian negative log-likelihood by central differences.
/// </summary>
public sealed class HessianVectorProductTests
{
    /// <summary>The adjoint cases, except calls: a layer's pullback has no generated differential yet.</summary>
    public static TheoryData<int, string> All()
    {
        var data = new TheoryData<int, string>();
        for (int k = 0; k < AdjointTests.Cases.Length; k++)
        {
            if (AdjointTests.Cases[k].Op != "Call")
            {
                data.Add(k, "double");
                data.Add(k, "float");
            }
        }
        return data;
    }

    /// <summary>"R F(…) => e;" → "double F(…) => Sum(e) + SquaredNorm(e) / 2;" for a vector or matrix R.</summary>
    public static string Scalarized(string body)
    {
        if (body.StartsWith("double ", StringComparison.Ordinal))
        {
            return body;
        }
        int open = body.IndexOf(" F(", StringComparison.Ordinal);
        int arrow = body.IndexOf(") => ", StringComparison.Ordinal);
        var expression = body[(arrow + 5)..].TrimEnd(';');
        return "double" + body[open..(arrow + 5)] + "Sum(" + expression + ") + SquaredNorm(" + expression + ") / 2;";
    }

    [Theory, MemberData(nameof(All))]
    public void HessianVectorProduct_MatchesFiniteDifferencesOfTheGradient_AndIsSymmetric(int k, string t)
    {
        var c = AdjointTests.Cases[k];
        var source = GradientAssert.Source("[Differentiable] public static " + Scalarized(c.Body));
        GradientAssert.HessianVectorProduct(source, "F", c.Arguments(new Inputs(t, seed: 2000 + k)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LogDet_HessianIsTheMap_MinusXInverseTransposed_dXTransposed_XInverseTransposed(string t)
    {
        var source = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> X) => LogDet(X);");
        var inputs = new Inputs(t, seed: 31).Matrix("X", 4, 4, -0.5, 0.5);
        var x = (double[,])inputs.M("X").Clone();
        for (int i = 0; i < 4; i++)
        {
            x[i, i] += 3;
        }
        inputs = inputs.Replace("X", x);
        var hv = (double[,])GradientAssert.HessianVectorProduct(source, "F", inputs, seed: 5)[0];
        // The same direction the assertion drew (seed 5): recompute it, then −X⁻ᵀ vᵀ X⁻ᵀ by hand.
        var rng = new Random(5);
        var v = new double[4, 4];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                v[i, j] = inputs.Round((rng.NextDouble() * 2) - 1);
            }
        }
        var inverseT = Ref.T(Ref.Inv(inputs.M("X")));
        var expected = Ref.Neg(Ref.Mul(inverseT, Ref.T(v), inverseT));
        AssertClose(expected, hv, t == "double" ? 1e-9 : 2e-3);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void GaussianNll_W3_HessianVectorProduct_MatchesFiniteDifferences(string t)
    {
        const string body = "[Differentiable] public static double F(Matrix<double> Sigma, Vector<double> mu, [NoGradient] Matrix<double> X) "
            + "{ var D = X - mu; return (LogDet(Sigma) * X.Cols + Trace(Transpose(D) * Inverse(Sigma) * D)) / 2; }";
        var inputs = new Inputs(t, seed: 41).Matrix("Sigma", 3, 3, -0.3, 0.3).Vector("mu", 3).Matrix("X", 3, 5);
        var s = (double[,])inputs.M("Sigma").Clone();
        for (int i = 0; i < 3; i++)
        {
            s[i, i] += 2;
        }
        GradientAssert.HessianVectorProduct(GradientAssert.Source(body), "F", inputs.Replace("Sigma", s));
    }

    internal static void AssertClose(double[,] expected, double[,] got, double tol)
    {
        Assert.Equal(expected.GetLength(0), got.GetLength(0));
        Assert.Equal(expected.GetLength(1), got.GetLength(1));
        double scale = 1;
        foreach (var e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }
        for (int i = 0; i < expected.GetLength(0); i++)
        {
            for (int j = 0; j < expected.GetLength(1); j++)
            {
                Assert.True(Math.Abs(expected[i, j] - got[i, j]) <= tol * scale,
                    $"[{i}, {j}]: expected {expected[i, j]}, got {got[i, j]} (tol {tol} × {scale})");
            }
        }
    }
}
