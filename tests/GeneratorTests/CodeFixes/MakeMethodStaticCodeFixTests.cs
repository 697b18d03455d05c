using AutoGradGen.CodeFixes;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;
using static AutoGradGen.GeneratorTests.CodeFixes.CodeFixHarness;

namespace AutoGradGen.GeneratorTests.CodeFixes;

/// <summary>AGG0003: the fix adds <c>static</c> after the accessibility modifiers.</summary>
public class MakeMethodStaticCodeFixTests
{
    private static readonly MakeMethodStaticCodeFix Provider = new();

    [Fact]
    public async Task AddsStaticAfterTheAccessibility()
    {
        var source = Usings + """
            public partial class M
            {
                [Differentiable]
                public double F(Vector<double> x) => Dot(x, x);
            }
            """;
        var (_, _, actions) = await ActionsAsync(Provider, 0, source);
        Assert.Equal("Make 'F' static", Assert.Single(actions).Title);

        var fixedProject = await FixOneAsync(Provider, 0, source);
        Assert.Equal(source.Replace("public double F", "public static double F"), await TextAsync(fixedProject));
        Assert.Empty(await ProblemsAsync(fixedProject));
    }

    [Fact]
    public async Task MethodWithoutModifiers_GetsStaticFirst()
    {
        var source = Usings + """
            public partial class M
            {
                [Differentiable]
                double F(Vector<double> x) => Dot(x, x);

                // a comment
                [Differentiable] protected internal unsafe double G(Vector<double> x) => Sum(x);
            }
            """;
        var fixedProject = await FixAllAsync(Provider, FixAllScope.Document, source);
        Assert.Equal(
            source.Replace("    double F", "    static double F").Replace("protected internal unsafe double G", "protected internal static unsafe double G"),
            await TextAsync(fixedProject));
    }

    [Fact]
    public async Task ModifierBeforeAccessibility_StaticGoesFirst()
    {
        var source = Usings + """
            public partial class M
            {
                [Differentiable]
                new public double F(Vector<double> x) => Dot(x, x);
            }
            """;
        var fixedProject = await FixOneAsync(Provider, 0, source);
        Assert.Equal(source.Replace("new public double F", "static new public double F"), await TextAsync(fixedProject));
    }

    [Fact]
    public async Task VirtualMethod_IsNotOffered()
    {
        var source = Usings + """
            public partial class M
            {
                [Differentiable]
                public virtual double F(Vector<double> x) => Dot(x, x);
            }
            """;
        var (_, diagnostic, actions) = await ActionsAsync(Provider, 0, source);
        Assert.Equal("AGG0003", diagnostic.Id);
        Assert.Empty(actions);
    }
}
