using System.Numerics;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Ops.BinaryCrossEntropyWithLogits against a naive double reference (log(1 + eᶻ) − y z, the plain formula, on
/// moderate logits), on every vector length and odd shape; its stability at ±1000 against exact values.
/// </summary>
public abstract class BinaryCrossEntropyTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T V(double x) => T.CreateChecked(x);

    private static double Naive(double z, double y) => Math.Log(1 + Math.Exp(z)) - (y * z);

    [Fact]
    public void VectorFormIsTheSum_OnEveryLength()
    {
        foreach (int n in Shapes.Lengths)
        {
            var z = Inputs.RandomArray<T>(n, seed: n, -8, 8);
            var y = Inputs.RandomArray<T>(n, seed: n + 100, 0, 1);
            double expected = Enumerable.Range(0, n).Sum(k => Naive(RuntimeTests.Naive.D(z[k]), RuntimeTests.Naive.D(y[k])));
            var actual = Ops.BinaryCrossEntropyWithLogits(Vector<T>.FromArray(z), Vector<T>.FromArray(y));
            Near.ScalarWithin(expected, actual, Near.Tol<T>(8) * (n + 1) * 8, $"BCE length {n}");
        }
    }

    [Fact]
    public void MatrixFormIsTheMeanOverColumns_OnOddShapes()
    {
        foreach (var (rows, cols) in Shapes.Matrices.Where(s => s.Cols > 0))
        {
            var z = Inputs.RandomMatrix<T>(rows, cols, seed: rows + cols, -8, 8);
            var y = Inputs.RandomMatrix<T>(rows, cols, seed: rows + cols + 50, 0, 1);
            double sum = 0;
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    sum += Naive(RuntimeTests.Naive.D(z[i, j]), RuntimeTests.Naive.D(y[i, j]));
                }
            }
            var actual = Ops.BinaryCrossEntropyWithLogits(Matrix<T>.FromArray(z), Matrix<T>.FromArray(y));
            Near.ScalarWithin(sum / cols, actual, Near.Tol<T>(8) * ((double)rows * cols + 1) * 8 / cols, $"BCE {rows}×{cols}");
        }
        Assert.True(T.IsNaN(Ops.BinaryCrossEntropyWithLogits(new Matrix<T>(3, 0), new Matrix<T>(3, 0))));
    }

    [Fact]
    public void IsStableAtLargeLogits_AndChecksShapes()
    {
        // softplus(1000) − 1·1000 = 0; softplus(−1000) − 0 = e^−1000 ≈ 0; softplus(1000) − 0 = 1000; softplus(−1000) − 1·(−1000) = 1000.
        var z = Vector<T>.FromArray([V(1000), V(-1000), V(1000), V(-1000)]);
        var y = Vector<T>.FromArray([V(1), V(0), V(0), V(1)]);
        Assert.Equal(V(2000), Ops.BinaryCrossEntropyWithLogits(z, y));
        var zm = Matrix<T>.FromArray(new T[,] { { V(1000), V(-1000) }, { V(0), V(0) } });
        var ym = Matrix<T>.FromArray(new T[,] { { V(1), V(0) }, { V(0.5), V(0.5) } });
        Near.ScalarWithin(Math.Log(2), Ops.BinaryCrossEntropyWithLogits(zm, ym), Near.Tol<T>(4), "BCE of ±1000 and 0");
        Assert.Throws<ArgumentException>(() => Ops.BinaryCrossEntropyWithLogits(new Vector<T>(3), new Vector<T>(4)));
        Assert.Throws<ArgumentException>(() => Ops.BinaryCrossEntropyWithLogits(new Matrix<T>(2, 3), new Matrix<T>(3, 2)));
    }
}

public sealed class BinaryCrossEntropyTestsFloat : BinaryCrossEntropyTests<float>
{
}

public sealed class BinaryCrossEntropyTestsDouble : BinaryCrossEntropyTests<double>
{
}
