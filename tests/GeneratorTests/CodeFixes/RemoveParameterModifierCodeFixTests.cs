using AutoGradGen.CodeFixes;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;
using static AutoGradGen.GeneratorTests.CodeFixes.CodeFixHarness;

namespace AutoGradGen.GeneratorTests.CodeFixes;

/// <summary>AGG0008: the fix removes ref/out/in (and readonly, scoped with them) from the parameter.</summary>
public class RemoveParameterModifierCodeFixTests
{
    private static readonly RemoveParameterModifierCodeFix Provider = new();

    [Theory, InlineData("ref"), InlineData("in"), InlineData("ref readonly"), InlineData("scoped ref")]
    public async Task RemovesTheModifier(string modifier)
    {
        var source = Usings + $$"""
            public static partial class M
            {
                [Differentiable]
                public static double F({{modifier}} Vector<double> x, Matrix<double> A) => Dot(x, A * x);
            }
            """;
        var (_, _, actions) = await ActionsAsync(Provider, 0, source);
        Assert.Equal($"Remove '{modifier.Split(' ').First(m => m is "ref" or "in")}' from parameter 'x'", Assert.Single(actions).Title);

        var fixedProject = await FixOneAsync(Provider, 0, source);
        Assert.Equal(source.Replace(modifier + " Vector<double> x", "Vector<double> x"), await TextAsync(fixedProject));
        Assert.Empty(await ProblemsAsync(fixedProject));
    }

    [Fact]
    public async Task KeepsAttributesAndComments()
    {
        var source = Usings + """
            public static partial class M
            {
                [Differentiable]
                public static double F(Vector<double> x, [NoGradient] /* data */ in Matrix<double> A) => Dot(x, A * x);
            }
            """;
        var fixedProject = await FixOneAsync(Provider, 0, source);
        Assert.Equal(source.Replace("/* data */ in Matrix", "/* data */ Matrix"), await TextAsync(fixedProject));
        Assert.Empty(await ProblemsAsync(fixedProject));
    }

    [Fact]
    public async Task OutParameter_BecomesByValue()
    {
        var source = Usings + """
            public static partial class M
            {
                [Differentiable]
                public static double F(Vector<double> x, out Vector<double> y)
                {
                    y = x;
                    return Dot(x, y);
                }
            }
            """;
        var fixedProject = await FixOneAsync(Provider, 0, source);
        Assert.Equal(source.Replace("out Vector<double> y", "Vector<double> y"), await TextAsync(fixedProject));
        Assert.DoesNotContain(await ProblemsAsync(fixedProject), d => d.Id == "AGG0008");
    }

    [Fact]
    public async Task FixAll_RemovesEveryModifier()
    {
        var source = Usings + """
            public static partial class M
            {
                [Differentiable]
                public static double F(ref Vector<double> x, in Matrix<double> A, ref Vector<double> y) => Dot(x, A * y);

                [Differentiable]
                public static double G(in Matrix<double> B) => Sum(B);
            }
            """;
        var fixedProject = await FixAllAsync(Provider, FixAllScope.Document, source);
        Assert.Equal(source.Replace("ref ", "").Replace("in Matrix", "Matrix"), await TextAsync(fixedProject));
        Assert.Empty(await ProblemsAsync(fixedProject));
    }
}
