using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Interop of <see cref="Matrix{T}"/> and <see cref="Vector{T}"/> with arrays, <see cref="Memory{T}"/>,
/// spans and System.Numerics.Tensors: the wrapping members alias (a write through one view is read
/// through the other), the copying ones do not, and shape errors name both shapes.
/// </summary>
public abstract class InteropTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T V(double x) => T.CreateChecked(x);

    private static T[] Sequence(int n) => Enumerable.Range(1, n).Select(i => V(i)).ToArray();

    [Fact]
    public void WrappedArrayAndMatrixAreOneStorage()
    {
        var storage = Sequence(6);
        var m = Matrix<T>.Wrap(storage, 2, 3);
        Assert.Equal(V(6), m[1, 2]);                       // row-major: (1, 2) is storage[1 * 3 + 2]
        storage[4] = V(-7);
        Assert.Equal(V(-7), m[1, 1]);                      // array write, matrix read
        m[0, 2] = V(42);
        Assert.Equal(V(42), storage[2]);                   // matrix write, array read
    }

    [Fact]
    public void WrappedMemoryAndMatrixAreOneStorage()
    {
        var storage = Sequence(6);
        Memory<T> memory = storage.AsMemory();
        var m = Matrix<T>.Wrap(memory, 3, 2);
        memory.Span[5] = V(-1);
        Assert.Equal(V(-1), m[2, 1]);
        m[0, 1] = V(9);
        Assert.Equal(V(9), memory.Span[1]);
        Assert.Equal(V(9), storage[1]);
    }

    [Fact]
    public void WrappedVectorAliasesArrayAndMemory()
    {
        var storage = Sequence(4);
        var v = Vector<T>.Wrap(storage);
        var w = Vector<T>.Wrap(storage.AsMemory());
        storage[3] = V(-3);
        Assert.Equal(V(-3), v[3]);
        w[0] = V(8);
        Assert.Equal(V(8), v[0]);
        Assert.Equal(V(8), storage[0]);
    }

    [Fact]
    public void OptimizerStepOnAWrappedMatrixUpdatesTheCallersArray()
    {
        var storage = new[] { V(1), V(2) };
        var w = Matrix<T>.Wrap(storage, 1, 2);
        var sgd = new Sgd<T>([w], [], V(0.5));
        var gradient = Matrix<T>.FromArray(new T[,] { { V(2), V(-2) } });
        sgd.Step([gradient]);
        Assert.Equal([V(0), V(3)], storage);
    }

    [Fact]
    public void OperatorsOnWrappedOperandsLeaveTheCallersArraysAlone()
    {
        var storage = Sequence(4);
        var a = Matrix<T>.Wrap(storage, 2, 2);
        var sum = a + a;
        sum[0, 0] = V(100);
        Assert.Equal(Sequence(4), storage);
    }

    [Fact]
    public void WrapWithAWrongLengthNamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Matrix<T>.Wrap(Sequence(5), 2, 3));
        Assert.Equal("storage", e.ParamName);
        Assert.Contains("5 elements", e.Message);
        Assert.Contains("2×3", e.Message);
        e = Assert.Throws<ArgumentException>(() => Matrix<T>.Wrap(Sequence(7).AsMemory(), 2, 3));
        Assert.Contains("7 elements", e.Message);
        Assert.Contains("2×3", e.Message);
        Assert.Throws<ArgumentNullException>(() => Matrix<T>.Wrap(null!, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Matrix<T>.Wrap(Sequence(0), -1, 0));
    }

    [Fact]
    public void WrapRefusesMemoryThatIsNotAWholeArray()
    {
        var slice = Sequence(10).AsMemory(2, 6);
        var e = Assert.Throws<ArgumentException>(() => Matrix<T>.Wrap(slice, 2, 3));
        Assert.Contains("elements 2..7 of a 10-element array", e.Message);
        Assert.Contains("FromSpan", e.Message);
        Assert.Throws<ArgumentException>(() => Vector<T>.Wrap(slice));

        using IMemoryOwner<T> native = new NativeMemory(6);
        e = Assert.Throws<ArgumentException>(() => Matrix<T>.Wrap(native.Memory, 2, 3));
        Assert.Contains("not backed by an array", e.Message);
    }

    [Fact]
    public void FromSpanCopies()
    {
        var source = Sequence(6);
        var m = Matrix<T>.FromSpan(source, 2, 3);
        var v = Vector<T>.FromSpan(source);
        source[0] = V(-5);
        Assert.Equal(V(1), m[0, 0]);
        Assert.Equal(V(1), v[0]);
        Assert.Equal(V(4), m[1, 0]);
        var e = Assert.Throws<ArgumentException>(() => Matrix<T>.FromSpan(source, 4, 2));
        Assert.Contains("6 elements", e.Message);
        Assert.Contains("4×2", e.Message);
        Assert.Equal(0, Vector<T>.FromSpan([]).Length);
    }

    [Fact]
    public void AsMemoryAliases()
    {
        var m = new Matrix<T>(2, 2);
        m.AsMemory().Span[3] = V(4);
        Assert.Equal(V(4), m[1, 1]);
        var v = new Vector<T>(3);
        v.AsMemory().Span[1] = V(2);
        Assert.Equal(V(2), v[1]);
    }

    [Fact]
    public void TensorSpanViewsAliasTheMatrix()
    {
        var m = Matrix<T>.FromSpan(Sequence(6), 2, 3);
        var span = m.AsTensorSpan();
        Assert.Equal([2, 3], span.Lengths.ToArray());
        Assert.Equal(V(6), span[1, 2]);
        span[1, 0] = V(-4);
        Assert.Equal(V(-4), m[1, 0]);
        m[0, 1] = V(11);
        Assert.Equal(V(11), m.AsReadOnlyTensorSpan()[0, 1]);
    }

    [Fact]
    public void TensorViewAliasesTheMatrixAndTheVector()
    {
        var m = Matrix<T>.FromSpan(Sequence(6), 3, 2);
        Tensor<T> t = m.AsTensor();
        Assert.Equal([3, 2], t.Lengths.ToArray());
        t[2, 1] = V(-9);
        Assert.Equal(V(-9), m[2, 1]);
        m[0, 0] = V(5);
        Assert.Equal(V(5), t[0, 0]);

        var v = Vector<T>.FromSpan(Sequence(3));
        Tensor<T> tv = v.AsTensor();
        Assert.Equal([3], tv.Lengths.ToArray());
        tv[1] = V(-2);
        Assert.Equal(V(-2), v[1]);
        v.AsTensorSpan()[2] = V(7);
        Assert.Equal(V(7), v[2]);
    }

    [Fact]
    public void FromTensorCopiesInRowMajorOrderWhateverTheStrides()
    {
        Tensor<T> t = Tensor.Create(Sequence(6), [2, 3]);
        var m = Matrix<T>.FromTensor(t);
        Assert.Equal(V(4), m[1, 0]);
        t[1, 0] = V(0);
        Assert.Equal(V(4), m[1, 0]);                       // a copy

        // The transpose of a 2×3 row-major buffer: lengths [3, 2], strides [1, 3].
        var transposed = new ReadOnlyTensorSpan<T>(Sequence(6), [3, 2], [1, 3]);
        var mt = Matrix<T>.FromTensorSpan(transposed);
        Assert.Equal(Matrix<T>.FromArray(new T[,] { { V(1), V(4) }, { V(2), V(5) }, { V(3), V(6) } }).ToArray(), mt.ToArray());
    }

    [Fact]
    public void FromTensorWithTheWrongRankNamesTheShape()
    {
        Tensor<T> cube = Tensor.Create(Sequence(24), [2, 3, 4]);
        var e = Assert.Throws<ArgumentException>(() => Matrix<T>.FromTensor(cube));
        Assert.Contains("2×3×4 (rank 3)", e.Message);
        Assert.Contains("rows×cols", e.Message);
        e = Assert.Throws<ArgumentException>(() => Vector<T>.FromTensor(Tensor.Create(Sequence(6), [2, 3])));
        Assert.Contains("2×3", e.Message);
        Assert.Throws<ArgumentNullException>(() => Matrix<T>.FromTensor(null!));
    }

    [Fact]
    public void VectorFromTensorAcceptsAColumn()
    {
        var v = Vector<T>.FromTensor(Tensor.Create(Sequence(3), [3, 1]));
        Assert.Equal(Sequence(3), v.ToArray());
        Assert.Equal(Sequence(4), Vector<T>.FromTensor(Tensor.Create(Sequence(4), [4])).ToArray());
    }

    [Fact]
    public void CopyToATensorSpanChecksTheShape()
    {
        var m = Matrix<T>.FromSpan(Sequence(6), 2, 3);
        var destination = new T[6];
        m.CopyTo(new TensorSpan<T>(destination, [2, 3]));
        Assert.Equal(Sequence(6), destination);
        var e = Assert.Throws<ArgumentException>(() => m.CopyTo(new TensorSpan<T>(destination, [3, 2])));
        Assert.Contains("2×3", e.Message);
        Assert.Contains("3×2", e.Message);

        var v = Vector<T>.FromSpan(Sequence(3));
        var vd = new T[3];
        v.CopyTo(new TensorSpan<T>(vd));
        Assert.Equal(Sequence(3), vd);
        Assert.Throws<ArgumentException>(() => v.CopyTo(new TensorSpan<T>(new T[4])));
    }

    /// <summary>Memory that does not show an array behind it, as native or pooled buffers do.</summary>
    private sealed class NativeMemory(int length) : MemoryManager<T>
    {
        private readonly T[] _hidden = new T[length];

        public override Span<T> GetSpan() => _hidden;

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}

public sealed class InteropTestsFloat : InteropTests<float>
{
}

public sealed class InteropTestsDouble : InteropTests<double>
{
}
