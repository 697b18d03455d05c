using System.Numerics;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>The arithmetic operators of <see cref="Matrix{T}"/> and <see cref="Vector{T}"/> against naive loops.</summary>
public abstract class OperatorTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T V(double x) => T.CreateChecked(x);

    [Fact]
    public void MatrixProductMatchesTripleLoop()
    {
        foreach (var (m, k, n) in Shapes.Products)
        {
            var a = Inputs.RandomMatrix<T>(m, k, seed: 1 + m + (7 * k));
            var b = Inputs.RandomMatrix<T>(k, n, seed: 2 + n + (11 * k));
            var expected = Naive.Multiply(Naive.ToDouble(a), Naive.ToDouble(b));
            var actual = Matrix<T>.FromArray(a) * Matrix<T>.FromArray(b);
            Near.MatrixEqual(expected, actual, Near.Tol<T>(4 * (k + 1)), $"A*B {m}×{k}·{k}×{n}");
        }
    }

    [Fact]
    public void MatrixVectorProductMatchesLoop()
    {
        foreach (var (m, k, _) in Shapes.Products)
        {
            var a = Inputs.RandomMatrix<T>(m, k, seed: 3 + m + k);
            var x = Inputs.RandomArray<T>(k, seed: 4 + k);
            var expected = Naive.Flatten(Naive.Multiply(Naive.ToDouble(a), Naive.Column(Naive.ToDouble(x))));
            var actual = Matrix<T>.FromArray(a) * Vector<T>.FromArray(x);
            Near.VectorEqual(expected, actual, Near.Tol<T>(4 * (k + 1)), $"A*x {m}×{k}");
        }
    }

    [Fact]
    public void ProductWithEmptyInnerDimensionIsZeros()
    {
        var c = new Matrix<T>(3, 0) * new Matrix<T>(0, 4);
        Assert.Equal(3, c.Rows);
        Assert.Equal(4, c.Cols);
        Assert.All(c.ToArray().Cast<T>(), x => Assert.Equal(T.Zero, x));
        var y = new Matrix<T>(5, 0) * new Vector<T>(0);
        Assert.Equal(5, y.Length);
        Assert.All(y.ToArray(), x => Assert.Equal(T.Zero, x));
    }

    [Fact]
    public void ScalarOperatorsMatchLoops()
    {
        T s = V(-1.75);
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var a = Inputs.RandomMatrix<T>(rows, cols, seed: rows + cols);
            var ad = Naive.ToDouble(a);
            var m = Matrix<T>.FromArray(a);
            double tol = Near.Tol<T>(1);
            Near.MatrixEqual(Naive.Map(ad, x => -1.75 * x), s * m, tol, "s*A");
            Near.MatrixEqual(Naive.Map(ad, x => -1.75 * x), m * s, tol, "A*s");
            Near.MatrixEqual(Naive.Map(ad, x => x / -1.75), m / s, tol, "A/s");
            Near.MatrixEqual(Naive.Map(ad, x => -x), -m, 0, "-A");
            Assert.Equal(a, m.ToArray());
        }

        foreach (int n in Shapes.Lengths)
        {
            var x = Inputs.RandomArray<T>(n, seed: n);
            var xd = Naive.ToDouble(x);
            var v = Vector<T>.FromArray(x);
            double tol = Near.Tol<T>(1);
            Near.VectorEqual(xd.Select(e => -1.75 * e).ToArray(), s * v, tol, "s*v");
            Near.VectorEqual(xd.Select(e => -1.75 * e).ToArray(), v * s, tol, "v*s");
            Near.VectorEqual(xd.Select(e => e / -1.75).ToArray(), v / s, tol, "v/s");
            Near.VectorEqual(xd.Select(e => -e).ToArray(), -v, 0, "-v");
            Assert.Equal(x, v.ToArray());
        }
    }

    [Fact]
    public void DivisionByZeroFollowsIeee()
    {
        var m = Matrix<T>.FromArray(new[,] { { V(1), V(-1), V(0) } }) / T.Zero;
        Assert.Equal(T.PositiveInfinity, m[0, 0]);
        Assert.Equal(T.NegativeInfinity, m[0, 1]);
        Assert.True(T.IsNaN(m[0, 2]));
    }

    [Fact]
    public void SumAndDifferenceMatchLoops()
    {
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var a = Inputs.RandomMatrix<T>(rows, cols, seed: 5 + rows);
            var b = Inputs.RandomMatrix<T>(rows, cols, seed: 6 + cols);
            var ad = Naive.ToDouble(a);
            var bd = Naive.ToDouble(b);
            var ma = Matrix<T>.FromArray(a);
            var mb = Matrix<T>.FromArray(b);
            Near.MatrixEqual(Naive.Zip(ad, bd, (x, y) => x + y), ma + mb, Near.Tol<T>(1), "A+B");
            Near.MatrixEqual(Naive.Zip(ad, bd, (x, y) => x - y), ma - mb, Near.Tol<T>(1), "A-B");
            Assert.Equal(a, ma.ToArray());
            Assert.Equal(b, mb.ToArray());
        }

        foreach (int n in Shapes.Lengths)
        {
            var x = Inputs.RandomArray<T>(n, seed: 7 + n);
            var y = Inputs.RandomArray<T>(n, seed: 8 + n);
            var expectedSum = x.Zip(y, (p, q) => Naive.D(p) + Naive.D(q)).ToArray();
            var expectedDifference = x.Zip(y, (p, q) => Naive.D(p) - Naive.D(q)).ToArray();
            Near.VectorEqual(expectedSum, Vector<T>.FromArray(x) + Vector<T>.FromArray(y), Near.Tol<T>(1), "x+y");
            Near.VectorEqual(expectedDifference, Vector<T>.FromArray(x) - Vector<T>.FromArray(y), Near.Tol<T>(1), "x-y");
        }
    }

    [Fact]
    public void MatrixPlusVectorBroadcastsOverColumns()
    {
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var a = Inputs.RandomMatrix<T>(rows, cols, seed: 9 + rows);
            var b = Inputs.RandomArray<T>(rows, seed: 10 + cols);
            var expectedPlus = new double[rows, cols];
            var expectedMinus = new double[rows, cols];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    expectedPlus[i, j] = Naive.D(a[i, j]) + Naive.D(b[i]);
                    expectedMinus[i, j] = Naive.D(a[i, j]) - Naive.D(b[i]);
                }
            }

            var m = Matrix<T>.FromArray(a);
            var v = Vector<T>.FromArray(b);
            Near.MatrixEqual(expectedPlus, m + v, Near.Tol<T>(1), $"A+b1ᵀ {rows}×{cols}");
            Near.MatrixEqual(expectedMinus, m - v, Near.Tol<T>(1), $"A-b1ᵀ {rows}×{cols}");
            Assert.Equal(a, m.ToArray());
            Assert.Equal(b, v.ToArray());
        }
    }

    [Fact]
    public void BiasedLayerComposes()
    {
        // W X + b 1ᵀ, the seed's batched layer, on a hand-computed case.
        var w = Matrix<T>.FromArray(new[,] { { V(1), V(2) }, { V(0), V(-1) } });
        var x = Matrix<T>.FromArray(new[,] { { V(1), V(0), V(2) }, { V(3), V(1), V(-1) } });
        var b = Vector<T>.FromArray([V(10), V(20)]);
        var y = (w * x) + b;
        Assert.Equal(new[,] { { V(17), V(12), V(10) }, { V(17), V(19), V(21) } }, y.ToArray());
    }
}

public sealed class OperatorTestsFloat : OperatorTests<float>
{
}

public sealed class OperatorTestsDouble : OperatorTests<double>
{
}
