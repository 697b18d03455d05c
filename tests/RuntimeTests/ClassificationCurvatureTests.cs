using System.Globalization;
using System.Numerics;
using AutoGradGen.Compute;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The classification curvature kernels (each the differential of a first-derivative kernel along the differential
/// of the forward value it reads) against their formulas written out column by column in double, against central
/// differences of that first-derivative kernel along a random direction (float and double), and at logits of ±1000.
/// </summary>
public abstract class ClassificationCurvatureTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly bool IsFloat = typeof(T) == typeof(float);

    private static readonly double Tolerance = Near.Tol<T>(IsFloat ? 256 : 64);

    public static TheoryData<int, int> MatrixShapes() => new()
    {
        { 0, 0 }, { 0, 3 }, { 3, 0 }, { 1, 1 }, { 1, 5 }, { 5, 1 }, { 2, 3 }, { 7, 5 }, { 10, 17 }, { 13, 33 }, { 67, 3 },
    };

    public static TheoryData<int> Lengths() => new(Enumerable.Range(0, 20).Concat([31, 32, 33, 63, 64, 65, 67]));

    public static TheoryData<int, int> DifferenceShapes() => new() { { 1, 1 }, { 3, 1 }, { 4, 3 }, { 7, 5 }, { 10, 17 } };

    [Theory]
    [MemberData(nameof(MatrixShapes))]
    public void MatrixFormsMatchTheFormulas(int rows, int cols)
    {
        var logits = M(rows, cols, 1, -8, 8);
        var g = M(rows, cols, 2);
        var d = M(rows, cols, 3);
        var targets = M(rows, cols, 4, 0, 2);
        var scale = T.CreateChecked(0.75);
        var s = Ops.Softmax(logits);
        var l = Ops.LogSoftmax(logits);
        string at = $"{rows}×{cols}";
        Near.MatrixEqual(NaiveSoftmax(D(s), D(g), D(d)), Classification.SoftmaxCurvature(s, g, d), Tolerance, "SoftmaxCurvature " + at);
        Near.MatrixEqual(NaiveLogSoftmaxBackward(D(l), D(g), D(d)), Classification.LogSoftmaxBackwardCurvature(l, g, d), Tolerance,
            "LogSoftmaxBackwardCurvature " + at);
        Near.MatrixEqual(NaiveLogSoftmaxTangent(D(l), D(g), D(d)), Classification.LogSoftmaxTangentCurvature(l, g, d), Tolerance,
            "LogSoftmaxTangentCurvature " + at);
        Near.MatrixEqual(NaiveCrossEntropy(D(logits), D(targets), D(d), 0.75), Classification.CrossEntropyCurvature(logits, targets, d, scale),
            Tolerance, "CrossEntropyCurvature " + at);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void VectorFormsMatchTheFormulas(int n)
    {
        // A vector is one column: N = 1 in the cross-entropy (its backward step has no 1/N either).
        var logits = V(n, 5, -8, 8);
        var g = V(n, 6);
        var d = V(n, 7);
        var targets = V(n, 8, 0, 2);
        var scale = T.CreateChecked(-1.5);
        var s = Ops.Softmax(logits);
        var l = Ops.LogSoftmax(logits);
        string at = $"length {n}";
        Near.VectorEqual(Flat(NaiveSoftmax(D(s), D(g), D(d))), Classification.SoftmaxCurvature(s, g, d), Tolerance, "SoftmaxCurvature " + at);
        Near.VectorEqual(Flat(NaiveLogSoftmaxBackward(D(l), D(g), D(d))), Classification.LogSoftmaxBackwardCurvature(l, g, d), Tolerance,
            "LogSoftmaxBackwardCurvature " + at);
        Near.VectorEqual(Flat(NaiveLogSoftmaxTangent(D(l), D(g), D(d))), Classification.LogSoftmaxTangentCurvature(l, g, d), Tolerance,
            "LogSoftmaxTangentCurvature " + at);
        Near.VectorEqual(Flat(NaiveCrossEntropy(D(logits), D(targets), D(d), -1.5)), Classification.CrossEntropyCurvature(logits, targets, d, scale),
            Tolerance, "CrossEntropyCurvature " + at);
    }

    [Theory]
    [MemberData(nameof(DifferenceShapes))]
    public void MatrixFormsAreTheDifferentialsOfTheFirstDerivativeKernels(int rows, int cols)
    {
        var h = M(rows, cols, 11, -2, 2);
        var v = M(rows, cols, 12);
        var g = M(rows, cols, 13);
        var targets = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(rows, cols, 14, 0, 3));
        var scale = T.CreateChecked(0.7);
        var y = Ops.Softmax(h);
        var dy = Classification.SoftmaxBackward(y, v); // ∂y = J v (softmax's Jacobian is symmetric), tested elsewhere
        string at = $" {rows}×{cols}";
        Directional("SoftmaxCurvature" + at, e => Classification.SoftmaxBackward(Ops.Softmax(Shift(h, v, e)), g).AsSpan().ToArray(),
            Classification.SoftmaxCurvature(y, g, dy).AsSpan().ToArray());
        Directional("LogSoftmaxBackwardCurvature" + at,
            e => Classification.LogSoftmaxBackward(Ops.LogSoftmax(Shift(h, v, e)), g).AsSpan().ToArray(),
            Classification.LogSoftmaxBackwardCurvature(Ops.LogSoftmax(h), g, v).AsSpan().ToArray());
        Directional("LogSoftmaxTangentCurvature" + at,
            e => Classification.LogSoftmaxTangent(Ops.LogSoftmax(Shift(h, v, e)), g).AsSpan().ToArray(),
            Classification.LogSoftmaxTangentCurvature(Ops.LogSoftmax(h), g, v).AsSpan().ToArray());
        Directional("CrossEntropyCurvature" + at,
            e => Classification.CrossEntropyBackward(Shift(h, v, e), targets, scale).AsSpan().ToArray(),
            Classification.CrossEntropyCurvature(h, targets, v, scale).AsSpan().ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(33)]
    public void VectorFormsAreTheDifferentialsOfTheFirstDerivativeKernels(int n)
    {
        var h = V(n, 21, -2, 2);
        var v = V(n, 22);
        var g = V(n, 23);
        var targets = V(n, 24, 0, 3);
        var scale = T.CreateChecked(-0.4);
        var y = Ops.Softmax(h);
        var dy = Classification.SoftmaxBackward(y, v);
        string at = $" length {n}";
        Directional("SoftmaxCurvature" + at, e => Classification.SoftmaxBackward(Ops.Softmax(Shift(h, v, e)), g).ToArray(),
            Classification.SoftmaxCurvature(y, g, dy).ToArray());
        Directional("LogSoftmaxBackwardCurvature" + at,
            e => Classification.LogSoftmaxBackward(Ops.LogSoftmax(Shift(h, v, e)), g).ToArray(),
            Classification.LogSoftmaxBackwardCurvature(Ops.LogSoftmax(h), g, v).ToArray());
        Directional("LogSoftmaxTangentCurvature" + at,
            e => Classification.LogSoftmaxTangent(Ops.LogSoftmax(Shift(h, v, e)), g).ToArray(),
            Classification.LogSoftmaxTangentCurvature(Ops.LogSoftmax(h), g, v).ToArray());
        Directional("CrossEntropyCurvature" + at,
            e => Classification.CrossEntropyBackward(Shift(h, v, e), targets, scale).ToArray(),
            Classification.CrossEntropyCurvature(h, targets, v, scale).ToArray());
    }

    [Fact]
    public void CrossEntropyCurvatureIsExactForCountsZeroColumnsAndFractions()
    {
        // Columns summing to 3, 0 (padding), 0.3, 3 and 8: the factor is 𝟙ᵀY per column, not 1.
        var targets = Matrix<T>.FromArray(Inputs.FromDoubles<T>(new double[,]
        {
            { 3, 0, 0.2, 1, 0 },
            { 0, 0, 0.1, 0, 2 },
            { 0, 0, 0.0, 0, 5 },
            { 0, 0, 0.0, 2, 1 },
        }));
        var h = M(4, 5, 31, -2, 2);
        var v = M(4, 5, 32);
        var scale = T.One;
        var curvature = Classification.CrossEntropyCurvature(h, targets, v, scale);
        Directional("CrossEntropyCurvature counts/zeros/fractions",
            e => Classification.CrossEntropyBackward(Shift(h, v, e), targets, scale).AsSpan().ToArray(), curvature.AsSpan().ToArray());
        Near.MatrixEqual(NaiveCrossEntropy(D(h), D(targets), D(v), 1), curvature, Tolerance, "CrossEntropyCurvature counts");
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(T.Zero, curvature[i, 1]); // an all-zero (padding) column contributes nothing
        }
    }

    [Fact]
    public void MatrixOfOneColumnEqualsVector()
    {
        var logits = V(23, 40, -30, 30);
        var g = V(23, 41);
        var d = V(23, 42);
        var targets = V(23, 43, 0, 1);
        var scale = T.CreateChecked(0.5);
        var s = Ops.Softmax(logits);
        var l = Ops.LogSoftmax(logits);
        Assert.Equal(Classification.SoftmaxCurvature(s, g, d).ToArray(), Classification.SoftmaxCurvature(Col(s), Col(g), Col(d)).AsSpan().ToArray());
        Assert.Equal(Classification.LogSoftmaxBackwardCurvature(l, g, d).ToArray(),
            Classification.LogSoftmaxBackwardCurvature(Col(l), Col(g), Col(d)).AsSpan().ToArray());
        Assert.Equal(Classification.LogSoftmaxTangentCurvature(l, g, d).ToArray(),
            Classification.LogSoftmaxTangentCurvature(Col(l), Col(g), Col(d)).AsSpan().ToArray());
        Assert.Equal(Classification.CrossEntropyCurvature(logits, targets, d, scale).ToArray(),
            Classification.CrossEntropyCurvature(Col(logits), Col(targets), Col(d), scale).AsSpan().ToArray());
    }

    [Fact]
    public void FiniteAndExactAtLogitsOfPlusMinus1000()
    {
        // Every column holds ±1000 and small logits: the softmax inside must subtract the maximum.
        var logits = Matrix<T>.FromArray(Inputs.FromDoubles<T>(new double[,]
        {
            { 1000, -1000, 0.5, 1000 },
            { -1000, -1000, 1000, 999 },
            { 0, -999, -1000, 1000 },
        }));
        var g = M(3, 4, 50);
        var d = M(3, 4, 51);
        var targets = M(3, 4, 52, 0, 1);
        var l = Ops.LogSoftmax(logits);
        var s = Ops.Softmax(logits);
        var results = new[]
        {
            (Classification.SoftmaxCurvature(s, g, d), NaiveSoftmax(D(s), D(g), D(d))),
            (Classification.LogSoftmaxBackwardCurvature(l, g, d), NaiveLogSoftmaxBackward(D(l), D(g), D(d))),
            (Classification.LogSoftmaxTangentCurvature(l, g, d), NaiveLogSoftmaxTangent(D(l), D(g), D(d))),
            (Classification.CrossEntropyCurvature(logits, targets, d, T.One), NaiveCrossEntropy(D(logits), D(targets), D(d), 1)),
        };
        foreach (var (actual, expected) in results)
        {
            Assert.All(actual.AsSpan().ToArray(), x => Assert.True(T.IsFinite(x)));
            Near.MatrixEqual(expected, actual, Tolerance, "±1000");
        }
    }

    /// <summary>dy ⊙ (g − a) − y b per column, a = Σ y g, b = Σ dy g.</summary>
    private static double[,] NaiveSoftmax(double[,] y, double[,] g, double[,] dy) => PerColumn(y, (col, r, i) =>
    {
        double a = 0, b = 0;
        for (int k = 0; k < r; k++)
        {
            a += y[k, col] * g[k, col];
            b += dy[k, col] * g[k, col];
        }

        return (dy[i, col] * (g[i, col] - a)) - (y[i, col] * b);
    });

    /// <summary>−(Σ g) sᵢ (dhᵢ − Σ s dh) per column, s = exp(y).</summary>
    private static double[,] NaiveLogSoftmaxBackward(double[,] y, double[,] g, double[,] dh) => PerColumn(y, (col, r, i) =>
    {
        double sumG = 0, sdh = 0;
        for (int k = 0; k < r; k++)
        {
            sumG += g[k, col];
            sdh += Math.Exp(y[k, col]) * dh[k, col];
        }

        return -sumG * Math.Exp(y[i, col]) * (dh[i, col] - sdh);
    });

    /// <summary>−Σₖ sₖ (dhₖ − Σ s dh) gₖ in every row of the column, s = exp(y).</summary>
    private static double[,] NaiveLogSoftmaxTangent(double[,] y, double[,] g, double[,] dh) => PerColumn(y, (col, r, _) =>
    {
        double sdh = 0;
        for (int k = 0; k < r; k++)
        {
            sdh += Math.Exp(y[k, col]) * dh[k, col];
        }

        double total = 0;
        for (int k = 0; k < r; k++)
        {
            total += Math.Exp(y[k, col]) * (dh[k, col] - sdh) * g[k, col];
        }

        return -total;
    });

    /// <summary>scale · sᵢ (dHᵢ − Σ s dH) · (Σ Y) / N per column, s = softmax of the column (max subtracted), N = columns.</summary>
    private static double[,] NaiveCrossEntropy(double[,] logits, double[,] targets, double[,] dLogits, double scale) =>
        PerColumn(logits, (col, r, i) =>
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < r; k++)
            {
                max = Math.Max(max, logits[k, col]);
            }

            double z = 0, weighted = 0, sumY = 0;
            for (int k = 0; k < r; k++)
            {
                double e = Math.Exp(logits[k, col] - max);
                z += e;
                weighted += e * dLogits[k, col];
                sumY += targets[k, col];
            }

            double s = Math.Exp(logits[i, col] - max) / z;
            return scale * s * (dLogits[i, col] - (weighted / z)) * sumY / logits.GetLength(1);
        });

    /// <summary>A rows×cols result whose entry (i, col) is <paramref name="entry"/>(col, rows, i).</summary>
    private static double[,] PerColumn(double[,] like, Func<int, int, int, double> entry)
    {
        int rows = like.GetLength(0), cols = like.GetLength(1);
        var result = new double[rows, cols];
        for (int col = 0; col < cols; col++)
        {
            for (int i = 0; i < rows; i++)
            {
                result[i, col] = entry(col, rows, i);
            }
        }

        return result;
    }

    /// <summary>
    /// (first(+ε) − first(−ε)) / 2ε entry by entry against the kernel, relative to the largest difference quotient;
    /// ε and the tolerance suit the element type (the first-derivative kernels' rounding is divided by 2ε).
    /// </summary>
    private static void Directional(string context, Func<double, T[]> first, T[] curvature)
    {
        double eps = IsFloat ? 1.0 / 128 : 1e-5;
        double tol = IsFloat ? 3e-3 : 1e-7;
        var up = first(eps);
        var down = first(-eps);
        var numeric = up.Zip(down, (p, q) => (Naive.D(p) - Naive.D(q)) / (2 * eps)).ToArray();
        Assert.Equal(numeric.Length, curvature.Length);
        double scale = 1 + numeric.Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int i = 0; i < numeric.Length; i++)
        {
            double actual = Naive.D(curvature[i]);
            Assert.True(Math.Abs(numeric[i] - actual) <= tol * scale, string.Create(CultureInfo.InvariantCulture,
                $"{context} ({typeof(T).Name}) at {i}: central differences give {numeric[i]:R}, the kernel {actual:R}"));
        }
    }

    private static Matrix<T> Shift(Matrix<T> h, Matrix<T> v, double eps)
    {
        var result = h.Clone();
        var step = T.CreateChecked(eps);
        for (int i = 0; i < result.AsSpan().Length; i++)
        {
            result.AsSpan()[i] += step * v.AsSpan()[i];
        }

        return result;
    }

    private static Vector<T> Shift(Vector<T> h, Vector<T> v, double eps)
    {
        var result = h.Clone();
        var step = T.CreateChecked(eps);
        for (int i = 0; i < result.Length; i++)
        {
            result[i] += step * v[i];
        }

        return result;
    }

    private static Matrix<T> M(int rows, int cols, int seed, double lo = -1, double hi = 1) =>
        Matrix<T>.FromArray(Inputs.RandomMatrix<T>(rows, cols, seed, lo, hi));

    private static Vector<T> V(int length, int seed, double lo = -1, double hi = 1) =>
        Vector<T>.FromArray(Inputs.RandomArray<T>(length, seed, lo, hi));

    private static double[,] D(Matrix<T> m) => Naive.ToDouble(m.ToArray());

    private static double[,] D(Vector<T> v) => Naive.Column(Naive.ToDouble(v.ToArray()));

    private static double[] Flat(double[,] column) => Naive.Flatten(column);

    private static Matrix<T> Col(Vector<T> v)
    {
        var m = new Matrix<T>(v.Length, 1);
        v.AsSpan().CopyTo(m.AsSpan());
        return m;
    }
}

public sealed class ClassificationCurvatureTestsFloat : ClassificationCurvatureTests<float>
{
}

public sealed class ClassificationCurvatureTestsDouble : ClassificationCurvatureTests<double>
{
}
