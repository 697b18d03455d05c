using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;

namespace AutoGradGen.GeneratorTests.Slicing;

/// <summary>AGG0024: writing into an element is reported at the element, with what to write instead; reads are fine.</summary>
public class ElementWriteDiagnosticsTests
{
    private static string Method(string body) => Usings + $$"""
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> A, Vector<double> x, int i)
            {{body}}
        }
        """;

    [Theory]
    [InlineData("{ var B = A; B[0, 1] = 2.0 * x[0]; return Sum(B); }", "B[0, 1]", "ConcatRows/ConcatColumns")]
    [InlineData("{ A[i, i] += x[i]; return Sum(A); }", "A[i, i]", "ConcatRows/ConcatColumns")]
    [InlineData("{ var y = x; y[i] = A[i, 0]; return Sum(y); }", "y[i]", "SliceRows")]
    public void AGG0024_ElementWrite_IsReportedAtTheElement_SayingWhatToWriteInstead(string body, string element, string advice)
    {
        var source = Method(body);
        var run = AssertExactly(source, Error("AGG0024", source, element));
        var d = Assert.Single(run.AnalyzerDiagnostics);
        Assert.Contains(advice, d.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(element, d.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void ElementReads_AreNotDiagnosed()
    {
        var source = Method("{ var s = A[i, 0] * x[i]; return s + Sum(Column(A, i)); }");
        var run = AssertExactly(source);
        Assert.NotEmpty(run.Generated);
    }
}
