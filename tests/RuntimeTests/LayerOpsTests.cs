using System.Numerics;
using AutoGradGen.Compute;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>CausalSoftmax (forward and backward) and Conv2D with a per-channel bias, against loops.</summary>
public abstract class LayerOpsTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static double[,] NaiveCausalSoftmax(double[,] s)
    {
        int rows = s.GetLength(0), cols = s.GetLength(1);
        var y = new double[rows, cols];
        for (int j = 0; j < cols; j++)
        {
            int last = Math.Min(j, rows - 1);
            double max = double.NegativeInfinity;
            for (int i = 0; i <= last; i++)
            {
                max = Math.Max(max, s[i, j]);
            }
            double sum = 0;
            for (int i = 0; i <= last; i++)
            {
                sum += Math.Exp(s[i, j] - max);
            }
            for (int i = 0; i <= last; i++)
            {
                y[i, j] = Math.Exp(s[i, j] - max) / sum;
            }
        }
        return y;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 4)]
    [InlineData(3, 7)]
    [InlineData(7, 3)]
    [InlineData(33, 33)]
    public void CausalSoftmax_MatchesTheMaskedLoop_MaskedEntriesExactlyZero(int rows, int cols)
    {
        var s = Inputs.RandomMatrix<T>(rows, cols, seed: rows * 100 + cols, lo: -3, hi: 3);
        var y = CausalSoftmax(Matrix<T>.FromArray(s));
        Near.MatrixEqual(NaiveCausalSoftmax(Naive.ToDouble(s)), y, Near.Tol<T>(16), "CausalSoftmax " + rows + "×" + cols);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < i && j < cols; j++)
            {
                Assert.Equal(T.Zero, y[i, j]);
            }
        }
    }

    [Fact]
    public void CausalSoftmax_IsStableForLargeScores_AndIgnoresMaskedScores()
    {
        var s = Inputs.RandomMatrix<T>(5, 5, seed: 3, lo: 995, hi: 1000);
        var masked = (T[,])s.Clone();
        for (int i = 1; i < 5; i++)
        {
            masked[i, 0] = T.CreateChecked(1e30);   // below the diagonal: never seen
        }
        var y = CausalSoftmax(Matrix<T>.FromArray(s));
        var z = CausalSoftmax(Matrix<T>.FromArray(masked));
        Near.MatrixEqual(NaiveCausalSoftmax(Naive.ToDouble(s)), y, Near.Tol<T>(64), "large scores");
        Assert.Equal(y.ToArray(), z.ToArray());
        Assert.Equal(T.One, y[0, 0]);
    }

    [Fact]
    public void CausalSoftmaxBackward_IsTheMaskedJacobianTransposedTimesG()
    {
        const int rows = 6, cols = 5;
        var s = Inputs.RandomMatrix<T>(rows, cols, seed: 8);
        var g = Inputs.RandomMatrix<T>(rows, cols, seed: 9);
        var y = Classification.CausalSoftmax(Matrix<T>.FromArray(s));
        var dy = Classification.CausalSoftmaxBackward(y, Matrix<T>.FromArray(g));
        var yd = Naive.ToDouble(y.ToArray());
        var gd = Naive.ToDouble(g);
        var expected = new double[rows, cols];
        for (int j = 0; j < cols; j++)
        {
            // J = diag(y) − y yᵀ over the visible keys i ≤ j; Jᵀg = J g.
            for (int i = 0; i <= Math.Min(j, rows - 1); i++)
            {
                double jg = 0;
                for (int k = 0; k <= Math.Min(j, rows - 1); k++)
                {
                    jg += ((i == k ? yd[i, j] : 0) - (yd[i, j] * yd[k, j])) * gd[k, j];
                }
                expected[i, j] = jg;
            }
        }
        Near.MatrixEqual(expected, dy, Near.Tol<T>(32), "CausalSoftmaxBackward");
        Matrix<T>? slot = null;
        Classification.CausalSoftmaxBackward(y, Matrix<T>.FromArray(g), ref slot);
        var reused = slot;
        Classification.CausalSoftmaxBackward(y, Matrix<T>.FromArray(g), ref slot);
        Assert.Same(reused, slot);
        Assert.Throws<ArgumentException>(() => Classification.CausalSoftmaxBackward(y, new Matrix<T>(rows, cols + 1)));
        Matrix<T>? aliased = y;
        Assert.Throws<ArgumentException>(() => Classification.CausalSoftmax(y, ref aliased));
    }

    [Fact]
    public void Conv2DWithBias_IsConv2DPlusTheBiasOfEachOutputChannel()
    {
        // 2 channels of 5×4, 3 filters of 3×2, stride 1, padding 1: output planes 5×5, 25 rows per channel.
        var x = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(40, 3, seed: 1));
        var k = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(3, 12, seed: 2));
        var b = Vector<T>.FromArray(Inputs.RandomArray<T>(3, seed: 3));
        var plain = Conv2D(x, k, 2, 5, 4, 3, 2, 1, 1);
        var biased = Conv2D(x, k, b, 2, 5, 4, 3, 2, 1, 1);
        Assert.Equal((plain.Rows, plain.Cols), (biased.Rows, biased.Cols));
        int perChannel = plain.Rows / 3;
        var expected = Naive.ToDouble(plain.ToArray());
        for (int r = 0; r < plain.Rows; r++)
        {
            for (int n = 0; n < plain.Cols; n++)
            {
                expected[r, n] += Naive.D(b[r / perChannel]);
            }
        }
        Near.MatrixEqual(expected, biased, Near.Tol<T>(4), "Conv2D with bias");

        var sums = Convolution.ChannelSums(biased, 3);
        for (int o = 0; o < 3; o++)
        {
            double total = 0;
            for (int r = o * perChannel; r < (o + 1) * perChannel; r++)
            {
                for (int n = 0; n < biased.Cols; n++)
                {
                    total += Naive.D(biased[r, n]);
                }
            }
            Assert.True(Math.Abs(total - Naive.D(sums[o])) <= Near.Tol<T>(64) * Math.Max(1, Math.Abs(total)), "ChannelSums " + o);
        }
        var spread = Convolution.ChannelBias(b, biased);
        for (int r = 0; r < spread.Rows; r++)
        {
            Assert.Equal(b[r / perChannel], spread[r, 2]);
        }
    }

    [Fact]
    public void IntoForms_EqualTheAllocatingForms_AndReuseTheirSlots()
    {
        var s = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(4, 6, seed: 21));
        var x = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(18, 2, seed: 22));
        var k = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(2, 8, seed: 23));
        var b = Vector<T>.FromArray(Inputs.RandomArray<T>(2, seed: 24));
        Matrix<T>? y = null, conv = null, spread = null;
        Vector<T>? sums = null;
        for (int round = 0; round < 2; round++)
        {
            var (y0, conv0, spread0, sums0) = (y, conv, spread, sums);
            Classification.CausalSoftmax(s, ref y);
            Convolution.Conv2D(x, k, b, 2, 3, 3, 2, 2, 1, 0, ref conv);
            Convolution.ChannelBias(b, conv!, ref spread);
            Convolution.ChannelSums(conv!, 2, ref sums);
            Assert.Equal(CausalSoftmax(s).ToArray(), y!.ToArray());
            Assert.Equal(Conv2D(x, k, b, 2, 3, 3, 2, 2).ToArray(), conv!.ToArray());
            Assert.Equal(Convolution.ChannelBias(b, conv).ToArray(), spread!.ToArray());
            Assert.Equal(Convolution.ChannelSums(conv, 2).ToArray(), sums!.ToArray());
            if (round == 1)
            {
                Assert.Same(y0, y);
                Assert.Same(conv0, conv);
                Assert.Same(spread0, spread);
                Assert.Same(sums0, sums);
            }
        }
    }

    [Fact]
    public void Conv2DWithBias_RejectsABiasOfTheWrongLength_NamingTheShapes_AndWritesNothing()
    {
        var x = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(16, 2, seed: 1));
        var k = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(3, 4, seed: 2));
        var destination = new Matrix<T>(27, 2);
        Matrix<T>? slot = destination;
        var e = Assert.Throws<ArgumentException>(() => Convolution.Conv2D(x, k, new Vector<T>(2), 1, 4, 4, 2, 2, 1, 0, ref slot));
        Assert.Contains("3×4", e.Message, StringComparison.Ordinal);
        Assert.Contains("2×1", e.Message, StringComparison.Ordinal);
        Assert.All(destination.ToArray().Cast<T>(), v => Assert.Equal(T.Zero, v));
        Assert.Throws<ArgumentException>(() => Convolution.ChannelSums(new Matrix<T>(7, 2), 3));
    }
}

public sealed class LayerOpsTestsFloat : LayerOpsTests<float>
{
}

public sealed class LayerOpsTestsDouble : LayerOpsTests<double>
{
}
