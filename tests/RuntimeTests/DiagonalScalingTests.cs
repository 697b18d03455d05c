using System.Numerics;
using AutoGradGen.Compute;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// <see cref="Products.ScaleRows{T}(Vector{T}, Matrix{T})"/> = diag(d) M and <see cref="Products.ScaleColumns{T}(Matrix{T}, Vector{T})"/>
/// = M diag(d) against the product with the diagonal matrix formed and multiplied naively in double, on every odd shape
/// (empty, one row, one column, SIMD tails).
/// </summary>
public abstract class DiagonalScalingTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static TheoryData<int, int> MatrixShapes()
    {
        var data = new TheoryData<int, int>();
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            data.Add(rows, cols);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MatrixShapes))]
    public void ScaleRowsIsTheProductWithDiagDOnTheLeft(int rows, int cols)
    {
        var m = Inputs.RandomMatrix<T>(rows, cols, seed: 40 + rows, -3, 3);
        var d = Inputs.RandomArray<T>(rows, seed: 50 + cols, -2, 2);
        var expected = Naive.Multiply(Diagonal(Naive.ToDouble(d)), Naive.ToDouble(m));
        var vd = Vector<T>.FromArray(d);
        var mm = Matrix<T>.FromArray(m);
        Near.MatrixEqual(expected, Products.ScaleRows(vd, mm), Near.Tol<T>(1), $"ScaleRows {rows}×{cols}");
        Assert.Equal(m, mm.ToArray());
        Assert.Equal(d, vd.ToArray());
    }

    [Theory]
    [MemberData(nameof(MatrixShapes))]
    public void ScaleColumnsIsTheProductWithDiagDOnTheRight(int rows, int cols)
    {
        var m = Inputs.RandomMatrix<T>(rows, cols, seed: 60 + rows, -3, 3);
        var d = Inputs.RandomArray<T>(cols, seed: 70 + cols, -2, 2);
        var expected = Naive.Multiply(Naive.ToDouble(m), Diagonal(Naive.ToDouble(d)));
        var vd = Vector<T>.FromArray(d);
        var mm = Matrix<T>.FromArray(m);
        Near.MatrixEqual(expected, Products.ScaleColumns(mm, vd), Near.Tol<T>(1), $"ScaleColumns {rows}×{cols}");
        Assert.Equal(m, mm.ToArray());
        Assert.Equal(d, vd.ToArray());
    }

    [Fact]
    public void ScaleColumnsOfTheTransposeIsTheTransposeOfScaleRows()
    {
        // (diag(d) M)ᵀ = Mᵀ diag(d): each entry is one product dᵢ mᵢⱼ, so the two agree bitwise.
        var m = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(13, 17, seed: 80));
        var d = Vector<T>.FromArray(Inputs.RandomArray<T>(13, seed: 81));
        var left = Products.ScaleRows(d, m);
        var right = Products.ScaleColumns(Linear.Transpose(m), d);
        Assert.Equal(Linear.Transpose(left).ToArray(), right.ToArray());
    }

    [Fact]
    public void ScaleRowsAndScaleColumnsPropagateInfinityAndNaN()
    {
        var m = Matrix<T>.FromArray(new[,] { { T.One, T.Zero }, { T.NaN, T.One } });
        var d = Vector<T>.FromArray([T.PositiveInfinity, T.CreateChecked(2)]);
        var rows = Products.ScaleRows(d, m);
        Assert.Equal(T.PositiveInfinity, rows[0, 0]);
        Assert.True(T.IsNaN(rows[0, 1])); // ∞ · 0
        Assert.True(T.IsNaN(rows[1, 0]));
        Assert.Equal(T.CreateChecked(2), rows[1, 1]);
        var cols = Products.ScaleColumns(m, d);
        Assert.Equal(T.PositiveInfinity, cols[0, 0]);
        Assert.Equal(T.Zero, cols[0, 1]);
        Assert.True(T.IsNaN(cols[1, 0]));
        Assert.Equal(T.CreateChecked(2), cols[1, 1]);
    }

    private static double[,] Diagonal(double[] d)
    {
        var result = new double[d.Length, d.Length];
        for (int i = 0; i < d.Length; i++)
        {
            result[i, i] = d[i];
        }

        return result;
    }
}

public sealed class DiagonalScalingTestsFloat : DiagonalScalingTests<float>
{
}

public sealed class DiagonalScalingTestsDouble : DiagonalScalingTests<double>
{
}
