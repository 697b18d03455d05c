using System.Reflection;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.Regressions;

/// <summary>Runtime errors of generated code that lead back to what the user wrote (issue 14, item 4).</summary>
public sealed class RuntimeMessagesTests
{
    private const string Source = """
        using AutoGradGen;
        using static AutoGradGen.Ops;

        public static partial class M
        {
            [Differentiable] public static Vector<double> Layer(Matrix<double> W, Vector<double> x) => Tanh(W * x);
            [Differentiable] public static double Quadratic(Matrix<double> B, Vector<double> z) => Dot(z, Inverse(B) * z);
            [Differentiable] public static double LogDeterminant(Matrix<double> S) => LogDet(S);
        }
        """;

    private static readonly Lazy<Assembly> Compiled = new(() => GeneratorHarness.CompileAndLoad(Source));

    private static Type M => Compiled.Value.GetType("M")!;

    private static MethodInfo Method(string name) => M.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;

    private static Exception Unwrap(Action call)
        => Assert.IsType<TargetInvocationException>(Record.Exception(call)).InnerException!;

    [Fact]
    public void LayerBackward_BeforeForward_SaysSo()
    {
        var workspace = Activator.CreateInstance(M.GetNestedType("LayerWorkspace")!)!;
        var W = Matrix<double>.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
        var x = Vector<double>.FromArray([1.0, -1.0]);
        var e = Unwrap(() => Method("LayerBackward").Invoke(null, [W, x, x, workspace, null, null, true]));
        var invalid = Assert.IsType<InvalidOperationException>(e);
        Assert.Contains("call LayerForward with the same arguments and this workspace first", invalid.Message, StringComparison.Ordinal);

        // After the forward pass the same call works.
        Method("LayerForward").Invoke(null, [W, x, workspace]);
        Method("LayerBackward").Invoke(null, [W, x, x, workspace, new Matrix<double>(2, 2), new Vector<double>(2), true]);
    }

    [Fact]
    public void InverseTimesVector_OnASingularMatrix_NamesInverse_AsWritten()
    {
        // The generator turns Inverse(B) * z into one LU solve; the error still names what the user wrote.
        var singular = Matrix<double>.FromArray(new double[,] { { 1, 2 }, { 2, 4 } });
        var z = Vector<double>.FromArray([1.0, 1.0]);
        var e = Unwrap(() => Method("QuadraticWithGradient").Invoke(null, [singular, z, null, null]));
        Assert.StartsWith("Inverse: the matrix is singular", Assert.IsType<SingularMatrixException>(e).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogDet_OfASingularMatrix_BehavesTheSameForwardAndBackward()
    {
        var singular = Matrix<double>.FromArray(new double[,] { { 1, 2 }, { 2, 4 } });
        var forward = Unwrap(() => Method("LogDeterminant").Invoke(null, [singular]));
        var backward = Unwrap(() => Method("LogDeterminantWithGradient").Invoke(null, [singular, null]));
        Assert.StartsWith("LogDet: the matrix is singular", Assert.IsType<SingularMatrixException>(forward).Message, StringComparison.Ordinal);
        Assert.StartsWith("LogDet: the matrix is singular", Assert.IsType<SingularMatrixException>(backward).Message, StringComparison.Ordinal);
    }
}
