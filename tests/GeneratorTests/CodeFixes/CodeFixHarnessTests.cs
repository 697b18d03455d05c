using AutoGradGen.CodeFixes;
using Xunit;

namespace AutoGradGen.GeneratorTests.CodeFixes;

/// <summary>Each code fix through the Microsoft.CodeAnalysis.Testing code-fix harness, on the analyzer's diagnostics.</summary>
public class CodeFixHarnessTests
{
    private const string Usings = "using AutoGradGen;\nusing static AutoGradGen.Ops;\n";

    [Fact]
    public Task AGG0003_MakeMethodStatic() => CodeFixVerifier<MakeMethodStaticCodeFix>.VerifyAsync(
        Usings + """
        public partial class M
        {
            [Differentiable]
            public double {|AGG0003:F|}(Vector<double> x) => Dot(x, x);

            [Differentiable]
            internal double {|AGG0003:G|}(Vector<double> x) => Sum(x);
        }
        """,
        Usings + """
        public partial class M
        {
            [Differentiable]
            public static double F(Vector<double> x) => Dot(x, x);

            [Differentiable]
            internal static double G(Vector<double> x) => Sum(x);
        }
        """);

    [Fact]
    public Task AGG0004_MakeTypePartial_EveryLevel() => CodeFixVerifier<MakeTypePartialCodeFix>.VerifyAsync(
        Usings + """
        public static class {|AGG0004:Outer|}
        {
            // keeps this comment
            internal class {|AGG0004:Inner|}
            {
                [Differentiable]
                public static double F(Vector<double> x) => Sum(x);
            }
        }
        """,
        Usings + """
        public static partial class Outer
        {
            // keeps this comment
            internal partial class Inner
            {
                [Differentiable]
                public static double F(Vector<double> x) => Sum(x);
            }
        }
        """);

    [Fact]
    public Task AGG0008_RemoveParameterModifier() => CodeFixVerifier<RemoveParameterModifierCodeFix>.VerifyAsync(
        Usings + """
        public static partial class M
        {
            [Differentiable]
            public static double F(Vector<double> x, {|AGG0008:in|} Matrix<double> A) => Dot(x, A * x);

            [Differentiable]
            public static double G(Vector<double> x, {|AGG0008:ref|} readonly Matrix<double> A) => Dot(x, A * x);
        }
        """,
        Usings + """
        public static partial class M
        {
            [Differentiable]
            public static double F(Vector<double> x, Matrix<double> A) => Dot(x, A * x);

            [Differentiable]
            public static double G(Vector<double> x, Matrix<double> A) => Dot(x, A * x);
        }
        """);
}
