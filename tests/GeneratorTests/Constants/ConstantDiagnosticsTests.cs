using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;

namespace AutoGradGen.GeneratorTests.Constants;

/// <summary>What still errors around constants and scalar math, and the printing of constant expressions.</summary>
public class ConstantDiagnosticsTests
{
    private static string Class(string members) => Usings + "public static partial class M\n{\n" + members + "\n}\n";

    [Fact]
    public void AGG0021_AConstantExpressionThatWritesALocal_IsReportedAtTheWrite()
    {
        var source = Class("""
                public static int Next(ref int n) => ++n;
                [Differentiable]
                public static double F(Vector<double> x, int n) => Next(ref n) * Sum(x);
            """);
        var run = AssertExactly(source, Error("AGG0021", source, "ref n"));
        Assert.Empty(run.Generated);
    }

    [Theory]
    [InlineData("System.Math.Sin(Sum(x))")]
    [InlineData("System.Math.Round(Sum(x))")]
    [InlineData("System.Math.Atan2(Sum(x), 1.0)")]
    public void ScalarMathWithoutARule_OnADifferentiatedValue_IsAGG0002(string call)
    {
        var source = Class("[Differentiable]\npublic static double F(Vector<double> x) => " + call + ";");
        var run = AssertExactly(source, Error("AGG0002", source, call));
        Assert.Empty(run.Generated);
    }

    [Theory]
    [InlineData("System.Math.Sin(Sum(X))")]
    [InlineData("System.Math.Round(Sum(X))")]
    [InlineData("System.Linq.Enumerable.Sum(ids)")]
    public void TheSameCalls_OnConstantData_AreConstants(string call)
    {
        var source = Class("[Differentiable]\npublic static double F(Vector<double> x, [NoGradient] Vector<double> X, int[] ids) => " + call + " * Sum(x);");
        var run = AssertExactly(source);
        var code = Assert.Single(run.Generated).Value;
        Assert.Contains("global::", code);
    }

    /// <summary>
    /// The constant's code: types and static members global::-qualified, extension calls as static calls, target-typed
    /// new with its type, comments dropped, the method's values by their generated names; deterministic.
    /// </summary>
    [Fact]
    public void ConstantExpressions_ArePrintedQualified_AndDeterministic()
    {
        var source = Usings + """
            using System.Linq;
            using static System.Math;
            namespace N;
            public static class Ext { public static double Twice(this double v) => 2 * v; }
            public static partial class M
            {
                private const double Eps = 1e-3;
                private static double Helper(Matrix<double> X) => X[0, 0];
                [Differentiable]
                public static double F(Matrix<double> A, [NoGradient] Matrix<double> X, int[] ids)
                {
                    var c = Helper(X) /* a comment */ + Sqrt(ids.Length) + ids.Sum() + Eps.Twice();
                    Matrix<double> I = new(A.Rows, A.Cols);
                    return c * SquaredNorm(A - I);
                }
            }
            """;
        var run = AssertExactly(source);
        var code = Assert.Single(run.Generated).Value;
        Assert.Contains("= global::N.M.Helper(X);", code);
        Assert.Contains("= ids.Length;", code);   // an int constant is evaluated once too, into a named local
        Assert.Contains("= global::System.Linq.Enumerable.Sum(ids);", code);
        Assert.Contains("= global::N.Ext.Twice(global::N.M.Eps);", code);
        Assert.Contains("new global::AutoGradGen.Matrix<double>(A.Rows, A.Cols)", code);
        Assert.DoesNotContain("a comment", code);
        Assert.Equal(code, Assert.Single(AssertExactly(source).Generated).Value);
        Assert.NotNull(GeneratorHarness.CompileAndLoad(source));
    }
}
