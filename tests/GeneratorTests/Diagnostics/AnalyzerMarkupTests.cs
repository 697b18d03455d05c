using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace AutoGradGen.GeneratorTests.Diagnostics;

/// <summary>
/// Every AGG diagnostic that user code can cause, from <see cref="Generator.Analysis.DifferentiableAnalyzer"/>
/// alone (no generator run), at its node. AGG0011 (internal error) has no user-code trigger.
/// </summary>
public class AnalyzerMarkupTests
{
    private const string Usings = "using AutoGradGen;\nusing static AutoGradGen.Ops;\n";

    private static string Class(string members, string modifiers = "public static partial") => Usings + $$"""
        {{modifiers}} class M
        {
        {{members}}
        }
        """;

    [Fact]
    public Task AGG0001_UnsupportedStatement() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public static double F(Vector<double> x)
            {
                var s = Sum(x);
                {|AGG0001:foreach|} (var v in new[] { 1.0 }) { s += v * Sum(x); }
                return s;
            }
        """));

    [Fact]
    public Task AGG0002_CallWithoutDerivative() => AnalyzerVerifier.VerifyAsync(Class("""
            public static double Helper(double s) => s * s;

            [Differentiable]
            public static double F(Vector<double> x) => {|AGG0002:System.Math.Sin(Sum(x))|} + {|AGG0002:Helper(Sum(x))|};
        """));

    [Fact]
    public Task AGG0003_InstanceMethod() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public double {|AGG0003:Loss|}(Vector<double> w) => SquaredNorm(w);
        """, "public partial"));

    [Fact]
    public Task AGG0004_NonPartialContainingTypes() => AnalyzerVerifier.VerifyAsync(Usings + """
        public static class {|AGG0004:Outer|}
        {
            public static partial class Inner
            {
                public static class {|AGG0004:Innermost|}
                {
                    [Differentiable]
                    public static double F(Vector<double> x) => Sum(x);
                }
            }
        }
        """);

    [Fact]
    public Task AGG0005_UnsupportedParameterType() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public static double F(Vector<double> x, {|AGG0005:System.Span<double>|} weights) => Sum(x);
        """));

    [Fact]
    public Task AGG0006_UnsupportedReturnType() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public static {|AGG0006:int|} F(Vector<double> x) => x.Length;
        """));

    [Fact]
    public Task AGG0007_MixedElementTypes() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public static double F(Vector<double> x, {|AGG0007:Vector<float>|} y) => Sum(x);

            [Differentiable]
            public static float G(Vector<float> x) => (float)({|AGG0007:(double)Sum(x)|} * {|AGG0007:2.0|});
        """));

    [Fact]
    public Task AGG0008_ByReferenceParameter() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public static double F(Vector<double> x, {|AGG0008:in|} Matrix<double> A) => Dot(x, A * x);
        """));

    [Fact]
    public Task AGG0009_UnsupportedExpression() => AnalyzerVerifier.VerifyAsync(Class("""
            static readonly double Scale = 2.0;

            [Differentiable]
            public static double F(Matrix<double> A, bool flag) => {|AGG0009:flag switch { true => Scale * Sum(A), _ => A[0, 1] }|};

            [Differentiable]
            public static double G(Matrix<double> A) => Scale * Sum(A) + {|AGG0009:Sum(A) % 2.0|};
        """));

    [Fact]
    public Task AGG0010_NothingToDifferentiate() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public static double {|AGG0010:F|}([NoGradient] Matrix<double> X, int n) => n * Sum(X);
        """));

    [Fact]
    public Task AGG0012_UnsupportedBody() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public static double F(Vector<double> x)
            {
                var s = Sum(x);
                {|AGG0012:return s;|}
                s = 2.0 * s;
            }

            [Differentiable]
            public static double {|AGG0012:G|}(Vector<double> x) => Sum(x) + {|CS0103:undefinedName|};

            [Differentiable]
            public static double H(Vector<double> x) { double {|AGG0012:s|}; s = Sum(x); return s; }
        """));

    [Fact]
    public Task AGG0013_GradientLostThroughNoGradient() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public static double G(Vector<double> a, [NoGradient] Vector<double> b) => Dot(a, b);

            [Differentiable]
            public static double F(Vector<double> x, Vector<double> y) => G(x, {|AGG0013:2.0 * y|});
        """));

    [Fact]
    public Task AGG0014_GenericMethod() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public static double F{|AGG0014:<T>|}(Vector<double> x) => Sum(x);
        """));

    [Fact]
    public Task AGG0015_Recursion() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public static double F(Vector<double> x) => Sum(x) + {|AGG0015:F(x)|};
        """));

    [Fact]
    public Task AGG0016_GeneratedNameTaken() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public static double {|AGG0016:F|}(Vector<double> x) => Sum(x);

            public static void FWithGradient() { }
        """));

    [Fact]
    public Task AGG0017_VectorAmbiguousWithSystemNumerics_IsReportedAtTheParameterType() => AnalyzerVerifier.VerifyAsync(
        "using System.Numerics;\n" + Class("""
            [Differentiable]
            public static double F({|AGG0017:{|CS0104:Vector<double>|}|} x) => SquaredNorm(x);
        """));

    [Fact]
    public Task ValidMethods_HaveNoDiagnostic() => AnalyzerVerifier.VerifyAsync(Class("""
            [Differentiable]
            public static double F(Matrix<double> A, Vector<double> x, [NoGradient] Vector<double> y) => Dot(x, A * y) + SquaredNorm(x);

            [Differentiable]
            public static Vector<double> Layer(Matrix<double> W, Vector<double> b, [NoGradient] Vector<double> x) => Sigmoid(W * x + b);

            public static double NotMarked(double[] a, ref int n) => a[0];
        """));
}
