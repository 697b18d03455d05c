using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;
using static AutoGradGen.RuntimeTests.IntoInputs;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The accumulating forms that update caller-owned gradient buffers in place: AddTo, AddScaledTo, Zero
/// (bitwise against the allocating expressions), MultiplyAddTo and OuterAddTo (against the naive product);
/// each allocates nothing.
/// </summary>
public class IntoAccumulateTests
{
    public static TheoryData<int, int> Shapes() => new() { { 0, 3 }, { 1, 1 }, { 7, 5 }, { 13, 17 } };

    public static TheoryData<int, int, int, bool, bool> ProductShapes()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        foreach (var (m, k, n) in new[] { (0, 3, 2), (3, 0, 2), (1, 1, 1), (5, 7, 3), (13, 17, 11), (33, 65, 31) })
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    data.Add(m, k, n, ta, tb);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AddToAndAddScaledToMatchTheExpressions(int r, int c)
    {
        AddTo<double>(r, c);
        AddTo<float>(r, c);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ZeroClears(int r, int c)
    {
        var m = M<double>(r, c, 1);
        var v = V<float>(c, 2);
        AssertNoAllocation(() =>
        {
            Linear.Zero(m);
            Linear.Zero(v);
        });
        Assert.All(m.AsSpan().ToArray(), e => Assert.Equal(0.0, e));
        Assert.All(v.AsSpan().ToArray(), e => Assert.Equal(0f, e));
    }

    [Theory]
    [MemberData(nameof(ProductShapes))]
    public void MultiplyAddToAccumulatesTheProduct(int m, int k, int n, bool transposeA, bool transposeB)
    {
        MultiplyAddTo<double>(m, k, n, transposeA, transposeB);
        MultiplyAddTo<float>(m, k, n, transposeA, transposeB);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void OuterAddToAccumulatesTheScaledOuterProduct(int r, int c)
    {
        OuterAddTo<double>(r, c);
        OuterAddTo<float>(r, c);
    }

    [Fact]
    public void AddToMayAccumulateAValueIntoItself()
    {
        var m = M<double>(3, 4, 1);
        var expected = m + m;
        Linear.AddTo(m, m);
        Bits.Equal(expected, m, "AddTo(m, m)");
    }

    [Fact]
    public void MultiplyAddToRejectsATargetThatIsAnOperand()
    {
        var a = M<double>(3, 3, 1);
        var b = M<double>(3, 3, 2);
        var before = Bits.Of(a);
        Assert.Contains("alias", Assert.Throws<ArgumentException>(() => Products.MultiplyAddTo(a, a, b)).Message, StringComparison.Ordinal);
        Assert.Contains("alias", Assert.Throws<ArgumentException>(() => Products.MultiplyAddTo(b, a, b, transposeB: true)).Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits.Of(a));
    }

    [Fact]
    public void TheAllocationCountSeesAnAllocatingCall()
    {
        var a = M<double>(3, 3, 1);
        _ = a + a;
        long before = GC.GetAllocatedBytesForCurrentThread();
        _ = a + a;
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before > 0, "the zero-allocation checks would be vacuous");
    }

    /// <summary>Runs <paramref name="action"/> once to warm up, then asserts that three more runs allocate 0 bytes.</summary>
    internal static void AssertNoAllocation(Action action)
    {
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            action();
        }

        Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void AddTo<T>(int r, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = T.CreateChecked(-1.375);
        var (target, value) = (M<T>(r, c, 3), M<T>(r, c, 4));
        var (vTarget, vValue) = (V<T>(c, 5), V<T>(c, 6));
        var expected = new object[] { target + value, (target + value) + (s * value), vTarget + vValue, (vTarget + vValue) + (s * vValue) };
        Linear.AddTo(target, value);
        Linear.AddTo(vTarget, vValue);
        Bits.Equal(expected[0], target, "AddTo matrix");
        Bits.Equal(expected[2], vTarget, "AddTo vector");
        Linear.AddScaledTo(target, s, value);
        Linear.AddScaledTo(vTarget, s, vValue);
        Bits.Equal(expected[1], target, "AddScaledTo matrix");
        Bits.Equal(expected[3], vTarget, "AddScaledTo vector");
        AssertNoAllocation(() =>
        {
            Linear.AddTo(target, value);
            Linear.AddTo(vTarget, vValue);
            Linear.AddScaledTo(target, s, value);
            Linear.AddScaledTo(vTarget, s, vValue);
        });
    }

    private static void MultiplyAddTo<T>(int m, int k, int n, bool transposeA, bool transposeB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = transposeA ? M<T>(k, m, 7) : M<T>(m, k, 7);
        var b = transposeB ? M<T>(n, k, 8) : M<T>(k, n, 8);
        var target = M<T>(m, n, 9);
        var opA = Naive.ToDouble(a.ToArray());
        var opB = Naive.ToDouble(b.ToArray());
        var product = Naive.Multiply(transposeA ? Naive.Transpose(opA) : opA, transposeB ? Naive.Transpose(opB) : opB);
        var expected = Naive.Zip(Naive.ToDouble(target.ToArray()), product, (x, y) => x + y);
        Products.MultiplyAddTo(target, a, b, transposeA, transposeB);
        Near.MatrixEqual(expected, target, Near.Tol<T>(4 * (k + 2)), $"MultiplyAddTo {m}×{k}×{n} tA={transposeA} tB={transposeB}");
        AssertNoAllocation(() => Products.MultiplyAddTo(target, a, b, transposeA, transposeB));
    }

    private static void OuterAddTo<T>(int r, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = V<T>(r, 10);
        var y = V<T>(c, 11);
        var target = M<T>(r, c, 12);
        var s = T.CreateChecked(0.75);
        var outer = Naive.Multiply(Naive.Column(Naive.ToDouble(x.ToArray())), Naive.Transpose(Naive.Column(Naive.ToDouble(y.ToArray()))));
        var expected = Naive.Zip(Naive.ToDouble(target.ToArray()), outer, (t, o) => t + (0.75 * o));
        Products.OuterAddTo(target, x, y, s);
        Near.MatrixEqual(expected, target, Near.Tol<T>(4), $"OuterAddTo {r}×{c}");
        AssertNoAllocation(() => Products.OuterAddTo(target, x, y, s));
    }
}
