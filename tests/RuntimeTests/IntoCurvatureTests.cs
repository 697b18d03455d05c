using System.Numerics;
using AutoGradGen.Compute;
using Xunit;
using static AutoGradGen.RuntimeTests.IntoInputs;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The destination-passing second-derivative kernels against their allocating forms (float, double; empty, one
/// column, one row, odd shapes): bitwise equal, the same object and zero bytes allocated on a repeat call, a
/// wrong-shape destination replaced, every input as destination rejected; bad shapes name both shapes and write
/// nothing (neither the operands nor the destination).
/// </summary>
public class IntoCurvatureTests
{
    private static readonly (int Rows, int Cols)[] MatrixShapes = [(0, 3), (3, 0), (1, 1), (7, 1), (1, 9), (10, 13), (37, 5)];

    private static readonly int[] Lengths = [0, 1, 10, 67];

    public static TheoryData<string> Names() => new(All<double>().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Double(string name) => All<double>().Single(c => c.Name == name).Run();

    [Theory]
    [MemberData(nameof(Names))]
    public void Single(string name) => All<float>().Single(c => c.Name == name).Run();

    /// <summary>(description, call with a pre-filled destination slot, the two shapes the message must name).</summary>
    public static TheoryData<string, Action, string, string> Mismatches() => new()
    {
        { "ExpSecond M", () => Slot((ref d) => Elementwise.ExpSecond(A34, C43, ref d)), "3×4", "4×3" },
        { "ExpSecond V", () => Slot((ref d) => Elementwise.ExpSecond(V3, V4, ref d)), "3×1", "4×1" },
        { "LogSecond M", () => Slot((ref d) => Elementwise.LogSecond(A34, C43, ref d)), "3×4", "4×3" },
        { "LogSecond V", () => Slot((ref d) => Elementwise.LogSecond(V3, V4, ref d)), "3×1", "4×1" },
        { "SigmoidSecond M", () => Slot((ref d) => Elementwise.SigmoidSecond(A34, C43, ref d)), "3×4", "4×3" },
        { "SigmoidSecond V", () => Slot((ref d) => Elementwise.SigmoidSecond(V3, V4, ref d)), "3×1", "4×1" },
        { "TanhSecond M", () => Slot((ref d) => Elementwise.TanhSecond(A34, C43, ref d)), "3×4", "4×3" },
        { "TanhSecond V", () => Slot((ref d) => Elementwise.TanhSecond(V3, V4, ref d)), "3×1", "4×1" },
        { "SoftplusSecond M", () => Slot((ref d) => Elementwise.SoftplusSecond(A34, C43, ref d)), "3×4", "4×3" },
        { "SoftplusSecond V", () => Slot((ref d) => Elementwise.SoftplusSecond(V3, V4, ref d)), "3×1", "4×1" },
        { "GeluSecond M", () => Slot((ref d) => Elementwise.GeluSecond(A34, C43, ref d)), "3×4", "4×3" },
        { "GeluSecond V", () => Slot((ref d) => Elementwise.GeluSecond(V3, V4, ref d)), "3×1", "4×1" },
        { "SqrtSecond M", () => Slot((ref d) => Elementwise.SqrtSecond(A34, C43, ref d)), "3×4", "4×3" },
        { "SqrtSecond V", () => Slot((ref d) => Elementwise.SqrtSecond(V3, V4, ref d)), "3×1", "4×1" },
        { "ScaleRows", () => Slot((ref d) => Products.ScaleRows(V4, A34, ref d)), "4×1", "3×4" },
        { "ScaleColumns", () => Slot((ref d) => Products.ScaleColumns(A34, V3, ref d)), "3×4", "3×1" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void ShapeMismatchNamesBothShapesAndWritesNothing(string description, Action call, string left, string right)
    {
        var before = Snapshot();
        var ex = Assert.Throws<ArgumentException>(call);
        Assert.Contains(left, ex.Message, StringComparison.Ordinal);
        Assert.Contains(right, ex.Message, StringComparison.Ordinal);
        Assert.True(before.SequenceEqual(Snapshot()), $"{description} modified an operand or the destination");
    }

    [Fact]
    public void MessagesReadWell()
    {
        Matrix<double>? d = null;
        Assert.StartsWith("SigmoidSecond: y is 3×4 and h is 4×3; the shapes must match.",
            Assert.Throws<ArgumentException>(() => Elementwise.SigmoidSecond(A34, C43, ref d)).Message, StringComparison.Ordinal);
        d = A34;
        Assert.StartsWith("LogSecond: the destination is the same object as x; it must not alias an input.",
            Assert.Throws<ArgumentException>(() => Elementwise.LogSecond(A34, A34.Clone(), ref d)).Message, StringComparison.Ordinal);
        d = null;
        Assert.StartsWith("ScaleRows: d is 4×1 and m is 3×4; d needs one entry per row of m.",
            Assert.Throws<ArgumentException>(() => Products.ScaleRows(V4, A34, ref d)).Message, StringComparison.Ordinal);
        Assert.StartsWith("ScaleColumns: m is 3×4 and d is 3×1; d needs one entry per column of m.",
            Assert.Throws<ArgumentException>(() => Products.ScaleColumns(A34, V3, ref d)).Message, StringComparison.Ordinal);
        d = A34;
        Assert.StartsWith("ScaleRows: the destination is the same object as m; it must not alias an input.",
            Assert.Throws<ArgumentException>(() => Products.ScaleRows(V3, A34, ref d)).Message, StringComparison.Ordinal);
    }

    private static readonly Matrix<double> A34 = M<double>(3, 4, 1);
    private static readonly Matrix<double> B34 = M<double>(3, 4, 2);
    private static readonly Matrix<double> C43 = M<double>(4, 3, 3);
    private static readonly Vector<double> V3 = V<double>(3, 4);
    private static readonly Vector<double> W3 = V<double>(3, 5);
    private static readonly Vector<double> V4 = V<double>(4, 6);
    private static readonly Matrix<double> MatrixSlot = M<double>(3, 4, 7);
    private static readonly Vector<double> VectorSlot = V<double>(3, 8);

    private static byte[] Snapshot() =>
        new object[] { A34, B34, C43, V3, W3, V4, MatrixSlot, VectorSlot }.SelectMany(Bits.Of).ToArray();

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
        MatrixShapes.SelectMany(s => ElementwiseMatrices<T>(s.Rows, s.Cols))
            .Concat(Lengths.SelectMany(ElementwiseVectors<T>))
            .Concat(MatrixShapes.SelectMany(s => Diagonal<T>(s.Rows, s.Cols)));

    private static IEnumerable<IIntoCase> ElementwiseMatrices<T>(int r, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var h = M<T>(r, c, 20);
        var positive = M<T>(r, c, 21, 0.1, 3);
        var unit = M<T>(r, c, 22, 0, 1);
        var signed = M<T>(r, c, 23, -5, 5);
        var tanh = M<T>(r, c, 24);
        string at = $" {r}×{c}";
        yield return Mat("ExpSecond" + at, () => Elementwise.ExpSecond(positive, h), (ref d) => Elementwise.ExpSecond(positive, h, ref d), positive, h);
        yield return Mat("LogSecond" + at, () => Elementwise.LogSecond(positive, h), (ref d) => Elementwise.LogSecond(positive, h, ref d), positive, h);
        yield return Mat("SigmoidSecond" + at, () => Elementwise.SigmoidSecond(unit, h), (ref d) => Elementwise.SigmoidSecond(unit, h, ref d), unit, h);
        yield return Mat("TanhSecond" + at, () => Elementwise.TanhSecond(tanh, h), (ref d) => Elementwise.TanhSecond(tanh, h, ref d), tanh, h);
        yield return Mat("SoftplusSecond" + at, () => Elementwise.SoftplusSecond(signed, h), (ref d) => Elementwise.SoftplusSecond(signed, h, ref d), signed, h);
        yield return Mat("GeluSecond" + at, () => Elementwise.GeluSecond(signed, h), (ref d) => Elementwise.GeluSecond(signed, h, ref d), signed, h);
        yield return Mat("SqrtSecond" + at, () => Elementwise.SqrtSecond(positive, h), (ref d) => Elementwise.SqrtSecond(positive, h, ref d), positive, h);
    }

    private static IEnumerable<IIntoCase> ElementwiseVectors<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var h = V<T>(n, 30);
        var positive = V<T>(n, 31, 0.1, 3);
        var unit = V<T>(n, 32, 0, 1);
        var signed = V<T>(n, 33, -5, 5);
        var tanh = V<T>(n, 34);
        string at = $" {n}";
        yield return Vec("ExpSecond" + at, () => Elementwise.ExpSecond(positive, h), (ref d) => Elementwise.ExpSecond(positive, h, ref d), positive, h);
        yield return Vec("LogSecond" + at, () => Elementwise.LogSecond(positive, h), (ref d) => Elementwise.LogSecond(positive, h, ref d), positive, h);
        yield return Vec("SigmoidSecond" + at, () => Elementwise.SigmoidSecond(unit, h), (ref d) => Elementwise.SigmoidSecond(unit, h, ref d), unit, h);
        yield return Vec("TanhSecond" + at, () => Elementwise.TanhSecond(tanh, h), (ref d) => Elementwise.TanhSecond(tanh, h, ref d), tanh, h);
        yield return Vec("SoftplusSecond" + at, () => Elementwise.SoftplusSecond(signed, h), (ref d) => Elementwise.SoftplusSecond(signed, h, ref d), signed, h);
        yield return Vec("GeluSecond" + at, () => Elementwise.GeluSecond(signed, h), (ref d) => Elementwise.GeluSecond(signed, h, ref d), signed, h);
        yield return Vec("SqrtSecond" + at, () => Elementwise.SqrtSecond(positive, h), (ref d) => Elementwise.SqrtSecond(positive, h, ref d), positive, h);
    }

    private static IEnumerable<IIntoCase> Diagonal<T>(int r, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = M<T>(r, c, 40);
        var rowScales = V<T>(r, 41);
        var columnScales = V<T>(c, 42);
        string at = $" {r}×{c}";
        yield return Mat("ScaleRows" + at, () => Products.ScaleRows(rowScales, m), (ref d) => Products.ScaleRows(rowScales, m, ref d), m);
        yield return Mat("ScaleColumns" + at, () => Products.ScaleColumns(m, columnScales), (ref d) => Products.ScaleColumns(m, columnScales, ref d), m);
    }
}
