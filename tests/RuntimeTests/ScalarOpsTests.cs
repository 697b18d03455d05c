using System.Numerics;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>Scalars of matrices: Trace, Dot, Sum, Mean, SquaredNorm (Det and LogDet are in <see cref="LuTests{T}"/>).</summary>
public abstract class ScalarOpsTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T V(double x) => T.CreateChecked(x);

    [Fact]
    public void TraceSumsTheDiagonal()
    {
        foreach (int n in Shapes.SquareSizes)
        {
            var a = Inputs.RandomMatrix<T>(n, n, seed: n);
            double expected = 0, magnitude = 0;
            for (int i = 0; i < n; i++)
            {
                expected += Naive.D(a[i, i]);
                magnitude += Math.Abs(Naive.D(a[i, i]));
            }

            Near.ScalarWithin(expected, Trace(Matrix<T>.FromArray(a)), Near.Tol<T>((2 * Math.Sqrt(n)) + 8) * (magnitude + 1), $"Trace {n}");
        }
    }

    [Fact]
    public void MatrixReductionsMatchLoops()
    {
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var a = Inputs.RandomMatrix<T>(rows, cols, seed: 20 + rows);
            var b = Inputs.RandomMatrix<T>(rows, cols, seed: 21 + cols);
            double sum = 0, dot = 0, squares = 0, sumAbs = 1, dotAbs = 1;
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    double x = Naive.D(a[i, j]), y = Naive.D(b[i, j]);
                    sum += x;
                    dot += x * y;
                    squares += x * x;
                    sumAbs += Math.Abs(x);
                    dotAbs += Math.Abs(x * y);
                }
            }

            var ma = Matrix<T>.FromArray(a);
            var mb = Matrix<T>.FromArray(b);

            // Summation error grows like √n ε Σ|terms| (worst case n ε Σ|terms|).
            double ulps = (2 * Math.Sqrt(rows * cols)) + 8;
            string shape = $"{rows}×{cols}";
            Near.ScalarWithin(sum, Sum(ma), Near.Tol<T>(ulps) * sumAbs, "Sum " + shape);
            Near.ScalarWithin(dot, Dot(ma, mb), Near.Tol<T>(ulps) * dotAbs, "Dot " + shape);
            Near.ScalarWithin(squares, SquaredNorm(ma), Near.Tol<T>(ulps) * (squares + 1), "SquaredNorm " + shape);
            Near.ScalarWithin(rows * cols == 0 ? double.NaN : sum / (rows * cols), Mean(ma), Near.Tol<T>(ulps) * sumAbs / Math.Max(1, rows * cols), "Mean " + shape);
            Assert.Equal(a, ma.ToArray());
        }
    }

    [Fact]
    public void FrobeniusDotIsTraceOfATransposeB()
    {
        var a = Inputs.RandomMatrix<T>(5, 3, 30);
        var b = Inputs.RandomMatrix<T>(5, 3, 31);
        var atb = Naive.Multiply(Naive.Transpose(Naive.ToDouble(a)), Naive.ToDouble(b));
        double trace = atb[0, 0] + atb[1, 1] + atb[2, 2];
        Near.ScalarEqual(trace, Dot(Matrix<T>.FromArray(a), Matrix<T>.FromArray(b)), Near.Tol<T>(32), "⟨A,B⟩");
    }

    [Fact]
    public void VectorReductionsMatchLoops()
    {
        foreach (int n in Shapes.Lengths)
        {
            var x = Inputs.RandomArray<T>(n, seed: 40 + n);
            var y = Inputs.RandomArray<T>(n, seed: 41 + n);
            double sum = 0, dot = 0, squares = 0, sumAbs = 1, dotAbs = 1;
            for (int i = 0; i < n; i++)
            {
                double p = Naive.D(x[i]), q = Naive.D(y[i]);
                sum += p;
                dot += p * q;
                squares += p * p;
                sumAbs += Math.Abs(p);
                dotAbs += Math.Abs(p * q);
            }

            var vx = Vector<T>.FromArray(x);
            var vy = Vector<T>.FromArray(y);
            double ulps = (2 * Math.Sqrt(n)) + 8;
            Near.ScalarWithin(sum, Sum(vx), Near.Tol<T>(ulps) * sumAbs, $"Sum {n}");
            Near.ScalarWithin(dot, Dot(vx, vy), Near.Tol<T>(ulps) * dotAbs, $"Dot {n}");
            Near.ScalarWithin(squares, SquaredNorm(vx), Near.Tol<T>(ulps) * (squares + 1), $"SquaredNorm {n}");
            Near.ScalarWithin(n == 0 ? double.NaN : sum / n, Mean(vx), Near.Tol<T>(ulps) * sumAbs / Math.Max(1, n), $"Mean {n}");
        }
    }

    [Fact]
    public void EmptyReductionsAreZero()
    {
        Assert.Equal(T.Zero, Sum(new Matrix<T>(0, 4)));
        Assert.Equal(T.Zero, Sum(new Vector<T>(0)));
        Assert.Equal(T.Zero, SquaredNorm(new Matrix<T>(3, 0)));
        Assert.Equal(T.Zero, Dot(new Vector<T>(0), new Vector<T>(0)));
        Assert.Equal(T.Zero, Dot(new Matrix<T>(0, 2), new Matrix<T>(0, 2)));
        Assert.Equal(T.Zero, Trace(new Matrix<T>(0, 0)));
        Assert.True(T.IsNaN(Mean(new Vector<T>(0))));
    }

    [Fact]
    public void HandComputedValues()
    {
        var a = Matrix<T>.FromArray(new[,] { { V(1), V(2) }, { V(3), V(4) } });
        Assert.Equal(V(5), Trace(a));
        Assert.Equal(V(10), Sum(a));
        Assert.Equal(V(2.5), Mean(a));
        Assert.Equal(V(30), SquaredNorm(a));
        Assert.Equal(V(30), Dot(a, a));
        var x = Vector<T>.FromArray([V(3), V(4)]);
        Assert.Equal(V(25), SquaredNorm(x));
        Assert.Equal(V(25), Dot(x, x));
    }

    [Fact]
    public void LogSumExpIsStable_AndMatchesTheDefinition()
    {
        foreach (int n in Shapes.Lengths.Where(n => n > 0))
        {
            var values = Inputs.RandomArray<T>(n, n, -5, 5);
            double expected = Math.Log(values.Sum(v => Math.Exp(double.CreateChecked(v))));
            Near.ScalarWithin(expected, LogSumExp(Vector<T>.FromArray(values)), Near.Tol<T>(8) * (Math.Abs(expected) + 1), $"LogSumExp {n}");
        }

        // 1000 and 1001: exp overflows in both precisions, the shifted form does not.
        var large = Vector<T>.FromArray([V(1000), V(1001)]);
        Near.ScalarWithin(1001 + Math.Log(1 + Math.Exp(-1)), LogSumExp(large), Near.Tol<T>(8) * 1002, "LogSumExp of large entries");
        var matrix = Matrix<T>.FromArray(new T[,] { { V(-1000), V(-1000) }, { V(-1000), V(-1000) } });
        Near.ScalarWithin(-1000 + Math.Log(4), LogSumExp(matrix), Near.Tol<T>(8) * 1001, "LogSumExp of very negative entries");
        Assert.Equal(T.NegativeInfinity, LogSumExp(new Vector<T>(0)));
        Assert.True(T.IsNaN(LogSumExp(Vector<T>.FromArray([V(1), T.NaN]))));
        Assert.Equal(T.PositiveInfinity, LogSumExp(Vector<T>.FromArray([V(1), T.PositiveInfinity])));
    }
}

public sealed class ScalarOpsTestsFloat : ScalarOpsTests<float>
{
}

public sealed class ScalarOpsTestsDouble : ScalarOpsTests<double>
{
}
