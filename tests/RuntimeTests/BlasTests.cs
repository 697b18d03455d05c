using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary><see cref="Blas"/> transposed products against a transpose-then-multiply done with naive loops.</summary>
public abstract class BlasTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Fact]
    public void MultiplyTransposeAIsATransposedTimesB()
    {
        foreach (var (m, k, n) in Shapes.Products)
        {
            var a = Inputs.RandomMatrix<T>(k, m, seed: 10 + m + k);
            var b = Inputs.RandomMatrix<T>(k, n, seed: 20 + n);
            var expected = Naive.Multiply(Naive.Transpose(Naive.ToDouble(a)), Naive.ToDouble(b));
            var ma = Matrix<T>.FromArray(a);
            Near.MatrixEqual(expected, Products.MultiplyTransposeA(ma, Matrix<T>.FromArray(b)), Near.Tol<T>(4 * (k + 1)), $"AᵀB {m},{k},{n}");
            Assert.Equal(a, ma.ToArray());
        }
    }

    [Fact]
    public void MultiplyTransposeAVectorIsATransposedTimesX()
    {
        foreach (var (m, k, _) in Shapes.Products)
        {
            var a = Inputs.RandomMatrix<T>(k, m, seed: 30 + m + k);
            var x = Inputs.RandomArray<T>(k, seed: 40 + k);
            var expected = Naive.Flatten(Naive.Multiply(Naive.Transpose(Naive.ToDouble(a)), Naive.Column(Naive.ToDouble(x))));
            Near.VectorEqual(expected, Products.MultiplyTransposeA(Matrix<T>.FromArray(a), Vector<T>.FromArray(x)), Near.Tol<T>(4 * (k + 1)), $"Aᵀx {m},{k}");
        }
    }

    [Fact]
    public void MultiplyTransposeBIsATimesBTransposed()
    {
        foreach (var (m, k, n) in Shapes.Products)
        {
            var a = Inputs.RandomMatrix<T>(m, k, seed: 50 + m + k);
            var b = Inputs.RandomMatrix<T>(n, k, seed: 60 + n);
            var expected = Naive.Multiply(Naive.ToDouble(a), Naive.Transpose(Naive.ToDouble(b)));
            var mb = Matrix<T>.FromArray(b);
            Near.MatrixEqual(expected, Products.MultiplyTransposeB(Matrix<T>.FromArray(a), mb), Near.Tol<T>(4 * (k + 1)), $"ABᵀ {m},{k},{n}");
            Assert.Equal(b, mb.ToArray());
        }
    }
}

public sealed class BlasTestsFloat : BlasTests<float>
{
}

public sealed class BlasTestsDouble : BlasTests<double>
{
}
