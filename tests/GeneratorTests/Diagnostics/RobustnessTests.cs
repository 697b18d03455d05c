using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;

namespace AutoGradGen.GeneratorTests.Diagnostics;

/// <summary>A bad method is isolated from good ones, and no input makes the generator throw.</summary>
public class RobustnessTests
{
    [Fact]
    public void BadMethod_DoesNotStopAGoodMethodInTheSameType()
    {
        var source = Usings + """
            public static partial class M
            {
                [Differentiable]
                public static double Bad(Matrix<double> A) => Sum(A) % 2.0;

                [Differentiable]
                public static double Good(Matrix<double> A, Vector<double> x) => Dot(x, A * x);

                [Differentiable]
                public static double AlsoBad(Vector<double> x) { for (;;) { } }
            }
            """;
        var run = DiagnosticAssert.Run(source);
        Assert.Equal(new[] { "AGG0009", "AGG0032" }, run.AnalyzerDiagnostics.Select(d => d.Id).Order().ToArray());
        Assert.True(Generated(run, "M", "Good"), "Good was not generated: " + string.Join(", ", run.Generated.Keys));
        Assert.False(Generated(run, "M", "Bad"));
        Assert.False(Generated(run, "M", "AlsoBad"));
        Assert.Single(run.Generated);
        // The good method's gradient is callable: the compilation has no errors besides the user's own.
        Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains(run.Output.GetSymbolsWithName("GoodWithGradient"), s => s is IMethodSymbol);
    }

    [Fact]
    public void WarningMethod_DoesNotStopAGoodMethodInTheSameType()
    {
        var source = Usings + """
            public static partial class M
            {
                [Differentiable]
                public static double Constant([NoGradient] Vector<double> x) => Sum(x);

                [Differentiable]
                public static double Good(Vector<double> x) => SquaredNorm(x);
            }
            """;
        var run = DiagnosticAssert.Run(source);
        Assert.Equal("AGG0010", Assert.Single(run.AnalyzerDiagnostics).Id);
        Assert.True(Generated(run, "M", "Good"));
        Assert.DoesNotContain(run.Problems, d => d.Id != "AGG0010");
    }

    [Fact]
    public void TypesWhoseNamesSanitizeAlike_BothGenerate()
    {
        // Valid C#: C<T> and C_T_ are different types, but a hint name that replaces '<' and '>' with
        // '_' makes both "C_T_.F_…", and a duplicate hint name makes AddSource throw.
        var source = Usings + """
            public static partial class C<T>
            {
                [Differentiable]
                public static double F(Vector<double> x) => Sum(x);
            }
            public static partial class C_T_
            {
                [Differentiable]
                public static double F(Vector<double> x) => Sum(x);
            }
            """;
        var run = DiagnosticAssert.Run(source);
        Assert.Empty(run.AnalyzerDiagnostics);
        Assert.Equal(2, run.Generated.Count);
        Assert.Empty(run.Problems);
    }

    [Fact]
    public void DuplicateMethodDefinition_DoesNotDropTheOtherMethods()
    {
        // CS0111 (a duplicate definition) is a transient state while editing; the generator must not throw
        // (a generator exception drops every generated method, so every call site of G breaks too).
        var source = Usings + """
            public static partial class M
            {
                [Differentiable] public static double F(Vector<double> x) => Sum(x);
                [Differentiable] public static double F(Vector<double> x) => SquaredNorm(x);
                [Differentiable] public static double G(Vector<double> x) => Sum(x);
            }
            """;
        var run = DiagnosticAssert.Run(source);
        Assert.True(DiagnosticAssert.Generated(run, "M", "G"));
    }

    public static TheoryData<string> BrokenSources => new()
    {
        "",
        "[AutoGradGen.Differentiable] class",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) => ; }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) { return } }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x, ) => Sum(x); }",
        Usings + "partial class M { [Differentiable] static double F(Unknown u, Vector<double> x) => Sum(x); }",
        Usings + "partial class M { [Differentiable] static Unknown F(Vector<double> x) => Sum(x); }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) => Sum(x) +; }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) => Sum(x, x, x); }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) => G(x); [Differentiable] static double G(Vector<double> x) => F(x); }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x = null!) => Sum(x); }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) { var a = 1.0 / 0.0; var b = x.Length / 0; return a * Sum(x) + b; } }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) { var x = 2.0; return x; } }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) { x = x + x; x -= x; return Sum(x); } }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) => Sum(x) switch { _ => 1.0 }; }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) => throw new System.Exception(); }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) => default; }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) => (Sum(x), 1.0).Item1; }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) => nameof(x).Length; }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) { const double c = 2.0; return c * Sum(x); } }",
        Usings + "partial class M { [Differentiable] double P => 1.0; [Differentiable] static double F(Vector<double> x) => Sum(x); }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) { double Local(double t) => t; return Local(Sum(x)); } }",
        Usings + "partial class M { [Differentiable] static partial double F(Vector<double> x); }",
        Usings + "partial interface I { [Differentiable] static abstract double F(Vector<double> x); }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) => Sum(Transpose(x)); }",
        Usings + "partial class M { [Differentiable] static double F(Vector<double> x) => Sum(x) * int.MaxValue * 1e308 * 1e308; }",
        Usings + "partial class M<T> { [Differentiable] static double F(Vector<double> x) => Sum(x); }",
        Usings + "partial record struct R { [Differentiable] static double F(Vector<double> x) => Sum(x); }",
    };

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public void Generator_NeverThrows_AndReportsNoInternalError(string source)
    {
        var run = DiagnosticAssert.Run(source); // throws if the generator threw
        Assert.DoesNotContain(run.AnalyzerDiagnostics, d => d.Id == "AGG0011");
        foreach (var d in run.AnalyzerDiagnostics)
        {
            Assert.StartsWith("AGG", d.Id);
            Assert.True(d.Location.SourceSpan.End <= source.Length, d.ToString());
        }
    }
}
