using AutoGradGen.CodeFixes;
using Xunit;
using static AutoGradGen.GeneratorTests.CodeFixes.CodeFixHarness;

namespace AutoGradGen.GeneratorTests.CustomDerivatives;

/// <summary>AGG0027: the fix adds the missing pullback or differential, of the expected shape, with a body that throws.</summary>
public class AddCustomDerivativeStubCodeFixTests
{
    private static readonly AddCustomDerivativeStubCodeFix Provider = new();

    private static string Source(string prefix = "") => prefix + Usings + """
        public static partial class M
        {
            [Pullback(nameof(SoftPullback))]
            [Differential(nameof(SoftDifferential))]
            public static Vector<double> Soft(Vector<double> x, double t, [NoGradient] Matrix<double> c, int k) => x;

            [Differentiable]
            public static double F(Vector<double> x, double t, [NoGradient] Matrix<double> c) => Sum(Soft(x, t, c, 2));
        }
        """;

    [Fact]
    public async Task AddsThePullbackStub_AfterTheMethod_AndEverythingCompiles()
    {
        var (_, _, actions) = await ActionsAsync(Provider, 0, Source());
        Assert.Equal("Add 'SoftPullback'", Assert.Single(actions).Title);
        var fixedProject = await FixAllAsync(Provider, Microsoft.CodeAnalysis.CodeFixes.FixAllScope.Document, Source());
        var text = await TextAsync(fixedProject);
        Assert.Contains("""
                public static Vector<double> Soft(Vector<double> x, double t, [NoGradient] Matrix<double> c, int k) => x;

                public static void SoftPullback(Vector<double> x, double t, Matrix<double> c, int k, Vector<double> value, Vector<double> seed, Vector<double>? dx, ref double dt)
                {
                    throw new System.NotImplementedException();
                }
            """, text, StringComparison.Ordinal);
        Assert.Contains("public static Vector<double> SoftDifferential(Vector<double> x, double t, Matrix<double> c, int k, Vector<double> value, Vector<double> dx, double dt)",
            text, StringComparison.Ordinal);
        // Stubs of the right shape: no AGG diagnostic, no compile error, F's gradient is generated.
        Assert.Empty(await ProblemsAsync(fixedProject));
    }

    [Fact]
    public async Task WithoutNullableAnnotations_TheBufferIsNotAnnotated()
    {
        var fixedProject = await FixOneAsync(Provider, 0, Source("#nullable disable\n"));
        var text = await TextAsync(fixedProject);
        Assert.Contains("Vector<double> seed, Vector<double> dx, ref double dt)", text, StringComparison.Ordinal);
    }
}
