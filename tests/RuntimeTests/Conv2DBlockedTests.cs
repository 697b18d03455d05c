using System.Numerics;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The register-blocked batched forward correlation and filter gradient (<see cref="Conv2DBlocked"/>: stride 1, no padding,
/// a batch of whole 512-bit vectors): bit for bit the tap walk they replace (<see cref="Conv2DCore.Walk{T, TTap}"/>), on one
/// thread and split over the pool (by filters; the forward pass also by columns for one filter), and close to the definition
/// written as a loop in double. Shapes cover 8-pixel blocks with and without a remainder, one and several channels, 1×1 to
/// 5×5 filters (one to four shifted dot products per call, and four plus one), and runs of odd and even vector counts.
/// </summary>
public class Conv2DBlockedTests
{
    /// <summary>C_in, C_out, h, w, kₕ, k_w, batch (in vectors of 16 floats, 8 doubles).</summary>
    public static TheoryData<int, int, int, int, int, int, int> Shapes() => new()
    {
        { 1, 8, 28, 28, 5, 5, 4 },    // W7: 24 = 3 blocks of 8 pixels; over the parallel threshold
        { 1, 1, 28, 28, 5, 5, 8 },    // one filter: the column split
        { 3, 5, 9, 13, 3, 2, 1 },     // 12 pixels: a block and 4 single pixels
        { 2, 3, 6, 7, 1, 1, 2 },      // 1×1 filters, 7 pixels: no full block
        { 1, 2, 12, 20, 4, 3, 3 },
        { 2, 2, 7, 9, 2, 7, 1 },      // k_w = 7: four shifted dots, then three
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_KernelGradient_IsTheTapWalk_Bitwise_AndTheDefinition(int cin, int cout, int h, int w, int kh, int kw, int vectors)
        => CheckKernelGradient<float>(cin, cout, h, w, kh, kw, vectors * 16, tolerance: 1e-4);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_KernelGradient_IsTheTapWalk_Bitwise_AndTheDefinition(int cin, int cout, int h, int w, int kh, int kw, int vectors)
        => CheckKernelGradient<double>(cin, cout, h, w, kh, kw, vectors * 8, tolerance: 1e-11);

    private static void CheckKernelGradient<T>(int cin, int cout, int h, int w, int kh, int kw, int batch, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new ConvGeometry(cin, h, w, kh, kw, 1, 0);
        T[] x = Inputs.RandomArray<T>(cin * h * w * batch, seed: cin + w), grad = Inputs.RandomArray<T>(cout * g.OutPlane * batch, seed: kh);
        int size = cout * cin * kh * kw;

        var walked = new T[size];
        var tap = Conv2DCore.KernelGradient<T>.Create(x, grad, walked, 0, batch, 1, 0, batch);
        Conv2DCore.Walk<T, Conv2DCore.KernelGradient<T>>(ref tap, g, 0, cout, 0, cin);

        var blocked = Enumerable.Repeat(T.NaN, size).ToArray();
        Conv2DBatch.KernelGradient(x, grad, cout, batch, blocked, g);
        string what = $"{typeof(T).Name} ∇K {cin}→{cout} {h}×{w} ⋆ {kh}×{kw}, N = {batch}";
        for (int e = 0; e < size; e++)
        {
            Assert.True(blocked[e].Equals(walked[e]), $"{what}: element {e} is {blocked[e]}, the tap walk gives {walked[e]}");
        }

        for (int e = 0; e < size; e++)
        {
            int o = e / (cin * kh * kw), c = e / (kh * kw) % cin, a = e / kw % kh, b = e % kw;
            double sum = 0, magnitude = 0;
            for (int i = 0; i < g.OutHeight; i++)
            {
                for (int j = 0; j < g.OutWidth; j++)
                {
                    for (int n = 0; n < batch; n++)
                    {
                        double term = double.CreateChecked(grad[((((o * g.OutHeight) + i) * g.OutWidth) + j) * batch + n])
                            * double.CreateChecked(x[((((c * h) + i + a) * w) + j + b) * batch + n]);
                        sum += term;
                        magnitude += Math.Abs(term);
                    }
                }
            }
            double got = double.CreateChecked(blocked[e]);
            Assert.True(Math.Abs(got - sum) <= tolerance * (1 + magnitude), $"{what}: ({o}, {c}, {a}, {b}) is {got}, the definition gives {sum}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_IsTheTapWalk_Bitwise_AndTheDefinition(int cin, int cout, int h, int w, int kh, int kw, int vectors)
        => Check<float>(cin, cout, h, w, kh, kw, vectors * 16, tolerance: 1e-5);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_IsTheTapWalk_Bitwise_AndTheDefinition(int cin, int cout, int h, int w, int kh, int kw, int vectors)
        => Check<double>(cin, cout, h, w, kh, kw, vectors * 8, tolerance: 1e-12);

    private static void Check<T>(int cin, int cout, int h, int w, int kh, int kw, int batch, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new ConvGeometry(cin, h, w, kh, kw, 1, 0);
        Assert.True(Conv2DBlocked.Applies<T>(g, batch) || !System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated);
        T[] x = Inputs.RandomArray<T>(cin * h * w * batch, seed: cin + h), k = Inputs.RandomArray<T>(cout * cin * kh * kw, seed: cout + kw);
        int size = cout * g.OutPlane * batch;

        var walked = new T[size];
        var tap = Conv2DCore.Forward<T>.Create(x, k, walked, 0, batch, 1, 0, batch);
        Conv2DCore.Walk<T, Conv2DCore.Forward<T>>(ref tap, g, 0, cout, 0, cin);

        // NaN everywhere first: an element the kernel did not write cannot pass.
        var blocked = Enumerable.Repeat(T.NaN, size).ToArray();
        Conv2DBatch.Forward(x, k, cout, batch, blocked, g);
        string what = $"{typeof(T).Name} {cin}→{cout} {h}×{w} ⋆ {kh}×{kw}, N = {batch}";
        for (int e = 0; e < size; e++)
        {
            Assert.True(blocked[e].Equals(walked[e]), $"{what}: element {e} is {blocked[e]}, the tap walk gives {walked[e]}");
        }

        for (int o = 0; o < cout; o++)
        {
            for (int p = 0; p < g.OutPlane; p++)
            {
                int i = p / g.OutWidth, j = p % g.OutWidth;
                for (int n = 0; n < batch; n += 7)
                {
                    double sum = 0;
                    for (int c = 0; c < cin; c++)
                    {
                        for (int a = 0; a < kh; a++)
                        {
                            for (int b = 0; b < kw; b++)
                            {
                                sum += double.CreateChecked(k[(((o * cin) + c) * kh * kw) + (a * kw) + b])
                                    * double.CreateChecked(x[((((c * h) + i + a) * w) + j + b) * batch + n]);
                            }
                        }
                    }
                    double got = double.CreateChecked(blocked[(((o * g.OutPlane) + p) * batch) + n]);
                    Assert.True(Math.Abs(got - sum) <= tolerance * (1 + Math.Abs(sum)), $"{what}: ({o}, {i}, {j}), image {n} is {got}, the definition gives {sum}");
                }
            }
        }
    }
}
