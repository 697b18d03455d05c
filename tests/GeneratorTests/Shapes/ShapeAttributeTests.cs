using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;

namespace AutoGradGen.GeneratorTests.Shapes;

/// <summary>The [Shape] attribute: symbols, integer literals, and AGG0019 for a wrong number of entries.</summary>
public class ShapeAttributeTests
{
    private static string Method(string parameters, string body) => Usings + $$"""
        public static partial class M
        {
            [Differentiable]
            public static double F({{parameters}}) {{body}}
        }
        """;

    [Theory]
    [InlineData("""[Shape("h", "d")] Matrix<double> W, [Shape("d")] Vector<double> x""", "=> Sum(W * x);")]
    [InlineData("""[Shape("3", "4")] Matrix<double> W, [Shape("4")] Vector<double> x""", "=> Sum(W * x);")]
    [InlineData("""[Shape("h", "4")] Matrix<double> W, [Shape("d")] Vector<double> x""", "=> Sum(W * x);")]
    [InlineData("""[Shape("n", "n")] Matrix<double> A, [Shape("n", "k")] Matrix<double> B""", "=> Sum(Solve(A, B)) + LogDet(A);")]
    public void SymbolsAndLiterals_ThatAgree_CompileWithoutWarnings(string parameters, string body)
    {
        var source = Method(parameters, body);
        var run = AssertExactly(source);
        Assert.NotEmpty(run.Generated);
        Assert.Empty(run.Problems);
    }

    [Theory]
    [InlineData("""[Shape("n")] Matrix<double> W""", "Shape(\"n\")", "[Shape] on 'W' gives 1 dimension(s) but a matrix has 2; write [Shape(\"rows\", \"cols\")]")]
    [InlineData("""[Shape("n", "m")] Vector<double> W""", "Shape(\"n\", \"m\")", "[Shape] on 'W' gives 2 dimension(s) but a vector has 1; write [Shape(\"n\")]")]
    [InlineData("""[Shape] Vector<double> W""", "Shape", "[Shape] on 'W' gives 0 dimension(s) but a vector has 1; write [Shape(\"n\")]")]
    [InlineData("""[Shape("n")] double W""", "Shape(\"n\")", "[Shape] on 'W' gives 1 dimension(s) but a scalar has 0; write no [Shape]")]
    [InlineData("""[Shape("n", "")] Matrix<double> W""", "Shape(\"n\", \"\")", "[Shape] on 'W' gives 2 dimension(s) but a matrix has 2; write [Shape(\"rows\", \"cols\")]")]
    public void AWrongCount_IsAG0019AtTheAttribute(string parameters, string attribute, string message)
    {
        var source = Method(parameters, "=> Sum(W);".Replace("Sum(W)", parameters.Contains("double W") && !parameters.Contains("<") ? "W" : "Sum(W)"));
        var run = AssertExactly(source, Error("AGG0019", source, attribute));
        Assert.Equal(message, Assert.Single(run.AnalyzerDiagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Generated);
    }
}
