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
        { "PowSecond M", () => Slot((ref d) => Elementwise.PowSecond(A34, C43, 2.5, ref d)), "3×4", "4×3" },
        { "PowSecond V", () => Slot((ref d) => Elementwise.PowSecond(V3, V4, 2.5, ref d)), "3×1", "4×1" },
        { "PowMixedSecond M", () => Slot((ref d) => Elementwise.PowMixedSecond(A34, C43, 2.5, ref d)), "3×4", "4×3" },
        { "PowMixedSecond V", () => Slot((ref d) => Elementwise.PowMixedSecond(V3, V4, 2.5, ref d)), "3×1", "4×1" },
        { "ScaleRows", () => Slot((ref d) => Products.ScaleRows(V4, A34, ref d)), "4×1", "3×4" },
        { "ScaleColumns", () => Slot((ref d) => Products.ScaleColumns(A34, V3, ref d)), "3×4", "3×1" },
        { "SoftmaxCurvature M (g)", () => Slot((ref d) => Classification.SoftmaxCurvature(A34, C43, B34, ref d)), "3×4", "4×3" },
        { "SoftmaxCurvature M (dy)", () => Slot((ref d) => Classification.SoftmaxCurvature(A34, B34, C43, ref d)), "3×4", "4×3" },
        { "SoftmaxCurvature V (g)", () => Slot((ref d) => Classification.SoftmaxCurvature(V3, V4, W3, ref d)), "3×1", "4×1" },
        { "SoftmaxCurvature V (dy)", () => Slot((ref d) => Classification.SoftmaxCurvature(V3, W3, V4, ref d)), "3×1", "4×1" },
        { "LogSoftmaxBackwardCurvature M (g)", () => Slot((ref d) => Classification.LogSoftmaxBackwardCurvature(A34, C43, B34, ref d)), "3×4", "4×3" },
        { "LogSoftmaxBackwardCurvature M (dh)", () => Slot((ref d) => Classification.LogSoftmaxBackwardCurvature(A34, B34, C43, ref d)), "3×4", "4×3" },
        { "LogSoftmaxBackwardCurvature V (g)", () => Slot((ref d) => Classification.LogSoftmaxBackwardCurvature(V3, V4, W3, ref d)), "3×1", "4×1" },
        { "LogSoftmaxBackwardCurvature V (dh)", () => Slot((ref d) => Classification.LogSoftmaxBackwardCurvature(V3, W3, V4, ref d)), "3×1", "4×1" },
        { "LogSoftmaxTangentCurvature M (g)", () => Slot((ref d) => Classification.LogSoftmaxTangentCurvature(A34, C43, B34, ref d)), "3×4", "4×3" },
        { "LogSoftmaxTangentCurvature M (dh)", () => Slot((ref d) => Classification.LogSoftmaxTangentCurvature(A34, B34, C43, ref d)), "3×4", "4×3" },
        { "LogSoftmaxTangentCurvature V (g)", () => Slot((ref d) => Classification.LogSoftmaxTangentCurvature(V3, V4, W3, ref d)), "3×1", "4×1" },
        { "LogSoftmaxTangentCurvature V (dh)", () => Slot((ref d) => Classification.LogSoftmaxTangentCurvature(V3, W3, V4, ref d)), "3×1", "4×1" },
        { "CrossEntropyCurvature M (y)", () => Slot((ref d) => Classification.CrossEntropyCurvature(A34, C43, B34, 1.0, ref d)), "3×4", "4×3" },
        { "CrossEntropyCurvature M (dLogits)", () => Slot((ref d) => Classification.CrossEntropyCurvature(A34, B34, C43, 1.0, ref d)), "3×4", "4×3" },
        { "CrossEntropyCurvature V (y)", () => Slot((ref d) => Classification.CrossEntropyCurvature(V3, V4, W3, 1.0, ref d)), "3×1", "4×1" },
        { "CrossEntropyCurvature V (dLogits)", () => Slot((ref d) => Classification.CrossEntropyCurvature(V3, W3, V4, 1.0, ref d)), "3×1", "4×1" },
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
        d = null;
        Assert.StartsWith("SoftmaxCurvature: y is 3×4 and dy is 4×3; the shapes must match.",
            Assert.Throws<ArgumentException>(() => Classification.SoftmaxCurvature(A34, B34, C43, ref d)).Message, StringComparison.Ordinal);
        Assert.StartsWith("CrossEntropyCurvature: logits is 3×4 and y is 4×3; the shapes must match.",
            Assert.Throws<ArgumentException>(() => Classification.CrossEntropyCurvature(A34, C43, B34, 1.0, ref d)).Message,
            StringComparison.Ordinal);
        d = B34;
        Assert.StartsWith("LogSoftmaxTangentCurvature: the destination is the same object as dh; it must not alias an input.",
            Assert.Throws<ArgumentException>(() => Classification.LogSoftmaxTangentCurvature(A34, A34, B34, ref d)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void NullOperandsOfTheAllocatingClassificationFormsNameTheParameter()
    {
        // The destination-passing forms (and all forms of Elementwise and Products) are probed by reflection in
        // IntoBadInputTests and BadInputTests; the allocating Classification forms are not on those surfaces.
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => Classification.SoftmaxCurvature(null!, A34, B34)).ParamName);
        Assert.Equal("g", Assert.Throws<ArgumentNullException>(() => Classification.SoftmaxCurvature(V3, null!, W3)).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentNullException>(() => Classification.SoftmaxCurvature(A34, B34, null!)).ParamName);
        Assert.Equal("dh", Assert.Throws<ArgumentNullException>(() => Classification.LogSoftmaxBackwardCurvature(V3, W3, null!)).ParamName);
        Assert.Equal("g", Assert.Throws<ArgumentNullException>(() => Classification.LogSoftmaxTangentCurvature(A34, null!, B34)).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentNullException>(() => Classification.CrossEntropyCurvature(null!, A34, B34, 1.0)).ParamName);
        Assert.Equal("dLogits", Assert.Throws<ArgumentNullException>(() => Classification.CrossEntropyCurvature(V3, W3, null!, 1.0)).ParamName);
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
            .Concat(MatrixShapes.SelectMany(s => Diagonal<T>(s.Rows, s.Cols)))
            .Concat(MatrixShapes.SelectMany(s => ClassificationMatrices<T>(s.Rows, s.Cols)))
            .Concat(Lengths.SelectMany(ClassificationVectors<T>));

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
        var p = T.CreateChecked(-1.25);
        yield return Mat("PowSecond" + at, () => Elementwise.PowSecond(positive, h, p), (ref d) => Elementwise.PowSecond(positive, h, p, ref d), positive, h);
        yield return Mat("PowMixedSecond" + at, () => Elementwise.PowMixedSecond(positive, h, p), (ref d) => Elementwise.PowMixedSecond(positive, h, p, ref d), positive, h);
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
        var p = T.CreateChecked(2.5);
        yield return Vec("PowSecond" + at, () => Elementwise.PowSecond(positive, h, p), (ref d) => Elementwise.PowSecond(positive, h, p, ref d), positive, h);
        yield return Vec("PowMixedSecond" + at, () => Elementwise.PowMixedSecond(positive, h, p), (ref d) => Elementwise.PowMixedSecond(positive, h, p, ref d), positive, h);
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

    private static IEnumerable<IIntoCase> ClassificationMatrices<T>(int r, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = M<T>(r, c, 50, -8, 8);
        var g = M<T>(r, c, 51);
        var t = M<T>(r, c, 52);
        var y = M<T>(r, c, 53, 0, 1);
        var s = Ops.Softmax(a);
        var l = Ops.LogSoftmax(a);
        var scale = T.CreateChecked(0.75);
        string at = $" {r}×{c}";
        yield return Mat("SoftmaxCurvature" + at, () => Classification.SoftmaxCurvature(s, g, t),
            (ref d) => Classification.SoftmaxCurvature(s, g, t, ref d), s, g, t);
        yield return Mat("LogSoftmaxBackwardCurvature" + at, () => Classification.LogSoftmaxBackwardCurvature(l, g, t),
            (ref d) => Classification.LogSoftmaxBackwardCurvature(l, g, t, ref d), l, g, t);
        yield return Mat("LogSoftmaxTangentCurvature" + at, () => Classification.LogSoftmaxTangentCurvature(l, g, t),
            (ref d) => Classification.LogSoftmaxTangentCurvature(l, g, t, ref d), l, g, t);
        yield return Mat("CrossEntropyCurvature" + at, () => Classification.CrossEntropyCurvature(a, y, t, scale),
            (ref d) => Classification.CrossEntropyCurvature(a, y, t, scale, ref d), a, y, t);
    }

    private static IEnumerable<IIntoCase> ClassificationVectors<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = V<T>(n, 60, -8, 8);
        var g = V<T>(n, 61);
        var t = V<T>(n, 62);
        var y = V<T>(n, 63, 0, 1);
        var s = Ops.Softmax(x);
        var l = Ops.LogSoftmax(x);
        var scale = T.CreateChecked(-1.5);
        string at = $" {n}";
        yield return Vec("SoftmaxCurvature" + at, () => Classification.SoftmaxCurvature(s, g, t),
            (ref d) => Classification.SoftmaxCurvature(s, g, t, ref d), s, g, t);
        yield return Vec("LogSoftmaxBackwardCurvature" + at, () => Classification.LogSoftmaxBackwardCurvature(l, g, t),
            (ref d) => Classification.LogSoftmaxBackwardCurvature(l, g, t, ref d), l, g, t);
        yield return Vec("LogSoftmaxTangentCurvature" + at, () => Classification.LogSoftmaxTangentCurvature(l, g, t),
            (ref d) => Classification.LogSoftmaxTangentCurvature(l, g, t, ref d), l, g, t);
        yield return Vec("CrossEntropyCurvature" + at, () => Classification.CrossEntropyCurvature(x, y, t, scale),
            (ref d) => Classification.CrossEntropyCurvature(x, y, t, scale, ref d), x, y, t);
    }
}
