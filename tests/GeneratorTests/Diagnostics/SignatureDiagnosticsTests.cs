using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;

namespace AutoGradGen.GeneratorTests.Diagnostics;

/// <summary>Diagnostics about a [Differentiable] method's declaration: modifiers, containing types, signature, names.</summary>
public class SignatureDiagnosticsTests
{
    [Fact]
    public void AGG0003_InstanceMethod_IsReportedAtTheMethodName()
    {
        var source = Usings + """
            public partial class M
            {
                [Differentiable]
                public double F(Vector<double> x) => Sum(x);
            }
            """;
        var run = AssertExactly(source, Error("AGG0003", source, "F", after: "double "));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void AGG0004_NonPartialOuterWithPartialInner_IsReportedAtTheOuterName()
    {
        var source = Usings + """
            public static class Outer
            {
                public static partial class Inner
                {
                    [Differentiable]
                    public static double F(Vector<double> x) => Sum(x);
                }
            }
            """;
        var run = AssertExactly(source, Error("AGG0004", source, "Outer"));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void AGG0004_PartialOuterWithNonPartialInner_IsReportedAtTheInnerName()
    {
        var source = Usings + """
            public static partial class Outer
            {
                public static class Inner
                {
                    [Differentiable]
                    public static double F(Vector<double> x) => Sum(x);
                }
            }
            """;
        var run = AssertExactly(source, Error("AGG0004", source, "Inner"));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void AGG0004_EveryNonPartialLevel_IsReportedOnce()
    {
        var source = Usings + """
            namespace N;
            public class A
            {
                public partial struct B
                {
                    public record C
                    {
                        [Differentiable]
                        public static double F(Vector<double> x) => Sum(x);
                    }
                }
            }
            """;
        AssertExactly(source,
            Error("AGG0004", source, "A", after: "class "),
            Error("AGG0004", source, "C", after: "record "));
    }

    [Theory]
    [InlineData("System.Span<double> s", "System.Span<double>")]
    [InlineData("System.ReadOnlySpan<int> r", "System.ReadOnlySpan<int>")]
    [InlineData("params double[] a", "double[]")]
    [InlineData("Matrix<int> m", "Matrix<int>")]
    [InlineData("Vector<long> v", "Vector<long>")]
    [InlineData("dynamic d", "dynamic")]
    public void AGG0005_UnsupportedParameterType_IsReportedAtTheParameterType(string parameter, string type)
    {
        var source = Usings + $$"""
            public static partial class M
            {
                [Differentiable]
                public static double F(Vector<double> x, {{parameter}}) => Sum(x);
            }
            """;
        var run = AssertExactly(source, Error("AGG0005", source, type, after: "Vector<double> x, "));
        Assert.Empty(run.Generated);
    }

    /// <summary>Parameters of other types are constants passed through: no diagnostic, no gradient argument.</summary>
    [Theory]
    [InlineData("string s")]
    [InlineData("double[] a")]
    [InlineData("long n")]
    [InlineData("System.Numerics.Vector<double> v")]
    [InlineData("System.Collections.Generic.List<int> ids")]
    public void ParametersOfOtherTypes_ArePassedThrough(string parameter)
    {
        var source = Usings + $$"""
            public static partial class M
            {
                [Differentiable]
                public static double F(Vector<double> x, {{parameter}}) => Sum(x);
            }
            """;
        var run = AssertExactly(source);
        Assert.NotEmpty(run.Generated);
    }

    [Theory]
    [InlineData("void", "{ }")]
    [InlineData("int", "=> x.Length;")]
    [InlineData("string", "=> \"\";")]
    [InlineData("Matrix<int>", "=> new Matrix<int>(1, 1);")]
    [InlineData("double[]", "=> x.ToArray();")]
    public void AGG0006_UnsupportedReturnType_IsReportedAtTheReturnType(string returnType, string body)
    {
        var source = Usings + $$"""
            public static partial class M
            {
                [Differentiable]
                public static {{returnType}} F(Vector<double> x) {{body}}
            }
            """;
        var run = AssertExactly(source, Error("AGG0006", source, returnType, after: "public static "));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void AGG0007_FloatParameterInDoubleMethod_IsReportedAtTheParameterType()
    {
        var source = Usings + """
            public static partial class M
            {
                [Differentiable]
                public static double F(Vector<double> x, Vector<float> y) => Sum(x);
            }
            """;
        var run = AssertExactly(source, Error("AGG0007", source, "Vector<float>"));
        Assert.Empty(run.Generated);
        var message = Assert.Single(run.AnalyzerDiagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("'y' uses element type 'float' but the method 'F' uses 'double'; one [Differentiable] method uses one element type, float or double", message);
    }

    [Fact]
    public void AGG0007_DoubleArithmeticInFloatMethod_IsReportedAtTheConversion()
    {
        var source = Usings + """
            public static partial class M
            {
                [Differentiable]
                public static float F(Vector<float> x) => (float)((double)Sum(x) * 2.0);
            }
            """;
        // Each offending node gets its own diagnostic: the double conversion and the double literal.
        var run = AssertExactly(source, Error("AGG0007", source, "(double)Sum(x)"), Error("AGG0007", source, "2.0"));
        Assert.Empty(run.Generated);
        var conversion = run.AnalyzerDiagnostics.Single(d => d.Location.SourceSpan == SpanOf(source, "(double)Sum(x)"));
        var message = conversion.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("element type 'double'", message); // the offending element type, not the method's own 'float'
        Assert.Contains("the method 'F' uses 'float'", message);
    }

    [Theory]
    [InlineData("ref")]
    [InlineData("in")]
    [InlineData("out")]
    [InlineData("ref readonly")]
    [InlineData("scoped ref")]
    public void AGG0008_ByReferenceParameter_IsReportedAtTheModifier(string modifier)
    {
        var assign = modifier == "out" ? "A = new Matrix<double>(1, 1); " : "";
        var source = Usings + $$"""
            public static partial class M
            {
                [Differentiable]
                public static double F(Vector<double> x, {{modifier}} Matrix<double> A) { {{assign}}return Sum(x); }
            }
            """;
        var keyword = modifier == "scoped ref" ? "ref" : modifier.Split(' ')[0]; // the by-reference modifier, not 'scoped'
        var run = AssertExactly(source, Error("AGG0008", source, keyword, after: "Vector<double> x, "));
        Assert.Empty(run.Generated);
    }

    [Theory]
    [InlineData("[NoGradient] Vector<double> x", "Sum(x)")]
    [InlineData("[NoGradient] Matrix<double> A, int n, bool flag", "Sum(A) * n")]
    [InlineData("int n", "2.0 * n")]
    public void AGG0010_NothingToDifferentiate_IsAWarningAtTheMethodName_AndNothingIsGenerated(string parameters, string body)
    {
        var source = Usings + $$"""
            public static partial class M
            {
                [Differentiable]
                public static double F({{parameters}}) => {{body}};
            }
            """;
        var run = AssertExactly(source, Warning("AGG0010", source, "F", after: "double "));
        Assert.Empty(run.Generated);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    }

    [Fact]
    public void AGG0014_GenericMethod_IsReportedAtTheTypeParameterList()
    {
        var source = Usings + """
            public static partial class M
            {
                [Differentiable]
                public static double F<T>(Vector<double> x) => Sum(x);
            }
            """;
        var run = AssertExactly(source, Error("AGG0014", source, "<T>"));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void AGG0014_GenericElementType_IsStillReportedAsGeneric()
    {
        var source = Usings + """
            public static partial class M
            {
                [Differentiable]
                public static T F<T>(Vector<T> x) where T : System.Numerics.INumber<T> => x[0];
            }
            """;
        var run = DiagnosticAssert.Run(source);
        var generic = Assert.Single(run.AnalyzerDiagnostics, d => d.Id == "AGG0014");
        Assert.Equal(SpanOf(source, "<T>"), generic.Location.SourceSpan);
        Assert.Empty(run.Generated);
    }

    [Theory]
    [InlineData("double", "Sum(x)", "FWithGradient")]
    [InlineData("Vector<double>", "x", "FPullback")]
    public void AGG0016_GeneratedNameTaken_IsReportedAtTheMethodName(string returnType, string body, string taken)
    {
        var source = Usings + $$"""
            public static partial class M
            {
                [Differentiable]
                public static {{returnType}} F(Vector<double> x) => {{body}};

                public static void {{taken}}() { }
            }
            """;
        var run = AssertExactly(source, Error("AGG0016", source, "F", after: returnType + " "));
        Assert.Empty(run.Generated);
    }
}
