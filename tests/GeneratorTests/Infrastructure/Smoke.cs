using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests;

public class SmokeTests
{
    [Fact]
    public void BilinearFormCompilesAndRuns()
    {
        var assembly = GeneratorHarness.CompileAndLoad("""
            using AutoGradGen;
            using static AutoGradGen.Ops;
            public static partial class M
            {
                [Differentiable]
                public static double F(Vector<double> x, Matrix<double> A, Vector<double> y) => Dot(x, A * y);
            }
            """);
        var method = GeneratorHarness.Method(assembly, "M", "FWithGradient");
        var x = Vector<double>.FromArray(new[] { 1.0, 2.0 });
        var y = Vector<double>.FromArray(new[] { 3.0, -1.0, 0.5 });
        var A = Matrix<double>.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var args = new object?[] { x, A, y, null, null, null };
        var value = (double)method.Invoke(null, args)!;
        // f = xᵀAy by hand: A y = (3 - 2 + 1.5, 12 - 5 + 3) = (2.5, 10); xᵀ(Ay) = 2.5 + 20
        Assert.Equal(22.5, value, 12);
        var dA = (Matrix<double>)args[4]!;
        Assert.Equal(1.0 * -1.0, dA[0, 1], 12); // ∇A = x yᵀ
        Assert.Equal(2.0 * 0.5, dA[1, 2], 12);
    }
}
