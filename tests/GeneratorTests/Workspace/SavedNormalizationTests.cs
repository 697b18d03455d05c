using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Workspace;

/// <summary>
/// Layer and batch normalization with saved statistics in the first-order backward: the forward pass keeps x̂ and 1/σ and
/// the pullback is one fused call writing X̄, γ̄, β̄ into the gradient buffers (or into a part added to an adjoint that
/// already has a value). Checked in double and float against central differences and a closed form written here (per line,
/// the explicit Jacobian J = (1/σ)(I − 𝟙𝟙ᵀ/n − x̂x̂ᵀ/n) applied to γ ⊙ Ḡ), through FWithGradient, FBackward (against
/// FWithGradient, accumulating) and FPullback; FBackward allocates nothing once warm; the code no longer calls the kernels
/// that recompute μ and σ.
/// </summary>
public class SavedNormalizationTests
{
    /// <summary>W12's model: batch normalization, then a dense layer, read out by a squared norm.</summary>
    public const string BatchNormDense = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> X, Vector<double> g, Vector<double> b, Matrix<double> W, Vector<double> c, [NoGradient] Matrix<double> T)
                => SquaredNorm(W * BatchNorm(X, g, b) + c - T);
        }
        """;

    /// <summary>Two pre-norm residual steps (W11's pattern): X and H each reach the result both through a LayerNorm and directly.</summary>
    public const string PreNorm = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> X, Vector<double> g1, Vector<double> b1, Vector<double> g2, Vector<double> b2, Matrix<double> W, [NoGradient] Matrix<double> T)
            {
                var A = LayerNorm(X, g1, b1);
                var H = X + W * A;
                var Y = H + W * LayerNorm(H, g2, b2);
                return SquaredNorm(Y - T);
            }
        }
        """;

    /// <summary>Ḡ of the normalization is 2N itself (an alias): its factor 2 goes into the fused call; X is data.</summary>
    public const string ScaledAlias = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F([NoGradient] Matrix<double> X, Vector<double> g, Vector<double> b) => SquaredNorm(LayerNorm(X, g, b)) - Sum(BatchNorm(X, g, b, 0.25f));
        }
        """;

    private static Inputs DensePoint(string type) => new Inputs(type, 1201)
        .Matrix("X", 4, 6, 1, 3).Vector("g", 4, 0.5, 1.5).Vector("b", 4).Matrix("W", 3, 4).Vector("c", 3).Matrix("T", 3, 6);

    private static Inputs PreNormPoint(string type) => new Inputs(type, 1202)
        .Matrix("X", 4, 5).Vector("g1", 4, 0.5, 1.5).Vector("b1", 4).Vector("g2", 4, 0.5, 1.5).Vector("b2", 4).Matrix("W", 4, 4).Matrix("T", 4, 5);

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void BatchNormDense_MatchesTheClosedForm(string type)
    {
        var p = DensePoint(type);
        var (X, g, b, W, c, Tg) = (p.M("X"), p.V("g"), p.V("b"), p.M("W"), p.V("c"), p.M("T"));
        var Z = Norm.Forward(X, g, b, layer: false, 1e-5);
        var R = Sub(AddCol(Mul(W, Z), c), Tg);
        var Ybar = Scale(2, R);
        var (xBar, gBar, bBar) = Norm.Backward(X, g, Mul(T(W), Ybar), layer: false, 1e-5);
        GradientAssert.Gradient(BatchNormDense, p, Sum(Had(R, R)), ("X", xBar), ("g", gBar), ("b", bBar), ("W", Mul(Ybar, T(Z))), ("c", RowSums(Ybar)));
        if (type == "double")
        {
            GradientAssert.Workspace(BatchNormDense, "F", p, "X", "g", "b", "W", "c");
        }
        GradientAssert.NoSteadyStateAllocation(BatchNormDense, "F", p, 5);
    }

    /// <summary>
    /// By hand: A = LN(X), H = X + W A, B = LN(H), Y = H + W B, R = Y − T; Ȳ = 2R, B̄ = WᵀȲ, H̄ = Ȳ + J_H diag(g2) B̄,
    /// Ā = WᵀH̄, X̄ = H̄ + J_X diag(g1) Ā, W̄ = Ȳ Bᵀ + H̄ Aᵀ, ḡ = (Ḡ ⊙ x̂)𝟙, b̄ = Ḡ𝟙 of each normalization.
    /// </summary>
    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void PreNormResiduals_MatchTheClosedForm(string type)
    {
        var p = PreNormPoint(type);
        var (X, g1, b1, g2, b2, W, Tg) = (p.M("X"), p.V("g1"), p.V("b1"), p.V("g2"), p.V("b2"), p.M("W"), p.M("T"));
        var A = Norm.Forward(X, g1, b1, layer: true, 1e-5);
        var H = Add(X, Mul(W, A));
        var B = Norm.Forward(H, g2, b2, layer: true, 1e-5);
        var R = Sub(Add(H, Mul(W, B)), Tg);
        var Ybar = Scale(2, R);
        var (hPart, g2Bar, b2Bar) = Norm.Backward(H, g2, Mul(T(W), Ybar), layer: true, 1e-5);
        var Hbar = Add(Ybar, hPart);
        var (xPart, g1Bar, b1Bar) = Norm.Backward(X, g1, Mul(T(W), Hbar), layer: true, 1e-5);
        GradientAssert.Gradient(PreNorm, p, Sum(Had(R, R)), ("X", Add(Hbar, xPart)), ("g1", g1Bar), ("b1", b1Bar), ("g2", g2Bar), ("b2", b2Bar),
            ("W", Add(Mul(Ybar, T(B)), Mul(Hbar, T(A)))));
        if (type == "double")
        {
            GradientAssert.Workspace(PreNorm, "F", p, "X", "g1", "b1", "g2", "b2", "W");
        }
        GradientAssert.NoSteadyStateAllocation(PreNorm, "F", p, 6);
    }

    /// <summary>f = ‖LN(X)‖² − sum(BN(X; ε = 1/4)), X data: Ḡ = 2 LN(X) and −𝟙𝟙ᵀ, each a factor on a value, not formed.</summary>
    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void ScaledCotangents_AndConstantX_MatchTheClosedForm(string type)
    {
        var p = new Inputs(type, 1203).Matrix("X", 3, 5, -2, 2).Vector("g", 3, 0.5, 1.5).Vector("b", 3);
        var (X, g, b) = (p.M("X"), p.V("g"), p.V("b"));
        var L = Norm.Forward(X, g, b, layer: true, 1e-5);
        var ones = Fill(3, 5, -1);
        var (_, gL, bL) = Norm.Backward(X, g, Scale(2, L), layer: true, 1e-5);
        var (_, gB, bB) = Norm.Backward(X, g, ones, layer: false, 0.25);
        double f = Sum(Had(L, L)) - Sum(Norm.Forward(X, g, b, layer: false, 0.25));
        GradientAssert.Gradient(ScaledAlias, p, f, ("g", Add(gL, gB)), ("b", Add(bL, bB)));
        if (type == "double")
        {
            GradientAssert.Workspace(ScaledAlias, "F", p, "g", "b");
        }
        GradientAssert.NoSteadyStateAllocation(ScaledAlias, "F", p, 2);
    }

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void ALayer_PullsBackThroughTheFusedCall(string type)
    {
        var src = GradientAssert.Source("[Differentiable] public static Matrix<double> L(Matrix<double> X, Vector<double> g, Vector<double> b) => BatchNorm(X, g, b);");
        var p = new Inputs(type, 1204).Matrix("X", 3, 4).Vector("g", 3, 0.5, 1.5).Vector("b", 3);
        var seed = DeepRef.DistinctValues(3, 4, 1205);
        var (X, g, b) = (p.M("X"), p.V("g"), p.V("b"));
        var (xBar, gBar, bBar) = Norm.Backward(X, g, seed, layer: false, 1e-5);
        GradientAssert.Pullback(src, "L", p, seed, Norm.Forward(X, g, b, layer: false, 1e-5), ("X", xBar), ("g", gBar), ("b", bBar));
    }

    [Fact]
    public void TheBackwardReadsTheSavedStatistics_AndRecomputesNothing()
    {
        foreach (var (source, normalizations) in new[] { (BatchNormDense, 1), (PreNorm, 2) })
        {
            var code = GeneratorHarness.Run(source).Generated.Single(g => g.Key.StartsWith("M.F_", StringComparison.Ordinal)).Value;
            foreach (var header in new[] { "public static double FWithGradient(", "public static double FBackward(" })
            {
                var method = CodeText.Method(code, header);
                Assert.Equal(0, CodeText.Occurrences(method, "ScaleBackward("));
                Assert.Equal(0, CodeText.Occurrences(method, "NormBackward(X, "));
                Assert.Equal(0, CodeText.Occurrences(method, "NormBackward(H, "));
                Assert.Equal(0, CodeText.Occurrences(method, "Linear.RowSums("));
                Assert.Equal(normalizations, CodeText.Occurrences(method, "NormBackward(normalized"));
                Assert.Equal(normalizations, CodeText.Occurrences(method, header.Contains("FBackward", StringComparison.Ordinal) ? "1E-05, normalized" : "1E-05, out var normalized"));
            }
        }
        var preNorm = CodeText.Method(GeneratorHarness.Run(PreNorm).Generated.Single(g => g.Key.StartsWith("M.F_", StringComparison.Ordinal)).Value, "public static double FBackward(");
        // ∇X already holds H̄ when LN₁'s pullback runs: X̄ is added, ∇γ₁ and ∇β₁ honour accumulate; ∇H = 2(Y − T) is a slot of
        // its own (Linear.Scale's), so LN₂'s part is added straight into it
        Assert.Contains("LayerNormBackward(normalizedX, inverseStdX, g1, 1.0, dA, dX, dg1, db1, accumulateX: true, accumulateGamma: accumulate, accumulateBeta: accumulate);", preNorm);
        Assert.Contains("LayerNormBackward(normalizedH, inverseStdH, g2, 1.0, dLayerNormH, dH, dg2, db2, accumulateX: true, accumulateGamma: accumulate, accumulateBeta: accumulate);", preNorm);
        Assert.Equal(0, CodeText.Occurrences(preNorm, "dHPart"));
    }

    [Fact]
    public void ForwardModeAndSecondOrder_KeepTheRecomputingKernels()
    {
        var code = GeneratorHarness.Run(BatchNormDense).Generated.Single(g => g.Key.StartsWith("M.F_", StringComparison.Ordinal)).Value;
        var hvp = CodeText.Method(code, "public static double FHessianVectorProduct(");
        Assert.Contains("Normalization.BatchNormBackward(X, ", hvp);
        Assert.Equal(0, CodeText.Occurrences(hvp, "normalizedX"));
        Assert.Equal(0, CodeText.Occurrences(CodeText.Method(code, "public static double FDifferential("), "normalizedX"));
    }

    /// <summary>Normalization by plain per-line loops, in double; the pullback through the explicit Jacobian of each line.</summary>
    private static class Norm
    {
        private static IEnumerable<(int Row, int Col)[]> Lines(double[,] x, bool layer) => layer
            ? Enumerable.Range(0, Cols(x)).Select(j => Enumerable.Range(0, Rows(x)).Select(i => (i, j)).ToArray())
            : Enumerable.Range(0, Rows(x)).Select(i => Enumerable.Range(0, Cols(x)).Select(j => (i, j)).ToArray());

        private static (double[] Hat, double Inverse) Statistics(double[,] x, (int Row, int Col)[] line, double eps)
        {
            var v = line.Select(e => x[e.Row, e.Col]).ToArray();
            double mean = v.Average(), variance = v.Select(t => (t - mean) * (t - mean)).Average(), inverse = 1 / Math.Sqrt(variance + eps);
            return (v.Select(t => (t - mean) * inverse).ToArray(), inverse);
        }

        public static double[,] Forward(double[,] x, double[] g, double[] b, bool layer, double eps)
        {
            var y = new double[Rows(x), Cols(x)];
            foreach (var line in Lines(x, layer))
            {
                var (hat, _) = Statistics(x, line, eps);
                for (int t = 0; t < line.Length; t++)
                {
                    var (i, j) = line[t];
                    y[i, j] = (g[i] * hat[t]) + b[i];
                }
            }
            return y;
        }

        public static (double[,] X, double[] G, double[] B) Backward(double[,] x, double[] g, double[,] gbar, bool layer, double eps)
        {
            var (xBar, gBar, bBar) = (new double[Rows(x), Cols(x)], new double[Rows(x)], new double[Rows(x)]);
            foreach (var line in Lines(x, layer))
            {
                var (hat, inverse) = Statistics(x, line, eps);
                int n = line.Length;
                for (int a = 0; a < n; a++)
                {
                    var (ia, ja) = line[a];
                    for (int c = 0; c < n; c++)
                    {
                        var (ic, jc) = line[c];
                        xBar[ia, ja] += inverse * ((a == c ? 1 : 0) - (1.0 / n) - (hat[a] * hat[c] / n)) * g[ic] * gbar[ic, jc];
                    }
                    gBar[ia] += gbar[ia, ja] * hat[a];
                    bBar[ia] += gbar[ia, ja];
                }
            }
            return (xBar, gBar, bBar);
        }
    }
}
