using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// f(W X + b𝟙ᵀ) with the bias and activation done by the GEMM on each finished block
/// (<see cref="Fused.MultiplyAddColumnsActivate{T}(Matrix{T}, Matrix{T}, Vector{T}, Activation, ref Matrix{T}?)"/>):
/// bit for bit the product followed by <see cref="Fused.AddColumnsActivate{T}(Matrix{T}, Vector{T}, Activation, ref Matrix{T}?)"/>
/// on every path, block split and thread count, and close to an independent triple loop in double.
/// </summary>
public class GemmEpilogueTests
{
    /// <summary>
    /// m, k, n: the direct path (1×k·k×1, 3×5·5×2), one packed block with edge tiles (13×70·70×67), several KC and
    /// NC blocks (100×400·400×330 in float: KC 384, NC 320), a row split over two workers (140×300·300×130) and a
    /// column split (24×100·100×2000), whose blocks start at a row or a column other than 0.
    /// </summary>
    private static readonly (int M, int K, int N)[] Shapes =
        [(1, 4, 1), (3, 5, 2), (13, 70, 67), (100, 400, 330), (140, 300, 130), (24, 100, 2000)];

    public static TheoryData<Activation, int, int> Cases()
    {
        var data = new TheoryData<Activation, int, int>();
        foreach (var activation in Enum.GetValues<Activation>())
        {
            for (int shape = 0; shape < Shapes.Length; shape++)
            {
                foreach (int workers in new[] { 1, 2 })
                {
                    data.Add(activation, shape, workers);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_IsTheProductThenAddColumnsActivate_Bitwise(Activation activation, int shape, int workers)
        => Check<double>(activation, Shapes[shape], workers, tolerance: 1e-12);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_IsTheProductThenAddColumnsActivate_Bitwise(Activation activation, int shape, int workers)
        => Check<float>(activation, Shapes[shape], workers, tolerance: 2e-5);

    private static void Check<T>(Activation activation, (int M, int K, int N) s, int workers, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (w, x) = (Matrix<T>.FromArray(Inputs.RandomMatrix<T>(s.M, s.K, seed: s.M + s.K, lo: -0.3, hi: 0.3)),
            Matrix<T>.FromArray(Inputs.RandomMatrix<T>(s.K, s.N, seed: s.N + 5, lo: -1, hi: 1)));
        // A different bias on every row, so a block that read another block's row of b would be caught.
        var b = Vector<T>.FromArray(Enumerable.Range(0, s.M).Select(i => T.CreateChecked(((i % 7) - 3) * 0.37)).ToArray());
        var expected = Fused.AddColumnsActivate(Products.Multiply(w, x), b, activation);

        // Filled with NaN: an element the epilogue skipped, or the product never wrote, cannot pass.
        Matrix<T>? slot = new Matrix<T>(s.M, s.N);
        slot.AsSpan().Fill(T.NaN);
        var result = Fused.MultiplyAddColumnsActivate(w, x, b, activation, ref slot, workers);
        var c = result.Data;

        string what = $"{typeof(T).Name} {activation} {s.M}×{s.K}·{s.K}×{s.N} on {workers}";
        for (int i = 0; i < s.M * s.N; i++)
        {
            Assert.True(c[i].Equals(expected.Data[i]), $"{what}: element {i} is {c[i]}, the two-step form gives {expected.Data[i]}");
        }
        AssertCloseToTripleLoop(w, x, b, activation, c, tolerance, what);
    }

    /// <summary>f(Σₚ W[i, p] X[p, j] + b[i]) in double, written out.</summary>
    private static void AssertCloseToTripleLoop<T>(Matrix<T> w, Matrix<T> x, Vector<T> b, Activation activation, T[] actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < w.Rows; i++)
        {
            for (int j = 0; j < x.Cols; j++)
            {
                double z = double.CreateChecked(b[i]);
                for (int p = 0; p < w.Cols; p++)
                {
                    z += double.CreateChecked(w[i, p]) * double.CreateChecked(x[p, j]);
                }
                double f = activation switch
                {
                    Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
                    Activation.Tanh => Math.Tanh(z),
                    Activation.Relu => Math.Max(z, 0),
                    _ => Math.Exp(z),
                };
                double got = double.CreateChecked(actual[(i * x.Cols) + j]);
                Assert.True(Math.Abs(got - f) <= tolerance * (1 + Math.Abs(f)), $"{what}: [{i}, {j}] is {got}, the triple loop gives {f}");
            }
        }
    }

    [Fact]
    public void PublicOverloads_MatchAndReuseTheDestinationWithoutAllocating()
    {
        var w = Matrix<float>.FromArray(Inputs.RandomMatrix<float>(140, 300, seed: 1, lo: -0.2, hi: 0.2));
        var x = Matrix<float>.FromArray(Inputs.RandomMatrix<float>(300, 130, seed: 2));
        var b = Vector<float>.FromArray(Inputs.RandomArray<float>(140, seed: 3));
        var expected = Fused.AddColumnsActivate(Products.Multiply(w, x), b, Activation.Tanh).ToArray();
        Assert.Equal(expected, Fused.MultiplyAddColumnsActivate(w, x, b, Activation.Tanh).ToArray());
        Matrix<float>? slot = null;
        var first = Fused.MultiplyAddColumnsActivate(w, x, b, Activation.Tanh, ref slot);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var second = Fused.MultiplyAddColumnsActivate(w, x, b, Activation.Tanh, ref slot);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Same(first, second);
        Assert.Equal(expected, second.ToArray());
    }

    [Fact]
    public void BadInput_ThrowsNamingTheShapes_AndWritesNothing()
    {
        var (w, x, b) = (new Matrix<double>(3, 4), new Matrix<double>(4, 5), new Vector<double>(3));
        Matrix<double>? slot = new Matrix<double>(3, 5);
        slot[0, 0] = 42;
        var ex = Assert.Throws<ArgumentException>(() => Fused.MultiplyAddColumnsActivate(w, new Matrix<double>(5, 5), b, Activation.Sigmoid, ref slot));
        Assert.Contains("3×4", ex.Message);
        Assert.Contains("5×5", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Fused.MultiplyAddColumnsActivate(w, x, new Vector<double>(2), Activation.Sigmoid, ref slot));
        Assert.Contains("3×5", ex.Message);
        Assert.Contains("2", ex.Message);
        Assert.Equal(42, slot![0, 0]);
        var square = new Matrix<double>(3, 3);
        Matrix<double>? aliased = square;
        Assert.Throws<ArgumentException>(() => Fused.MultiplyAddColumnsActivate(square, square, b, Activation.Relu, ref aliased));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fused.MultiplyAddColumnsActivate(w, x, b, (Activation)99, ref slot));
        Assert.Equal(42, slot[0, 0]);
    }
}
