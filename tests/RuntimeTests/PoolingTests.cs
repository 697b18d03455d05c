using System.Numerics;
using Xunit;
using static AutoGradGen.Ops;
using PoolKernels = AutoGradGen.Compute.Pooling;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Max and average pooling (single image and channel-stacked batch) and their backward kernels
/// against naive window loops, over C ∈ {1, 2, 3}, batches 1–3, window sides 1–3 and strides 1–3;
/// the backward kernels also against central differences, and max pooling's tie rule.
/// </summary>
public class PoolingTests
{
    public static TheoryData<int, int> SizesAndStrides()
    {
        var data = new TheoryData<int, int>();
        for (int size = 1; size <= 3; size++)
        {
            for (int stride = 1; stride <= 3; stride++)
            {
                data.Add(size, stride);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SizesAndStrides))]
    public void BatchedPoolingMatchesNaive(int size, int stride)
    {
        Batched<double>(size, stride, 8);
        Batched<float>(size, stride, 16);
    }

    [Theory]
    [MemberData(nameof(SizesAndStrides))]
    public void SingleImagePoolingMatchesNaive(int size, int stride)
    {
        foreach (var (h, w) in new[] { (3, 3), (5, 7), (8, 6) })
        {
            var geometry = new Geo(1, h, w, size, size, stride, 0);
            var xs = Inputs.RandomMatrix<double>(h, w, h + w + size);
            var gs = Inputs.RandomMatrix<double>(geometry.OutHeight, geometry.OutWidth, stride);
            var column = Naive.Column(Naive.Flatten(xs));
            var gColumn = Naive.Column(Naive.Flatten(gs));
            var x = Matrix<double>.FromArray(xs);
            var g = Matrix<double>.FromArray(gs);
            string context = $"{h}×{w} size={size} s={stride}";
            Near.MatrixEqual(Image(PoolReference.Max(column, geometry), geometry.OutHeight), MaxPool2D(x, size, stride), 0, "MaxPool2D " + context);
            Near.MatrixEqual(Image(PoolReference.Average(column, geometry), geometry.OutHeight), AvgPool2D(x, size, stride), 1e-15, "AvgPool2D " + context);
            Near.MatrixEqual(Image(PoolReference.MaxBackward(column, gColumn, geometry), h), PoolKernels.MaxPool2DBackward(x, g, size, stride), 1e-15, "MaxPool2DBackward " + context);
            Near.MatrixEqual(Image(PoolReference.AverageBackward(gColumn, geometry), h), PoolKernels.AvgPool2DBackward(g, h, w, size, stride), 1e-15, "AvgPool2DBackward " + context);
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndStrides))]
    public void BackwardKernelsMatchFiniteDifferences(int size, int stride)
    {
        const int channels = 2, h = 5, w = 6, n = 2;
        var geometry = new Geo(channels, h, w, size, size, stride, 0);
        // Distinct values (a shuffled ramp) so that no window has a tie and the max is differentiable.
        var values = Enumerable.Range(0, channels * h * w * n).Select(i => (double)i).ToArray();
        new Random(size * 10 + stride).Shuffle(values);
        var x = Matrix<double>.FromArray(ConvolutionTests.Reshape(values, channels * h * w, n));
        var g = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(channels * geometry.OutPlane, n, 9));
        string context = $"size={size} s={stride}";
        FiniteDifference.AssertGradient(x, () => Dot(g, MaxPool2D(x, channels, h, w, size, stride)),
            PoolKernels.MaxPool2DBackward(x, g, channels, h, w, size, stride), "MaxPool2DBackward " + context, h: 1e-3);
        FiniteDifference.AssertGradient(x, () => Dot(g, AvgPool2D(x, channels, h, w, size, stride)),
            PoolKernels.AvgPool2DBackward(g, channels, h, w, size, stride), "AvgPool2DBackward " + context);
    }

    [Fact]
    public void MaxPoolTiesGoToTheFirstElementOfTheWindow()
    {
        var x = Matrix<double>.FromArray(new double[,] { { 1, 3, 3, 0 }, { 3, 2, 1, 3 } });
        var g = Matrix<double>.FromArray(new double[,] { { 10, 20 } });
        Assert.Equal(new double[,] { { 3, 3 } }, MaxPool2D(x, 2, 2).ToArray());
        Assert.Equal(new double[,] { { 0, 10, 20, 0 }, { 0, 0, 0, 0 } }, PoolKernels.MaxPool2DBackward(x, g, 2, 2).ToArray());

        // Overlapping windows (stride 1) accumulate on a shared maximum.
        var peak = Matrix<double>.FromArray(new double[,] { { 0, 0, 0 }, { 0, 9, 0 }, { 0, 0, 0 } });
        var ones = Matrix<double>.FromArray(new double[,] { { 1, 1 }, { 1, 1 } });
        Assert.Equal(4.0, PoolKernels.MaxPool2DBackward(peak, ones, 2, 1)[1, 1]);
    }

    [Fact]
    public void MaxPoolPropagatesNaN()
    {
        var x = Matrix<double>.FromArray(new double[,] { { 1, double.NaN }, { 3, 2 } });
        Assert.True(double.IsNaN(MaxPool2D(x, 2, 2)[0, 0]));
        var grad = PoolKernels.MaxPool2DBackward(x, Matrix<double>.FromArray(new double[,] { { 5 } }), 2, 2);
        Assert.Equal(new double[,] { { 0, 5 }, { 0, 0 } }, grad.ToArray());
    }

    public static TheoryData<string, Func<object>, string, string> Mismatches()
    {
        var batch = new Matrix<double>(2 * 4 * 4, 3);
        return new()
        {
            { "MaxPool2D window", () => MaxPool2D(new Matrix<double>(2, 5), 3, 1), "2×5", "3×3" },
            { "AvgPool2D window", () => AvgPool2D(new Matrix<double>(5, 2), 3, 1), "5×2", "3×3" },
            { "MaxPool2D rows", () => MaxPool2D(new Matrix<double>(31, 3), 2, 4, 4, 2, 2), "31×3", "32" },
            { "AvgPool2D rows", () => AvgPool2D(new Matrix<double>(33, 3), 2, 4, 4, 2, 2), "33×3", "32" },
            { "MaxPool2D batched window", () => MaxPool2D(batch, 2, 4, 4, 5, 1), "32×3", "5×5" },
            { "MaxPool2DBackward g", () => PoolKernels.MaxPool2DBackward(batch, new Matrix<double>(8, 2), 2, 4, 4, 2, 2), "8×2", "8×3" },
            { "MaxPool2DBackward single g", () => PoolKernels.MaxPool2DBackward(new Matrix<double>(4, 4), new Matrix<double>(3, 3), 2, 2), "3×3", "2×2" },
            { "AvgPool2DBackward g", () => PoolKernels.AvgPool2DBackward(new Matrix<double>(7, 3), 2, 4, 4, 2, 2), "7×3", "8×3" },
            { "AvgPool2DBackward single g", () => PoolKernels.AvgPool2DBackward(new Matrix<double>(3, 3), 4, 4, 2, 2), "3×3", "2×2" },
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
    public void BadSizesThrowOutOfRange()
    {
        var x = new Matrix<double>(4, 4);
        Assert.Throws<ArgumentOutOfRangeException>("size", () => MaxPool2D(x, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>("stride", () => AvgPool2D(x, 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>("channels", () => MaxPool2D(x, 0, 2, 2, 1, 1));
        Assert.Throws<ArgumentNullException>("g", () => PoolKernels.AvgPool2DBackward<double>(null!, 1, 2, 2, 1, 1));
    }

    private static void Batched<T>(int size, int stride, double ulps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int seed = 0;
        foreach (var (h, w) in new[] { (3, 3), (5, 7), (6, 4) })
        {
            for (int channels = 1; channels <= 3; channels++)
            {
                for (int n = 1; n <= 3; n++)
                {
                    seed++;
                    var geometry = new Geo(channels, h, w, size, size, stride, 0);
                    var xs = Inputs.RandomMatrix<T>(channels * h * w, n, seed);
                    var gs = Inputs.RandomMatrix<T>(channels * geometry.OutPlane, n, seed + 500);
                    double[,] x = Naive.ToDouble(xs), g = Naive.ToDouble(gs);
                    var X = Matrix<T>.FromArray(xs);
                    var G = Matrix<T>.FromArray(gs);
                    double tol = Near.Tol<T>(ulps * size * size);
                    string context = $"C={channels} N={n} {h}×{w} size={size} s={stride}";
                    Near.MatrixEqual(PoolReference.Max(x, geometry), MaxPool2D(X, channels, h, w, size, stride), 0, "MaxPool2D " + context);
                    Near.MatrixEqual(PoolReference.Average(x, geometry), AvgPool2D(X, channels, h, w, size, stride), tol, "AvgPool2D " + context);
                    Near.MatrixEqual(PoolReference.MaxBackward(x, g, geometry), PoolKernels.MaxPool2DBackward(X, G, channels, h, w, size, stride), tol, "MaxPool2DBackward " + context);
                    Near.MatrixEqual(PoolReference.AverageBackward(g, geometry), PoolKernels.AvgPool2DBackward(G, channels, h, w, size, stride), tol, "AvgPool2DBackward " + context);
                }
            }
        }
    }

    private static double[,] Image(double[,] column, int rows) =>
        ConvolutionTests.Reshape(Naive.Flatten(column), rows, column.GetLength(0) / rows);
}

/// <summary>Naive pooling on the channel-stacked layout: explicit window loops in double.</summary>
internal static class PoolReference
{
    public static double[,] Max(double[,] x, Geo g) => Pool(x, g, window => window.Max());

    public static double[,] Average(double[,] x, Geo g) => Pool(x, g, window => window.Sum() / window.Count);

    public static double[,] MaxBackward(double[,] x, double[,] grad, Geo g)
    {
        var dx = new double[x.GetLength(0), x.GetLength(1)];
        ForEachWindow(g, x.GetLength(1), (n, outRow, rows) =>
        {
            int best = rows[0];
            foreach (int r in rows)
            {
                if (x[r, n] > x[best, n])
                {
                    best = r; // strictly greater: the first maximum wins ties
                }
            }

            dx[best, n] += grad[outRow, n];
        });
        return dx;
    }

    public static double[,] AverageBackward(double[,] grad, Geo g)
    {
        var dx = new double[g.C * g.H * g.W, grad.GetLength(1)];
        ForEachWindow(g, grad.GetLength(1), (n, outRow, rows) =>
        {
            foreach (int r in rows)
            {
                dx[r, n] += grad[outRow, n] / rows.Count;
            }
        });
        return dx;
    }

    private static double[,] Pool(double[,] x, Geo g, Func<List<double>, double> reduce)
    {
        var result = new double[g.C * g.OutPlane, x.GetLength(1)];
        ForEachWindow(g, x.GetLength(1), (n, outRow, rows) => result[outRow, n] = reduce(rows.Select(r => x[r, n]).ToList()));
        return result;
    }

    /// <summary>For each image n and output (c, i, j): its row and the input rows of its window in row-major order.</summary>
    private static void ForEachWindow(Geo g, int batch, Action<int, int, List<int>> action)
    {
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < g.C; c++)
            {
                for (int i = 0; i < g.OutHeight; i++)
                {
                    for (int j = 0; j < g.OutWidth; j++)
                    {
                        var rows = new List<int>();
                        for (int a = 0; a < g.Kh; a++)
                        {
                            for (int b = 0; b < g.Kw; b++)
                            {
                                rows.Add((c * g.H * g.W) + (((i * g.S) + a) * g.W) + (j * g.S) + b);
                            }
                        }

                        action(n, (c * g.OutPlane) + (i * g.OutWidth) + j, rows);
                    }
                }
            }
        }
    }
}

/// <summary>Forward mode of max pooling.</summary>
public class PoolingTangentTests
{
    /// <summary>
    /// MaxPool2DTangent reads dx at each window's argmax: the Jacobian of max pooling (central differences
    /// along dx, away from ties), and MaxPool2DBackward is its transpose (⟨g, J dx⟩ = ⟨Jᵀg, dx⟩).
    /// </summary>
    [Theory]
    [InlineData(1, 6, 5, 2, 2, 1)]
    [InlineData(2, 5, 5, 3, 1, 3)]
    public void MaxPool2DTangent_IsTheJacobian_AndMaxPool2DBackwardItsTranspose(int channels, int height, int width, int size, int stride, int batch)
    {
        // Distinct values spaced 1 apart: a step of 1e-6 never changes an argmax.
        var order = Enumerable.Range(0, channels * height * width * batch).OrderBy(i => (i * 7919) % 104729).ToArray();
        var x = new Matrix<double>(channels * height * width, batch);
        for (int k = 0; k < order.Length; k++)
        {
            x[k / batch, k % batch] = order[k];
        }
        var dx = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(x.Rows, x.Cols, 41));
        Matrix<double> Pool(Matrix<double> m) => MaxPool2D(m, channels, height, width, size, stride);
        const double h = 1e-6;
        var fd = (Pool(x + (h * dx)) - Pool(x - (h * dx))) / (2 * h);
        var tangent = PoolKernels.MaxPool2DTangent(x, dx, channels, height, width, size, stride);
        Near.MatrixEqual(fd.ToArray(), tangent, 1e-7, "MaxPool2DTangent vs central differences");
        var g = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(tangent.Rows, tangent.Cols, 42));
        double forward = Dot(g, tangent), reverse = Dot(PoolKernels.MaxPool2DBackward(x, g, channels, height, width, size, stride), dx);
        Assert.True(Math.Abs(forward - reverse) <= 1e-12 * (1 + Math.Abs(forward)), $"⟨g, J dx⟩ = {forward} but ⟨Jᵀg, dx⟩ = {reverse}");
    }
}
