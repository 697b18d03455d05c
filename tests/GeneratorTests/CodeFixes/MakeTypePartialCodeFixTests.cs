using AutoGradGen.CodeFixes;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;
using static AutoGradGen.GeneratorTests.CodeFixes.CodeFixHarness;

namespace AutoGradGen.GeneratorTests.CodeFixes;

/// <summary>AGG0004: the fix adds <c>partial</c> to the flagged type; Fix All makes the whole containing chain partial.</summary>
public class MakeTypePartialCodeFixTests
{
    private static readonly MakeTypePartialCodeFix Provider = new();

    [Fact]
    public async Task AddsPartialAfterTheOtherModifiers()
    {
        var source = Usings + """
            public static class M
            {
                [Differentiable]
                public static double F(Vector<double> x) => Dot(x, x);
            }
            """;
        var (_, _, actions) = await ActionsAsync(Provider, 0, source);
        Assert.Equal("Make 'M' partial", Assert.Single(actions).Title);

        var fixedProject = await FixOneAsync(Provider, 0, source);
        Assert.Equal(source.Replace("public static class M", "public static partial class M"), await TextAsync(fixedProject));
        Assert.Empty(await ProblemsAsync(fixedProject));
    }

    [Fact]
    public async Task TypeWithoutModifiers_KeepsItsDocCommentAndAttributes()
    {
        var source = Usings + """
            namespace N;

            /// <summary>A model.</summary>
            [System.Obsolete("old")]
            class M
            {
                [Differentiable]
                public static double F(Vector<double> x) => Dot(x, x);
            }
            """;
        var fixedProject = await FixOneAsync(Provider, 0, source);
        Assert.Equal(source.Replace("\nclass M", "\npartial class M"), await TextAsync(fixedProject));
    }

    [Fact]
    public async Task StructAndRecord_GetPartialRightBeforeTheKeyword()
    {
        var source = Usings + """
            public readonly struct S
            {
                [Differentiable]
                public static double F(Vector<double> x) => Dot(x, x);
            }
            public sealed record R
            {
                [Differentiable]
                public static double G(Vector<double> x) => Dot(x, x);
            }
            """;
        var fixedProject = await FixAllAsync(Provider, FixAllScope.Document, source);
        Assert.Equal(
            source.Replace("public readonly struct S", "public readonly partial struct S").Replace("public sealed record R", "public sealed partial record R"),
            await TextAsync(fixedProject));
        Assert.Empty(await ProblemsAsync(fixedProject));
    }

    private const string Nested = """
        namespace N
        {
            public class Outer
            {
                internal static class Inner
                {
                    [Differentiable]
                    public static double F(Vector<double> x) => Dot(x, x);

                    [Differentiable]
                    public static double G(Matrix<double> A) => Sum(A);
                }
            }
        }
        """;

    [Fact]
    public async Task OneFix_MakesOnlyTheFlaggedTypePartial()
    {
        var source = Usings + Nested;
        var fixedProject = await FixOneAsync(Provider, 0, source); // the first diagnostic: Outer
        Assert.Equal(source.Replace("public class Outer", "public partial class Outer"), await TextAsync(fixedProject));
        Assert.Contains(await ProblemsAsync(fixedProject), d => d.Id == "AGG0004" && d.GetMessage().Contains("'Inner'"));
    }

    [Fact]
    public async Task FixAll_MakesEveryContainingTypePartial_Once()
    {
        // Two methods × two levels: four diagnostics on two declarations.
        var source = Usings + Nested;
        var fixedProject = await FixAllAsync(Provider, FixAllScope.Document, source);
        Assert.Equal(
            source.Replace("public class Outer", "public partial class Outer").Replace("internal static class Inner", "internal static partial class Inner"),
            await TextAsync(fixedProject));
        Assert.Empty(await ProblemsAsync(fixedProject));
    }

    [Theory, InlineData(FixAllScope.Project), InlineData(FixAllScope.Solution)]
    public async Task FixAll_InProjectOrSolution_FixesEveryDocument(FixAllScope scope)
    {
        var first = Usings + """
            public static class A
            {
                [Differentiable]
                public static double F(Vector<double> x) => Dot(x, x);
            }
            """;
        var second = Usings + """
            public class B
            {
                public static class C
                {
                    [Differentiable]
                    public static double G(Vector<double> x) => Sum(x);
                }
            }
            """;
        var fixedProject = await FixAllAsync(Provider, scope, first, second);
        Assert.Equal(first.Replace("static class A", "static partial class A"), await TextAsync(fixedProject, 0));
        Assert.Equal(second.Replace("public class B", "public partial class B").Replace("static class C", "static partial class C"), await TextAsync(fixedProject, 1));
        Assert.Empty(await ProblemsAsync(fixedProject));
    }
}
