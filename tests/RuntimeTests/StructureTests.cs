using System.Numerics;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>Transpose and Outer against loops (Inverse and Solve are in <see cref="LuTests{T}"/>).</summary>
public abstract class StructureTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Fact]
    public void TransposeSwapsIndices()
    {
        var shapes = Shapes.Matrices.Concat([(32, 33), (33, 32), (64, 65), (100, 3)]);
        foreach (var (rows, cols) in shapes)
        {
            var a = Inputs.RandomMatrix<T>(rows, cols, seed: rows * cols);
            var m = Matrix<T>.FromArray(a);
            var t = Transpose(m);
            Assert.Equal(cols, t.Rows);
            Assert.Equal(rows, t.Cols);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    Assert.Equal(a[i, j], t[j, i]);
                }
            }

            Assert.Equal(a, m.ToArray());
        }
    }

    [Fact]
    public void OuterIsXYTransposed()
    {
        int[] lengths = [0, 1, 2, 3, 7, 16, 17, 33, 67];
        foreach (int m in lengths)
        {
            foreach (int n in lengths)
            {
                var x = Inputs.RandomArray<T>(m, seed: m);
                var y = Inputs.RandomArray<T>(n, seed: 100 + n);
                var expected = new double[m, n];
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        expected[i, j] = Naive.D(x[i]) * Naive.D(y[j]);
                    }
                }

                Near.MatrixEqual(expected, Outer(Vector<T>.FromArray(x), Vector<T>.FromArray(y)), Near.Tol<T>(1), $"Outer {m}×{n}");
            }
        }
    }
}

public sealed class StructureTestsFloat : StructureTests<float>
{
}

public sealed class StructureTestsDouble : StructureTests<double>
{
}
