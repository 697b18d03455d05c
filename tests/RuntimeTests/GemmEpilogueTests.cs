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

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_ActivationBackward_IsTheProductThenTheBackwardKernel_Bitwise(Activation activation, int shape, int workers)
        => CheckBackward<double>(activation, Shapes[shape], shape % 4, workers, tolerance: 1e-12);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_ActivationBackward_IsTheProductThenTheBackwardKernel_Bitwise(Activation activation, int shape, int workers)
        => CheckBackward<float>(activation, Shapes[shape], shape % 4, workers, tolerance: 2e-5);

    /// <summary>(op(L) op(R)) ⊙ f′(Y), with the transpose pair <paramref name="layout"/> (0–3: none, Lᵀ, Rᵀ, both).</summary>
    private static void CheckBackward<T>(Activation activation, (int M, int K, int N) s, int layout, int workers, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool tl = (layout & 1) != 0, tr = (layout & 2) != 0;
        var l = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(tl ? s.K : s.M, tl ? s.M : s.K, seed: s.M * 3, lo: -0.3, hi: 0.3));
        var r = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(tr ? s.N : s.K, tr ? s.K : s.N, seed: s.N * 5));
        // Y as an activation would give it: σ in (0, 1), tanh in (−1, 1), relu ≥ 0 with zeros, exp > 0.
        var z = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(s.M, s.N, seed: 11, lo: -3, hi: 3));
        var y = Fused.AddColumnsActivate(z, new Vector<T>(s.M), activation);
        // A factor on the Lᵀ layouts (the 2 of ∇‖R‖² = 2 W₂ᵀR), as the scaled product computes it.
        T scale = T.CreateChecked(layout == 1 ? 2.0 : 1.0);
        Matrix<T>? unset = null;
        var g = (tl, tr) switch
        {
            (false, false) => Products.Multiply(l, r),
            (true, false) => Products.MultiplyTransposeA(scale, l, r, ref unset),
            (false, true) => Products.MultiplyTransposeB(l, r),
            _ => Products.MultiplyTransposeA(l, Ops.Transpose(r)),
        };
        var expected = activation switch
        {
            Activation.Sigmoid => Elementwise.SigmoidBackward(y, g),
            Activation.Tanh => Elementwise.TanhBackward(y, g),
            Activation.Relu => Elementwise.ReluBackward(y, g),
            _ => Elementwise.ExpBackward(y, g),
        };
        Matrix<T>? slot = new Matrix<T>(s.M, s.N);
        slot.AsSpan().Fill(T.NaN);
        var c = Fused.MultiplyActivationBackward(scale, l, r, y, activation, tl, tr, ref slot, workers).Data;
        string what = $"{typeof(T).Name} {activation}′ {s.M}×{s.K}·{s.K}×{s.N} tl={tl} tr={tr} on {workers}";
        for (int i = 0; i < s.M * s.N; i++)
        {
            Assert.True(c[i].Equals(expected.Data[i]), $"{what}: element {i} is {c[i]}, the two-step form gives {expected.Data[i]}");
        }

        // Independently: Σₚ op(L)[i, p] op(R)[p, j], times f′ written from Y, in double.
        for (int i = 0; i < s.M; i++)
        {
            for (int j = 0; j < s.N; j++)
            {
                double sum = 0;
                for (int p = 0; p < s.K; p++)
                {
                    sum += double.CreateChecked(tl ? l[p, i] : l[i, p]) * double.CreateChecked(tr ? r[j, p] : r[p, j]);
                }
                sum *= double.CreateChecked(scale);
                double yv = double.CreateChecked(y[i, j]);
                double derivative = activation switch
                {
                    Activation.Sigmoid => yv * (1 - yv),
                    Activation.Tanh => 1 - (yv * yv),
                    Activation.Relu => yv > 0 ? 1 : 0,
                    _ => yv,
                };
                double want = sum * derivative, got = double.CreateChecked(c[(i * s.N) + j]);
                Assert.True(Math.Abs(got - want) <= tolerance * (1 + Math.Abs(want) + Math.Abs(sum)), $"{what}: [{i}, {j}] is {got}, the triple loop gives {want}");
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

        // (2 Wᵀ G) ⊙ tanh′ from H: both public overloads, and the destination reused without allocating.
        // W₂ (7×140) as the next layer's weights and G (7×130) as its gradient: W₂ᵀG is H's shape, 140×130.
        var wt = Matrix<float>.FromArray(Inputs.RandomMatrix<float>(7, 140, seed: 5));
        var g = Matrix<float>.FromArray(Inputs.RandomMatrix<float>(7, 130, seed: 4));
        Matrix<float>? unset = null;
        var backward = Elementwise.TanhBackward(second, Products.MultiplyTransposeA(2f, wt, g, ref unset)).ToArray();
        Assert.Equal(backward, Fused.MultiplyActivationBackward(2f, wt, g, second, Activation.Tanh, transposeLeft: true, transposeRight: false).ToArray());
        Matrix<float>? into = null;
        var once = Fused.MultiplyActivationBackward(2f, wt, g, second, Activation.Tanh, true, false, ref into);
        before = GC.GetAllocatedBytesForCurrentThread();
        var twice = Fused.MultiplyActivationBackward(2f, wt, g, second, Activation.Tanh, true, false, ref into);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Same(once, twice);
        Assert.Equal(backward, twice.ToArray());
        Assert.Equal(Elementwise.TanhBackward(second, Products.MultiplyTransposeA(wt, g)).ToArray(),
            Fused.MultiplyActivationBackward(wt, g, second, Activation.Tanh, true, false).ToArray());
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

        // (Wᵀ G) ⊙ f′(Y): W is 4×3, so WᵀG is 3×5 and Y must be 3×5.
        var (wt, gg) = (new Matrix<double>(4, 3), new Matrix<double>(4, 5));
        ex = Assert.Throws<ArgumentException>(() => Fused.MultiplyActivationBackward(wt, gg, new Matrix<double>(5, 3), Activation.Tanh, true, false, ref slot));
        Assert.Contains("3×5", ex.Message);
        Assert.Contains("5×3", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Fused.MultiplyActivationBackward(wt, gg, new Matrix<double>(3, 5), Activation.Tanh, false, false, ref slot));
        Assert.Contains("4×3", ex.Message);
        Assert.Contains("4×5", ex.Message);
        var yy = slot;
        Assert.Throws<ArgumentException>(() => Fused.MultiplyActivationBackward(wt, gg, yy, Activation.Tanh, true, false, ref slot));
        Assert.Equal(42, slot[0, 0]);
    }
}
