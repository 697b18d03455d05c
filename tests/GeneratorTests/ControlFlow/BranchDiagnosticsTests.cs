using System.Linq;
using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;

namespace AutoGradGen.GeneratorTests.ControlFlow;

/// <summary>AGG0036–AGG0038: what a branch may not do, each reported at its node, and the Info a method with a branch gets.</summary>
public class BranchDiagnosticsTests
{
    private static string Method(string body, string parameters = "Matrix<double> W, Vector<double> x, bool flag, int n") => Usings + $$"""
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
    [InlineData("        if (flag) { return Sum(W * h); }", "return", "returns from inside an arm")]
    [InlineData("        int k = 0;\n        if (flag) { k = 2; h = Tanh(W * h); }", "if", "reassigns the int 'k'")]
    [InlineData("        if (flag) { h = Inverse(W) * h; }", "Inverse(W)", "LU")]
    [InlineData("        var y = x;\n        if (flag) { var t = h; h = y; y = t; }", "if", "a swap")]
    [InlineData("        h = flag ? Tanh(W * h) : Sigmoid(W * h);", "?", "both compute a vector")]
    [InlineData("        int k = Sum(h) > 0 ? 1 : 2;\n        s = k * Sum(h);", "?", "not a T, Vector<T> or Matrix<T>")]
    public void AGG0036_UnsupportedBranch_IsReportedAtTheNode(string body, string offending, string says)
    {
        var source = Method(body);
        var run = AssertExactly(source, Error("AGG0036", source, offending, after: "double s = 0;"));
        Assert.Empty(run.Generated);
        Assert.Contains(says, run.AnalyzerDiagnostics.Single().GetMessage());
    }

    [Fact]
    public void AGG0037_AConditionOnAValueComputedInTheLoop_IsReportedAtTheCondition()
    {
        var source = Method("        for (int t = 0; t < n; t++) { h = Tanh(W * h); if (Sum(h) > 0) s += Sum(h); }");
        var run = AssertExactly(source, Error("AGG0037", source, "Sum(h) > 0", after: "double s = 0;"));
        Assert.Empty(run.Generated);
        Assert.Contains("reads 'h", run.AnalyzerDiagnostics.Single().GetMessage());
    }

    [Fact]
    public void AGG0038_ABranchGetsItsGradientAndAnInfoAtTheBranch()
    {
        var source = Method("        if (flag && Sum(x) > 0) { h = Tanh(W * h); } else { s = Sum(h); }");
        var run = AssertExactly(source, Info("AGG0038", source, "if", after: "double s = 0;"));
        var generated = Assert.Single(run.Generated).Value;
        Assert.Contains("FWithGradient", generated);
        Assert.Contains("FDifferential", generated);
        Assert.Contains("FBackward", generated);
        Assert.DoesNotContain("FHessian", generated);
    }

    [Fact]
    public void ALoopAndABranch_GetTheLoopsInfo()
    {
        var source = Method("        if (flag) { h = Tanh(W * h); }\n        for (int t = 0; t < n; t++) { h = Tanh(W * h); }");
        AssertExactly(source, Info("AGG0035", source, "for", after: "double s = 0;"));
    }

    [Fact]
    public void AConditionalOnConstantsOnly_IsAConstant()
    {
        var source = Method("        s = (flag ? 2.0 : 3.0) * Sum(W * h);");
        var run = AssertExactly(source);
        Assert.Single(run.Generated);
    }
}
