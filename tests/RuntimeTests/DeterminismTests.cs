using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Transcendental functions give the same bits for the same data wherever it lives (TensorPrimitives alone
/// picks address-dependent code paths that differ in the last bit), and matrices, vectors and fused kernels
/// agree bit for bit. Reentrancy and the reproducibility of a training run rest on this.
/// </summary>
public class DeterminismTests
{
    private static readonly double[] Values = [1000, -1000, 800, -800, 710, -710, 100, -100, 89, -89, 88.5, -88.5, 50, -50, 0.3, -2.5, 7, 1e-300];

    public static TheoryData<string> Functions() => new() { "Exp", "Log", "Sigmoid", "Tanh" };

    private static void Apply(string function, ReadOnlySpan<double> x, Span<double> d)
    {
        switch (function)
        {
            case "Exp": Transcendental.Exp(x, d); break;
            case "Log": Transcendental.Log(x, d); break;
            case "Sigmoid": Transcendental.Sigmoid(x, d); break;
            default: Transcendental.Tanh(x, d); break;
        }
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void SameDataGivesSameBitsAtEveryAddress(string function)
    {
        foreach (int n in new[] { 1, 3, 8, 17, 67, 200, 1023, 1025, 3000 })
        {
            var source = Enumerable.Range(0, n).Select(i => function == "Log" ? Math.Abs(Values[i % Values.Length]) + 0.5 : Values[i % Values.Length]).ToArray();
            long[]? reference = null;
            for (int offset = 0; offset < 8; offset++)
            {
                var input = new double[n + 8];
                var output = new double[n + 8];
                source.CopyTo(input, offset);
                int at = (offset * 3) % 8;
                Apply(function, input.AsSpan(offset, n), output.AsSpan(at, n));
                var bits = output.Skip(at).Take(n).Select(BitConverter.DoubleToInt64Bits).ToArray();
                reference ??= bits;
                Assert.True(reference.SequenceEqual(bits), $"{function} differs at n={n} between input offsets 0 and {offset}");
            }
        }
    }

    [Fact]
    public void MatrixVectorAndFusedFormsAgreeBitwise()
    {
        const int rows = 7, cols = 301;
        var values = Enumerable.Range(0, rows * cols).Select(i => Values[i % Values.Length] / 10).ToArray();
        var vector = Ops.Sigmoid(Vector<double>.FromArray(values)).ToArray();
        var grid = new double[rows, cols];
        for (int i = 0; i < values.Length; i++)
        {
            grid[i / cols, i % cols] = values[i];
        }
        var matrix = Ops.Sigmoid(Matrix<double>.FromArray(grid)).AsSpan().ToArray();
        var fused = Fused.AddColumnsActivate(Matrix<double>.FromArray(grid), new Vector<double>(rows), Activation.Sigmoid).AsSpan().ToArray();
        var fusedSum = Fused.AddActivate(Matrix<double>.FromArray(grid), new Matrix<double>(rows, cols), Activation.Sigmoid).AsSpan().ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(vector[i]), BitConverter.DoubleToInt64Bits(matrix[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(vector[i]), BitConverter.DoubleToInt64Bits(fused[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(vector[i]), BitConverter.DoubleToInt64Bits(fusedSum[i]));
        }
    }
}
