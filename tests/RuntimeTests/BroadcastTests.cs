using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary><see cref="Broadcast"/>: constant fills, row sums (the bias adjoint) and c·I.</summary>
public abstract class BroadcastTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T V(double x) => T.CreateChecked(x);

    [Fact]
    public void FilledSetsEveryElement()
    {
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var m = Linear.Filled(rows, cols, V(2.5));
            Assert.Equal(rows, m.Rows);
            Assert.Equal(cols, m.Cols);
            Assert.All(m.ToArray().Cast<T>(), x => Assert.Equal(V(2.5), x));
        }

        foreach (int n in Shapes.Lengths)
        {
            var v = Linear.Filled(n, V(-1));
            Assert.Equal(n, v.Length);
            Assert.All(v.ToArray(), x => Assert.Equal(V(-1), x));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Linear.Filled(-1, 2, T.One));
        Assert.Throws<ArgumentOutOfRangeException>(() => Linear.Filled(-1, T.One));
        Assert.Throws<ArgumentOutOfRangeException>(() => Linear.ScaledIdentity(-1, T.One));
    }

    [Fact]
    public void SumColumnsIsMatrixTimesOnes()
    {
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var a = Inputs.RandomMatrix<T>(rows, cols, seed: rows + (3 * cols));
            var ones = new double[cols, 1];
            for (int j = 0; j < cols; j++)
            {
                ones[j, 0] = 1;
            }

            var expected = Naive.Flatten(Naive.Multiply(Naive.ToDouble(a), ones));
            var actual = Linear.SumColumns(Matrix<T>.FromArray(a));
            Assert.Equal(rows, actual.Length);
            Near.VectorEqual(expected, actual, Near.Tol<T>(4 * (cols + 1)), $"SumColumns {rows}×{cols}");
        }
    }

    [Fact]
    public void SumColumnsIsTheAdjointOfColumnBroadcast()
    {
        // ⟨G, A + b1ᵀ⟩ is affine in b with gradient G·1: check against the definition.
        var g = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(4, 6, seed: 1));
        var a = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(4, 6, seed: 2));
        var b = Vector<T>.FromArray(Inputs.RandomArray<T>(4, seed: 3));
        var gradient = Linear.SumColumns(g);
        for (int i = 0; i < 4; i++)
        {
            var bumped = b.Clone();
            bumped[i] += T.One;
            T change = Ops.Dot(g, a + bumped) - Ops.Dot(g, a + b);
            Near.ScalarEqual(Naive.D(gradient[i]), change, Near.Tol<T>(64), $"∂/∂b{i}");
        }
    }

    /// <summary>A + s, s + A, A − s, s − A against naive loops, for every shape; the operand is never written.</summary>
    [Fact]
    public void ScalarBroadcastOperatorsMatchNaiveLoops()
    {
        var s = V(0.375);
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var raw = Inputs.RandomMatrix<T>(rows, cols, seed: (7 * rows) + cols);
            var a = Matrix<T>.FromArray(raw);
            var cases = new (Matrix<T> Got, Func<T, T> Expected, string Name)[]
            {
                (a + s, x => x + s, "A + s"), (s + a, x => s + x, "s + A"), (a - s, x => x - s, "A - s"), (s - a, x => s - x, "s - A"),
            };
            foreach (var (got, expected, name) in cases)
            {
                Assert.Equal(rows, got.Rows);
                Assert.Equal(cols, got.Cols);
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j < cols; j++)
                    {
                        Assert.True(expected(raw[i, j]) == got[i, j], $"{name} {rows}×{cols} at ({i}, {j})");
                    }
                }
            }
            Assert.Equal(raw, a.ToArray());
        }

        foreach (int n in Shapes.Lengths)
        {
            var raw = Inputs.RandomArray<T>(n, seed: n + 1);
            var x = Vector<T>.FromArray(raw);
            var cases = new (Vector<T> Got, Func<T, T> Expected, string Name)[]
            {
                (x + s, v => v + s, "x + s"), (s + x, v => s + v, "s + x"), (x - s, v => v - s, "x - s"), (s - x, v => s - v, "s - x"),
            };
            foreach (var (got, expected, name) in cases)
            {
                Assert.Equal(n, got.Length);
                for (int i = 0; i < n; i++)
                {
                    Assert.True(expected(raw[i]) == got[i], $"{name} {n} at {i}");
                }
            }
            Assert.Equal(raw, x.ToArray());
        }
    }

    /// <summary>Null operands throw; a destination that is the operand throws before anything is written.</summary>
    [Fact]
    public void ScalarBroadcastRejectsNullAndAliasedDestinations()
    {
        Assert.Throws<ArgumentNullException>(() => Linear.AddScalar((Matrix<T>)null!, T.One));
        Assert.Throws<ArgumentNullException>(() => Linear.SubtractScalar(T.One, (Vector<T>)null!));
        var a = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(3, 2, seed: 5));
        var before = a.ToArray();
        Matrix<T>? alias = a;
        Assert.Throws<ArgumentException>(() => Linear.SubtractScalar(T.One, a, ref alias));
        Assert.Equal(before, a.ToArray());
        var x = Vector<T>.FromArray(Inputs.RandomArray<T>(4, seed: 6));
        var xBefore = x.ToArray();
        Vector<T>? xAlias = x;
        Assert.Throws<ArgumentException>(() => Linear.AddScalar(x, T.One, ref xAlias));
        Assert.Equal(xBefore, x.ToArray());
    }

    [Fact]
    public void ScaledIdentityIsCTimesI()
    {
        foreach (int n in Shapes.SquareSizes)
        {
            var m = Linear.ScaledIdentity(n, V(-3));
            Assert.Equal(n, m.Rows);
            Assert.Equal(n, m.Cols);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    Assert.Equal(i == j ? V(-3) : T.Zero, m[i, j]);
                }
            }
        }
    }
}

public sealed class BroadcastTestsFloat : BroadcastTests<float>
{
}

public sealed class BroadcastTestsDouble : BroadcastTests<double>
{
}
