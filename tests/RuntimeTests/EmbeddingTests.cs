using System.Numerics;
using AutoGradGen.Compute;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Embedding(E, ids) = E_{:,ids} and its adjoint ScatterEmbedding against index loops (repeated ids, empty ids,
/// odd shapes); the Into forms reuse their slot and allocate nothing warm; ScatterEmbeddingAddTo touches only the
/// columns ids (accumulate: true) or the whole buffer (accumulate: false); bad ids and shapes are rejected before
/// anything is written.
/// </summary>
public abstract class EmbeddingTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static Matrix<T> M(int rows, int cols, int seed) => Matrix<T>.FromArray(Inputs.RandomMatrix<T>(rows, cols, seed));

    private static readonly (int D, int V, int[] Ids)[] Cases =
    [
        (1, 1, [0]),
        (3, 5, [4, 0, 4, 2, 4]),
        (4, 2, [1, 1, 1]),
        (2, 7, []),
        (5, 17, [16, 3, 0, 9, 3, 12, 1, 16]),
        (1, 9, [8, 7, 6, 5, 4, 3, 2, 1, 0]),
    ];

    [Fact]
    public void Embedding_ReadsColumnIdsOfE_ForEveryK()
    {
        foreach (var (d, v, ids) in Cases)
        {
            var e = M(d, v, (d * 31) + v);
            var h = Embedding(e, ids);
            Assert.Equal((d, ids.Length), (h.Rows, h.Cols));
            for (int k = 0; k < ids.Length; k++)
            {
                for (int r = 0; r < d; r++)
                {
                    Assert.Equal(e[r, ids[k]], h[r, k]);
                }
            }
        }
    }

    [Fact]
    public void ScatterEmbedding_AddsColumnKOfTheGradientIntoColumnIdsK()
    {
        foreach (var (d, v, ids) in Cases)
        {
            var e = M(d, v, (d * 17) + v);
            var g = M(d, ids.Length, (d * 13) + v);
            var expected = new double[d, v];
            for (int k = 0; k < ids.Length; k++)
            {
                for (int r = 0; r < d; r++)
                {
                    expected[r, ids[k]] += Naive.D(g[r, k]);
                }
            }
            Near.MatrixEqual(expected, Slicing.ScatterEmbedding(e, g, ids), Near.Tol<T>(8), "ScatterEmbedding " + d + "×" + v);

            // In place: accumulate: false overwrites a dirty buffer; accumulate: true adds a second copy.
            var target = M(d, v, 99);
            Slicing.ScatterEmbeddingAddTo(target, g, ids, accumulate: false);
            Near.MatrixEqual(expected, target, Near.Tol<T>(8), "ScatterEmbeddingAddTo, overwrite");
            Slicing.ScatterEmbeddingAddTo(target, g, ids);
            var twice = new double[d, v];
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < v; c++)
                {
                    twice[r, c] = 2 * expected[r, c];
                }
            }
            Near.MatrixEqual(twice, target, Near.Tol<T>(8), "ScatterEmbeddingAddTo, accumulate");
        }
    }

    [Fact]
    public void ScatterEmbeddingAddTo_Accumulating_TouchesOnlyTheColumnsIds()
    {
        // −0 in every entry: adding anything (even +0) makes it +0, so an entry never written keeps its sign bit.
        var g = M(3, 4, 5);
        g[1, 1] = T.Zero;   // column 2 receives only this +0 at row 1: a write all the same (−0 becomes +0)
        int[] ids = [6, 2, 6, 0];
        var target = new Matrix<T>(3, 8);
        target.AsSpan().Fill(T.NegativeZero);
        Slicing.ScatterEmbeddingAddTo(target, g, ids);
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 8; c++)
            {
                if (c is 0 or 2 or 6)
                {
                    var want = c == 6 ? g[r, 0] + g[r, 2] : c == 2 ? g[r, 1] : g[r, 3];
                    Assert.Equal(want, target[r, c]);
                    Assert.Equal(T.IsNegative(want), T.IsNegative(target[r, c]));   // −0 + x is x, and −0 + (+0) is +0
                }
                else
                {
                    Assert.True(T.IsNegative(target[r, c]) && target[r, c] == T.Zero, "column " + c + " was written");
                }
            }
        }
    }

    [Fact]
    public void IntoForms_ReuseTheDestination_AndAllocateNothingWarm()
    {
        var e = M(6, 11, 21);
        var g = M(6, 5, 22);
        int[] ids = [10, 0, 3, 3, 7];
        Matrix<T>? h = null, scatter = null;
        var buffer = new Matrix<T>(6, 11);
        void Run()
        {
            Slicing.Embedding(e, ids, ref h);
            Slicing.ScatterEmbedding(e, g, ids, ref scatter);
            Slicing.ScatterEmbeddingAddTo(buffer, g, ids);
            Slicing.ScatterEmbeddingAddTo(buffer, g, ids, accumulate: false);
        }
        Run();
        var first = (h, scatter);
        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Same(first.h, h);
        Assert.Same(first.scatter, scatter);
        Assert.Equal(Slicing.Embedding(e, ids).AsSpan().ToArray(), h!.AsSpan().ToArray());
        Assert.Equal(Slicing.ScatterEmbedding(e, g, ids).AsSpan().ToArray(), scatter!.AsSpan().ToArray());

        // A slot of another shape is replaced; a dirty slot of the right shape is fully overwritten.
        Matrix<T>? wrong = new Matrix<T>(2, 2);
        var replaced = Slicing.Embedding(e, ids, ref wrong);
        Assert.Equal((6, 5), (replaced.Rows, replaced.Cols));
        Assert.Same(replaced, wrong);
        Matrix<T>? dirty = M(6, 11, 23);
        Assert.Equal(Slicing.ScatterEmbedding(e, g, ids).AsSpan().ToArray(), Slicing.ScatterEmbedding(e, g, ids, ref dirty).AsSpan().ToArray());
    }

    [Fact]
    public void BadIds_ThrowOutOfRange_NamingTheIndexAndTheShape_AndWriteNothing()
    {
        var e = M(3, 4, 31);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Embedding(e, [1, 2, 4, 0]));
        Assert.Equal("ids", error.ParamName);
        Assert.Contains("ids[2] = 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("3×4", error.Message, StringComparison.Ordinal);
        Assert.Contains("ids[0] = -1", Assert.Throws<ArgumentOutOfRangeException>(() => Embedding(e, [-1])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => Embedding(e, null!));

        // Into forms and scatters: an id beyond the matrix is found before the first (valid) column is written.
        var keep = M(3, 2, 32);
        var before = keep.ToArray();
        Matrix<T>? slot = keep;
        Assert.Throws<ArgumentOutOfRangeException>(() => Slicing.Embedding(e, [0, 9], ref slot));
        Assert.Same(keep, slot);
        var target = M(3, 4, 33);
        var targetBefore = target.ToArray();
        Assert.Throws<ArgumentOutOfRangeException>(() => Slicing.ScatterEmbeddingAddTo(target, M(3, 2, 34), [1, 4], accumulate: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Slicing.ScatterEmbedding(target, M(3, 2, 34), [1, 4]));
        Assert.Equal(before, keep.ToArray());
        Assert.Equal(targetBefore, target.ToArray());
    }

    [Fact]
    public void MismatchedGradients_ThrowNamingBothShapes_AndWriteNothing()
    {
        var target = M(3, 5, 41);
        var before = target.ToArray();
        var wrongCount = Assert.Throws<ArgumentException>(() => Slicing.ScatterEmbeddingAddTo(target, M(3, 2, 42), [0, 1, 2], accumulate: false));
        Assert.Contains("3×2", wrongCount.Message, StringComparison.Ordinal);
        Assert.Contains("3×5", wrongCount.Message, StringComparison.Ordinal);
        Assert.Contains("3×3", wrongCount.Message, StringComparison.Ordinal);   // what it must be
        var wrongRows = Assert.Throws<ArgumentException>(() => Slicing.ScatterEmbedding(target, M(2, 3, 43), [0, 1, 2]));
        Assert.Contains("2×3", wrongRows.Message, StringComparison.Ordinal);
        Assert.Contains("3×5", wrongRows.Message, StringComparison.Ordinal);
        Assert.Equal(before, target.ToArray());

        // A destination must not be an input.
        var e = M(3, 3, 44);
        Matrix<T>? self = e;
        Assert.Throws<ArgumentException>(() => Slicing.Embedding(e, [2, 1, 0], ref self));
        var g = M(3, 3, 45);
        Assert.Throws<ArgumentException>(() => Slicing.ScatterEmbeddingAddTo(g, g, [0, 1, 2]));
    }
}

public sealed class EmbeddingTestsFloat : EmbeddingTests<float>
{
}

public sealed class EmbeddingTestsDouble : EmbeddingTests<double>
{
}
