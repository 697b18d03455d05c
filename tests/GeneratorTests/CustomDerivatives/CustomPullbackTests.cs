using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.CustomDerivatives;

/// <summary>
/// Methods with a custom [Pullback] called from [Differentiable] code: gradients against central finite differences
/// and against closed forms written here by hand, in double and float.
/// </summary>
public class CustomPullbackTests
{
    private static string Src(string custom, string body) => GradientAssert.Source(custom + "\n" + body);

    /// <summary>Inputs kept away from the kinks |x| = t of soft thresholding (finite differences cannot cross them).</summary>
    internal static readonly double[] X = { 0.9, -0.1, -1.1, 0.05, 0.7, -0.6, 0.2 };

    internal const double Threshold = 0.35;

    private static double[] Soft(double[] x, double t) => x.Select(v => v > t ? v - t : v < -t ? v + t : 0).ToArray();

    private static double[] Mask(double[] x, double t) => x.Select(v => Math.Abs(v) > t ? 1.0 : 0).ToArray();

    [Theory, InlineData("double"), InlineData("float")]
    public void SoftThresholdInALoss(string t)
    {
        // f = ‖S(x, t) − y‖² + t·Sum(x): ∇x = 2r ⊙ m + t𝟙, ∇t = −⟨2r, sign(x) ⊙ m⟩ + Sum(x), r = S(x, t) − y, m = 𝟙[|x| > t]
        var src = Src(CustomSources.SoftThreshold,
            "[Differentiable] public static double F(Vector<double> x, double t, [NoGradient] Vector<double> y) => SquaredNorm(SoftThreshold(x, t) - y) + t * Sum(x);");
        var p = new Inputs(t, 2701).Add("x", X).Add("t", Threshold).Vector("y", X.Length);
        var (x, th, y) = (p.V("x"), p.S("t"), p.V("y"));
        var r = Sub(Soft(x, th), y);
        var m = Mask(x, th);
        var dx = Add(Scale(2, Had(r, m)), Fill(x.Length, th));
        double dt = -Dot(Scale(2, r), Had(x.Select(v => (double)Math.Sign(v)).ToArray(), m)) + Sum(x);
        GradientAssert.Gradient(src, p, Dot(r, r) + (th * Sum(x)), ("x", dx), ("t", dt));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ExpBasedMatrixOpReadsItsValue(string t)
    {
        // f = ⟨Y, exp(s WX)⟩: with E = exp(s WX), ∇W = (s Y ⊙ E) Xᵀ, ∇s = ⟨Y ⊙ E, WX⟩
        var src = Src(CustomSources.ScaledExp,
            "[Differentiable] public static double F(Matrix<double> W, double s, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y) => Dot(Y, ScaledExp(W * X, s));");
        var p = new Inputs(t, 2702).Matrix("W", 3, 4, -0.5, 0.5).Scalar("s", 0.3, 0.9).Matrix("X", 4, 2).Matrix("Y", 3, 2);
        var (W, s, X, Y) = (p.M("W"), p.S("s"), p.M("X"), p.M("Y"));
        var Z = Mul(W, X);
        var E = Map(Z, z => Math.Exp(s * z));
        GradientAssert.Gradient(src, p, Dot(Y, E), ("W", Mul(Scale(s, Had(Y, E)), T(X))), ("s", Dot(Had(Y, E), Z)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void OnlyNeededGradientsGetBuffers(string t)
    {
        // A is [NoGradient] in F: ScaledExp's pullback gets null for dA and fills only ds.
        // f = Sum(exp(s A)) + s²: ∇s = ⟨exp(s A), A⟩ + 2s
        var src = Src(CustomSources.ScaledExp,
            "[Differentiable] public static double F(double s, [NoGradient] Matrix<double> A) => Sum(ScaledExp(A, s)) + s * s;");
        var p = new Inputs(t, 2703).Scalar("s", 0.3, 0.9).Matrix("A", 3, 3);
        var (s, A) = (p.S("s"), p.M("A"));
        var E = Map(A, a => Math.Exp(s * a));
        GradientAssert.Gradient(src, p, Sum(E) + (s * s), ("s", Dot(E, A) + (2 * s)));
        var generated = string.Join("\n", GeneratorHarness.Run(GradientAssert.For(src, t)).Generated.Values);
        Assert.Matches(@"ScaledExpPullback\(A, s, scaledExp, .*, null, ref ScaledExp_ds\);", generated);
        Assert.DoesNotContain("ScaledExp_dA", generated, StringComparison.Ordinal);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarValuedOpWithConstantAndIntParameters(string t)
    {
        // f = w·Σᵢ≥k log cosh((Wv)ᵢ): ∇W = (w tanh(Wv) ⊙ 𝟙[i ≥ k]) vᵀ; the [NoGradient] weight and the int get no gradient argument
        var src = Src(CustomSources.LogCoshSum,
            "[Differentiable] public static double F(Matrix<double> W, [NoGradient] Vector<double> v, [NoGradient] double w, int k) => LogCoshSum(W * v, w, k);");
        var p = new Inputs(t, 2704).Matrix("W", 4, 3).Vector("v", 3).Scalar("w", 0.5, 1.5).Int("k", 1);
        var (W, v, w) = (p.M("W"), p.V("v"), p.S("w"));
        var z = Mul(W, v);
        var g = z.Select((zi, i) => i >= 1 ? w * Math.Tanh(zi) : 0).ToArray();
        GradientAssert.Gradient(src, p, z.Skip(1).Sum(zi => w * Math.Log(Math.Cosh(zi))), ("W", Outer(g, v)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void CalledFromALayer(string t)
    {
        // Y = S(Wx, t) as a layer: seedᵀJ: ∇W = (Ḡ ⊙ m) xᵀ, ∇t = −⟨Ḡ, sign(Wx) ⊙ m⟩ (x [NoGradient]), m = 𝟙[|Wx| > t]
        var src = Src(CustomSources.SoftThreshold,
            "[Differentiable] public static Vector<double> L(Matrix<double> W, double t, [NoGradient] Vector<double> x) => SoftThreshold(W * x, t);");
        var W = new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 0.5, -1 } };
        var p = new Inputs(t, 2705).Add("W", W).Add("t", Threshold).Add("x", new[] { 0.9, -0.1 });
        var x = p.V("x");
        var z = Mul(p.M("W"), x);
        var seed = new[] { 0.3, -1.2, 0.7, 0.4 };
        var m = Mask(z, Threshold);
        var gm = Had(seed, m);
        GradientAssert.Pullback(src, "L", p, seed, Soft(z, Threshold),
            ("W", Outer(gm, x)), ("t", -Dot(gm, z.Select(v => (double)Math.Sign(v)).ToArray())));
    }

    private const string SameArgumentTwice =
        "[Differentiable] public static double F(Matrix<double> W, [NoGradient] Matrix<double> C) => Dot(C, Product(W, W)) + Sum(Product(W, C));";

    [Theory, InlineData("double"), InlineData("float")]
    public void CalledTwice_OnceOnTheSameArgumentTwice(string t)
    {
        // f = ⟨C, W ⊙ W⟩ + Σ W ⊙ C: ∇W = 2 C ⊙ W + C
        var src = Src(CustomSources.Product, SameArgumentTwice);
        var p = new Inputs(t, 2706).Matrix("W", 3, 4).Matrix("C", 3, 4);
        var (W, C) = (p.M("W"), p.M("C"));
        GradientAssert.Gradient(src, p, Dot(C, Had(W, W)) + Sum(Had(W, C)), ("W", Add(Scale(2, Had(C, W)), C)));
        if (t == "double")
        {
            // FBackward: the first share goes straight into dW, the second into a zeroed slot (never the same buffer twice).
            GradientAssert.Workspace(src, "F", p, "W");
        }
    }
}
