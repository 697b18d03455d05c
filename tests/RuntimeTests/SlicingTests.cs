using System.Numerics;
using AutoGradGen.Compute;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Element and slice reads, concatenation and their scatter adjoints against loops over indices; destination
/// reuse and zero allocation of the Into forms; bad indices and shapes rejected before anything is written.
/// </summary>
public abstract class SlicingTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly (int Rows, int Cols)[] Sizes = [(1, 1), (2, 3), (3, 2), (4, 4), (7, 5), (5, 17)];

    private static Matrix<T> M(int rows, int cols, int seed) => Matrix<T>.FromArray(Inputs.RandomMatrix<T>(rows, cols, seed));

    private static Vector<T> V(int n, int seed) => Vector<T>.FromArray(Inputs.RandomArray<T>(n, seed));

    [Fact]
    public void ColumnRowAndDiagonal_ReadTheirEntries()
    {
        foreach (var (rows, cols) in Sizes)
        {
            var a = M(rows, cols, rows * 31 + cols);
            for (int j = 0; j < cols; j++)
            {
                var c = Column(a, j);
                Assert.Equal(rows, c.Length);
                for (int i = 0; i < rows; i++)
                {
                    Assert.Equal(a[i, j], c[i]);
                }
            }
            for (int i = 0; i < rows; i++)
            {
                var r = Row(a, i);
                Assert.Equal(cols, r.Length);
                for (int j = 0; j < cols; j++)
                {
                    Assert.Equal(a[i, j], r[j]);
                }
            }
            var d = Diagonal(a);
            Assert.Equal(Math.Min(rows, cols), d.Length);
            for (int k = 0; k < d.Length; k++)
            {
                Assert.Equal(a[k, k], d[k]);
                Assert.Equal(a[k, k], Slicing.Element(a, k, k));
            }
        }
    }

    [Fact]
    public void SlicesAndConcatenations_MatchIndexLoops()
    {
        var a = M(5, 4, 1);
        var b = M(3, 4, 2);
        var c = M(5, 2, 3);
        var rows = SliceRows(a, 1, 3);
        var cols = SliceColumns(a, 2, 2);
        var above = ConcatRows(a, b);
        var beside = ConcatColumns(a, c);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                Assert.Equal(a[1 + i, j], rows[i, j]);
            }
        }
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                Assert.Equal(a[i, 2 + j], cols[i, j]);
            }
        }
        Assert.Equal((8, 4), (above.Rows, above.Cols));
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                Assert.Equal(i < 5 ? a[i, j] : b[i - 5, j], above[i, j]);
            }
        }
        Assert.Equal((5, 6), (beside.Rows, beside.Cols));
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                Assert.Equal(j < 4 ? a[i, j] : c[i, j - 4], beside[i, j]);
            }
        }
        var x = V(4, 5);
        var y = V(3, 6);
        var xy = ConcatRows(x, y);
        var middle = SliceRows(xy, 2, 4);
        for (int k = 0; k < 7; k++)
        {
            Assert.Equal(k < 4 ? x[k] : y[k - 4], xy[k]);
        }
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal(xy[2 + k], middle[k]);
        }
        Assert.Equal(0, SliceRows(a, 5, 0).Rows);
        Assert.Equal(0, SliceColumns(a, 0, 0).Cols);
    }

    [Fact]
    public void Scatters_PutTheGradientInTheBlock_AndAddToAccumulates()
    {
        var like = M(4, 5, 7);
        var g = V(4, 8);
        var h = V(5, 9);
        var block = M(2, 5, 10);
        var side = M(4, 3, 11);
        var diag = V(4, 12);
        T s = T.CreateChecked(0.75);
        var expected = new double[4, 5];
        for (int i = 0; i < 4; i++)
        {
            expected[i, 3] += Naive.D(g[i]);
            expected[i, 1 + 0] += Naive.D(side[i, 0]);
            expected[i, 1 + 1] += Naive.D(side[i, 1]);
            expected[i, 1 + 2] += Naive.D(side[i, 2]);
            expected[i, i] += Naive.D(diag[i]);
        }
        for (int j = 0; j < 5; j++)
        {
            expected[2, j] += Naive.D(h[j]);
            expected[1, j] += Naive.D(block[0, j]);
            expected[2, j] += Naive.D(block[1, j]);
        }
        expected[3, 4] += Naive.D(s);

        var sum = Slicing.ScatterColumn(like, g, 3) + Slicing.ScatterRow(like, h, 2) + Slicing.ScatterRows(like, block, 1)
                  + Slicing.ScatterColumns(like, side, 1) + Slicing.ScatterDiagonal(like, diag) + Slicing.ScatterElement(like, s, 3, 4);
        Near.MatrixEqual(expected, sum, Near.Tol<T>(8), "scatters, allocating");

        var target = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(4, 5, 13));   // overwritten by the first accumulate: false
        Slicing.ScatterColumnAddTo(target, g, 3, accumulate: false);
        Slicing.ScatterRowAddTo(target, h, 2);
        Slicing.ScatterRowsAddTo(target, block, 1);
        Slicing.ScatterColumnsAddTo(target, side, 1);
        Slicing.ScatterDiagonalAddTo(target, diag);
        Slicing.ScatterElementAddTo(target, s, 3, 4);
        Near.MatrixEqual(expected, target, Near.Tol<T>(8), "scatters, in place");

        var v = V(6, 14);
        var part = V(3, 15);
        var scattered = Slicing.ScatterRows(v, part, 2);
        var one = Slicing.ScatterElement(v, s, 5);
        for (int k = 0; k < 6; k++)
        {
            Assert.Equal(k is >= 2 and < 5 ? part[k - 2] : T.Zero, scattered[k]);
            Assert.Equal(k == 5 ? s : T.Zero, one[k]);
        }
    }

    [Fact]
    public void IntoForms_ReuseTheDestination_AndAllocateNothingWarm()
    {
        var a = M(6, 5, 21);
        var b = M(6, 2, 22);
        var g = V(6, 23);
        Vector<T>? column = null, row = null, diagonal = null;
        Matrix<T>? rows = null, cols = null, beside = null, scatter = null;
        var buffer = new Matrix<T>(6, 5);
        void Run()
        {
            Slicing.Column(a, 3, ref column);
            Slicing.Row(a, 2, ref row);
            Slicing.Diagonal(a, ref diagonal);
            Slicing.SliceRows(a, 1, 4, ref rows);
            Slicing.SliceColumns(a, 1, 3, ref cols);
            Slicing.ConcatColumns(a, b, ref beside);
            Slicing.ScatterColumn(a, g, 4, ref scatter);
            Slicing.ScatterColumnAddTo(buffer, g, 1);
            Slicing.ScatterElementAddTo(buffer, a[0, 0], 5, 4);
            _ = Slicing.Element(a, 5, 4);
        }
        Run();
        var first = (column, rows, beside);
        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Same(first.column, column);
        Assert.Same(first.rows, rows);
        Assert.Same(first.beside, beside);
    }

    /// <summary>Runs an Into form twice on one slot: it equals the allocating form and keeps the slot (a slot of another shape is replaced).</summary>
    private static void SameAsAllocating<TDense>(Func<TDense> allocating, Func<TDense?, (TDense Result, TDense? Slot)> into, Func<TDense, T[]> data)
        where TDense : class
    {
        var expected = data(allocating());
        var (first, slot) = into(null);
        Assert.Equal(expected, data(first));
        var (second, again) = into(slot);
        Assert.Same(slot, again);
        Assert.Same(first, second);
        Assert.Equal(expected, data(second));
    }

    private static T[] Flat(Matrix<T> m) => m.AsSpan().ToArray();

    private static T[] Flat(Vector<T> v) => v.AsSpan().ToArray();

    [Fact]
    public void EveryIntoForm_EqualsItsAllocatingForm_AndReusesItsSlot()
    {
        var a = M(5, 4, 41);
        var b = M(2, 4, 42);
        var c = M(5, 3, 43);
        var x = V(5, 44);
        var y = V(3, 45);
        var g4 = V(4, 46);
        T s = T.CreateChecked(1.5);
        SameAsAllocating(() => Slicing.Column(a, 2), slot => { var r = Slicing.Column(a, 2, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.Row(a, 4), slot => { var r = Slicing.Row(a, 4, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.Diagonal(a), slot => { var r = Slicing.Diagonal(a, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.SliceRows(a, 1, 3), slot => { var r = Slicing.SliceRows(a, 1, 3, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.SliceRows(x, 1, 3), slot => { var r = Slicing.SliceRows(x, 1, 3, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.SliceColumns(a, 1, 2), slot => { var r = Slicing.SliceColumns(a, 1, 2, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.ConcatRows(a, b), slot => { var r = Slicing.ConcatRows(a, b, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.ConcatRows(x, y), slot => { var r = Slicing.ConcatRows(x, y, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.ConcatColumns(a, c), slot => { var r = Slicing.ConcatColumns(a, c, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.ScatterElement(a, s, 3, 1), slot => { var r = Slicing.ScatterElement(a, s, 3, 1, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.ScatterElement(x, s, 3), slot => { var r = Slicing.ScatterElement(x, s, 3, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.ScatterColumn(a, x, 3), slot => { var r = Slicing.ScatterColumn(a, x, 3, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.ScatterRow(a, g4, 0), slot => { var r = Slicing.ScatterRow(a, g4, 0, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.ScatterRows(a, b, 3), slot => { var r = Slicing.ScatterRows(a, b, 3, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.ScatterRows(x, y, 2), slot => { var r = Slicing.ScatterRows(x, y, 2, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.ScatterColumns(a, c, 1), slot => { var r = Slicing.ScatterColumns(a, c, 1, ref slot); return (r, slot); }, Flat);
        SameAsAllocating(() => Slicing.ScatterDiagonal(a, g4), slot => { var r = Slicing.ScatterDiagonal(a, g4, ref slot); return (r, slot); }, Flat);

        // A slot of another shape is replaced; a dirty slot of the right shape is fully overwritten.
        Matrix<T>? wrong = new Matrix<T>(2, 2);
        var replaced = Slicing.ScatterColumn(a, x, 3, ref wrong);
        Assert.Equal((5, 4), (replaced.Rows, replaced.Cols));
        Matrix<T>? dirty = M(5, 4, 47);
        Assert.Equal(Flat(Slicing.ScatterColumn(a, x, 3)), Flat(Slicing.ScatterColumn(a, x, 3, ref dirty)));
    }

    [Fact]
    public void BadIndices_ThrowOutOfRange_NamingShapeAndIndex_AndWriteNothing()
    {
        var a = M(3, 4, 31);
        var columnError = Assert.Throws<ArgumentOutOfRangeException>(() => Column(a, 4));
        Assert.Contains("3×4", columnError.Message, StringComparison.Ordinal);
        Assert.Contains("index 4", columnError.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Column(a, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Row(a, 3));
        var sliceError = Assert.Throws<ArgumentOutOfRangeException>(() => SliceRows(a, 2, 2));
        Assert.Contains("3×4", sliceError.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => SliceRows(a, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SliceColumns(a, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SliceColumns(a, 3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SliceRows(V(3, 1), 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Slicing.Element(a, 0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Slicing.Element(V(3, 1), 3));

        var keep = M(3, 4, 32);
        var before = keep.ToArray();
        Matrix<T>? slot = keep;
        Assert.Throws<ArgumentOutOfRangeException>(() => Slicing.SliceColumns(a, 2, 3, ref slot));
        Assert.Throws<ArgumentOutOfRangeException>(() => Slicing.ScatterElementAddTo(keep, T.One, 3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Slicing.ScatterRowsAddTo(keep, M(2, 4, 1), 2));
        Assert.Throws<ArgumentException>(() => Slicing.ScatterColumnAddTo(keep, V(4, 1), 0));
        Assert.Throws<ArgumentException>(() => Slicing.ScatterColumnsAddTo(keep, M(2, 1, 1), 0));
        Assert.Equal(before, keep.ToArray());
    }

    [Fact]
    public void MismatchedConcatenations_ThrowNamingBothShapes()
    {
        var rows = Assert.Throws<ArgumentException>(() => ConcatRows(M(2, 3, 1), M(2, 4, 2)));
        Assert.Contains("2×3", rows.Message, StringComparison.Ordinal);
        Assert.Contains("2×4", rows.Message, StringComparison.Ordinal);
        var cols = Assert.Throws<ArgumentException>(() => ConcatColumns(M(2, 3, 1), M(3, 3, 2)));
        Assert.Contains("2×3", cols.Message, StringComparison.Ordinal);
        Assert.Contains("3×3", cols.Message, StringComparison.Ordinal);
        var a = M(2, 2, 3);
        Matrix<T>? self = a;
        Assert.Throws<ArgumentException>(() => Slicing.ConcatRows(a, M(1, 2, 4), ref self));
    }
}

public sealed class SlicingTestsFloat : SlicingTests<float>
{
}

public sealed class SlicingTestsDouble : SlicingTests<double>
{
}
