using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;

namespace AutoGradGen.GeneratorTests.Diagnostics;

/// <summary>
/// With <c>using System.Numerics;</c> and <c>using AutoGradGen;</c>, <c>Vector&lt;double&gt;</c> is ambiguous
/// (CS0104). The analyzer says so at the type (AGG0017) with the two ways out, and nothing misleading
/// (no "unsupported parameter type" or "unsupported expression").
/// </summary>
public class AmbiguousVectorTests
{
    private const string BothUsings = "using System.Numerics;\n" + Usings;

    [Fact]
    public void AmbiguousParameterType_IsAGG0017AtTheType_WithTheRemedies()
    {
        var source = BothUsings + """
            public static partial class M
            {
                [Differentiable]
                public static double F(Matrix<double> A, Vector<double> x) => Dot(x, A * x);
            }
            """;
        var run = AssertExactly(source, Error("AGG0017", source, "Vector<double>", after: "F(Matrix<double> A, "));
        Assert.Empty(run.Generated);
        Assert.Contains(run.CompilationDiagnostics, d => d.Id == "CS0104");
        var message = Assert.Single(run.AnalyzerDiagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            "'Vector<double>' is ambiguous between 'AutoGradGen.Vector<T>' and 'System.Numerics.Vector<T>'; " +
            "write 'AutoGradGen.Vector<double>', or add 'using Vector = AutoGradGen.Vector<double>;' and write 'Vector'",
            message);
    }

    [Fact]
    public void AmbiguousReturnType_IsAGG0017AtTheReturnType()
    {
        var source = BothUsings + """
            public static partial class M
            {
                [Differentiable]
                public static Vector<float> F(Matrix<float> W, AutoGradGen.Vector<float> b) => W * b;
            }
            """;
        var run = AssertExactly(source, Error("AGG0017", source, "Vector<float>", after: "public static "));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void FullyQualifiedSpelling_IsGeneratedWithoutProblems()
    {
        var source = BothUsings + """
            public static partial class M
            {
                [Differentiable]
                public static double F(Matrix<double> A, AutoGradGen.Vector<double> x) => Dot(x, A * x);
            }
            """;
        var run = AssertExactly(source);
        Assert.True(Generated(run, "M", "F"));
        Assert.Empty(run.Problems);
    }

    [Fact]
    public void SuggestedAlias_IsGeneratedWithoutProblems()
    {
        var source = BothUsings + "using Vector = AutoGradGen.Vector<double>;\n" + """
            public static partial class M
            {
                [Differentiable]
                public static double F(Matrix<double> A, Vector x) => Dot(x, A * x);
            }
            """;
        var run = AssertExactly(source);
        Assert.True(Generated(run, "M", "F"));
        Assert.Empty(run.Problems);
    }
}
