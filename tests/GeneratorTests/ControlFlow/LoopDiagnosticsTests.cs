using System.Linq;
using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;

namespace AutoGradGen.GeneratorTests.ControlFlow;

/// <summary>AGG0031–AGG0035: what a differentiable loop may not do, each reported at its node.</summary>
public class LoopDiagnosticsTests
{
    private static string Method(string body, string parameters = "Matrix<double> W, Vector<double> x, int n") => Usings + $$"""
        public static partial class M
        {
            [Differentiable]
            public static double F({{parameters}})
            {
                var h = x;
                double s = 0;
        {{body}}
                return s + Sum(h);
            }
        }
        """;

    [Theory]
    [InlineData("while", "        while (s < 1.0) { s += Sum(h); }")]
    [InlineData("do", "        do { s += Sum(h); } while (s < 1.0);")]
    public void AGG0031_WhileAndDo_AreReportedAtTheKeyword(string keyword, string loop)
    {
        var source = Method(loop);
        var run = AssertExactly(source, Error("AGG0031", source, keyword, after: "double s = 0;"));
        Assert.Empty(run.Generated);
        Assert.Contains("for (int t = 0; t < n; t++)", run.AnalyzerDiagnostics.Single().GetMessage());
    }

    [Theory]
    [InlineData("        for (double t = 0; t < n; t++) { h = Tanh(W * h); }", "double t = 0", "not an int")]
    [InlineData("        for (int t = 0; s < n; t++) { h = Tanh(W * h); }", "s < n", "does not compare the counter")]
    [InlineData("        for (int t = 0; t != n; t++) { h = Tanh(W * h); }", "t != n", "is not <, <=, > or >=")]
    [InlineData("        for (int t = 0; t < n; t--) { h = Tanh(W * h); }", "t--", "counts down")]
    [InlineData("        for (int t = 0; t < n; t *= 2) { h = Tanh(W * h); }", "t *= 2", "is not t++")]
    [InlineData("        for (int t = 0; t < n; t += 0) { h = Tanh(W * h); }", "0", "not positive")]
    [InlineData("        for (int t = 0; t < n; t++) { t = t + 1; h = Tanh(W * h); }", "t = t + 1", "assigns the counter")]
    [InlineData("        for (int t = 0; t < s; t++) { h = Tanh(W * h); }", "s", "is not an int")]
    [InlineData("        for (;;) { h = Tanh(W * h); }", "for", "one counter")]
    public void AGG0032_UnsupportedHeader_IsReportedAtItsPart(string loop, string offending, string says)
    {
        var source = Method(loop);
        var run = AssertExactly(source, Error("AGG0032", source, offending, after: offending == "0" ? "t += " : offending == "s" ? "t < " : "double s = 0;"));
        Assert.Empty(run.Generated);
        Assert.Contains(says, run.AnalyzerDiagnostics.Single().GetMessage());
    }

    [Theory]
    [InlineData("        for (int t = 0; t < n; t++) { h = Tanh(W * h); break; }", "break")]
    [InlineData("        for (int t = 0; t < n; t++) { h = Tanh(W * h); continue; }", "continue")]
    [InlineData("        for (int t = 0; t < n; t++) { h = Tanh(W * h); return s; }", "return")]
    public void AGG0033_JumpInsideALoop_IsReportedAtTheJump(string loop, string keyword)
    {
        var source = Method(loop);
        var run = AssertExactly(source, Error("AGG0033", source, keyword, after: "h = Tanh(W * h); "));
        Assert.Empty(run.Generated);
    }

    [Theory]
    [InlineData("        int k = 0;\n        for (int t = 0; t < n; t++) { k = k + 2; h = Tanh(W * h); }", "for", "reassigns the int 'k'")]
    [InlineData("        for (int t = 0; t < n; t++) { h = Inverse(W) * h; }", "Inverse(W)", "LU")]
    public void AGG0034_UnsupportedBody_IsReported(string loop, string offending, string says)
    {
        var source = Method(loop);
        var run = AssertExactly(source, Error("AGG0034", source, offending, after: "double s = 0;"));
        Assert.Empty(run.Generated);
        Assert.Contains(says, run.AnalyzerDiagnostics.Single().GetMessage());
    }

    [Fact]
    public void AGG0035_ALoopGetsItsGradientAndAnInfoAtTheLoop()
    {
        var source = Method("        for (int t = 0; t < n; t++) { h = Tanh(W * h); s += Sum(h); }");
        var run = AssertExactly(source, Info("AGG0035", source, "for", after: "double s = 0;"));
        var generated = Assert.Single(run.Generated).Value;
        Assert.Contains("FWithGradient", generated);
        Assert.Contains("FDifferential", generated);
        Assert.Contains("FBackward", generated);
        Assert.DoesNotContain("FHessian", generated);
    }

    [Fact]
    public void AGG0018_ACarriedLocalThatChangesShape_IsReportedAtTheAssignment()
    {
        var source = Method("        for (int t = 0; t < n; t++) { h = W * h; }",
            "[Shape(\"m\", \"k\")] Matrix<double> W, [Shape(\"k\")] Vector<double> x, int n");
        var run = AssertExactly(source, Error("AGG0018", source, "W * h", after: "double s = 0;"));
        Assert.Empty(run.Generated);
    }
}
