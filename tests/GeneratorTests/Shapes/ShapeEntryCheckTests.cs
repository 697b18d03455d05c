using System.Reflection;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Reentrancy.ReentrancyModels;

namespace AutoGradGen.GeneratorTests.Shapes;

/// <summary>
/// The entry check of the generated methods, compiled and run: sizes that break an equality the shape
/// inference relied on throw one ArgumentException naming the operation as written, the variables, their
/// sizes and their symbols, before any work; the first stack frame is the generated method.
/// </summary>
public class ShapeEntryCheckTests
{
    private const string Source = """
        using AutoGradGen;
        using static AutoGradGen.Ops;

        public static partial class S
        {
            [Differentiable]
            public static double Product([Shape("h", "d")] Matrix<double> W, [Shape("d", "n")] Matrix<double> X) => Sum(W * X);

            [Differentiable]
            public static Matrix<double> Layer(Matrix<double> W, Vector<double> b, [NoGradient] Matrix<double> X) => Tanh(W * X + b);

            [Differentiable]
            public static double Square([Shape("n", "n")] Matrix<double> A, Vector<double> x) => Trace(A) + Dot(x, A * x);

            [Differentiable]
            public static double Fixed([Shape("3", "d")] Matrix<double> W, Vector<double> x) => Sum(W * x);
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileAndLoad(Source).GetType("S", throwOnError: true)!);

    /// <summary>The allocating method of that name (the zero-allocation twin of FDifferential shares it and takes a workspace).</summary>
    private static MethodInfo Generated(string name)
        => GeneratorHarness.Method(Compiled.Value.Assembly, "S", name);

    private static ArgumentException Throws(string method, params object?[] args)
    {
        var e = Assert.ThrowsAny<Exception>(() => Invoke(Generated(method), args));
        return Assert.IsType<ArgumentException>(e);
    }

    private static string FirstFrame(Exception e)
        => e.StackTrace!.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("at ", StringComparison.Ordinal));

    [Fact]
    public void FWithGradient_NamesTheOperationTheVariablesTheSizesAndTheSymbols()
    {
        var e = Throws("ProductWithGradient", new Matrix<double>(15, 4), new Matrix<double>(5, 1), null, null);
        Assert.Equal("W * X: W is 15×4 but X is 5×1 (W is h × d, X is d × n)", e.Message);
        Assert.Contains("S.ProductWithGradient(", FirstFrame(e));
    }

    [Fact]
    public void FDifferential_ChecksOnEntryToo()
    {
        var e = Throws("ProductDifferential", new Matrix<double>(15, 4), new Matrix<double>(5, 1), new Matrix<double>(15, 4), new Matrix<double>(5, 1), null);
        Assert.Equal("W * X: W is 15×4 but X is 5×1 (W is h × d, X is d × n)", e.Message);
        Assert.Contains("S.ProductDifferential(", FirstFrame(e));
    }

    [Fact]
    public void ALayersPullbackForwardAndBackward_CheckOnEntry_WithFreshSymbols()
    {
        var W = new Matrix<double>(4, 3);
        var b = new Vector<double>(5);
        var X = new Matrix<double>(3, 2);
        const string expected = "W * X + b: W * X is 4×2 but b is 5 (W * X is rows(W) × cols(X), b is rows(W))";
        Assert.Equal(expected, Throws("LayerPullback", W, b, X, new Matrix<double>(4, 2), null, null).Message);
        var workspace = Activator.CreateInstance(Compiled.Value.GetNestedType("LayerWorkspace")!)!;
        var e = Throws("LayerForward", W, b, X, workspace);
        Assert.Equal(expected, e.Message);
        Assert.Contains("S.LayerForward(", FirstFrame(e));
        Assert.Equal(expected, Throws("LayerBackward", W, b, X, new Matrix<double>(4, 2), workspace, null, null).Message);
    }

    [Fact]
    public void ASquareOperand_IsChecked()
    {
        var e = Throws("SquareWithGradient", new Matrix<double>(3, 4), new Vector<double>(4), null, null);
        Assert.Equal("Trace(A): A is 3×4 but must be square (A is n × n)", e.Message);
    }

    [Fact]
    public void ALiteralSize_IsChecked()
    {
        var e = Throws("FixedWithGradient", new Matrix<double>(4, 2), new Vector<double>(2), null, null);
        Assert.Equal("[Shape(\"3\", \"d\")] W: W is 4×2 but must be 3 × d (W is 3 × d)", e.Message);
    }

    [Fact]
    public void MatchingSizes_PassTheCheck()
    {
        var args = new object?[] { new Matrix<double>(2, 3), new Matrix<double>(3, 4), null, null };
        Assert.Equal(0.0, (double)Invoke(Generated("ProductWithGradient"), args)!);
        Assert.IsType<Matrix<double>>(args[2]);
    }

    [Fact]
    public void ANullArgument_IsArgumentNull()
        => Assert.IsType<ArgumentNullException>(Assert.ThrowsAny<Exception>(() => Invoke(Generated("ProductWithGradient"), new object?[] { null, new Matrix<double>(3, 4), null, null })));
}
