using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>
/// Conv2D (single image; channel-stacked batches), MaxPool2D and AvgPool2D through the generator: each as a
/// layer, whose pullback with a random seed G is checked against finite differences of ⟨G, F(·)⟩ and against
/// reference loops written from the definitions in <see cref="DeepRef"/>: ∇K = X ⋆ G (valid correlation),
/// ∇X = G ∗full rot180(K) (G dilated by the stride, the padding border cropped), max pooling routes G to each
/// window's argmax, average pooling spreads G/size² over each window.
/// </summary>
public class ConvolutionRulesTests
{
    private static string Src(string body) => GradientAssert.Source(body);

    private const string SingleConv = "[Differentiable] public static Matrix<double> F(Matrix<double> X, Matrix<double> K, int s, int p) => Conv2D(X, K, s, p);";

    public static TheoryData<string, int, int> StridesAndPaddings()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var t in new[] { "double", "float" })
        {
            for (int s = 1; s <= 3; s++)
            {
                for (int p = 0; p <= 2; p++)
                {
                    data.Add(t, s, p);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(StridesAndPaddings))]
    public void Conv2DSingleImage_Pullback(string t, int s, int p)
    {
        // 7×9 image, 3×2 kernel: odd, non-square, and for s > 1 windows that do not tile the image exactly
        const int h = 7, w = 9, kh = 3, kw = 2;
        var inputs = new Inputs(t, 1200 + (10 * s) + p).Matrix("X", h, w).Matrix("K", kh, kw).Int("s", s).Int("p", p);
        var (X, K) = (inputs.M("X"), inputs.M("K"));
        var H = DeepRef.Conv2D(X, K, s, p);
        var G = new Inputs(t, 1250 + (10 * s) + p).Matrix("G", Rows(H), Cols(H)).M("G");
        GradientAssert.Pullback(Src(SingleConv), "F", inputs, G, H,
            ("X", DeepRef.Conv2DGradInput(K, G, h, w, s, p)),
            ("K", DeepRef.Conv2DGradKernel(X, G, kh, kw, s, p)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Conv2DSingleImage_DefaultStrideAndPadding_InScalarLoss(string t)
    {
        // f = ⟨A, X ∗ K⟩ with Conv2D's optional arguments left out (s = 1, p = 0): ∇K = X ⋆ A, ∇X = A ∗full rot180(K)
        var src = Src("[Differentiable] public static double F(Matrix<double> X, Matrix<double> K, [NoGradient] Matrix<double> A) => Dot(A, Conv2D(X, K));");
        var p = new Inputs(t, 1201).Matrix("X", 5, 7).Matrix("K", 3, 3).Matrix("A", 3, 5);
        var (X, K, A) = (p.M("X"), p.M("K"), p.M("A"));
        GradientAssert.Gradient(src, p, Dot(A, DeepRef.Conv2D(X, K, 1, 0)),
            ("X", DeepRef.Conv2DGradInput(K, A, 5, 7, 1, 0)),
            ("K", DeepRef.Conv2DGradKernel(X, A, 3, 3, 1, 0)));
    }

    [Fact]
    public void Conv2D_ClosedFormAttribute()
    {
        var lines = GradientAssert.ClosedForms(Src("[Differentiable] public static double F(Matrix<double> X, Matrix<double> K, [NoGradient] Matrix<double> A, int s, int p) => Dot(A, Conv2D(X, K, s, p));"),
            "double", "FWithGradient");
        Assert.Contains("∇K = X ⋆ A", lines);
        Assert.Contains("∇X = A ∗full rot180(K)", lines);
    }

    private const string BatchedConv = """
        [Differentiable]
        public static Matrix<double> F(Matrix<double> X, Matrix<double> K, int c, int h, int w, int kh, int kw, int s, int p)
            => Conv2D(X, K, c, h, w, kh, kw, s, p);
        """;

    public static TheoryData<string, int, int, int> ChannelsAndBatches()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var t in new[] { "double", "float" })
        {
            for (int cin = 1; cin <= 3; cin++)
            {
                for (int cout = 1; cout <= 3; cout++)
                {
                    for (int n = 1; n <= 3; n++)
                    {
                        data.Add(t, cin, cout, n);
                    }
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ChannelsAndBatches))]
    public void Conv2DBatched_Pullback(string t, int cin, int cout, int n)
    {
        // 5×7 images, 3×2 filters; stride 1–3 and padding 0–2 vary with the case
        const int h = 5, w = 7, kh = 3, kw = 2;
        int s = 1 + ((cin + cout + n) % 3), p = (cin * n) % 3;
        int seed = 1300 + (100 * cin) + (10 * cout) + n;
        var inputs = new Inputs(t, seed).Matrix("X", cin * h * w, n).Matrix("K", cout, cin * kh * kw)
            .Int("c", cin).Int("h", h).Int("w", w).Int("kh", kh).Int("kw", kw).Int("s", s).Int("p", p);
        var (X, K) = (inputs.M("X"), inputs.M("K"));
        var H = DeepRef.Conv2D(X, K, cin, h, w, kh, kw, s, p);
        var G = new Inputs(t, seed + 5000).Matrix("G", Rows(H), Cols(H)).M("G");
        GradientAssert.Pullback(Src(BatchedConv), "F", inputs, G, H,
            ("X", DeepRef.Conv2DGradInput(K, G, cin, h, w, kh, kw, s, p)),
            ("K", DeepRef.Conv2DGradKernel(X, G, cin, h, w, kh, kw, s, p)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Conv2DBatched_SameAsSingleImageForOneChannelOneImage(string t)
    {
        // C_in = C_out = N = 1: the batched layout is the image's rows stacked in one column
        var src = Src("""
            [Differentiable]
            public static double F(Matrix<double> X, Matrix<double> K, [NoGradient] Matrix<double> A) => Dot(A, Conv2D(X, K, 1, 7, 5, 3, 3, 2, 1));
            """);
        var p = new Inputs(t, 1202).Matrix("X", 35, 1).Matrix("K", 1, 9).Matrix("A", 4 * 3, 1);   // h' = (7 + 2 − 3)/2 + 1 = 4, w' = (5 + 2 − 3)/2 + 1 = 3
        var (X, K, A) = (p.M("X"), p.M("K"), p.M("A"));
        var image = DeepRef.Plane(X, 0, 0, 7, 5);
        var filter = DeepRef.Filter(K, 0, 0, 3, 3);
        var Ag = DeepRef.Plane(A, 0, 0, 4, 3);
        var dX = new double[35, 1];
        DeepRef.AddPlane(dX, 0, 0, DeepRef.Conv2DGradInput(filter, Ag, 7, 5, 2, 1));
        var dKImage = DeepRef.Conv2DGradKernel(image, Ag, 3, 3, 2, 1);
        var dK = new double[1, 9];
        for (int a = 0; a < 3; a++)
        {
            for (int b = 0; b < 3; b++)
            {
                dK[0, (a * 3) + b] = dKImage[a, b];
            }
        }
        GradientAssert.Gradient(src, p, Dot(Ag, DeepRef.Conv2D(image, filter, 2, 1)), ("X", dX), ("K", dK));
    }

    // ── pooling ──────────────────────────────────────────────────────────────────────

    public static TheoryData<string, int, int> PoolWindows()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var t in new[] { "double", "float" })
        {
            foreach (var (size, stride) in new[] { (2, 2), (3, 3), (2, 1), (3, 2) })
            {
                data.Add(t, size, stride);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PoolWindows))]
    public void MaxPool2DSingleImage_Pullback(string t, int size, int stride)
    {
        // distinct entries (gap 2/62 ≫ the float FD step), so every window has a clear argmax
        var src = Src("[Differentiable] public static Matrix<double> F(Matrix<double> X, int size, int stride) => MaxPool2D(X, size, stride);");
        var p = new Inputs(t).Add("X", DeepRef.DistinctValues(7, 9, 1400 + (10 * size) + stride)).Int("size", size).Int("stride", stride);
        var X = p.M("X");
        var (Y, _) = DeepRef.MaxPool2D(X, size, stride);
        var G = new Inputs(t, 1450 + (10 * size) + stride).Matrix("G", Rows(Y), Cols(Y)).M("G");
        GradientAssert.Pullback(src, "F", p, G, Y, ("X", DeepRef.MaxPool2DGrad(X, G, size, stride)));
    }

    [Theory]
    [MemberData(nameof(PoolWindows))]
    public void AvgPool2DSingleImage_Pullback(string t, int size, int stride)
    {
        var src = Src("[Differentiable] public static Matrix<double> F(Matrix<double> X, int size, int stride) => AvgPool2D(X, size, stride);");
        var p = new Inputs(t, 1500 + (10 * size) + stride).Matrix("X", 7, 9).Int("size", size).Int("stride", stride);
        var X = p.M("X");
        var Y = DeepRef.AvgPool2D(X, size, stride);
        var G = new Inputs(t, 1550 + (10 * size) + stride).Matrix("G", Rows(Y), Cols(Y)).M("G");
        GradientAssert.Pullback(src, "F", p, G, Y, ("X", DeepRef.AvgPool2DGrad(G, 7, 9, size, stride)));
    }

    public static TheoryData<string, int, int, int, int> BatchedPools()
    {
        var data = new TheoryData<string, int, int, int, int>();
        foreach (var t in new[] { "double", "float" })
        {
            for (int c = 1; c <= 3; c++)
            {
                for (int n = 1; n <= 3; n++)
                {
                    var (size, stride) = (c + n) % 2 == 0 ? (2, 2) : (3, 1);
                    data.Add(t, c, n, size, stride);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BatchedPools))]
    public void MaxPool2DBatched_Pullback(string t, int c, int n, int size, int stride)
    {
        const int h = 5, w = 7;
        var src = Src("[Differentiable] public static Matrix<double> F(Matrix<double> X, int c, int h, int w, int size, int stride) => MaxPool2D(X, c, h, w, size, stride);");
        var p = new Inputs(t).Add("X", DeepRef.DistinctValues(c * h * w, n, 1600 + (10 * c) + n))
            .Int("c", c).Int("h", h).Int("w", w).Int("size", size).Int("stride", stride);
        var X = p.M("X");
        int ho = ((h - size) / stride) + 1, wo = ((w - size) / stride) + 1;
        var Y = DeepRef.PerPlane(X, c, h, w, ho, wo, (_, _, plane) => DeepRef.MaxPool2D(plane, size, stride).Y);
        var G = new Inputs(t, 1650 + (10 * c) + n).Matrix("G", Rows(Y), Cols(Y)).M("G");
        var dX = DeepRef.PerPlane(X, c, h, w, h, w, (img, ch, plane) => DeepRef.MaxPool2DGrad(plane, DeepRef.Plane(G, img, ch, ho, wo), size, stride));
        GradientAssert.Pullback(src, "F", p, G, Y, ("X", dX));
    }

    [Theory]
    [MemberData(nameof(BatchedPools))]
    public void AvgPool2DBatched_Pullback(string t, int c, int n, int size, int stride)
    {
        const int h = 5, w = 7;
        var src = Src("[Differentiable] public static Matrix<double> F(Matrix<double> X, int c, int h, int w, int size, int stride) => AvgPool2D(X, c, h, w, size, stride);");
        var p = new Inputs(t, 1700 + (10 * c) + n).Matrix("X", c * h * w, n)
            .Int("c", c).Int("h", h).Int("w", w).Int("size", size).Int("stride", stride);
        var X = p.M("X");
        int ho = ((h - size) / stride) + 1, wo = ((w - size) / stride) + 1;
        var Y = DeepRef.PerPlane(X, c, h, w, ho, wo, (_, _, plane) => DeepRef.AvgPool2D(plane, size, stride));
        var G = new Inputs(t, 1750 + (10 * c) + n).Matrix("G", Rows(Y), Cols(Y)).M("G");
        var dX = DeepRef.PerPlane(X, c, h, w, h, w, (img, ch, _) => DeepRef.AvgPool2DGrad(DeepRef.Plane(G, img, ch, ho, wo), h, w, size, stride));
        GradientAssert.Pullback(src, "F", p, G, Y, ("X", dX));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void PoolsInScalarLoss(string t)
    {
        // f = ‖maxpool(X)‖² + Sum(avgpool(X)): ∇X = route(2 maxpool(X)) + 𝟙/size² over every window
        var src = Src("[Differentiable] public static double F(Matrix<double> X) => SquaredNorm(MaxPool2D(X, 2, 2)) + Sum(AvgPool2D(X, 3, 2));");
        var p = new Inputs(t).Add("X", DeepRef.DistinctValues(7, 7, 1800));
        var X = p.M("X");
        var (Ymax, _) = DeepRef.MaxPool2D(X, 2, 2);
        var Yavg = DeepRef.AvgPool2D(X, 3, 2);
        var dX = Add(DeepRef.MaxPool2DGrad(X, Scale(2, Ymax), 2, 2), DeepRef.AvgPool2DGrad(Fill(Rows(Yavg), Cols(Yavg), 1), 7, 7, 3, 2));
        GradientAssert.Gradient(src, p, Dot(Ymax, Ymax) + Sum(Yavg), ("X", dX));
    }
}
