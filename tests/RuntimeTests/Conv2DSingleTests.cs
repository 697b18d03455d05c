using System.Numerics;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The batch-of-one kernels (<see cref="Conv2DSingle"/>, taken by every call with N = 1): against the
/// definition loops in double for strides 1–3, paddings 0–2, odd sizes and several channels, and against
/// the batched walk (<see cref="Conv2DCore"/>) run with a batch of one (same values to 1e-12, not bitwise).
/// </summary>
public sealed class Conv2DSingleTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Cases()
    {
        var data = new TheoryData<int, int, int, int, int, int, int, int>();
        foreach (int stride in new[] { 1, 2, 3 })
        {
            foreach (int padding in new[] { 0, 1, 2 })
            {
                data.Add(1, 1, 28, 28, 5, 5, stride, padding);
                data.Add(1, 1, 13, 17, 3, 4, stride, padding);
                data.Add(3, 2, 11, 9, 3, 3, stride, padding);
                data.Add(2, 3, 7, 41, 2, 5, stride, padding);
            }
        }
        data.Add(1, 1, 5, 5, 5, 5, 1, 0);   // one output pixel
        data.Add(1, 1, 1, 1, 1, 1, 1, 2);   // 1×1 image, all padding
        data.Add(1, 1, 40, 67, 1, 1, 1, 0); // 1×1 kernel, a row with a vector tail
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_MatchesDefinitionAndBatchedWalk(int channels, int outChannels, int h, int w, int kh, int kw, int s, int p)
        => Check<double>(new ConvGeometry(channels, h, w, kh, kw, s, p), outChannels, 1e-12);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_MatchesDefinition(int channels, int outChannels, int h, int w, int kh, int kw, int s, int p)
        => Check<float>(new ConvGeometry(channels, h, w, kh, kw, s, p), outChannels, 1e-5);

    private static void Check<T>(ConvGeometry g, int outChannels, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Random<T>(g.Channels * g.InPlane, 1);
        var k = Random<T>(outChannels * g.Channels * g.KernelPlane, 2);
        var gh = Random<T>(outChannels * g.OutPlane, 3);

        var h = new T[outChannels * g.OutPlane];
        var dx = new T[g.Channels * g.InPlane];
        var dk = new T[k.Length];
        Conv2DBatch.Forward(x, k, outChannels, 1, h, g);
        Conv2DBatch.InputGradient(k, gh, outChannels, 1, dx, g);
        Conv2DBatch.KernelGradient(x, gh, outChannels, 1, dk, g);

        var (hRef, dxRef, dkRef) = Definition(ToDouble(x), ToDouble(k), ToDouble(gh), outChannels, g);
        AssertClose(hRef, ToDouble(h), tolerance, "forward");
        AssertClose(dxRef, ToDouble(dx), tolerance, "∇X");
        AssertClose(dkRef, ToDouble(dk), tolerance, "∇K");

        // The batched walk with a batch of one: the path a single image took before.
        var hb = new T[h.Length];
        var dxb = new T[dx.Length];
        var dkb = new T[dk.Length];
        var f = new Conv2DCore.Forward<T>(x, k, hb, 1, g.Stride, 0, 1);
        Conv2DCore.Walk<T, Conv2DCore.Forward<T>>(ref f, g, 0, outChannels, 0, g.Channels);
        var ig = new Conv2DCore.InputGradient<T>(k, gh, dxb, 1, g.Stride, 0, 1);
        Conv2DCore.Walk<T, Conv2DCore.InputGradient<T>>(ref ig, g, 0, outChannels, 0, g.Channels);
        var kg = new Conv2DCore.KernelGradient<T>(x, gh, dkb, 0, 1, g.Stride, 0, 1);
        Conv2DCore.Walk<T, Conv2DCore.KernelGradient<T>>(ref kg, g, 0, outChannels, 0, g.Channels);
        AssertClose(ToDouble(hb), ToDouble(h), tolerance, "forward vs batched");
        AssertClose(ToDouble(dxb), ToDouble(dx), tolerance, "∇X vs batched");
        AssertClose(ToDouble(dkb), ToDouble(dk), tolerance, "∇K vs batched");
    }

    /// <summary>H, ∇X, ∇K of one image by the definition: H[o, i, j] = Σ_{c,a,b} K[o, c, a, b] X[c, i·s + a − p, j·s + b − p].</summary>
    private static (double[] H, double[] Dx, double[] Dk) Definition(double[] x, double[] k, double[] gh, int outChannels, ConvGeometry g)
    {
        var h = new double[outChannels * g.OutPlane];
        var dx = new double[x.Length];
        var dk = new double[k.Length];
        for (int o = 0; o < outChannels; o++)
        {
            for (int c = 0; c < g.Channels; c++)
            {
                for (int i = 0; i < g.OutHeight; i++)
                {
                    for (int j = 0; j < g.OutWidth; j++)
                    {
                        for (int a = 0; a < g.KernelHeight; a++)
                        {
                            for (int b = 0; b < g.KernelWidth; b++)
                            {
                                int y = (i * g.Stride) + a - g.Padding, xx = (j * g.Stride) + b - g.Padding;
                                if (y < 0 || y >= g.Height || xx < 0 || xx >= g.Width)
                                {
                                    continue;
                                }

                                int hi = (o * g.OutPlane) + (i * g.OutWidth) + j;
                                int xi = (c * g.InPlane) + (y * g.Width) + xx;
                                int ki = (((o * g.Channels) + c) * g.KernelPlane) + (a * g.KernelWidth) + b;
                                h[hi] += k[ki] * x[xi];
                                dx[xi] += k[ki] * gh[hi];
                                dk[ki] += gh[hi] * x[xi];
                            }
                        }
                    }
                }
            }
        }

        return (h, dx, dk);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Select(Math.Abs).DefaultIfEmpty(0).Max() + 1e-300;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]) / scale;
            Assert.True(error <= tolerance, $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (relative {error:E2})");
        }
    }

    private static T[] Random<T>(int length, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => T.CreateChecked((r.NextDouble() * 2) - 1)).ToArray();
    }

    private static double[] ToDouble<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
        => values.Select(double.CreateChecked).ToArray();
}
