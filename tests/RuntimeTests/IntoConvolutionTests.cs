using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;
using static AutoGradGen.RuntimeTests.IntoInputs;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The destination-passing convolution and pooling forms (single image and channel-stacked batch, forward
/// and backward) against their allocating forms, in float and double over strides, paddings and odd sizes
/// (all below the parallel threshold): bitwise equal, the same object and zero bytes allocated on a repeat
/// call, a wrong-shape destination replaced, an input as destination rejected; bad shapes name both shapes
/// and write nothing. Above the threshold (several threads): every forward and ∇X column equals the same
/// column computed on its own, and ∇K matches a naive double reference.
/// </summary>
public class IntoConvolutionTests
{
    /// <summary>(C_in, C_out, N, h, w, kₕ, k_w, stride, padding).</summary>
    private static readonly (int C, int O, int N, int H, int W, int Kh, int Kw, int S, int P)[] Geometries =
    [
        (1, 1, 1, 1, 1, 1, 1, 1, 0),
        (1, 1, 1, 5, 7, 2, 3, 1, 0),
        (2, 3, 4, 6, 5, 3, 3, 1, 1),
        (3, 2, 5, 9, 8, 3, 2, 2, 1),
        (2, 2, 3, 7, 7, 4, 4, 3, 2),
        (1, 4, 37, 8, 8, 3, 3, 1, 1),
    ];

    /// <summary>(C, N, h, w, size, stride).</summary>
    private static readonly (int C, int N, int H, int W, int Size, int S)[] Pools =
    [
        (1, 1, 1, 1, 1, 1),
        (1, 1, 5, 7, 2, 2),
        (2, 3, 6, 6, 3, 1),
        (3, 4, 9, 8, 3, 2),
        (2, 33, 8, 8, 2, 2),
    ];

    public static TheoryData<string> Names() => new(All<double>().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Double(string name) => All<double>().Single(c => c.Name == name).Run();

    [Theory]
    [MemberData(nameof(Names))]
    public void Single(string name) => All<float>().Single(c => c.Name == name).Run();

    [Fact]
    public void TestShapesStayBelowTheParallelThreshold()
    {
        foreach (var c in Geometries)
        {
            var geometry = new ConvGeometry(c.C, c.H, c.W, c.Kh, c.Kw, c.S, c.P);
            Assert.Equal(1, Conv2DBatch.Workers(geometry, c.O, c.N, Math.Max(c.O, c.C)));
        }
    }

    /// <summary>(C_in, C_out, N): split by filters / input channels, and (one filter or one input channel) by columns.</summary>
    [Theory]
    [InlineData(2, 4, 1024)]
    [InlineData(1, 1, 8200)]
    [InlineData(1, 4, 2100)]
    public void SeveralThreadsGiveTheSingleThreadedColumns(int channels, int outChannels, int batch)
    {
        var geometry = new ConvGeometry(channels, 8, 8, 3, 3, 1, 1);
        Assert.True(Conv2DBatch.Workers(geometry, outChannels, batch, 2) > 1 || Environment.ProcessorCount == 1);
        var x = M<double>(channels * 64, batch, 31);
        var k = M<double>(outChannels, channels * 9, 32);
        var g = M<double>(outChannels * 64, batch, 33);
        var y = Ops.Conv2D(x, k, channels, 8, 8, 3, 3, 1, 1);
        var dx = Convolution.Conv2DBackwardInput(k, g, channels, 8, 8, 3, 3, 1, 1);
        var dk = Convolution.Conv2DBackwardKernel(x, g, channels, 8, 8, 3, 3, 1, 1);

        // Columns are independent in the forward pass and ∇X: a slice computed alone (one thread) is bitwise the same.
        foreach (int start in new[] { 0, 17, batch - 29 })
        {
            var xs = Columns(x, start, 29);
            var gs = Columns(g, start, 29);
            Assert.Equal(Columns(y, start, 29).AsSpan().ToArray(), Ops.Conv2D(xs, k, channels, 8, 8, 3, 3, 1, 1).AsSpan().ToArray());
            Assert.Equal(Columns(dx, start, 29).AsSpan().ToArray(), Convolution.Conv2DBackwardInput(k, gs, channels, 8, 8, 3, 3, 1, 1).AsSpan().ToArray());
        }

        // ∇K sums over the batch (per-worker partial sums when split by columns): the naive sum in double.
        var expected = NaiveKernelGradient(x, g, channels, outChannels, geometry);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], dk.AsSpan()[i], 1e-9 * batch);
        }

        // Deterministic: the same call gives the same bits.
        Assert.Equal(dk.AsSpan().ToArray(), Convolution.Conv2DBackwardKernel(x, g, channels, 8, 8, 3, 3, 1, 1).AsSpan().ToArray());
    }

    public static TheoryData<string, Action, string, string> Mismatches() => new()
    {
        { "Conv2D plane: kernel too large", () => Slot((ref d) => Convolution.Conv2D(M<double>(3, 3, 1), M<double>(4, 2, 2), 1, 0, ref d)), "3×3", "4×2" },
        { "Conv2D batch: rows", () => Slot((ref d) => Convolution.Conv2D(M<double>(7, 2, 1), M<double>(4, 8, 2), 2, 2, 2, 2, 2, 1, 0, ref d)), "7×2", "4×8" },
        { "Conv2D batch: filter columns", () => Slot((ref d) => Convolution.Conv2D(M<double>(8, 2, 1), M<double>(4, 7, 2), 2, 2, 2, 2, 2, 1, 0, ref d)), "8×2", "4×7" },
        { "Conv2DBackwardInput plane", () => Slot((ref d) => Convolution.Conv2DBackwardInput(M<double>(2, 2, 1), M<double>(3, 3, 2), 5, 5, 1, 0, ref d)), "2×2", "3×3" },
        { "Conv2DBackwardInput batch", () => Slot((ref d) => Convolution.Conv2DBackwardInput(M<double>(3, 8, 1), M<double>(5, 2, 2), 2, 3, 3, 2, 2, 1, 0, ref d)), "3×8", "5×2" },
        { "Conv2DBackwardKernel plane", () => Slot((ref d) => Convolution.Conv2DBackwardKernel(M<double>(5, 5, 1), M<double>(3, 3, 2), 2, 2, 1, 0, ref d)), "5×5", "3×3" },
        { "Conv2DBackwardKernel batch", () => Slot((ref d) => Convolution.Conv2DBackwardKernel(M<double>(18, 2, 1), M<double>(8, 3, 2), 2, 3, 3, 2, 2, 1, 0, ref d)), "18×2", "8×3" },
        { "MaxPool2D plane", () => Slot((ref d) => Pooling.MaxPool2D(M<double>(2, 5, 1), 3, 1, ref d)), "2×5", "3×3" },
        { "MaxPool2D batch", () => Slot((ref d) => Pooling.MaxPool2D(M<double>(7, 2, 1), 2, 2, 2, 2, 2, ref d)), "7×2", "8" },
        { "AvgPool2D plane", () => Slot((ref d) => Pooling.AvgPool2D(M<double>(2, 5, 1), 3, 1, ref d)), "2×5", "3×3" },
        { "AvgPool2D batch", () => Slot((ref d) => Pooling.AvgPool2D(M<double>(7, 2, 1), 2, 2, 2, 2, 2, ref d)), "7×2", "8" },
        { "MaxPool2DBackward plane", () => Slot((ref d) => Pooling.MaxPool2DBackward(M<double>(4, 4, 1), M<double>(3, 2, 2), 2, 2, ref d)), "3×2", "2×2" },
        { "MaxPool2DBackward batch", () => Slot((ref d) => Pooling.MaxPool2DBackward(M<double>(32, 3, 1), M<double>(8, 2, 2), 2, 4, 4, 2, 2, ref d)), "8×2", "8×3" },
        { "MaxPool2DTangent plane", () => Slot((ref d) => Pooling.MaxPool2DTangent(M<double>(4, 4, 1), M<double>(4, 3, 2), 2, 2, ref d)), "4×4", "4×3" },
        { "AvgPool2DBackward plane", () => Slot((ref d) => Pooling.AvgPool2DBackward(M<double>(3, 2, 2), 4, 4, 2, 2, ref d)), "3×2", "2×2" },
        { "AvgPool2DBackward batch", () => Slot((ref d) => Pooling.AvgPool2DBackward(M<double>(7, 3, 2), 2, 4, 4, 2, 2, ref d)), "7×3", "8×3" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void ShapeMismatchNamesBothShapesAndWritesNothing(string description, Action call, string left, string right)
    {
        var before = Bits.Of(MatrixSlot);
        var ex = Assert.Throws<ArgumentException>(call);
        Assert.Contains(left, ex.Message);
        Assert.Contains(right, ex.Message);
        Assert.True(before.SequenceEqual(Bits.Of(MatrixSlot)), $"{description} wrote the destination");
    }

    [Fact]
    public void NullOperandsNameTheParameter()
    {
        var m = M<double>(8, 2, 1);
        var k = M<double>(2, 8, 2);
        Matrix<double>? d = null;
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Convolution.Conv2D(null!, k, 1, 0, ref d)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentNullException>(() => Convolution.Conv2D(m, null!, 2, 2, 2, 2, 2, 1, 0, ref d)).ParamName);
        Assert.Equal("g", Assert.Throws<ArgumentNullException>(() => Convolution.Conv2DBackwardInput(k, null!, 2, 2, 1, 0, ref d)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentNullException>(() => Convolution.Conv2DBackwardInput(null!, m, 2, 2, 2, 2, 2, 1, 0, ref d)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Convolution.Conv2DBackwardKernel(null!, m, 2, 2, 1, 0, ref d)).ParamName);
        Assert.Equal("g", Assert.Throws<ArgumentNullException>(() => Convolution.Conv2DBackwardKernel(m, null!, 2, 2, 2, 2, 2, 1, 0, ref d)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Pooling.MaxPool2D(null!, 2, 2, ref d)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Pooling.AvgPool2D(null!, 2, 2, 2, 2, 2, ref d)).ParamName);
        Assert.Equal("g", Assert.Throws<ArgumentNullException>(() => Pooling.MaxPool2DBackward(m, null!, 2, 2, ref d)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Pooling.MaxPool2DBackward(null!, m, 2, 2, 2, 2, 2, ref d)).ParamName);
        Assert.Equal("g", Assert.Throws<ArgumentNullException>(() => Pooling.AvgPool2DBackward(null!, 2, 2, 2, 2, ref d)).ParamName);
        Assert.Equal("g", Assert.Throws<ArgumentNullException>(() => Pooling.AvgPool2DBackward(null!, 2, 2, 2, 2, 2, ref d)).ParamName);
    }

    private static readonly Matrix<double> MatrixSlot = M<double>(3, 4, 5);

    private static void Slot(IntoCall<Matrix<double>> call)
    {
        Matrix<double>? slot = MatrixSlot;
        call(ref slot);
    }

    private static Matrix<double> Columns(Matrix<double> m, int start, int count)
    {
        var result = new Matrix<double>(m.Rows, count);
        for (int i = 0; i < m.Rows; i++)
        {
            m.AsSpan().Slice((i * m.Cols) + start, count).CopyTo(result.AsSpan().Slice(i * count, count));
        }

        return result;
    }

    /// <summary>∇K[o, c, a, b] = Σ_{n, i, j} G[o, i, j, n] X[c, i·s + a − p, j·s + b − p, n], in double, by the definition.</summary>
    private static double[] NaiveKernelGradient(Matrix<double> x, Matrix<double> g, int channels, int outChannels, ConvGeometry geo)
    {
        var result = new double[outChannels * channels * geo.KernelPlane];
        for (int o = 0; o < outChannels; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int a = 0; a < geo.KernelHeight; a++)
                {
                    for (int b = 0; b < geo.KernelWidth; b++)
                    {
                        double sum = 0;
                        for (int i = 0; i < geo.OutHeight; i++)
                        {
                            for (int j = 0; j < geo.OutWidth; j++)
                            {
                                int yy = (i * geo.Stride) + a - geo.Padding, xx = (j * geo.Stride) + b - geo.Padding;
                                if (yy < 0 || yy >= geo.Height || xx < 0 || xx >= geo.Width)
                                {
                                    continue;
                                }

                                for (int n = 0; n < x.Cols; n++)
                                {
                                    sum += g[(o * geo.OutPlane) + (i * geo.OutWidth) + j, n] * x[(c * geo.InPlane) + (yy * geo.Width) + xx, n];
                                }
                            }
                        }

                        result[(((o * channels) + c) * geo.KernelPlane) + (a * geo.KernelWidth) + b] = sum;
                    }
                }
            }
        }

        return result;
    }

    private static IEnumerable<IIntoCase> All<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Geometries.SelectMany(Convolutions<T>).Concat(Pools.SelectMany(Poolings<T>));

    private static IEnumerable<IIntoCase> Convolutions<T>((int C, int O, int N, int H, int W, int Kh, int Kw, int S, int P) c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geo = new ConvGeometry(c.C, c.H, c.W, c.Kh, c.Kw, c.S, c.P);
        string at = $" C{c.C} O{c.O} N{c.N} {c.H}×{c.W} k{c.Kh}×{c.Kw} s{c.S} p{c.P}";
        var x = M<T>(c.C * geo.InPlane, c.N, 1);
        var k = M<T>(c.O, c.C * geo.KernelPlane, 2);
        var g = M<T>(c.O * geo.OutPlane, c.N, 3);
        yield return Mat("Conv2D(batch)" + at, () => Ops.Conv2D(x, k, c.C, c.H, c.W, c.Kh, c.Kw, c.S, c.P),
            (ref d) => Convolution.Conv2D(x, k, c.C, c.H, c.W, c.Kh, c.Kw, c.S, c.P, ref d), x, k);
        yield return Mat("Conv2DBackwardInput(batch)" + at, () => Convolution.Conv2DBackwardInput(k, g, c.C, c.H, c.W, c.Kh, c.Kw, c.S, c.P),
            (ref d) => Convolution.Conv2DBackwardInput(k, g, c.C, c.H, c.W, c.Kh, c.Kw, c.S, c.P, ref d), k, g);
        yield return Mat("Conv2DBackwardKernel(batch)" + at, () => Convolution.Conv2DBackwardKernel(x, g, c.C, c.H, c.W, c.Kh, c.Kw, c.S, c.P),
            (ref d) => Convolution.Conv2DBackwardKernel(x, g, c.C, c.H, c.W, c.Kh, c.Kw, c.S, c.P, ref d), x, g);

        var image = M<T>(c.H, c.W, 4);
        var kernel = M<T>(c.Kh, c.Kw, 5);
        var gradient = M<T>(geo.OutHeight, geo.OutWidth, 6);
        yield return Mat("Conv2D" + at, () => Ops.Conv2D(image, kernel, c.S, c.P),
            (ref d) => Convolution.Conv2D(image, kernel, c.S, c.P, ref d), image, kernel);
        yield return Mat("Conv2DBackwardInput" + at, () => Convolution.Conv2DBackwardInput(kernel, gradient, c.H, c.W, c.S, c.P),
            (ref d) => Convolution.Conv2DBackwardInput(kernel, gradient, c.H, c.W, c.S, c.P, ref d), kernel, gradient);
        yield return Mat("Conv2DBackwardKernel" + at, () => Convolution.Conv2DBackwardKernel(image, gradient, c.Kh, c.Kw, c.S, c.P),
            (ref d) => Convolution.Conv2DBackwardKernel(image, gradient, c.Kh, c.Kw, c.S, c.P, ref d), image, gradient);
    }

    private static IEnumerable<IIntoCase> Poolings<T>((int C, int N, int H, int W, int Size, int S) p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geo = new ConvGeometry(p.C, p.H, p.W, p.Size, p.Size, p.S, 0);
        string at = $" C{p.C} N{p.N} {p.H}×{p.W} size{p.Size} s{p.S}";
        var x = M<T>(p.C * geo.InPlane, p.N, 7);
        var g = M<T>(p.C * geo.OutPlane, p.N, 8);
        var image = M<T>(p.H, p.W, 9);
        var gradient = M<T>(geo.OutHeight, geo.OutWidth, 10);
        var x2 = M<T>(p.C * geo.InPlane, p.N, 11);
        var image2 = M<T>(p.H, p.W, 12);
        yield return Mat("MaxPool2D(batch)" + at, () => Ops.MaxPool2D(x, p.C, p.H, p.W, p.Size, p.S),
            (ref d) => Pooling.MaxPool2D(x, p.C, p.H, p.W, p.Size, p.S, ref d), x);
        yield return Mat("AvgPool2D(batch)" + at, () => Ops.AvgPool2D(x, p.C, p.H, p.W, p.Size, p.S),
            (ref d) => Pooling.AvgPool2D(x, p.C, p.H, p.W, p.Size, p.S, ref d), x);
        yield return Mat("MaxPool2DBackward(batch)" + at, () => Pooling.MaxPool2DBackward(x, g, p.C, p.H, p.W, p.Size, p.S),
            (ref d) => Pooling.MaxPool2DBackward(x, g, p.C, p.H, p.W, p.Size, p.S, ref d), x, g);
        yield return Mat("MaxPool2DTangent(batch)" + at, () => Pooling.MaxPool2DTangent(x, x2, p.C, p.H, p.W, p.Size, p.S),
            (ref d) => Pooling.MaxPool2DTangent(x, x2, p.C, p.H, p.W, p.Size, p.S, ref d), x, x2);
        yield return Mat("AvgPool2DBackward(batch)" + at, () => Pooling.AvgPool2DBackward(g, p.C, p.H, p.W, p.Size, p.S),
            (ref d) => Pooling.AvgPool2DBackward(g, p.C, p.H, p.W, p.Size, p.S, ref d), g);
        yield return Mat("MaxPool2D" + at, () => Ops.MaxPool2D(image, p.Size, p.S),
            (ref d) => Pooling.MaxPool2D(image, p.Size, p.S, ref d), image);
        yield return Mat("AvgPool2D" + at, () => Ops.AvgPool2D(image, p.Size, p.S),
            (ref d) => Pooling.AvgPool2D(image, p.Size, p.S, ref d), image);
        yield return Mat("MaxPool2DBackward" + at, () => Pooling.MaxPool2DBackward(image, gradient, p.Size, p.S),
            (ref d) => Pooling.MaxPool2DBackward(image, gradient, p.Size, p.S, ref d), image, gradient);
        yield return Mat("MaxPool2DTangent" + at, () => Pooling.MaxPool2DTangent(image, image2, p.Size, p.S),
            (ref d) => Pooling.MaxPool2DTangent(image, image2, p.Size, p.S, ref d), image, image2);
        yield return Mat("AvgPool2DBackward" + at, () => Pooling.AvgPool2DBackward(gradient, p.H, p.W, p.Size, p.S),
            (ref d) => Pooling.AvgPool2DBackward(gradient, p.H, p.W, p.Size, p.S, ref d), gradient);
    }
}
