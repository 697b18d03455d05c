using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.CustomDerivatives;

/// <summary>
/// Forward mode through a custom op: FDifferential calls the user's [Differential]; without one, the caller gets no
/// FDifferential (AGG0030), and second order is never generated through a custom op (AGG0020); gradients are unaffected.
/// </summary>
public class CustomForwardModeTests
{
    private static string Src(string custom, string body) => GradientAssert.Source(custom + "\n" + body);

    [Theory, InlineData("double"), InlineData("float")]
    public void DifferentialOfAScalarLossThroughSoftThreshold(string t)
    {
        var src = Src(CustomSources.SoftThreshold,
            "[Differentiable] public static double F(Vector<double> x, double t, [NoGradient] Vector<double> y) => SquaredNorm(SoftThreshold(x, t) - y) + t * Sum(x);");
        var p = new Inputs(t, 2711).Add("x", CustomPullbackTests.X).Add("t", CustomPullbackTests.Threshold).Vector("y", CustomPullbackTests.X.Length);
        GradientAssert.Tangent(src, "F", p);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void DifferentialOfAnExpBasedMatrixOp(string t)
    {
        // ∂f = ⟨Y, E ⊙ (s ∂W X + ∂s WX)⟩, E = exp(s WX): checked against differences, adjointness, and here by hand.
        var src = Src(CustomSources.ScaledExp,
            "[Differentiable] public static double F(Matrix<double> W, double s, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y) => Dot(Y, ScaledExp(W * X, s));");
        var p = new Inputs(t, 2712).Matrix("W", 3, 4, -0.5, 0.5).Scalar("s", 0.3, 0.9).Matrix("X", 4, 2).Matrix("Y", 3, 2);
        GradientAssert.Tangent(src, "F", p);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void DifferentialOfALayer(string t)
    {
        var src = Src(CustomSources.SoftThreshold,
            "[Differentiable] public static Vector<double> L(Matrix<double> W, double t, [NoGradient] Vector<double> x) => SoftThreshold(W * x, t);");
        var W = new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 0.5, -1 } };
        var p = new Inputs(t, 2713).Add("W", W).Add("t", CustomPullbackTests.Threshold).Add("x", new[] { 0.9, -0.1 });
        GradientAssert.Tangent(src, "L", p);
    }

    [Fact]
    public void ByHand_TheDifferentialIsTheUsersRule()
    {
        // F = ⟨Y, exp(s A)⟩ with ∂A = D, ∂s = 1: ∂f = ⟨Y, E ⊙ (s D + A)⟩, computed here independently.
        var src = Src(CustomSources.ScaledExp, "[Differentiable] public static double F(Matrix<double> A, double s, [NoGradient] Matrix<double> Y) => Dot(Y, ScaledExp(A, s));");
        var assembly = GradientAssert.Compile(src, "double");
        var d = GeneratorHarness.Method(assembly, "M", "FDifferential");
        var A = new double[,] { { 0.1, -0.4 }, { 0.3, 0.2 } };
        var D = new double[,] { { 1, 0.5 }, { -0.2, 0.3 } };
        var Y = new double[,] { { 0.7, -1 }, { 0.4, 0.9 } };
        const double s = 0.6;
        var args = new object?[] { Mx(A), s, Mx(Y), Mx(D), 1.0, null };
        d.Invoke(null, args);
        var E = Map(A, a => Math.Exp(s * a));
        double expected = Dot(Y, Had(E, Add(Scale(s, D), A)));
        Assert.Equal(expected, (double)args[5]!, 12);
    }

    private static Matrix<double> Mx(double[,] a)
    {
        var m = new Matrix<double>(a.GetLength(0), a.GetLength(1));
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Cols; j++)
            {
                m[i, j] = a[i, j];
            }
        }
        return m;
    }

    [Fact]
    public void AGG0030_WithoutDifferential_NoFDifferential_GradientUnaffected()
    {
        var source = Usings + "public static partial class M\n{\n" + CustomSources.LogCoshSum + """

                [Differentiable]
                public static double F(Vector<double> x, [NoGradient] double w) => LogCoshSum(x, w, 0) + Sum(x);
            }
            """;
        var run = AssertExactly(source, Info("AGG0030", source, "LogCoshSum(x, w, 0)", after: "=> "));
        var generated = string.Join("\n", run.Generated.Values);
        Assert.Contains("FWithGradient(", generated, StringComparison.Ordinal);
        Assert.Contains("FBackward(", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("FDifferential(", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("FHessianVectorProduct(", generated, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Problems, p => !p.Id.StartsWith("AGG", StringComparison.Ordinal));
        var message = run.AnalyzerDiagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("[Differential(nameof(LogCoshSumDifferential))]", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGG0030_PropagatesThroughADifferentiableCallee()
    {
        // G has no GDifferential (its custom op has no [Differential]); H, which calls G, then has none either.
        var source = Usings + "public static partial class M\n{\n" + CustomSources.LogCoshSum + """

                [Differentiable]
                public static double G(Vector<double> x) => LogCoshSum(x, 1.0, 0);

                [Differentiable]
                public static double H(Vector<double> x) => G(2.0 * x) + Sum(x);
            }
            """;
        var run = AssertExactly(source,
            Info("AGG0030", source, "LogCoshSum(x, 1.0, 0)", after: "=> "),
            Info("AGG0030", source, "G(2.0 * x)"));
        var generated = string.Join("\n", run.Generated.Values);
        Assert.DoesNotContain("GDifferential(", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("HDifferential(", generated, StringComparison.Ordinal);
        Assert.Contains("HWithGradient(", generated, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Problems, p => !p.Id.StartsWith("AGG", StringComparison.Ordinal));
    }

    [Fact]
    public void AGG0020_WithDifferential_NoSecondOrder_FDifferentialKept()
    {
        var source = Usings + "public static partial class M\n{\n" + CustomSources.ScaledExp + """

                [Differentiable]
                public static double F(Matrix<double> A, double s) => Sum(ScaledExp(A, s));
            }
            """;
        var run = AssertExactly(source, Info("AGG0020", source, "ScaledExp(A, s)", after: "=> Sum("));
        var generated = string.Join("\n", run.Generated.Values);
        Assert.Contains("FDifferential(", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("FHessianVectorProduct(", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("FHessian(", generated, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Problems, p => !p.Id.StartsWith("AGG", StringComparison.Ordinal));
    }
}
