using System.Numerics;
using AutoGradGen.Compute;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Row and column sums and means, and the spreads that are their transposes, against naive double loops on
/// every odd shape (empty ones included); the spreads are checked to be the transposes: ⟨x, R(A)⟩ = ⟨S(A, x), A⟩.
/// </summary>
public abstract class RowColumnReductionTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static TheoryData<string> Reductions() => ["RowSums", "RowMeans", "ColumnSums", "ColumnMeans"];

    private static (Vector<T> Value, bool Rows, bool Mean) Reduce(string name, Matrix<T> a) => name switch
    {
        "RowSums" => (Ops.RowSums(a), true, false),
        "RowMeans" => (Ops.RowMeans(a), true, true),
        "ColumnSums" => (Ops.ColumnSums(a), false, false),
        _ => (Ops.ColumnMeans(a), false, true),
    };

    private static Matrix<T> Spread(string name, Matrix<T> like, Vector<T> x) => name switch
    {
        "RowSums" => Linear.SpreadColumns(like, x),
        "RowMeans" => Linear.SpreadColumnsMean(like, x),
        "ColumnSums" => Linear.SpreadRows(like, x),
        _ => Linear.SpreadRowsMean(like, x),
    };

    [Theory]
    [MemberData(nameof(Reductions))]
    public void MatchesNaiveLoops_OnEveryShape(string name)
    {
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var values = Inputs.RandomMatrix<T>(rows, cols, seed: (rows * 7) + cols, -3, 3);
            var a = Matrix<T>.FromArray(values);
            var (actual, byRow, mean) = Reduce(name, a);
            int length = byRow ? rows : cols;
            var expected = new double[length];
            for (int k = 0; k < length; k++)
            {
                int count = byRow ? cols : rows;
                double sum = 0;
                for (int l = 0; l < count; l++)
                {
                    sum += Naive.D(byRow ? values[k, l] : values[l, k]);
                }
                expected[k] = mean ? sum / count : sum;
            }
            double scale = Math.Max(1, byRow ? cols : rows);
            Near.VectorEqual(expected, actual, Near.Tol<T>(4) * scale * 3, $"{name} {rows}×{cols}");
            Assert.Equal(values, a.ToArray());
        }
    }

    [Fact]
    public void MeansOverNothingAreNaN()
    {
        Assert.All(Ops.RowMeans(new Matrix<T>(3, 0)).ToArray(), v => Assert.True(T.IsNaN(v)));
        Assert.All(Ops.ColumnMeans(new Matrix<T>(0, 4)).ToArray(), v => Assert.True(T.IsNaN(v)));
        Assert.All(Ops.RowSums(new Matrix<T>(3, 0)).ToArray(), v => Assert.Equal(T.Zero, v));
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void SpreadIsTheTranspose_AndMatchesItsDefinition(string name)
    {
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var a = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(rows, cols, seed: rows + (3 * cols), -1, 1));
            var (reduced, byRow, mean) = Reduce(name, a);
            var x = Vector<T>.FromArray(Inputs.RandomArray<T>(reduced.Length, seed: rows + cols + 1, -1, 1));
            var spread = Spread(name, a, x);
            var expected = new double[rows, cols];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    double v = Naive.D(x[byRow ? i : j]);
                    expected[i, j] = mean ? v / (byRow ? cols : rows) : v;
                }
            }
            Near.MatrixEqual(expected, spread, Near.Tol<T>(1), $"spread of {name} {rows}×{cols}");
            if (mean && (byRow ? cols : rows) == 0)
            {
                continue; // the means are NaN (over nothing) and the spread is empty
            }
            double left = Enumerable.Range(0, x.Length).Sum(k => Naive.D(x[k]) * Naive.D(reduced[k]));
            double right = 0;
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    right += Naive.D(spread[i, j]) * Naive.D(a[i, j]);
                }
            }
            Assert.True(Math.Abs(left - right) <= Near.Tol<T>(8) * (rows * cols + 1), $"⟨x, {name}(A)⟩ = {left}, ⟨spread, A⟩ = {right}");
        }
    }

    [Fact]
    public void SpreadRejectsAWrongLength()
    {
        var a = new Matrix<T>(3, 4);
        Assert.Throws<ArgumentException>(() => Linear.SpreadColumns(a, new Vector<T>(4)));
        Assert.Throws<ArgumentException>(() => Linear.SpreadRowsMean(a, new Vector<T>(3)));
    }
}

public sealed class RowColumnReductionTestsFloat : RowColumnReductionTests<float>
{
}

public sealed class RowColumnReductionTestsDouble : RowColumnReductionTests<double>
{
}
