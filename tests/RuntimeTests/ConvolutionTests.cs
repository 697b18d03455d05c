using System.Numerics;
using Xunit;
using static AutoGradGen.Ops;
using ConvKernels = AutoGradGen.Compute.Convolution;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Conv2D (single image and channel-stacked batch) and its backward kernels against naive loops
/// written from the definition H[n, o, i, j] = Σ_{c,a,b} X[n, c, i·s + a − p, j·s + b − p] K[o, c, a, b],
/// over strides 1–3, paddings 0–2, odd sizes, C_in, C_out ∈ {1, 2, 3} and batches 1–3; the
/// backward kernels also against central differences of ⟨G, Conv2D(X, K)⟩.
/// </summary>
public class ConvolutionTests
{
    public static TheoryData<int, int> StridesAndPaddings()
    {
        var data = new TheoryData<int, int>();
        for (int s = 1; s <= 3; s++)
        {
            for (int p = 0; p <= 2; p++)
            {
                data.Add(s, p);
            }
        }

        return data;
    }

    private static readonly (int H, int W)[] Images = [(1, 1), (5, 7), (8, 6), (9, 9)];
    private static readonly (int Kh, int Kw)[] Kernels = [(1, 1), (2, 3), (3, 3), (4, 2)];

    [Theory]
    [MemberData(nameof(StridesAndPaddings))]
    public void SingleImageMatchesDefinition(int stride, int padding)
    {
        SingleImage<double>(stride, padding, 16);
        SingleImage<float>(stride, padding, 64);
    }

    [Theory]
    [MemberData(nameof(StridesAndPaddings))]
    public void BatchedMultiChannelMatchesDefinition(int stride, int padding)
    {
        Batched<double>(stride, padding, 16);
        Batched<float>(stride, padding, 64);
    }

    [Theory]
    [MemberData(nameof(StridesAndPaddings))]
    public void BackwardKernelsMatchFiniteDifferences(int stride, int padding)
    {
        foreach (var (cin, cout, n, h, w, kh, kw) in new[] { (1, 1, 1, 5, 4, 2, 3), (2, 3, 2, 5, 6, 3, 2), (3, 2, 3, 4, 5, 3, 3) })
        {
            var geometry = new Geo(cin, h, w, kh, kw, stride, padding);
            if (!geometry.Fits)
            {
                continue;
            }

            var x = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(cin * h * w, n, 31 + h));
            var k = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(cout, cin * kh * kw, 32 + w));
            var g = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(cout * geometry.OutPlane, n, 33));
            double F() => Dot(g, Conv2D(x, k, cin, h, w, kh, kw, stride, padding));
            string context = $"C_in={cin} C_out={cout} N={n} {h}×{w} k={kh}×{kw} s={stride} p={padding}";
            FiniteDifference.AssertGradient(k, F, ConvKernels.Conv2DBackwardKernel(x, g, cin, h, w, kh, kw, stride, padding), "∇K " + context);
            FiniteDifference.AssertGradient(x, F, ConvKernels.Conv2DBackwardInput(k, g, cin, h, w, kh, kw, stride, padding), "∇X " + context);

            if (cin == 1 && n == 1)
            {
                var image = Matrix<double>.FromArray(Reshape(Naive.Flatten(x.ToArray()), h, w));
                var kernel = Matrix<double>.FromArray(Reshape(Naive.Flatten(k.ToArray()), kh, kw));
                var gImage = Matrix<double>.FromArray(Reshape(Naive.Flatten(g.ToArray()), geometry.OutHeight, geometry.OutWidth));
                double G() => Dot(gImage, Conv2D(image, kernel, stride, padding));
                FiniteDifference.AssertGradient(kernel, G, ConvKernels.Conv2DBackwardKernel(image, gImage, kh, kw, stride, padding), "single ∇K " + context);
                FiniteDifference.AssertGradient(image, G, ConvKernels.Conv2DBackwardInput(kernel, gImage, h, w, stride, padding), "single ∇X " + context);
            }
        }
    }

    [Fact]
    public void SingleImageIsTheOneChannelBatchOfOne()
    {
        var x = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(7, 5, 1));
        var k = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(3, 2, 2));
        var single = Conv2D(x, k, 2, 1);
        var column = Matrix<double>.FromArray(Naive.Column(Naive.Flatten(x.ToArray())));
        var filter = Matrix<double>.FromArray(Reshape(Naive.Flatten(k.ToArray()), 1, 6));
        var batched = Conv2D(column, filter, 1, 7, 5, 3, 2, 2, 1);
        Assert.Equal(single.Rows * single.Cols, batched.Rows);
        Assert.Equal(Naive.Flatten(single.ToArray()), Naive.Flatten(batched.ToArray()));
    }

    [Fact]
    public void ComposesWithADenseLayer()
    {
        // 2 images of 2 channels of 4×4 → 3 channels of 2×2 → flatten (identity) → W (5×12) · + b.
        var x = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(2 * 16, 2, 5));
        var k = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(3, 2 * 9, 6));
        var h = Relu(Conv2D(x, k, 2, 4, 4, 3, 3, 1, 0));
        var w = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(5, 12, 7));
        var b = Vector<double>.FromArray(Inputs.RandomArray<double>(5, 8));
        var logits = w * h + b;
        Assert.Equal((5, 2), (logits.Rows, logits.Cols));
        Assert.True(double.IsFinite(CrossEntropy(logits, Softmax(logits))));
    }

    [Fact]
    public void KnownValuesOfTheSeedExample()
    {
        // 3×3 input, 2×2 kernel, stride 1: every 2×2 window dotted with K.
        var x = Matrix<double>.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } });
        var k = Matrix<double>.FromArray(new double[,] { { 1, 0 }, { 0, -1 } });
        Assert.Equal(new double[,] { { -4, -4 }, { -4, -4 } }, Conv2D(x, k).ToArray());
        // padding 1, stride 2: windows at (−1, −1), (−1, 1), (1, −1), (1, 1).
        Assert.Equal(new double[,] { { -1, -3 }, { -7, -4 } }, Conv2D(x, k, 2, 1).ToArray());
    }

    public static TheoryData<string, Func<object>, string, string> Mismatches()
    {
        var x = new Matrix<double>(5, 5);
        var k = new Matrix<double>(6, 6);
        var batch = new Matrix<double>(2 * 3 * 3, 2);
        var filters = new Matrix<double>(4, 2 * 2 * 2);
        var wrong = new Matrix<double>(7, 2);
        return new()
        {
            { "kernel larger than image", () => Conv2D(x, k), "5×5", "6×6" },
            { "empty kernel", () => Conv2D(x, new Matrix<double>(0, 2)), "5×5", "0×2" },
            { "batch rows", () => Conv2D(wrong, filters, 2, 3, 3, 2, 2), "7×2", "4×8" },
            { "filter columns", () => Conv2D(batch, new Matrix<double>(4, 9), 2, 3, 3, 2, 2), "18×2", "4×9" },
            { "batched kernel too large", () => Conv2D(batch, new Matrix<double>(4, 2 * 16), 2, 3, 3, 4, 4), "18×2", "4×32" },
            { "∇K single g", () => ConvKernels.Conv2DBackwardKernel(x, new Matrix<double>(3, 3), 2, 2), "5×5", "3×3" },
            { "∇X single g", () => ConvKernels.Conv2DBackwardInput(new Matrix<double>(2, 2), new Matrix<double>(3, 3), 5, 5), "2×2", "3×3" },
            { "∇K batched g rows", () => ConvKernels.Conv2DBackwardKernel(batch, new Matrix<double>(5, 2), 2, 3, 3, 2, 2), "18×2", "5×2" },
            { "∇K batched g cols", () => ConvKernels.Conv2DBackwardKernel(batch, new Matrix<double>(8, 3), 2, 3, 3, 2, 2), "18×2", "8×3" },
            { "∇K batched x rows", () => ConvKernels.Conv2DBackwardKernel(wrong, new Matrix<double>(8, 2), 2, 3, 3, 2, 2), "7×2", "8×2" },
            { "∇X batched g rows", () => ConvKernels.Conv2DBackwardInput(filters, new Matrix<double>(12, 2), 2, 3, 3, 2, 2), "4×8", "12×2" },
            { "∇X batched k cols", () => ConvKernels.Conv2DBackwardInput(new Matrix<double>(4, 7), new Matrix<double>(16, 2), 2, 3, 3, 2, 2), "4×7", "16×2" },
        };
    }

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void ShapeMismatchNamesBothShapes(string description, Func<object> call, string left, string right)
    {
        var ex = Assert.Throws<ArgumentException>(call);
        Assert.True(ex.Message.Contains(left, StringComparison.Ordinal) && ex.Message.Contains(right, StringComparison.Ordinal),
            $"{description}: {ex.Message}");
    }

    [Fact]
    public void BadGeometryThrowsOutOfRange()
    {
        var x = new Matrix<double>(4, 4);
        var k = new Matrix<double>(2, 2);
        Assert.Throws<ArgumentOutOfRangeException>("stride", () => Conv2D(x, k, 0));
        Assert.Throws<ArgumentOutOfRangeException>("padding", () => Conv2D(x, k, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>("channels", () => Conv2D(x, k, 0, 2, 2, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>("kernelWidth", () => ConvKernels.Conv2DBackwardKernel(x, k, 2, 0));
        Assert.Throws<ArgumentNullException>("k", () => Conv2D(x, null!, 1, 2, 2, 1, 1));
        Assert.Throws<ArgumentNullException>("g", () => ConvKernels.Conv2DBackwardInput(k, null!, 4, 4));
    }

    [Fact]
    public void EmptyBatchAndNoFiltersGiveEmptyResults()
    {
        var x = new Matrix<double>(2 * 9, 0);
        var k = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(3, 2 * 4, 1));
        Assert.Equal((3 * 4, 0), Shape(Conv2D(x, k, 2, 3, 3, 2, 2)));
        Assert.Equal((3, 8), Shape(ConvKernels.Conv2DBackwardKernel(x, new Matrix<double>(12, 0), 2, 3, 3, 2, 2)));
        Assert.Equal((18, 0), Shape(ConvKernels.Conv2DBackwardInput(k, new Matrix<double>(12, 0), 2, 3, 3, 2, 2)));
        Assert.Equal((0, 2), Shape(Conv2D(new Matrix<double>(18, 2), new Matrix<double>(0, 8), 2, 3, 3, 2, 2)));
    }

    private static (int, int) Shape(Matrix<double> m) => (m.Rows, m.Cols);

    private static void SingleImage<T>(int stride, int padding, double ulps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (h, w) in Images)
        {
            foreach (var (kh, kw) in Kernels)
            {
                var geometry = new Geo(1, h, w, kh, kw, stride, padding);
                if (!geometry.Fits)
                {
                    continue;
                }

                var xs = Inputs.RandomMatrix<T>(h, w, (h * 10) + w);
                var ks = Inputs.RandomMatrix<T>(kh, kw, (kh * 10) + kw);
                var gs = Inputs.RandomMatrix<T>(geometry.OutHeight, geometry.OutWidth, 3);
                double[,] x = Naive.ToDouble(xs), k = Naive.ToDouble(ks), g = Naive.ToDouble(gs);
                double tol = Near.Tol<T>(ulps * kh * kw);
                string context = $"{h}×{w} ⋆ {kh}×{kw} s={stride} p={padding}";
                var expected = Reshape(Naive.Flatten(ConvReference.Forward(Column(x), Reshape(Naive.Flatten(k), 1, kh * kw), geometry)), geometry.OutHeight, geometry.OutWidth);
                Near.MatrixEqual(expected, Conv2D(Matrix<T>.FromArray(xs), Matrix<T>.FromArray(ks), stride, padding), tol, "Conv2D " + context);

                var gColumn = Column(g);
                Near.MatrixEqual(
                    Reshape(Naive.Flatten(ConvReference.KernelGradient(Column(x), gColumn, 1, geometry)), kh, kw),
                    ConvKernels.Conv2DBackwardKernel(Matrix<T>.FromArray(xs), Matrix<T>.FromArray(gs), kh, kw, stride, padding),
                    Near.Tol<T>(ulps * geometry.OutPlane), "∇K " + context);
                Near.MatrixEqual(
                    Reshape(Naive.Flatten(ConvReference.InputGradient(Reshape(Naive.Flatten(k), 1, kh * kw), gColumn, geometry)), h, w),
                    ConvKernels.Conv2DBackwardInput(Matrix<T>.FromArray(ks), Matrix<T>.FromArray(gs), h, w, stride, padding),
                    tol, "∇X " + context);
            }
        }
    }

    private static void Batched<T>(int stride, int padding, double ulps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int seed = 0;
        foreach (var (h, w, kh, kw) in new[] { (5, 7, 3, 2), (6, 5, 2, 2), (7, 7, 3, 3), (3, 4, 3, 1) })
        {
            for (int cin = 1; cin <= 3; cin++)
            {
                for (int cout = 1; cout <= 3; cout++)
                {
                    for (int n = 1; n <= 3; n++)
                    {
                        var geometry = new Geo(cin, h, w, kh, kw, stride, padding);
                        if (!geometry.Fits)
                        {
                            continue;
                        }

                        seed++;
                        var xs = Inputs.RandomMatrix<T>(cin * h * w, n, seed);
                        var ks = Inputs.RandomMatrix<T>(cout, cin * kh * kw, seed + 1000);
                        var gs = Inputs.RandomMatrix<T>(cout * geometry.OutPlane, n, seed + 2000);
                        double[,] x = Naive.ToDouble(xs), k = Naive.ToDouble(ks), g = Naive.ToDouble(gs);
                        string context = $"C_in={cin} C_out={cout} N={n} {h}×{w} k={kh}×{kw} s={stride} p={padding}";
                        var X = Matrix<T>.FromArray(xs);
                        var K = Matrix<T>.FromArray(ks);
                        var G = Matrix<T>.FromArray(gs);
                        Near.MatrixEqual(ConvReference.Forward(x, k, geometry), Conv2D(X, K, cin, h, w, kh, kw, stride, padding),
                            Near.Tol<T>(ulps * cin * kh * kw), "Conv2D " + context);
                        Near.MatrixEqual(ConvReference.KernelGradient(x, g, cout, geometry), ConvKernels.Conv2DBackwardKernel(X, G, cin, h, w, kh, kw, stride, padding),
                            Near.Tol<T>(ulps * n * geometry.OutPlane), "∇K " + context);
                        Near.MatrixEqual(ConvReference.InputGradient(k, g, geometry), ConvKernels.Conv2DBackwardInput(K, G, cin, h, w, kh, kw, stride, padding),
                            Near.Tol<T>(ulps * cout * kh * kw), "∇X " + context);
                    }
                }
            }
        }
    }

    internal static double[,] Reshape(double[] values, int rows, int cols)
    {
        var result = new double[rows, cols];
        for (int i = 0; i < values.Length; i++)
        {
            result[i / cols, i % cols] = values[i];
        }

        return result;
    }

    private static double[,] Column(double[,] image) => Naive.Column(Naive.Flatten(image));
}

/// <summary>A convolution or pooling geometry for the references.</summary>
internal readonly record struct Geo(int C, int H, int W, int Kh, int Kw, int S, int P)
{
    public bool Fits => H + (2 * P) >= Kh && W + (2 * P) >= Kw;

    public int OutHeight => ((H + (2 * P) - Kh) / S) + 1;

    public int OutWidth => ((W + (2 * P) - Kw) / S) + 1;

    public int OutPlane => OutHeight * OutWidth;
}

/// <summary>
/// Naive batched convolution in double on the channel-stacked layout, straight from the definition:
/// X[c·h·w + y·w + x, n], K[o, c·kₕ·k_w + a·k_w + b], H[o·h'·w' + i·w' + j, n]. The adjoints are
/// written independently as sums over the same index set (never by calling the forward).
/// </summary>
internal static class ConvReference
{
    public static double[,] Forward(double[,] x, double[,] k, Geo g)
    {
        int cout = k.GetLength(0), batch = x.GetLength(1);
        var h = new double[cout * g.OutPlane, batch];
        Visit(g, cout, batch, (n, o, c, i, j, a, b, inRow) =>
            h[(o * g.OutPlane) + (i * g.OutWidth) + j, n] += x[inRow, n] * k[o, (c * g.Kh * g.Kw) + (a * g.Kw) + b]);
        return h;
    }

    public static double[,] KernelGradient(double[,] x, double[,] grad, int cout, Geo g)
    {
        var dk = new double[cout, g.C * g.Kh * g.Kw];
        Visit(g, cout, x.GetLength(1), (n, o, c, i, j, a, b, inRow) =>
            dk[o, (c * g.Kh * g.Kw) + (a * g.Kw) + b] += x[inRow, n] * grad[(o * g.OutPlane) + (i * g.OutWidth) + j, n]);
        return dk;
    }

    public static double[,] InputGradient(double[,] k, double[,] grad, Geo g)
    {
        int cout = k.GetLength(0), batch = grad.GetLength(1);
        var dx = new double[g.C * g.H * g.W, batch];
        Visit(g, cout, batch, (n, o, c, i, j, a, b, inRow) =>
            dx[inRow, n] += k[o, (c * g.Kh * g.Kw) + (a * g.Kw) + b] * grad[(o * g.OutPlane) + (i * g.OutWidth) + j, n]);
        return dx;
    }

    private delegate void Tap(int n, int o, int c, int i, int j, int a, int b, int inRow);

    /// <summary>Every (image, filter, channel, output position, kernel tap) whose input position is inside the image.</summary>
    private static void Visit(Geo g, int cout, int batch, Tap tap)
    {
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < cout; o++)
            {
                for (int c = 0; c < g.C; c++)
                {
                    for (int i = 0; i < g.OutHeight; i++)
                    {
                        for (int j = 0; j < g.OutWidth; j++)
                        {
                            for (int a = 0; a < g.Kh; a++)
                            {
                                for (int b = 0; b < g.Kw; b++)
                                {
                                    int y = (i * g.S) + a - g.P, x = (j * g.S) + b - g.P;
                                    if (y >= 0 && y < g.H && x >= 0 && x < g.W)
                                    {
                                        tap(n, o, c, i, j, a, b, (c * g.H * g.W) + (y * g.W) + x);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
