using Microsoft.CodeAnalysis.Text;
using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;

namespace AutoGradGen.GeneratorTests.Diagnostics;

/// <summary>Diagnostics about a [Differentiable] method's body: statements, calls, expressions.</summary>
public class BodyDiagnosticsTests
{
    private static string Method(string parameters, string body, string extra = "") => Usings + $$"""
        public static partial class M
        {
            [Differentiable]
            public static double F({{parameters}})
            {{body}}
        {{extra}}
        }
        """;

    [Theory]
    [InlineData("foreach", "foreach (var v in new[] { 1.0 }) { s += v; }")]
    [InlineData("switch", "switch (s > 0.0) { default: s = 2.0 * s; break; }")]
    [InlineData("lock", "lock (x) { s += Sum(x); }")]
    [InlineData("{", "{ s += Sum(x); }")]
    [InlineData("s", "s++;")]
    public void AGG0001_UnsupportedStatement_IsReportedAtTheStatementKeyword(string keyword, string statement)
    {
        var source = Method("Vector<double> x", "{ var s = Sum(x); " + statement + " return s; }");
        var run = GeneratorHarnessRun(source);
        var d = Assert.Single(run.AnalyzerDiagnostics);
        Assert.Equal("AGG0001", d.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, d.Severity);
        // The keyword (first token) or the whole statement are both precise; the method or body is not.
        var keywordSpan = SpanOf(source, keyword, after: "var s = Sum(x); ");
        var statementSpan = SpanOf(source, statement);
        Assert.True(d.Location.SourceSpan == keywordSpan || d.Location.SourceSpan == statementSpan,
            "AGG0001 at " + d.Location.SourceSpan + " '" + Text(source, d.Location.SourceSpan) + "', expected '" + keyword + "' or the statement");
        Assert.Equal(FirstPath, d.Location.GetLineSpan().Path);
        AssertWellFormed(d, source);
        Assert.Empty(run.Generated);
    }

    [Theory]
    [InlineData("=> System.Math.Sin(Sum(x));", "System.Math.Sin(Sum(x))")]
    [InlineData("=> System.Math.Log(Sum(x), 2.0);", "System.Math.Log(Sum(x), 2.0)")]
    [InlineData("=> Helper(Sum(x)) + 1.0;", "Helper(Sum(x))")]
    [InlineData("=> Sum(x.Clone());", "x.Clone()")]
    public void AGG0002_CallWithoutDerivative_IsReportedAtTheInvocation(string body, string invocation)
    {
        var extra = "    public static double Helper(double s) => s;\n";
        var source = Method("Vector<double> x", body, extra);
        var run = AssertExactly(source, Error("AGG0002", source, invocation, after: "F("));
        Assert.Empty(run.Generated);
    }

    [Theory]
    [InlineData("Switch expression", "=> flag switch { true => Sum(A), _ => 0.0 };", "flag switch { true => Sum(A), _ => 0.0 }")]
    [InlineData("Lambda", "{ System.Func<double, double> g = t => t * Sum(A); return g(2.0); }", "t => t * Sum(A)")]
    [InlineData("New matrix of a differentiated value", "=> Sum(A + new Matrix<double>((int)Sum(A), 2));", "new Matrix<double>((int)Sum(A), 2)")]
    [InlineData("Remainder", "=> Sum(A) % 2.0;", "Sum(A) % 2.0")]
    public void AGG0009_UnsupportedExpression_IsReportedAtTheExpression(string what, string body, string offending)
    {
        var extra = "    private static readonly double Scale = 2.0;\n";
        var source = Method("Matrix<double> A, Vector<double> x, bool flag", body, extra);
        var run = AssertExactly(source, Error("AGG0009", source, offending, after: "F("));
        Assert.True(run.Generated.Count == 0, what + " generated a method");
    }

    [Fact]
    public void AGG0012_BlockWithoutReturn_IsReported()
    {
        var source = Method("Vector<double> x", "{ var s = Sum(x); }");
        var run = AssertExactly(source, Error("AGG0012", source, "F", after: "double "));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void AGG0012_ReturnNotLast_IsReportedAtTheEarlyReturn()
    {
        var source = Method("Vector<double> x", "{ var s = Sum(x); return s; s = 2.0 * s; }");
        var run = AssertExactly(source, Error("AGG0012", source, "return s;"));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void AGG0012_BodyWithCompileErrors_IsReportedAtTheMethodName()
    {
        var source = Method("Vector<double> x", "=> Sum(x) + undefinedName;");
        var run = AssertExactly(source, Error("AGG0012", source, "F", after: "double "));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void AGG0012_MethodWithoutBody_IsReportedAtTheMethodName()
    {
        var source = Method("Vector<double> x", ";").Replace("public static double F", "public static extern double F");
        var run = AssertExactly(source, Error("AGG0012", source, "F", after: "double "));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void AGG0012_LocalWithoutInitializer_IsReportedAtTheDeclarator()
    {
        var source = Method("Vector<double> x", "{ double s; s = Sum(x); return s; }");
        var run = AssertExactly(source, Error("AGG0012", source, "s", after: "{ double "));
        Assert.Empty(run.Generated);
    }

    [Theory]
    [InlineData("=> G(x, 2.0 * y);", "2.0 * y")]
    [InlineData("{ var t = x + y; return G(y, t); }", "t")]
    public void AGG0013_DifferentiatedArgumentToNoGradientParameter_IsReportedAtTheArgument(string body, string argument)
    {
        var extra = """
                [Differentiable]
                public static double G(Vector<double> a, [NoGradient] Vector<double> b) => Dot(a, b);
            """;
        var source = Method("Vector<double> x, Vector<double> y", body, extra);
        var after = body.StartsWith("=>", StringComparison.Ordinal) ? "G(x, " : "G(y, ";
        var run = AssertExactly(source, Error("AGG0013", source, argument, after: after));
        Assert.False(Generated(run, "M", "F"));
        Assert.True(Generated(run, "M", "G"), "the callee itself is fine and must still be generated");
    }

    [Fact]
    public void AGG0013_IsNotReportedForConstantArguments()
    {
        var extra = """
                [Differentiable]
                public static double G(Vector<double> a, [NoGradient] Vector<double> b) => Dot(a, b);
            """;
        var source = Method("Vector<double> x, [NoGradient] Vector<double> y", "=> G(x, 2.0 * y);", extra);
        // Only the information that the call keeps F from its second order (AGG0020).
        var run = AssertExactly(source, Info("AGG0020", source, "G(x, 2.0 * y)"));
        Assert.True(Generated(run, "M", "F"));
    }

    [Fact]
    public void AGG0020_AtTheCallThatKeepsAScalarMethodFromItsSecondOrder_AndNothingElseIsLost()
    {
        var extra = """
                [Differentiable]
                public static double G(Vector<double> a) => SquaredNorm(a);
            """;
        var source = Method("Vector<double> x", "=> G(x) + Sum(x);", extra);
        var run = AssertExactly(source, Info("AGG0020", source, "G(x)", after: "=> "));
        Assert.True(Generated(run, "M", "F"));
        var generated = string.Join("\n", run.Generated.Values);
        Assert.Contains("FWithGradient(", generated, StringComparison.Ordinal);
        Assert.Contains("FDifferential(", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("FHessianVectorProduct(", generated, StringComparison.Ordinal);
        Assert.Contains("GHessianVectorProduct(", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void AGG0020_IsNotReportedForACallWhoseArgumentsAreConstant()
    {
        var extra = """
                [Differentiable]
                public static double G(Vector<double> a) => SquaredNorm(a);
            """;
        var source = Method("Vector<double> x, [NoGradient] Vector<double> c", "=> G(c) * Sum(x);", extra);
        var run = AssertExactly(source);
        Assert.Contains("FHessianVectorProduct(", string.Join("\n", run.Generated.Values), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=> Sum(x) + F(x);", "F(x)")]
    [InlineData("{ var s = M.F(2.0 * x); return s; }", "M.F(2.0 * x)")]
    public void AGG0015_Recursion_IsReportedAtTheRecursiveCall(string body, string call)
    {
        var source = Method("Vector<double> x", body);
        var run = AssertExactly(source, Error("AGG0015", source, call, after: "F(Vector"));
        Assert.Empty(run.Generated);
    }

    private static Infrastructure.GeneratorRun GeneratorHarnessRun(string source) => DiagnosticAssert.Run(source);

    private static string Text(string source, TextSpan span) => span.End <= source.Length ? source.Substring(span.Start, span.Length) : "?";
}
