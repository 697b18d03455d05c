using System.Numerics;
using System.Runtime.Intrinsics;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The skinny path (<see cref="GemmSkinny"/>: 2 … 12 rows of op(A), B not transposed, strips of C in registers) against
/// the double-precision triple loop of <see cref="GemmCheck"/>: every row count, column counts with wide strips, a narrow
/// strip and single columns, Aᵀ and A, accumulate and a factor; split over two workers bit for bit the one-thread
/// result; and Auto takes it for a dense layer's few outputs.
/// </summary>
public class GemmSkinnyTests
{
    public static TheoryData<int> RowCounts()
    {
        var data = new TheoryData<int>();
        for (int m = 2; m <= GemmSkinny.MaxRows; m++)
        {
            data.Add(m);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RowCounts))]
    public void EveryRowCount_MatchesTheReference(int m)
    {
        foreach (int n in new[] { 8, 16, 17, 40, 64, 100 })
        {
            foreach (int k in new[] { 2, 3, 37, 300 })
            {
                foreach (bool transposeA in new[] { false, true })
                {
                    int seed = (m * 1000) + (n * 10) + k;
                    GemmCheck.Run<float>(m, k, n, transposeA, false, accumulate: false, GemmPath.Skinny, 1, seed);
                    GemmCheck.Run<double>(m, k, n, transposeA, false, accumulate: true, GemmPath.Skinny, 2, seed, alpha: -0.75);
                    GemmCheck.Run<float>(m, k, n, transposeA, false, accumulate: true, GemmPath.Skinny, 2, seed + 1, alpha: 2);
                }
            }
        }
    }

    [Fact]
    public void TwoWorkers_GiveTheOneThreadBits()
    {
        foreach (var (m, k, n) in new[] { (10, 4608, 64), (10, 256, 256), (7, 300, 333) })
        {
            var a = Inputs.RandomArray<float>(m * k, seed: m);
            var b = Inputs.RandomArray<float>(k * n, seed: n);
            float[] one = new float[m * n], two = new float[m * n];
            Gemm.MultiplyWith<float>(a, b, one, m, k, n, false, false, false, 1f, GemmPath.Skinny, 1);
            Gemm.MultiplyWith<float>(a, b, two, m, k, n, false, false, false, 1f, GemmPath.Skinny, 2);
            Assert.Equal(one, two);
        }
    }

    [Fact]
    public void Auto_TakesItForFewRows_AndNotForBTransposedOrManyRows()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Assert.NotEqual(GemmPath.Skinny, Gemm.Resolve<float>(GemmPath.Auto, 10, 784, 256, false, false));
            return;
        }
        Assert.Equal(GemmPath.Skinny, Gemm.Resolve<float>(GemmPath.Auto, 10, 784, 256, false, false));
        Assert.Equal(GemmPath.Skinny, Gemm.Resolve<double>(GemmPath.Auto, 10, 4608, 64, true, false));
        Assert.NotEqual(GemmPath.Skinny, Gemm.Resolve<float>(GemmPath.Auto, 10, 784, 256, false, true));
        Assert.NotEqual(GemmPath.Skinny, Gemm.Resolve<float>(GemmPath.Auto, 13, 784, 256, false, false));
        Assert.Equal(GemmPath.Direct, Gemm.Resolve<float>(GemmPath.Auto, 10, 1, 256, false, false));
    }
}
