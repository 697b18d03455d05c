using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The fused addition-then-activation kernels that generated code uses for σ(W X + b𝟙ᵀ): each must equal
/// the two-step composition exactly (same operations per element), reuse its destination without
/// allocating, and validate like the unfused operations.
/// </summary>
public class IntoFusedTests
{
    public static TheoryData<Activation, int, int> Cases()
    {
        var data = new TheoryData<Activation, int, int>();
        foreach (var activation in Enum.GetValues<Activation>())
        {
            foreach (var (rows, cols) in new[] { (0, 3), (1, 1), (3, 2), (7, 5), (13, 67), (40, 700) })
            {
                data.Add(activation, rows, cols);
            }
        }
        return data;
    }

    private static Matrix<double> Unfused(Matrix<double> sum, Activation activation) => activation switch
    {
        Activation.Sigmoid => Ops.Sigmoid(sum),
        Activation.Tanh => Ops.Tanh(sum),
        Activation.Relu => Ops.Relu(sum),
        _ => Ops.Exp(sum),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AddColumnsActivate_EqualsAddThenActivate(Activation activation, int rows, int cols)
    {
        var m = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(rows, cols, seed: rows * 31 + cols, lo: -4, hi: 4));
        var b = Vector<double>.FromArray(Inputs.RandomMatrix<double>(rows, 1, seed: 7, lo: -2, hi: 2).Cast<double>().ToArray());
        var expected = Unfused(m + b, activation);
        Matrix<double>? slot = null;
        var first = Fused.AddColumnsActivate(m, b, activation, ref slot);
        Assert.Equal(expected.ToArray(), first.ToArray());
        long before = GC.GetAllocatedBytesForCurrentThread();
        var second = Fused.AddColumnsActivate(m, b, activation, ref slot);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Same(first, second);
        Assert.Equal(0, allocated);
        Assert.Equal(expected.ToArray(), Fused.AddColumnsActivate(m, b, activation).ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AddActivate_EqualsAddThenActivate(Activation activation, int rows, int cols)
    {
        var a = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(rows, cols, seed: 3, lo: -4, hi: 4));
        var c = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(rows, cols, seed: 4, lo: -4, hi: 4));
        var expected = Unfused(a + c, activation);
        Matrix<double>? slot = null;
        Assert.Equal(expected.ToArray(), Fused.AddActivate(a, c, activation, ref slot).ToArray());
        long before = GC.GetAllocatedBytesForCurrentThread();
        Fused.AddActivate(a, c, activation, ref slot);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(expected.ToArray(), Fused.AddActivate(a, c, activation).ToArray());
    }

    [Fact]
    public void VectorAddActivate_MatchesAndFloatWorks()
    {
        var x = Vector<float>.FromArray([1f, -2f, 3f, 1000f, -1000f]);
        var y = Vector<float>.FromArray([0.5f, 0.5f, -4f, 0f, 0f]);
        var fused = Fused.AddActivate(x, y, Activation.Sigmoid);
        Assert.Equal(Ops.Sigmoid(x + y).ToArray(), fused.ToArray());
        Assert.All(fused.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void BadShapesThrowNamingBothShapesAndWriteNothing()
    {
        var m = new Matrix<double>(3, 4);
        var wrong = new Vector<double>(2);
        Matrix<double>? slot = new Matrix<double>(3, 4);
        slot[0, 0] = 42;
        var ex = Assert.Throws<ArgumentException>(() => Fused.AddColumnsActivate(m, wrong, Activation.Tanh, ref slot));
        Assert.Contains("3×4", ex.Message);
        Assert.Contains("2", ex.Message);
        Assert.Equal(42, slot![0, 0]);
        var other = new Matrix<double>(4, 3);
        ex = Assert.Throws<ArgumentException>(() => Fused.AddActivate(m, other, Activation.Relu));
        Assert.Contains("3×4", ex.Message);
        Assert.Contains("4×3", ex.Message);
        Assert.Throws<ArgumentException>(() => Fused.AddActivate(m, m, Activation.Exp, ref m!));
    }
}
