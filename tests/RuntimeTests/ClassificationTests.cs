using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Softmax, log-softmax and cross-entropy (column-wise on matrices) against naive references in
/// double, their stability at logits of ±1000, and the backward kernels against their formulas and
/// against central differences of the forward functions.
/// </summary>
public class ClassificationTests
{
    public static TheoryData<int, int> MatrixShapes() => new()
    {
        { 0, 0 }, { 0, 3 }, { 3, 0 }, { 1, 1 }, { 1, 5 }, { 5, 1 }, { 2, 3 }, { 7, 5 }, { 10, 17 }, { 13, 33 }, { 67, 3 },
    };

    public static TheoryData<int> Lengths() => new(Enumerable.Range(0, 20).Concat([31, 32, 33, 63, 64, 65, 67]));

    [Theory]
    [MemberData(nameof(MatrixShapes))]
    public void MatrixFormsMatchNaive(int rows, int cols)
    {
        MatrixForms<double>(rows, cols, 8);
        MatrixForms<float>(rows, cols, 64);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void VectorFormsMatchNaive(int n)
    {
        VectorForms<double>(n, 8);
        VectorForms<float>(n, 64);
    }

    [Fact]
    public void StableAtLogitsOfPlusMinus1000()
    {
        Stable<double>(8);
        Stable<float>(64);
    }

    [Fact]
    public void SoftmaxColumnsSumToOneAndAreShiftInvariant()
    {
        var x = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(6, 4, 1, -3, 3));
        double[] shifts = [100, -50, 0.5, 700]; // a different constant per column: x + 𝟙 cᵀ
        var shifted = x.Clone();
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                shifted[i, j] += shifts[j];
            }
        }

        var p = Softmax(x);
        var q = Softmax(shifted);
        for (int j = 0; j < 4; j++)
        {
            double sum = 0;
            for (int i = 0; i < 6; i++)
            {
                sum += p[i, j];
                Assert.Equal(p[i, j], q[i, j], 1e-12);
            }

            Assert.Equal(1.0, sum, 1e-14);
        }
    }

    [Fact]
    public void CrossEntropyOfOneHotIsMinusLogProbabilityOfTheClass()
    {
        var logits = Matrix<double>.FromArray(new[,] { { 1.0, 0 }, { 2, 0 }, { 3, 0 } });
        var y = Matrix<double>.FromArray(new[,] { { 0.0, 1 }, { 0, 0 }, { 1, 0 } });
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        double expected = (-(3 - Math.Log(z)) + Math.Log(3)) / 2; // column 2: uniform over 3 classes
        Assert.Equal(expected, CrossEntropy(logits, y), 1e-14);
        Assert.True(double.IsNaN(CrossEntropy(new Matrix<double>(3, 0), new Matrix<double>(3, 0))));
    }

    [Theory]
    [MemberData(nameof(MatrixShapes))]
    public void BackwardKernelsMatchFormulas(int rows, int cols)
    {
        BackwardFormulas<double>(rows, cols, 16);
        BackwardFormulas<float>(rows, cols, 128);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(4, 3)]
    [InlineData(7, 5)]
    public void BackwardKernelsMatchFiniteDifferences(int rows, int cols)
    {
        var x = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(rows, cols, 11, -2, 2));
        var g = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(rows, cols, 12));
        var y = Softmax(Matrix<double>.FromArray(Inputs.RandomMatrix<double>(rows, cols, 13, -1, 1)));
        const double scale = 0.7;

        FiniteDifference.AssertGradient(x, () => Dot(g, Softmax(x)), Classification.SoftmaxBackward(Softmax(x), g), "SoftmaxBackward M");
        FiniteDifference.AssertGradient(x, () => Dot(g, LogSoftmax(x)), Classification.LogSoftmaxBackward(LogSoftmax(x), g), "LogSoftmaxBackward M");
        FiniteDifference.AssertGradient(x, () => scale * CrossEntropy(x, y), Classification.CrossEntropyBackward(x, y, scale), "CrossEntropyBackward M");

        var v = Vector<double>.FromArray(Inputs.RandomArray<double>(rows, 14, -2, 2));
        var gv = Vector<double>.FromArray(Inputs.RandomArray<double>(rows, 15));
        var yv = Softmax(Vector<double>.FromArray(Inputs.RandomArray<double>(rows, 16)));
        FiniteDifference.AssertGradient(v, () => Dot(gv, Softmax(v)), Classification.SoftmaxBackward(Softmax(v), gv), "SoftmaxBackward V");
        FiniteDifference.AssertGradient(v, () => Dot(gv, LogSoftmax(v)), Classification.LogSoftmaxBackward(LogSoftmax(v), gv), "LogSoftmaxBackward V");
        FiniteDifference.AssertGradient(v, () => scale * CrossEntropy(v, yv), Classification.CrossEntropyBackward(v, yv, scale), "CrossEntropyBackward V");
    }

    /// <summary>
    /// CrossEntropy is the mean over columns of −Σ y log softmax(h), for any targets: votes of 3 annotators
    /// (columns sum to 3), padded batches (all-zero columns), fractional weights and bag-of-words counts.
    /// Its gradient must be (softmax(H) diag(𝟙ᵀY) − Y)/N, not (softmax(H) − Y)/N.
    /// </summary>
    [Fact]
    public void CrossEntropyBackward_IsExactForCountsZerosAndFractions()
    {
        var x = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(4, 5, 21, -2, 2));
        var y = Matrix<double>.FromArray(new double[,]
        {
            { 3, 0, 0.2, 1, 0 },
            { 0, 0, 0.1, 0, 2 },
            { 0, 0, 0.0, 0, 5 },
            { 0, 0, 0.0, 2, 1 },
        });
        FiniteDifference.AssertGradient(x, () => CrossEntropy(x, y), Classification.CrossEntropyBackward(x, y, 1.0), "CrossEntropyBackward counts/zeros/fractions");
        var zeroColumn = Classification.CrossEntropyBackward(x, y, 1.0);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(0.0, zeroColumn[i, 1]); // an all-zero (padding) column contributes nothing
        }

        var h = Vector<double>.FromArray(Inputs.RandomArray<double>(6, 22, -2, 2));
        var counts = Vector<double>.FromArray([2, 0, 1, 0, 4, 0]); // bag of words
        FiniteDifference.AssertGradient(h, () => CrossEntropy(h, counts), Classification.CrossEntropyBackward(h, counts, 1.0), "CrossEntropyBackward bag of words");
    }

    /// <summary>LogSoftmaxTangent is the Jacobian of log-softmax: central differences along a direction, and the transpose of LogSoftmaxBackward.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(4, 3)]
    public void LogSoftmaxTangent_IsTheJacobian_AndLogSoftmaxBackwardItsTranspose(int rows, int cols)
    {
        var x = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(rows, cols, 31, -2, 2));
        var dx = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(rows, cols, 32));
        var g = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(rows, cols, 33));
        const double h = 1e-6;
        var fd = (LogSoftmax(x + (h * dx)) - LogSoftmax(x - (h * dx))) / (2 * h);
        var tangent = Classification.LogSoftmaxTangent(LogSoftmax(x), dx);
        Near.MatrixEqual(fd.ToArray(), tangent, 1e-8, "LogSoftmaxTangent vs central differences");
        double forward = Dot(g, tangent), reverse = Dot(Classification.LogSoftmaxBackward(LogSoftmax(x), g), dx);
        Assert.True(Math.Abs(forward - reverse) <= 1e-12 * (1 + Math.Abs(forward)), $"⟨g, J dx⟩ = {forward} but ⟨Jᵀg, dx⟩ = {reverse}");
    }

    public static TheoryData<string, Func<object>, string, string> Mismatches()
    {
        var a = new Matrix<double>(3, 4);
        var b = new Matrix<double>(4, 3);
        var u = new Vector<double>(3);
        var w = new Vector<double>(5);
        return new()
        {
            { "CrossEntropy M", () => CrossEntropy(a, b), "3×4", "4×3" },
            { "CrossEntropy V", () => CrossEntropy(u, w), "3×1", "5×1" },
            { "SoftmaxBackward M", () => Classification.SoftmaxBackward(a, b), "3×4", "4×3" },
            { "SoftmaxBackward V", () => Classification.SoftmaxBackward(u, w), "3×1", "5×1" },
            { "LogSoftmaxBackward M", () => Classification.LogSoftmaxBackward(a, b), "3×4", "4×3" },
            { "LogSoftmaxBackward V", () => Classification.LogSoftmaxBackward(u, w), "3×1", "5×1" },
            { "CrossEntropyBackward M", () => Classification.CrossEntropyBackward(a, b, 1.0), "3×4", "4×3" },
            { "CrossEntropyBackward V", () => Classification.CrossEntropyBackward(u, w, 1.0), "3×1", "5×1" },
        };
    }

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void ShapeMismatchNamesBothShapes(string description, Func<object> call, string left, string right)
    {
        var ex = Assert.Throws<ArgumentException>(call);
        Assert.Contains(left, ex.Message);
        Assert.Contains(right, ex.Message);
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Fact]
    public void NullArgumentsThrow()
    {
        var a = new Matrix<double>(2, 2);
        Assert.Throws<ArgumentNullException>("a", () => Softmax<double>((Matrix<double>)null!));
        Assert.Throws<ArgumentNullException>("y", () => CrossEntropy(a, null!));
        Assert.Throws<ArgumentNullException>("g", () => Classification.SoftmaxBackward(a, null!));
        Assert.Throws<ArgumentNullException>("logits", () => Classification.CrossEntropyBackward(null!, a, 1.0));
    }

    private static void MatrixForms<T>(int rows, int cols, double ulps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var xs = Inputs.RandomMatrix<T>(rows, cols, rows * 100 + cols, -5, 5);
        var ys = Inputs.RandomMatrix<T>(rows, cols, rows * 100 + cols + 1, 0, 1);
        var x = Matrix<T>.FromArray(xs);
        var y = Matrix<T>.FromArray(ys);
        double[,] xd = Naive.ToDouble(xs), yd = Naive.ToDouble(ys);
        double tol = Near.Tol<T>(ulps);
        Near.MatrixEqual(Reference.SoftmaxColumns(xd, log: false), Softmax(x), tol, "Softmax M");
        Near.MatrixEqual(Reference.SoftmaxColumns(xd, log: true), LogSoftmax(x), tol, "LogSoftmax M");
        if (cols > 0)
        {
            double expected = Reference.CrossEntropy(xd, yd);
            Near.ScalarWithin(expected, CrossEntropy(x, y), tol * (1 + (rows * 10.0)), "CrossEntropy M");
        }
    }

    private static void VectorForms<T>(int n, double ulps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var xs = Inputs.RandomArray<T>(n, n + 7, -5, 5);
        var ys = Inputs.RandomArray<T>(n, n + 8, 0, 1);
        var x = Vector<T>.FromArray(xs);
        var y = Vector<T>.FromArray(ys);
        var column = Naive.Column(Naive.ToDouble(xs));
        double tol = Near.Tol<T>(ulps);
        Near.VectorEqual(Naive.Flatten(Reference.SoftmaxColumns(column, log: false)), Softmax(x), tol, "Softmax V");
        Near.VectorEqual(Naive.Flatten(Reference.SoftmaxColumns(column, log: true)), LogSoftmax(x), tol, "LogSoftmax V");
        double expected = n == 0 ? 0 : Reference.CrossEntropy(column, Naive.Column(Naive.ToDouble(ys)));
        Near.ScalarWithin(expected, CrossEntropy(x, y), tol * (1 + (n * 10.0)), "CrossEntropy V");
    }

    private static void Stable<T>(double ulps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[,] logits = { { 1000, -1000, 1000 }, { -1000, -1000, 999 }, { 999, -999, -1000 }, { 0, -1000, 1000 } };
        double[,] targets = { { 1, 0, 0.5 }, { 0, 1, 0.5 }, { 0, 0, 0 }, { 0, 0, 0 } };
        var x = Matrix<T>.FromArray(Inputs.FromDoubles<T>(logits));
        var y = Matrix<T>.FromArray(Inputs.FromDoubles<T>(targets));
        double tol = Near.Tol<T>(ulps);
        Near.MatrixEqual(Reference.SoftmaxColumns(logits, log: false), Softmax(x), tol, "Softmax ±1000");
        Near.MatrixEqual(Reference.SoftmaxColumns(logits, log: true), LogSoftmax(x), tol, "LogSoftmax ±1000");
        Near.ScalarEqual(Reference.CrossEntropy(logits, targets), CrossEntropy(x, y), tol, "CrossEntropy ±1000");
        var backward = Classification.CrossEntropyBackward(x, y, T.One);
        Assert.All(backward.AsSpan().ToArray(), v => Assert.True(T.IsFinite(v)));

        var v = Vector<T>.FromArray([T.CreateChecked(1000), T.CreateChecked(-1000), T.CreateChecked(999)]);
        var target = Vector<T>.FromArray([T.Zero, T.One, T.Zero]);
        var p = Softmax(v);
        Assert.All(p.ToArray(), e => Assert.True(T.IsFinite(e)));
        Near.ScalarEqual(1 / (1 + Math.Exp(-1)), p[0], tol, "Softmax V ±1000");
        Near.ScalarEqual(-2000 - Math.Log(1 + Math.Exp(-1)), LogSoftmax(v)[1], tol, "LogSoftmax V ±1000");
        Near.ScalarEqual(2000 + Math.Log(1 + Math.Exp(-1)), CrossEntropy(v, target), tol, "CrossEntropy V ±1000");

        // One sample as a one-column matrix (its own contiguous path): the same value as the vector form.
        var column = Matrix<T>.FromArray(Inputs.FromDoubles<T>(new double[,] { { 1000 }, { -1000 }, { 999 } }));
        var columnTarget = Matrix<T>.FromArray(Inputs.FromDoubles<T>(new double[,] { { 0 }, { 1 }, { 0 } }));
        Near.ScalarEqual(2000 + Math.Log(1 + Math.Exp(-1)), CrossEntropy(column, columnTarget), tol, "CrossEntropy M one column ±1000");
    }

    private static void BackwardFormulas<T>(int rows, int cols, double ulps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var xs = Inputs.RandomMatrix<T>(rows, cols, 3 + rows, -3, 3);
        var gs = Inputs.RandomMatrix<T>(rows, cols, 4 + cols);
        var ys = Inputs.RandomMatrix<T>(rows, cols, 5 + cols, 0, 1);
        double[,] xd = Naive.ToDouble(xs), gd = Naive.ToDouble(gs), yd = Naive.ToDouble(ys);
        double[,] p = Reference.SoftmaxColumns(xd, log: false);
        var softmaxGrad = new double[rows, cols];
        var logSoftmaxGrad = new double[rows, cols];
        var logSoftmaxTangent = new double[rows, cols];
        var ceGrad = new double[rows, cols];
        for (int j = 0; j < cols; j++)
        {
            double dot = 0, sum = 0, targets = 0;
            for (int i = 0; i < rows; i++)
            {
                dot += p[i, j] * gd[i, j];
                sum += gd[i, j];
                targets += yd[i, j];
            }

            for (int i = 0; i < rows; i++)
            {
                softmaxGrad[i, j] = p[i, j] * (gd[i, j] - dot);
                logSoftmaxGrad[i, j] = gd[i, j] - (p[i, j] * sum);
                logSoftmaxTangent[i, j] = gd[i, j] - dot;
                // ∂/∂hᵢ of −(1/N) Σⱼ Σᵢ yᵢⱼ log softmax(h)ᵢⱼ = (pᵢⱼ Σₖ yₖⱼ − yᵢⱼ)/N: Y here is not a distribution.
                ceGrad[i, j] = 0.5 * ((p[i, j] * targets) - yd[i, j]) / cols;
            }
        }

        var x = Matrix<T>.FromArray(xs);
        var g = Matrix<T>.FromArray(gs);
        double tol = Near.Tol<T>(ulps) * (1 + rows);
        Near.MatrixEqual(softmaxGrad, Classification.SoftmaxBackward(Softmax(x), g), tol, "SoftmaxBackward");
        Near.MatrixEqual(logSoftmaxGrad, Classification.LogSoftmaxBackward(LogSoftmax(x), g), tol, "LogSoftmaxBackward");
        Near.MatrixEqual(logSoftmaxTangent, Classification.LogSoftmaxTangent(LogSoftmax(x), g), tol, "LogSoftmaxTangent");
        Near.MatrixEqual(ceGrad, Classification.CrossEntropyBackward(x, Matrix<T>.FromArray(ys), T.CreateChecked(0.5)), tol, "CrossEntropyBackward");
    }

    /// <summary>Naive column-wise softmax and cross-entropy in double, written from the definitions.</summary>
    private static class Reference
    {
        public static double[,] SoftmaxColumns(double[,] x, bool log)
        {
            int rows = x.GetLength(0), cols = x.GetLength(1);
            var result = new double[rows, cols];
            for (int j = 0; j < cols; j++)
            {
                double max = double.NegativeInfinity;
                for (int i = 0; i < rows; i++)
                {
                    max = Math.Max(max, x[i, j]);
                }

                double sum = 0;
                for (int i = 0; i < rows; i++)
                {
                    sum += Math.Exp(x[i, j] - max);
                }

                for (int i = 0; i < rows; i++)
                {
                    result[i, j] = log ? x[i, j] - max - Math.Log(sum) : Math.Exp(x[i, j] - max) / sum;
                }
            }

            return result;
        }

        public static double CrossEntropy(double[,] x, double[,] y)
        {
            var logP = SoftmaxColumns(x, log: true);
            double total = 0;
            for (int j = 0; j < x.GetLength(1); j++)
            {
                for (int i = 0; i < x.GetLength(0); i++)
                {
                    total -= y[i, j] * logP[i, j];
                }
            }

            return total / x.GetLength(1);
        }
    }
}

/// <summary>Central differences of a scalar function of a matrix or vector, compared entry by entry with an analytic gradient (double only).</summary>
internal static class FiniteDifference
{
    public static void AssertGradient(Matrix<double> x, Func<double> f, Matrix<double> analytic, string context, double h = 1e-5, double tol = 1e-6)
    {
        Assert.True(analytic.Rows == x.Rows && analytic.Cols == x.Cols,
            $"{context}: gradient is {analytic.Rows}×{analytic.Cols}, parameter {x.Rows}×{x.Cols}");
        Compare(Numeric(x.AsSpan, f, h), analytic.AsSpan().ToArray(), context, tol);
    }

    public static void AssertGradient(Vector<double> x, Func<double> f, Vector<double> analytic, string context, double h = 1e-5, double tol = 1e-6)
    {
        Assert.Equal(x.Length, analytic.Length);
        Compare(Numeric(x.AsSpan, f, h), analytic.ToArray(), context, tol);
    }

    /// <summary>(f(x + h eᵢ) − f(x − h eᵢ)) / 2h for every entry i, restoring x afterwards.</summary>
    public static double[] Numeric(Func<Span<double>> data, Func<double> f, double h)
    {
        int n = data().Length;
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            double saved = data()[i];
            data()[i] = saved + h;
            double plus = f();
            data()[i] = saved - h;
            double minus = f();
            data()[i] = saved;
            result[i] = (plus - minus) / (2 * h);
        }

        return result;
    }

    private static void Compare(double[] numeric, double[] analytic, string context, double tol)
    {
        double scale = 1 + numeric.Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int i = 0; i < numeric.Length; i++)
        {
            Assert.True(Math.Abs(numeric[i] - analytic[i]) <= tol * scale,
                $"{context} at {i}: finite differences give {numeric[i]:R}, analytic {analytic[i]:R}");
        }
    }
}
