using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Examples;

/// <summary>
/// The lecture's examples 5–7 (section 4 in batch form): softmax regression, the two-layer fully connected
/// network, 2-D convolution and a small CNN. Generated gradients against finite differences and against the
/// lecture's closed forms / layer-by-layer backpropagation written here with plain loops (<see cref="Ref"/>,
/// <see cref="DeepRef"/>); and the zero-allocation API (<c>FBackward</c> on a <c>FWorkspace</c>) against
/// <c>FWithGradient</c>.
/// </summary>
public class DeepExamplesTests
{
    public const string SoftmaxRegression = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W, Vector<double> b, [NoGradient] Vector<double> x, [NoGradient] Vector<double> y)
                => CrossEntropy(W * x + b, y);
        }
        """;

    public const string SoftmaxRegressionBatched = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W, Vector<double> b, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
                => CrossEntropy(W * X + b, Y);
        }
        """;

    public const string TwoLayerNetwork = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static Matrix<double> Dense(Matrix<double> W, Vector<double> b, Matrix<double> X) => Sigmoid(W * X + b);

            [Differentiable]
            public static double F(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2,
                                   [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
            {
                var H = Dense(W1, b1, X);
                return CrossEntropy(W2 * H + b2, Y);
            }
        }
        """;

    /// <summary>The same layer method called twice (two hidden layers), then the affine output and CE.</summary>
    public const string NetworkDenseCalledTwice = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static Matrix<double> Dense(Matrix<double> W, Vector<double> b, Matrix<double> X) => Sigmoid(W * X + b);

            [Differentiable]
            public static double F(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2,
                                   Matrix<double> W3, Vector<double> b3, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
            {
                var H1 = Dense(W1, b1, X);
                var H2 = Dense(W2, b2, H1);
                return CrossEntropy(W3 * H2 + b3, Y);
            }
        }
        """;

    public const string Convolution = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> X, Matrix<double> K, [NoGradient] Matrix<double> T, int s, int p)
                => SquaredNorm(Conv2D(X, K, s, p) - T);
        }
        """;

    /// <summary>conv (C_in = 1, 7×7, 3×3 filters, padding 1) → relu → 2×2 max pool → dense → CE.</summary>
    public const string SmallCnn = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> K, Matrix<double> W, Vector<double> b, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
            {
                var A = Conv2D(X, K, 1, 7, 7, 3, 3, 1, 1);
                var P = MaxPool2D(Relu(A), K.Rows, 7, 7, 2, 2);
                return CrossEntropy(W * P + b, Y);
            }
        }
        """;

    [Theory, InlineData("double"), InlineData("float")]
    public void WorkspaceAllocationProbe_MeasuresZeroWithoutSection4Ops(string t)
    {
        // the probe itself allocates nothing: a model of ops that predate section 4 (products, broadcast bias,
        // sigmoid, SquaredNorm) measures 0 bytes, so a non-zero count below comes from the generated FBackward
        var src = GradientAssert.Source("""
            [Differentiable]
            public static double F(Matrix<double> W, Vector<double> b, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
                => SquaredNorm(Sigmoid(W * X + b) - Y);
            """);
        var p = new Inputs(t, seed: 50).Matrix("W", 4, 6).Vector("b", 4).Matrix("X", 6, 7).Matrix("Y", 4, 7);
        GradientAssert.NoSteadyStateAllocation(src, "F", p, 2);
    }

    // ── example 5: softmax regression ─────────────────────────────────────────────────

    private static Inputs SoftmaxRegressionInputs(string t) =>
        new Inputs(t, seed: 5).Matrix("W", 4, 6).Vector("b", 4).Vector("x", 6).Add("y", new[] { 0.0, 0.0, 1.0, 0.0 });

    [Theory, InlineData("double"), InlineData("float")]
    public void Example5_SoftmaxRegression_PerSample(string t)
    {
        var p = SoftmaxRegressionInputs(t);
        var (W, b, x, y) = (p.M("W"), p.V("b"), p.V("x"), p.V("y"));
        var h = Add(Mul(W, x), b);
        var gh = Sub(DeepRef.Softmax(h), y);                 // ∇h = softmax(h) − y
        GradientAssert.Gradient(SoftmaxRegression, p, DeepRef.CrossEntropy(h, y),
            ("W", Outer(gh, x)),                             // ∇W = ∇h xᵀ
            ("b", gh));                                      // ∇b = ∇h
    }

    private static Inputs SoftmaxRegressionBatchedInputs(string t, bool oneHot) =>
        new Inputs(t, seed: 55).Matrix("W", 4, 6).Vector("b", 4).Matrix("X", 6, 7).Add("Y", DeepRef.Distributions(4, 7, oneHot, 56));

    [Theory]
    [InlineData("double", true)]
    [InlineData("float", true)]
    [InlineData("double", false)]
    [InlineData("float", false)]
    public void Example5_SoftmaxRegression_Batched(string t, bool oneHot)
    {
        var p = SoftmaxRegressionBatchedInputs(t, oneHot);
        var (W, b, X, Y) = (p.M("W"), p.V("b"), p.M("X"), p.M("Y"));
        int N = Cols(X);
        var H = AddCol(Mul(W, X), b);
        var gH = Scale(1.0 / N, Sub(DeepRef.Softmax(H), Y));  // ∇H = (softmax(H) − Y)/N
        GradientAssert.Gradient(SoftmaxRegressionBatched, p, DeepRef.CrossEntropy(H, Y),
            ("W", Mul(gH, T(X))),                            // ∇W = ∇H Xᵀ
            ("b", RowSums(gH)));                             // ∇b = ∇H 𝟙
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example5_BatchedGradientIsTheMeanOfPerSampleGradients(string t)
    {
        // (1/N) Σⱼ (softmax(hⱼ) − yⱼ) xⱼᵀ computed sample by sample equals the batched ∇W = ((softmax(H) − Y)/N) Xᵀ
        var p = SoftmaxRegressionBatchedInputs(t, oneHot: true);
        var (W, b, X, Y) = (p.M("W"), p.V("b"), p.M("X"), p.M("Y"));
        int N = Cols(X);
        var dW = Zeros(Rows(W), Cols(W));
        var db = new double[b.Length];
        double loss = 0;
        for (int j = 0; j < N; j++)
        {
            var (x, y) = (Col(X, j), Col(Y, j));
            var h = Add(Mul(W, x), b);
            var gh = Sub(DeepRef.Softmax(h), y);
            dW = Add(dW, Scale(1.0 / N, Outer(gh, x)));
            db = Add(db, Scale(1.0 / N, gh));
            loss += DeepRef.CrossEntropy(h, y) / N;
        }
        GradientAssert.Gradient(SoftmaxRegressionBatched, p, loss, ("W", dW), ("b", db));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example5_ClosedFormAttribute(string t)
    {
        var lines = GradientAssert.ClosedForms(SoftmaxRegressionBatched, t, "FWithGradient");
        Assert.Contains("∇W = ((softmax(WX + b𝟙ᵀ) diag(𝟙ᵀY) − Y)/N) Xᵀ", lines);
        Assert.Contains("∇b = ((softmax(WX + b𝟙ᵀ) diag(𝟙ᵀY) − Y)/N)𝟙", lines);
        var single = GradientAssert.ClosedForms(SoftmaxRegression, t, "FWithGradient");
        Assert.Contains("∇W = ((𝟙ᵀy) softmax(Wx + b) − y) xᵀ", single);
        Assert.Contains("∇b = (𝟙ᵀy) softmax(Wx + b) − y", single);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example5_Workspace_MatchesWithGradient(string t)
    {
        GradientAssert.Workspace(SoftmaxRegression, "F", SoftmaxRegressionInputs(t), "W", "b");
        GradientAssert.Workspace(SoftmaxRegressionBatched, "F", SoftmaxRegressionBatchedInputs(t, oneHot: false), "W", "b");
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example5_Workspace_SteadyStateAllocatesNothing(string t)
    {
        GradientAssert.NoSteadyStateAllocation(SoftmaxRegression, "F", SoftmaxRegressionInputs(t), 2);
        GradientAssert.NoSteadyStateAllocation(SoftmaxRegressionBatched, "F", SoftmaxRegressionBatchedInputs(t, oneHot: false), 2);
    }

    // ── example 6: the two-layer fully connected network ──────────────────────────────

    private static Inputs TwoLayerInputs(string t) =>
        new Inputs(t, seed: 6).Matrix("W1", 5, 4).Vector("b1", 5).Matrix("W2", 3, 5).Vector("b2", 3)
            .Matrix("X", 4, 6).Add("Y", DeepRef.Distributions(3, 6, oneHot: true, 66));

    [Theory, InlineData("double"), InlineData("float")]
    public void Example6_TwoLayerNetwork_LayerByLayerBackprop(string t)
    {
        var p = TwoLayerInputs(t);
        var (W1, b1, W2, b2, X, Y) = (p.M("W1"), p.V("b1"), p.M("W2"), p.V("b2"), p.M("X"), p.M("Y"));
        int N = Cols(X);
        var H = Map(AddCol(Mul(W1, X), b1), Sigmoid);              // H = σ(W1 X + b1𝟙ᵀ)
        var Z2 = AddCol(Mul(W2, H), b2);                            // Z2 = W2 H + b2𝟙ᵀ
        var d2 = Scale(1.0 / N, Sub(DeepRef.Softmax(Z2), Y));       // δ2 = (softmax(Z2) − Y)/N
        var d1 = Had(Mul(T(W2), d2), Had(H, Map(H, v => 1 - v)));   // δ1 = (W2ᵀ δ2) ⊙ H ⊙ (1 − H)
        GradientAssert.Gradient(TwoLayerNetwork, p, DeepRef.CrossEntropy(Z2, Y),
            ("W1", Mul(d1, T(X))),                                  // ∇W1 = δ1 Xᵀ
            ("b1", RowSums(d1)),                                    // ∇b1 = δ1 𝟙
            ("W2", Mul(d2, T(H))),                                  // ∇W2 = δ2 Hᵀ
            ("b2", RowSums(d2)));                                   // ∇b2 = δ2 𝟙
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example6_DenseLayerPullback(string t)
    {
        // the layer alone: for a seed S, G = S ⊙ H ⊙ (1 − H), ∇W = G Xᵀ, ∇b = G𝟙, ∇X = WᵀG
        var p = new Inputs(t, seed: 61).Matrix("W", 5, 4).Vector("b", 5).Matrix("X", 4, 6);
        var S = new Inputs(t, seed: 62).Matrix("S", 5, 6).M("S");
        var (W, b, X) = (p.M("W"), p.V("b"), p.M("X"));
        var H = Map(AddCol(Mul(W, X), b), Sigmoid);
        var G = Had(S, Had(H, Map(H, v => 1 - v)));
        GradientAssert.Pullback(TwoLayerNetwork, "Dense", p, S, H, ("W", Mul(G, T(X))), ("b", RowSums(G)), ("X", Mul(T(W), G)));
    }

    private static Inputs DenseTwiceInputs(string t) =>
        new Inputs(t, seed: 63).Matrix("W1", 5, 4).Vector("b1", 5).Matrix("W2", 4, 5).Vector("b2", 4).Matrix("W3", 3, 4).Vector("b3", 3)
            .Matrix("X", 4, 5).Add("Y", DeepRef.Distributions(3, 5, oneHot: false, 64));

    [Theory, InlineData("double"), InlineData("float")]
    public void Example6_DenseCalledTwice_LayerByLayerBackprop(string t)
    {
        var p = DenseTwiceInputs(t);
        var (W1, b1, W2, b2, W3, b3) = (p.M("W1"), p.V("b1"), p.M("W2"), p.V("b2"), p.M("W3"), p.V("b3"));
        var (X, Y) = (p.M("X"), p.M("Y"));
        int N = Cols(X);
        var H1 = Map(AddCol(Mul(W1, X), b1), Sigmoid);
        var H2 = Map(AddCol(Mul(W2, H1), b2), Sigmoid);
        var Z3 = AddCol(Mul(W3, H2), b3);
        var d3 = Scale(1.0 / N, Sub(DeepRef.Softmax(Z3), Y));
        var d2 = Had(Mul(T(W3), d3), Had(H2, Map(H2, v => 1 - v)));
        var d1 = Had(Mul(T(W2), d2), Had(H1, Map(H1, v => 1 - v)));
        GradientAssert.Gradient(NetworkDenseCalledTwice, p, DeepRef.CrossEntropy(Z3, Y),
            ("W1", Mul(d1, T(X))), ("b1", RowSums(d1)),
            ("W2", Mul(d2, T(H1))), ("b2", RowSums(d2)),
            ("W3", Mul(d3, T(H2))), ("b3", RowSums(d3)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example6_ClosedFormAttribute(string t)
    {
        var lines = GradientAssert.ClosedForms(TwoLayerNetwork, t, "FWithGradient");
        Assert.Contains("∇W2 = ((softmax(W2 H + b2𝟙ᵀ) diag(𝟙ᵀY) − Y)/N) Hᵀ", lines);
        Assert.Contains("∇b2 = ((softmax(W2 H + b2𝟙ᵀ) diag(𝟙ᵀY) − Y)/N)𝟙", lines);
        // Dense's closed form inlined at the call (ΔH = W2ᵀ δ2 pulled back through H = σ(W1 X + b1𝟙ᵀ)):
        // with δ2 = (softmax(Z2) diag(𝟙ᵀY) − Y)/N, ∇W1 = (W2ᵀδ2 ⊙ σ′(W1 X + b1𝟙ᵀ)) Xᵀ and ∇b1 = (W2ᵀδ2 ⊙ σ′(…))𝟙, as in the lecture.
        Assert.Contains("∇W1 = ((W2ᵀ ((softmax(W2 H + b2𝟙ᵀ) diag(𝟙ᵀY) − Y)/N)) ⊙ σ′(W1 X + b1𝟙ᵀ)) Xᵀ", lines);
        Assert.Contains("∇b1 = ((W2ᵀ ((softmax(W2 H + b2𝟙ᵀ) diag(𝟙ᵀY) − Y)/N)) ⊙ σ′(W1 X + b1𝟙ᵀ))𝟙", lines);
        Assert.Contains("where H = Dense(W1, b1, X)", lines);
        Assert.DoesNotContain(lines, l => l.Contains("∇_", StringComparison.Ordinal));
        var dense = GradientAssert.ClosedForms(TwoLayerNetwork, t, "DensePullback");
        Assert.Contains("∇W = (Ḡ ⊙ σ′(WX + b𝟙ᵀ)) Xᵀ", dense);
        Assert.Contains("∇b = (Ḡ ⊙ σ′(WX + b𝟙ᵀ))𝟙", dense);
        Assert.Contains("∇X = Wᵀ(Ḡ ⊙ σ′(WX + b𝟙ᵀ))", dense);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example6_Workspace_MatchesWithGradient(string t)
    {
        GradientAssert.Workspace(TwoLayerNetwork, "F", TwoLayerInputs(t), "W1", "b1", "W2", "b2");
        GradientAssert.Workspace(NetworkDenseCalledTwice, "F", DenseTwiceInputs(t), "W1", "b1", "W2", "b2", "W3", "b3");
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example6_Workspace_SteadyStateAllocatesNothing(string t)
    {
        GradientAssert.NoSteadyStateAllocation(TwoLayerNetwork, "F", TwoLayerInputs(t), 4);
        GradientAssert.NoSteadyStateAllocation(NetworkDenseCalledTwice, "F", DenseTwiceInputs(t), 6);
    }

    // ── example 7: convolution, and a small CNN ───────────────────────────────────────

    private static Inputs ConvolutionInputs(string t, int s, int p)
    {
        const int h = 7, w = 9, kh = 3, kw = 2;
        int ho = DeepRef.OutSize(h, kh, s, p), wo = DeepRef.OutSize(w, kw, s, p);
        return new Inputs(t, seed: 700 + (10 * s) + p).Matrix("X", h, w).Matrix("K", kh, kw).Matrix("T", ho, wo).Int("s", s).Int("p", p);
    }

    [Theory]
    [InlineData("double", 1, 0)]
    [InlineData("float", 1, 0)]
    [InlineData("double", 2, 1)]
    [InlineData("float", 2, 1)]
    [InlineData("double", 3, 2)]
    [InlineData("float", 3, 2)]
    [InlineData("double", 1, 2)]
    [InlineData("float", 1, 2)]
    public void Example7_Convolution(string t, int s, int pad)
    {
        var p = ConvolutionInputs(t, s, pad);
        var (X, K, Tg) = (p.M("X"), p.M("K"), p.M("T"));
        var R = Sub(DeepRef.Conv2D(X, K, s, pad), Tg);
        var gH = Scale(2, R);                                                          // ∇H = 2(X ∗ K − T)
        GradientAssert.Gradient(Convolution, p, Dot(R, R),
            ("X", DeepRef.Conv2DGradInput(K, gH, Rows(X), Cols(X), s, pad)),           // ∇X = ∇H ∗full rot180(K)
            ("K", DeepRef.Conv2DGradKernel(X, gH, Rows(K), Cols(K), s, pad)));         // ∇K = X ⋆ ∇H
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example7_ClosedFormAttribute(string t)
    {
        var lines = GradientAssert.ClosedForms(Convolution, t, "FWithGradient");
        // The factor 2 of ∇‖·‖² comes out of the (linear) correlation kernels: 2(X ⋆ ∇H/2) = X ⋆ ∇H.
        Assert.Contains("∇K = 2(X ⋆ (X ∗ K − T))", lines);
        Assert.Contains("∇X = 2((X ∗ K − T) ∗full rot180(K))", lines);
    }

    private const int CnnClasses = 3, CnnFilters = 2, CnnBatch = 3;

    /// <summary>
    /// Inputs of the CNN with every pre-activation at least 0.004 from relu's kink and no near ties (0.01) in a
    /// positive pooling window, so that central differences (float step 3e-3 on K, |X| ≤ 1) cross no kink: the
    /// first seed from 7000 on that satisfies both (the search is deterministic).
    /// </summary>
    private static Inputs CnnInputs(string t)
    {
        for (int seed = 7000; seed < 7400; seed++)
        {
            var p = new Inputs(t, seed).Matrix("K", CnnFilters, 9).Matrix("W", CnnClasses, CnnFilters * 9).Vector("b", CnnClasses)
                .Matrix("X", 49, CnnBatch).Add("Y", DeepRef.Distributions(CnnClasses, CnnBatch, oneHot: true, seed));
            var A = DeepRef.Conv2D(p.M("X"), p.M("K"), 1, 7, 7, 3, 3, 1, 1);
            if (A.Cast<double>().Any(v => Math.Abs(v) < 0.004))
            {
                continue;
            }
            var R = Map(A, v => Math.Max(0, v));
            bool ties = false;
            for (int n = 0; n < CnnBatch && !ties; n++)
            {
                for (int o = 0; o < CnnFilters && !ties; o++)
                {
                    try
                    {
                        DeepRef.RequireNoNearTies(DeepRef.Plane(R, n, o, 7, 7), 2, 2, 0.01, "relu(A)");
                    }
                    catch (ArgumentException)
                    {
                        ties = true;
                    }
                }
            }
            if (!ties)
            {
                return p;
            }
        }
        throw new InvalidOperationException("Test bug: no seed in 7000..7399 keeps the CNN away from its kinks");
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example7_SmallCnn_LayerByLayerBackprop(string t)
    {
        var p = CnnInputs(t);
        var (K, W, b, X, Y) = (p.M("K"), p.M("W"), p.V("b"), p.M("X"), p.M("Y"));
        int N = Cols(X);
        var A = DeepRef.Conv2D(X, K, 1, 7, 7, 3, 3, 1, 1);                       // A = X ∗ K     (2·7·7)×N
        DeepRef.RequireAwayFromZero(A, 0.004, "A");
        var R = Map(A, v => Math.Max(0, v));                                     // R = relu(A)
        var P = DeepRef.PerPlane(R, CnnFilters, 7, 7, 3, 3, (_, _, plane) => DeepRef.MaxPool2D(plane, 2, 2).Y);   // (2·3·3)×N
        var Z = AddCol(Mul(W, P), b);                                            // Z = W P + b𝟙ᵀ
        var dZ = Scale(1.0 / N, Sub(DeepRef.Softmax(Z), Y));                     // δ = (softmax(Z) − Y)/N
        var dP = Mul(T(W), dZ);                                                  // ∇P = Wᵀ δ
        var dR = DeepRef.PerPlane(R, CnnFilters, 7, 7, 7, 7,                     // ∇R: ∇P routed to each window's argmax
            (n, o, plane) => DeepRef.MaxPool2DGrad(plane, DeepRef.Plane(dP, n, o, 3, 3), 2, 2));
        var dA = Zip(dR, A, (g, a) => a > 0 ? g : 0);                            // ∇A = ∇R ⊙ 𝟙[A > 0]
        GradientAssert.Gradient(SmallCnn, p, DeepRef.CrossEntropy(Z, Y),
            ("K", DeepRef.Conv2DGradKernel(X, dA, 1, 7, 7, 3, 3, 1, 1)),          // ∇K = X ⋆ ∇A
            ("W", Mul(dZ, T(P))),                                                // ∇W = δ Pᵀ
            ("b", RowSums(dZ)));                                                 // ∇b = δ 𝟙
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example7_Workspace_MatchesWithGradient(string t)
    {
        GradientAssert.Workspace(Convolution, "F", ConvolutionInputs(t, 2, 1), "X", "K");
        GradientAssert.Workspace(SmallCnn, "F", CnnInputs(t), "K", "W", "b");
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Example7_Workspace_SteadyStateAllocatesNothing(string t)
    {
        GradientAssert.NoSteadyStateAllocation(Convolution, "F", ConvolutionInputs(t, 2, 1), 2);
        GradientAssert.NoSteadyStateAllocation(SmallCnn, "F", CnnInputs(t), 3);
    }
}
