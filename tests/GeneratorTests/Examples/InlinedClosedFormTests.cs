using System;
using System.IO;
using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Examples;

/// <summary>
/// Closed forms across calls: where a [Differentiable] method calls another one declared in the same
/// compilation, the caller's ∇ and ∂f lines carry the callee's own closed form with the call's arguments,
/// adjoint and differentials put in (no ∇_p⟨…⟩ or ∂g(…) left); a callee from another assembly keeps the
/// symbolic form. The expected lines were checked by hand against the chain rule (see each test).
/// </summary>
public class InlinedClosedFormTests
{
    /// <summary>A scalar callee g(u) = uᵀu (∇g = 2u) called as 3 g(Ax): ∇A = 3 · 2(Ax) xᵀ, ∂f = 6 (Ax)ᵀ ∂A x.</summary>
    private static readonly string ScalarCallee = GradientAssert.Source("""
            [Differentiable] public static double G(Vector<double> u) => Dot(u, u);
            [Differentiable] public static double F(Matrix<double> A, [NoGradient] Vector<double> x) => 3 * G(A * x);
        """);

    /// <summary>
    /// A scalar callee with a local and two parameters: g(u, v) = sᵀσ(s), s = u + v, so ∇_u g = ∇_v g = σ(s) + s ⊙ σ′(s);
    /// f = g(2a, b) + 𝟙ᵀa gives ∇a = 𝟙 + 2 ∇_u g and ∇b = ∇_v g at s = c + b.
    /// </summary>
    private static readonly string ScalarCalleeWithLocal = GradientAssert.Source("""
            [Differentiable] public static double G(Vector<double> u, Vector<double> v) { var s = u + v; return Dot(s, Sigmoid(s)); }
            [Differentiable] public static double F(Vector<double> a, Vector<double> b) { var c = a * 2; return G(c, b) + Sum(a); }
        """);

    /// <summary>
    /// A layer calling a layer (two levels of inlining): with H = σ(W1 X + b1𝟙ᵀ), Z = W2 H + b2𝟙ᵀ and f = sum(σ(Z)),
    /// ∇Z = 𝟙 ⊙ σ′(Z), ∇W2 = ∇Z Hᵀ, ∇b2 = ∇Z 𝟙, ∇H = W2ᵀ∇Z, ∇W1 = (∇H ⊙ σ′(W1 X + b1𝟙ᵀ)) Xᵀ.
    /// </summary>
    private static readonly string NestedLayers = GradientAssert.Source("""
            [Differentiable] public static Matrix<double> Dense(Matrix<double> W, Vector<double> b, Matrix<double> X) => Sigmoid(W * X + b);
            [Differentiable]
            public static Matrix<double> Block(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2, Matrix<double> X)
            {
                var H = Dense(W1, b1, X);
                return Dense(W2, b2, H);
            }
            [Differentiable]
            public static double F(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2, [NoGradient] Matrix<double> X)
                => Sum(Block(W1, b1, W2, b2, X));
        """);

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarCallee_GradientIsTheCalleesGradientTimesTheChain(string t)
    {
        var lines = GradientAssert.ClosedForms(ScalarCallee, t, "FWithGradient");
        Assert.Contains("∇A = 6Axxᵀ", lines);
        Assert.DoesNotContain(lines, l => l.Contains("∇_", StringComparison.Ordinal));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarCallee_TheDocumentedFormIsTheComputedGradient(string t)
    {
        // The code does not change with inlining; this pins that the documented 6(Ax)xᵀ is the gradient
        // the generated code computes (and central differences agree).
        var p = new Inputs(t, seed: 14).Matrix("A", 2, 3).Vector("x", 3);
        var ax = Mul(p.M("A"), p.V("x"));
        GradientAssert.Gradient(ScalarCallee, p, 3 * Dot(ax, ax), ("A", Scale(6, Outer(ax, p.V("x")))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarCalleeWithLocal_ExpandsTheCalleesLocalOverItsArguments(string t)
    {
        var lines = GradientAssert.ClosedForms(ScalarCalleeWithLocal, t, "FWithGradient");
        Assert.Contains("∇a = 𝟙 + 2(σ(c + b) + (c + b) ⊙ σ′(c + b))", lines);
        Assert.Contains("∇b = σ(c + b) + (c + b) ⊙ σ′(c + b)", lines);
        Assert.Contains("where c = 2a", lines);
    }

    [Fact]
    public void NestedLayers_InlineThroughBothCalls()
    {
        // The seed of Sum is 𝟙, and 𝟙 ⊙ σ′(…) prints as σ′(…).
        var lines = GradientAssert.ClosedForms(NestedLayers, "double", "FWithGradient");
        Assert.Contains("∇W1 = ((W2ᵀ (σ′(W2 σ(W1 X + b1𝟙ᵀ) + b2𝟙ᵀ))) ⊙ σ′(W1 X + b1𝟙ᵀ)) Xᵀ", lines);
        Assert.Contains("∇b1 = ((W2ᵀ (σ′(W2 σ(W1 X + b1𝟙ᵀ) + b2𝟙ᵀ))) ⊙ σ′(W1 X + b1𝟙ᵀ))𝟙", lines);
        Assert.Contains("∇W2 = (σ′(W2 σ(W1 X + b1𝟙ᵀ) + b2𝟙ᵀ)) σ(W1 X + b1𝟙ᵀ)ᵀ", lines);
        Assert.Contains("∇b2 = (σ′(W2 σ(W1 X + b1𝟙ᵀ) + b2𝟙ᵀ))𝟙", lines);
    }

    /// <summary>Five Dense layers: the inlined formulas of the first layers grow past the size cap and stay symbolic.</summary>
    private static readonly string DeepChain = GradientAssert.Source("""
            [Differentiable] public static Matrix<double> Dense(Matrix<double> W, Vector<double> b, Matrix<double> X) => Sigmoid(W * X + b);
            [Differentiable]
            public static double F(Matrix<double> W1, Matrix<double> W2, Matrix<double> W3, Matrix<double> W4, Matrix<double> W5, Vector<double> b,
                                   [NoGradient] Matrix<double> X)
            {
                var H1 = Dense(W1, b, X);
                var H2 = Dense(W2, b, H1);
                var H3 = Dense(W3, b, H2);
                var H4 = Dense(W4, b, H3);
                return Sum(Dense(W5, b, H4));
            }
        """);

    [Fact]
    public void DeepChain_KeepsTheSizeCap()
    {
        var lines = GradientAssert.ClosedForms(DeepChain, "double", "FWithGradient");
        Assert.Contains("∇W5 = (σ′(W5 H4 + b𝟙ᵀ)) H4ᵀ", lines);
        Assert.Contains(lines, l => l.StartsWith("∇W1 = ((W2ᵀ ((W3ᵀ ((W4ᵀ ((W5ᵀ (σ′(W5 H4 + b𝟙ᵀ)))", StringComparison.Ordinal));
        // ∇b sums five inlined pullbacks, past ClosedForm.MaxFormulaSize: it keeps the symbolic calls (as before
        // inlining), rather than collapsing to a bare "∇b = ∇b".
        Assert.Contains(lines, l => l.StartsWith("∇b = ∇_b⟨𝟙, Dense(W5, b, H4)⟩ + ∇_b⟨∇_X⟨𝟙, Dense(W5, b, H4)⟩, H4⟩ + ", StringComparison.Ordinal));
    }

    [Fact]
    public void Differentials_InlineTheCalleesDifferential()
    {
        Assert.Equal("∂f = 3((∂A x)ᵀ Ax + (Ax)ᵀ ∂A x)", DifferentialLine(ScalarCallee, "F"));
        Assert.Equal("∂f = ⟨(softmax(W2 H + b2𝟙ᵀ) diag(𝟙ᵀY) − Y)/N, ∂W2 H + W2 ((∂W1 X + ∂b1𝟙ᵀ) ⊙ σ′(W1 X + b1𝟙ᵀ)) + ∂b2𝟙ᵀ⟩", DifferentialLine(DeepExamplesTests.TwoLayerNetwork, "F"));
    }

    /// <summary>The "∂f = …" line of a method's FDifferential doc.</summary>
    private static string DifferentialLine(string source, string method)
    {
        var run = GeneratorHarness.Run(GradientAssert.For(source, "double"));
        var text = Assert.Single(run.Generated, g => g.Key.Contains("." + method + ".", StringComparison.Ordinal)
                                                       || g.Key.StartsWith(GradientAssert.TypeName + "." + method, StringComparison.Ordinal)).Value;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("/// ∂f = ", StringComparison.Ordinal))
            {
                return trimmed["/// ".Length..];
            }
        }
        throw new Xunit.Sdk.XunitException("no ∂f line in\n" + text);
    }

    private const string Library = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        namespace Lib;
        public static partial class Layers
        {
            [Differentiable]
            public static Matrix<double> Dense(Matrix<double> W, Vector<double> b, Matrix<double> X) => Sigmoid(W * X + b);

            [Differentiable]
            public static double Energy(Vector<double> u) => Dot(u, u);
        }
        """;

    private const string Consumer = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W, Vector<double> b, [NoGradient] Matrix<double> X) => Sum(Lib.Layers.Dense(W, b, X));

            [Differentiable]
            public static double G(Matrix<double> A, [NoGradient] Vector<double> x) => Lib.Layers.Energy(A * x);
        }
        """;

    /// <summary>
    /// A callee in another assembly has no source in this compilation (a metadata image), or its source is in
    /// another compilation (a project reference seen as a compilation reference): the caller keeps ∇_p⟨…⟩.
    /// </summary>
    [Theory, InlineData(true), InlineData(false)]
    public void CalleeInAnotherAssembly_KeepsTheSymbolicForm(bool asImage)
    {
        var library = GeneratorHarness.Run(Library);
        Assert.Empty(library.Problems);
        MetadataReference reference;
        if (asImage)
        {
            using var stream = new MemoryStream();
            Assert.True(library.Output.Emit(stream).Success);
            reference = MetadataReference.CreateFromImage(stream.ToArray());
        }
        else
        {
            reference = library.Output.ToMetadataReference();
        }
        var consumer = GeneratorHarness.CreateCompilation(Consumer).AddReferences(reference);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(consumer, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var lines = output.SyntaxTrees.Skip(1).SelectMany(tree => tree.ToString().Split('\n'))
            .Select(l => l.Trim()).Where(l => l.StartsWith("[global::AutoGradGen.ClosedForm(", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.StartsWith("[global::AutoGradGen.ClosedForm(\"∇W = ∇_W⟨𝟙, Dense(W, b, X)⟩", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("[global::AutoGradGen.ClosedForm(\"∇A = ∇_u Energy(Ax)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("σ′", StringComparison.Ordinal));
    }
}
