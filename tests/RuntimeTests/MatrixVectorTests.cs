using System.Numerics;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>Construction, indexing, copies and text of <see cref="Matrix{T}"/> and <see cref="Vector{T}"/>.</summary>
public abstract class MatrixVectorTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T V(double x) => T.CreateChecked(x);

    [Fact]
    public void NewMatrixIsZerosOfTheGivenShape()
    {
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var m = new Matrix<T>(rows, cols);
            Assert.Equal(rows, m.Rows);
            Assert.Equal(cols, m.Cols);
            Assert.Equal(rows * cols, m.AsSpan().Length);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    Assert.Equal(T.Zero, m[i, j]);
                }
            }
        }
    }

    [Fact]
    public void NegativeDimensionsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<T>(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<T>(2, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Vector<T>(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Matrix<T>.Identity(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<T>(int.MaxValue, 3));
    }

    [Fact]
    public void IndexerIsRowMajorAndSettable()
    {
        var m = new Matrix<T>(3, 4);
        m[1, 2] = V(5);
        m[2, 3] = V(-7);
        Assert.Equal(V(5), m.AsSpan()[(1 * 4) + 2]);
        Assert.Equal(V(-7), m.AsSpan()[11]);
        m.AsSpan()[4] = V(9);
        Assert.Equal(V(9), m[1, 0]);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    [InlineData(3, 0)]
    [InlineData(0, 4)]
    [InlineData(int.MinValue, 0)]
    public void MatrixIndexerIsBoundsChecked(int row, int col)
    {
        var m = new Matrix<T>(3, 4);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => m[row, col]);
        Assert.Contains("3×4", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => m[row, col] = T.One);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    public void VectorIndexerIsBoundsChecked(int index)
    {
        var v = new Vector<T>(5);
        Assert.Throws<ArgumentOutOfRangeException>(() => v[index]);
        Assert.Throws<ArgumentOutOfRangeException>(() => v[index] = T.One);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Vector<T>(0)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<T>(0, 3)[0, 0]);
    }

    [Fact]
    public void FromArrayAndToArrayCopy()
    {
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var source = Inputs.RandomMatrix<T>(rows, cols, seed: rows + (100 * cols));
            var m = Matrix<T>.FromArray(source);
            Assert.Equal(rows, m.Rows);
            Assert.Equal(cols, m.Cols);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    Assert.Equal(source[i, j], m[i, j]);
                }
            }

            var back = m.ToArray();
            Assert.Equal(source, back);
            if (rows > 0 && cols > 0)
            {
                source[0, 0] = V(42);
                Assert.NotEqual(V(42), m[0, 0]);
                back[rows - 1, cols - 1] = V(43);
                Assert.NotEqual(V(43), m[rows - 1, cols - 1]);
            }
        }
    }

    [Fact]
    public void FromArrayHonoursNonZeroLowerBounds()
    {
        var source = (T[,])Array.CreateInstance(typeof(T), [2, 3], [5, -1]);
        source[5, -1] = V(1);
        source[6, 1] = V(6);
        var m = Matrix<T>.FromArray(source);
        Assert.Equal(V(1), m[0, 0]);
        Assert.Equal(V(6), m[1, 2]);
    }

    [Fact]
    public void VectorFromArrayToArrayCopy()
    {
        foreach (int n in Shapes.Lengths)
        {
            var source = Inputs.RandomArray<T>(n, seed: n);
            var v = Vector<T>.FromArray(source);
            Assert.Equal(n, v.Length);
            Assert.Equal(source, v.ToArray());
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(source[i], v[i]);
            }

            if (n > 0)
            {
                source[0] = V(42);
                Assert.NotEqual(V(42), v[0]);
                v.ToArray()[n - 1] = V(43);
                Assert.NotEqual(V(43), v[n - 1]);
                v.AsSpan()[n - 1] = V(44);
                Assert.Equal(V(44), v[n - 1]);
            }
        }
    }

    [Fact]
    public void IdentityHasOnesOnTheDiagonal()
    {
        foreach (int n in Shapes.SquareSizes)
        {
            var id = Matrix<T>.Identity(n);
            Assert.Equal(n, id.Rows);
            Assert.Equal(n, id.Cols);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    Assert.Equal(i == j ? T.One : T.Zero, id[i, j]);
                }
            }
        }
    }

    [Fact]
    public void CloneIsDeep()
    {
        var m = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(3, 5, 1));
        var c = m.Clone();
        Assert.Equal(m.ToArray(), c.ToArray());
        c[2, 4] = V(99);
        Assert.NotEqual(V(99), m[2, 4]);

        var v = Vector<T>.FromArray(Inputs.RandomArray<T>(4, 2));
        var d = v.Clone();
        Assert.Equal(v.ToArray(), d.ToArray());
        d[3] = V(99);
        Assert.NotEqual(V(99), v[3]);
        Assert.Equal(0, new Vector<T>(0).Clone().Length);
        Assert.Equal(0, new Matrix<T>(0, 3).Clone().Rows);
    }

    [Fact]
    public void ToStringShowsShapeAndElements()
    {
        var m = Matrix<T>.FromArray(new[,] { { V(1), V(2.5), V(-3) }, { V(4), V(5), V(6) } });
        string text = m.ToString();
        Assert.Contains("2×3", text);
        Assert.Contains("2.5", text);
        Assert.Contains("-3", text);
        Assert.Equal(3, text.Split('\n').Length);

        string big = new Matrix<T>(20, 30).ToString();
        Assert.Contains("20×30", big);
        Assert.Contains("…", big);
        Assert.Contains("12 more rows", big);

        string vector = Vector<T>.FromArray([V(1), V(-2), V(0.25)]).ToString();
        Assert.Contains("3", vector);
        Assert.Contains("-2", vector);
        Assert.Contains("0.25", vector);
        Assert.Contains("…", new Vector<T>(40).ToString());
        Assert.Contains("0×0", new Matrix<T>(0, 0).ToString());
    }
}

public sealed class MatrixVectorTestsFloat : MatrixVectorTests<float>
{
}

public sealed class MatrixVectorTestsDouble : MatrixVectorTests<double>
{
}
