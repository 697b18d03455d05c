using System.Globalization;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;

namespace AutoGradGen.GeneratorTests.CustomDerivatives;

/// <summary>
/// [Pullback] and [Differential] targets that do not match their contract: an error at the attribute whose message shows
/// the expected signature in C# (AGG0027 when the method does not exist, AGG0028 otherwise), and AGG0029 at a call.
/// </summary>
public class CustomSignatureDiagnosticsTests
{
    private const string ExpectedPullback =
        "public static void SoftPullback(Vector<double> x, double t, Vector<double> value, Vector<double> seed, Vector<double>? dx, ref double dt)";

    private const string ExpectedDifferential =
        "public static Vector<double> SoftDifferential(Vector<double> x, double t, Vector<double> value, Vector<double> dx, double dt)";

    private static string Source(string pullback, string attributes = "[Pullback(nameof(SoftPullback))]", string caller = "") => Usings + $$"""
        public static partial class M
        {
            {{attributes}}
            public static Vector<double> Soft(Vector<double> x, double t) => x;

            {{pullback}}
        {{caller}}
        }
        """;

    private static string Message(GeneratorRun run) => run.AnalyzerDiagnostics.Single().GetMessage(CultureInfo.InvariantCulture);

    [Fact]
    public void AGG0027_MissingMethod_AtTheAttribute_WithTheStubSignature()
    {
        var source = Source(string.Empty);
        var run = AssertExactly(source, Error("AGG0027", source, "Pullback(nameof(SoftPullback))"));
        Assert.Contains("add: " + ExpectedPullback, Message(run), StringComparison.Ordinal);
        Assert.Equal(ExpectedPullback, run.AnalyzerDiagnostics.Single().Properties["Signature"]);
    }

    [Fact]
    public void AGG0027_MissingDifferential_AtItsAttribute()
    {
        var source = Source("public static void SoftPullback(Vector<double> x, double t, Vector<double> value, Vector<double> seed, Vector<double>? dx, ref double dt) { }",
            "[Pullback(nameof(SoftPullback))]\n    [Differential(\"SoftDifferential\")]");
        var run = AssertExactly(source, Error("AGG0027", source, "Differential(\"SoftDifferential\")"));
        Assert.Contains("add: " + ExpectedDifferential, Message(run), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong arity", "public static void SoftPullback(Vector<double> x, double t, Vector<double> seed, Vector<double>? dx, ref double dt) { }",
        "takes 5 parameter(s), expected 6")]
    [InlineData("wrong type", "public static void SoftPullback(Vector<double> x, double t, Vector<double> value, double seed, Vector<double>? dx, ref double dt) { }",
        "has parameter 4 ('seed') of type 'double', expected 'AutoGradGen.Vector<double>'")]
    [InlineData("not static", "public void SoftPullback(Vector<double> x, double t, Vector<double> value, Vector<double> seed, Vector<double>? dx, ref double dt) { }",
        "is not static")]
    [InlineData("missing ref", "public static void SoftPullback(Vector<double> x, double t, Vector<double> value, Vector<double> seed, Vector<double>? dx, double dt) { }",
        "takes parameter 6 ('dt') by value, expected 'ref'")]
    [InlineData("ref buffer", "public static void SoftPullback(Vector<double> x, double t, Vector<double> value, Vector<double> seed, ref Vector<double>? dx, ref double dt) { }",
        "takes parameter 5 ('dx') as 'ref', expected by value")]
    [InlineData("returns a value", "public static double SoftPullback(Vector<double> x, double t, Vector<double> value, Vector<double> seed, Vector<double>? dx, ref double dt) => 0.0;",
        "returns 'double', expected 'void'")]
    public void AGG0028_SignatureMismatch_AtTheAttribute_WithTheExpectedSignature(string what, string pullback, string reason)
    {
        var source = Source(pullback);
        var run = AssertExactly(source, Error("AGG0028", source, "Pullback(nameof(SoftPullback))"));
        var message = Message(run);
        Assert.True(message.Contains(reason, StringComparison.Ordinal), what + ": " + message);
        Assert.Contains("declare it as: " + ExpectedPullback, message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGG0028_DifferentialReturningTheWrongType()
    {
        var source = Source("""
                public static void SoftPullback(Vector<double> x, double t, Vector<double> value, Vector<double> seed, Vector<double>? dx, ref double dt) { }
                public static double SoftDifferential(Vector<double> x, double t, Vector<double> value, Vector<double> dx, double dt) => 0.0;
            """, "[Pullback(nameof(SoftPullback))]\n    [Differential(nameof(SoftDifferential))]");
        var run = AssertExactly(source, Error("AGG0028", source, "Differential(nameof(SoftDifferential))"));
        Assert.Contains("returns 'double', expected 'AutoGradGen.Vector<double>'; declare it as: " + ExpectedDifferential, Message(run), StringComparison.Ordinal);
    }

    [Fact]
    public void AGG0028_DifferentialWithoutPullback()
    {
        var source = Source("public static Vector<double> SoftDifferential(Vector<double> x, double t, Vector<double> value, Vector<double> dx, double dt) => dx;",
            "[Differential(nameof(SoftDifferential))]");
        var run = AssertExactly(source, Error("AGG0028", source, "Differential(nameof(SoftDifferential))"));
        Assert.Contains("[Pullback(nameof(SoftPullback))]", Message(run), StringComparison.Ordinal);
    }

    [Fact]
    public void NoGradientAndIntParameters_GetNoGradientArgument()
    {
        var source = Usings + """
            public static partial class M
            {
                [Pullback(nameof(GPullback))]
                public static double G(Matrix<double> A, [NoGradient] Vector<double> c, int k, float f) => 0.0;

                public static void GPullback(Matrix<double> A, Vector<double> c, int k, float f, double value, double seed, Matrix<double> dA) { }
            }
            """;
        AssertExactly(source);
    }

    [Fact]
    public void AGG0029_AtACallOfAMethodWhosePullbackDoesNotMatch_AndNothingIsGenerated()
    {
        var source = Source("public static void SoftPullback(Vector<double> x, double t) { }", caller: """
                [Differentiable]
                public static double F(Vector<double> x) => Sum(Soft(x, 0.5));
            """);
        var run = AssertExactly(source,
            Error("AGG0028", source, "Pullback(nameof(SoftPullback))"),
            Error("AGG0029", source, "Soft(x, 0.5)"));
        Assert.False(Generated(run, "M", "F"));
    }

    [Fact]
    public void AGG0027_NameofOfAMissingMethod_StillNamesIt()
    {
        // nameof(SoftPullback) does not compile yet (CS0103): the analyzer reads the name written, for the code fix.
        var source = Source(string.Empty);
        var run = GeneratorHarness.Run(source);
        Assert.Contains(run.CompilationDiagnostics, d => d.Id == "CS0103");
        Assert.Equal("AGG0027", run.AnalyzerDiagnostics.Single().Id);
    }
}
