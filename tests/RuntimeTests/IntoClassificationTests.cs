using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;
using static AutoGradGen.RuntimeTests.IntoInputs;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The destination-passing softmax, log-softmax and classification backward steps against their
/// allocating forms (float, double; empty, one column, one row, odd shapes): bitwise equal, the same
/// object and zero bytes allocated on a repeat call, a wrong-shape destination replaced, an input as
/// destination rejected; bad shapes name both shapes and write nothing.
/// </summary>
public class IntoClassificationTests
{
    private static readonly (int Rows, int Cols)[] Shapes = [(0, 3), (3, 0), (1, 1), (7, 1), (1, 9), (10, 13), (37, 5)];

    private static readonly int[] Lengths = [0, 1, 10, 67];

    public static TheoryData<string> Names() => new(All<double>().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Double(string name) => All<double>().Single(c => c.Name == name).Run();

    [Theory]
    [MemberData(nameof(Names))]
    public void Single(string name) => All<float>().Single(c => c.Name == name).Run();

    [Fact]
    public void MatrixOfOneColumnEqualsVector()
    {
        var x = V<double>(23, 40, -30, 30);
        var g = V<double>(23, 41);
        var a = Column(x);
        var ga = Column(g);
        Assert.Equal(Ops.Softmax(x).ToArray(), Flat(Ops.Softmax(a)));
        Assert.Equal(Ops.LogSoftmax(x).ToArray(), Flat(Ops.LogSoftmax(a)));
        Assert.Equal(Classification.SoftmaxBackward(x, g).ToArray(), Flat(Classification.SoftmaxBackward(a, ga)));
        Assert.Equal(Classification.CrossEntropyBackward(x, g, 0.5).ToArray(), Flat(Classification.CrossEntropyBackward(a, ga, 0.5)));
    }

    [Fact]
    public void CrossEntropyAllocatesNothingInSteadyState()
    {
        var logits = M<double>(10, 16, 42, -5, 5);
        var y = M<double>(10, 16, 43, 0, 1);
        var x = V<double>(10, 44);
        var t = V<double>(10, 45, 0, 1);
        double expected = Ops.CrossEntropy(logits, y) + Ops.CrossEntropy(x, t);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double actual = Ops.CrossEntropy(logits, y) + Ops.CrossEntropy(x, t);
        Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(expected, actual);
    }

    public static TheoryData<string, Action, string, string> Mismatches() => new()
    {
        { "SoftmaxBackward M", () => Slot((ref Matrix<double>? d) => Classification.SoftmaxBackward(A34, C43, ref d)), "3×4", "4×3" },
        { "SoftmaxBackward V", () => Slot((ref Vector<double>? d) => Classification.SoftmaxBackward(V3, V4, ref d)), "3×1", "4×1" },
        { "LogSoftmaxBackward M", () => Slot((ref Matrix<double>? d) => Classification.LogSoftmaxBackward(A34, C43, ref d)), "3×4", "4×3" },
        { "LogSoftmaxBackward V", () => Slot((ref Vector<double>? d) => Classification.LogSoftmaxBackward(V3, V4, ref d)), "3×1", "4×1" },
        { "LogSoftmaxTangent M", () => Slot((ref Matrix<double>? d) => Classification.LogSoftmaxTangent(A34, C43, ref d)), "3×4", "4×3" },
        { "LogSoftmaxTangent V", () => Slot((ref Vector<double>? d) => Classification.LogSoftmaxTangent(V3, V4, ref d)), "3×1", "4×1" },
        { "CrossEntropyBackward M", () => Slot((ref Matrix<double>? d) => Classification.CrossEntropyBackward(A34, C43, 1.0, ref d)), "3×4", "4×3" },
        { "CrossEntropyBackward V", () => Slot((ref Vector<double>? d) => Classification.CrossEntropyBackward(V3, V4, 1.0, ref d)), "3×1", "4×1" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void ShapeMismatchNamesBothShapesAndWritesNothing(string description, Action call, string left, string right)
    {
        var before = Snapshot();
        var ex = Assert.Throws<ArgumentException>(call);
        Assert.Contains(left, ex.Message);
        Assert.Contains(right, ex.Message);
        Assert.True(before.SequenceEqual(Snapshot()), $"{description} modified an operand or the destination");
    }

    [Fact]
    public void NullOperandsNameTheParameter()
    {
        Matrix<double>? m = null;
        Vector<double>? v = null;
        Assert.Equal("a", Assert.Throws<ArgumentNullException>(() => Classification.Softmax(null!, ref m)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Classification.LogSoftmax(null!, ref v)).ParamName);
        Assert.Equal("g", Assert.Throws<ArgumentNullException>(() => Classification.SoftmaxBackward(A34, null!, ref m)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => Classification.LogSoftmaxBackward(null!, V3, ref v)).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentNullException>(() => Classification.CrossEntropyBackward(null!, A34, 1.0, ref m)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => Classification.CrossEntropyBackward(V3, null!, 1.0, ref v)).ParamName);
    }

    private static readonly Matrix<double> A34 = M<double>(3, 4, 1);
    private static readonly Matrix<double> C43 = M<double>(4, 3, 2);
    private static readonly Vector<double> V3 = V<double>(3, 3);
    private static readonly Vector<double> V4 = V<double>(4, 4);
    private static readonly Matrix<double> MatrixSlot = M<double>(3, 4, 5);
    private static readonly Vector<double> VectorSlot = V<double>(3, 6);

    private static double[] Flat(Matrix<double> m) => m.AsSpan().ToArray();

    private static Matrix<double> Column(Vector<double> v)
    {
        var m = new Matrix<double>(v.Length, 1);
        v.AsSpan().CopyTo(m.AsSpan());
        return m;
    }

    private static byte[] Snapshot() =>
        new object[] { A34, C43, V3, V4, MatrixSlot, VectorSlot }.SelectMany(Bits.Of).ToArray();

    private static void Slot(IntoCall<Matrix<double>> call)
    {
        Matrix<double>? slot = MatrixSlot;
        call(ref slot);
    }

    private static void Slot(IntoCall<Vector<double>> call)
    {
        Vector<double>? slot = VectorSlot;
        call(ref slot);
    }

    private static IEnumerable<IIntoCase> All<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Shapes.SelectMany(s => Matrices<T>(s.Rows, s.Cols)).Concat(Lengths.SelectMany(Vectors<T>));

    private static IEnumerable<IIntoCase> Matrices<T>(int r, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = M<T>(r, c, 11, -8, 8);
        var g = M<T>(r, c, 12);
        var y = M<T>(r, c, 13, 0, 1);
        var s = Ops.Softmax(a);
        var l = Ops.LogSoftmax(a);
        var scale = T.CreateChecked(0.75);
        string at = $" {r}×{c}";
        yield return Mat("Softmax" + at, () => Ops.Softmax(a), (ref d) => Classification.Softmax(a, ref d), a);
        yield return Mat("LogSoftmax" + at, () => Ops.LogSoftmax(a), (ref d) => Classification.LogSoftmax(a, ref d), a);
        yield return Mat("SoftmaxBackward" + at, () => Classification.SoftmaxBackward(s, g), (ref d) => Classification.SoftmaxBackward(s, g, ref d), s, g);
        yield return Mat("LogSoftmaxBackward" + at, () => Classification.LogSoftmaxBackward(l, g), (ref d) => Classification.LogSoftmaxBackward(l, g, ref d), l, g);
        yield return Mat("LogSoftmaxTangent" + at, () => Classification.LogSoftmaxTangent(l, g), (ref d) => Classification.LogSoftmaxTangent(l, g, ref d), l, g);
        yield return Mat("CrossEntropyBackward" + at, () => Classification.CrossEntropyBackward(a, y, scale),
            (ref d) => Classification.CrossEntropyBackward(a, y, scale, ref d), a, y);
    }

    private static IEnumerable<IIntoCase> Vectors<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = V<T>(n, 21, -8, 8);
        var g = V<T>(n, 22);
        var y = V<T>(n, 23, 0, 1);
        var s = Ops.Softmax(x);
        var l = Ops.LogSoftmax(x);
        var scale = T.CreateChecked(-1.5);
        string at = $" {n}";
        yield return Vec("Softmax" + at, () => Ops.Softmax(x), (ref d) => Classification.Softmax(x, ref d), x);
        yield return Vec("LogSoftmax" + at, () => Ops.LogSoftmax(x), (ref d) => Classification.LogSoftmax(x, ref d), x);
        yield return Vec("SoftmaxBackward" + at, () => Classification.SoftmaxBackward(s, g), (ref d) => Classification.SoftmaxBackward(s, g, ref d), s, g);
        yield return Vec("LogSoftmaxBackward" + at, () => Classification.LogSoftmaxBackward(l, g), (ref d) => Classification.LogSoftmaxBackward(l, g, ref d), l, g);
        yield return Vec("LogSoftmaxTangent" + at, () => Classification.LogSoftmaxTangent(l, g), (ref d) => Classification.LogSoftmaxTangent(l, g, ref d), l, g);
        yield return Vec("CrossEntropyBackward" + at, () => Classification.CrossEntropyBackward(x, y, scale),
            (ref d) => Classification.CrossEntropyBackward(x, y, scale, ref d), x, y);
    }
}
