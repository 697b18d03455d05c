using AutoGradGen.Generator;
using AutoGradGen.Generator.Model;
using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoGradGen.GeneratorTests.Incremental;

/// <summary>
/// Caching with calls. A caller's model carries its callee's lowered body (CalleeInfo.Body, for the closed
/// form inlined across the call), so an edit to the callee's body now changes the caller's model and re-runs
/// the caller's source output too: that is correct, the caller's documented closed form contains the callee's.
/// An edit anywhere else (another [Differentiable] method, an ordinary method) leaves caller and callee cached.
/// </summary>
public class CalleeCachingTests
{
    private const string Models = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        namespace Seed;
        public static partial class Net
        {
            [Differentiable]
            public static Vector<double> Layer(Matrix<double> W, Vector<double> b, [NoGradient] Vector<double> x) => Sigmoid(W * x + b);

            [Differentiable]
            public static double Loss(Matrix<double> W, Vector<double> b, [NoGradient] Vector<double> x) => Sum(Layer(W, b, x));

            [Differentiable]
            public static double Bilinear(Vector<double> x, Matrix<double> A, Vector<double> y) => Dot(x, A * y);

            public static int Unrelated(int n) => n + 1;
        }
        """;

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.CreateCompilation(Models);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Equal(3, first.GeneratedSources.Length);
        return (driver, compilation);
    }

    private static GeneratorRunResult Rerun(GeneratorDriver driver, CSharpCompilation compilation, string from, string to)
    {
        Assert.Contains(from, Models, StringComparison.Ordinal);
        var tree = CSharpSyntaxTree.ParseText(Models.Replace(from, to, StringComparison.Ordinal), GeneratorHarness.ParseOptions, "Source0.cs");
        var result = driver.RunGenerators(compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(), tree)).GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return result;
    }

    /// <summary>The names of the methods whose model the Models step recomputed with a different value.</summary>
    private static List<string> ModifiedModels(GeneratorRunResult result)
        => result.TrackedSteps[DifferentiableGenerator.Steps.Models].SelectMany(s => s.Outputs)
            .Where(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .Select(o => ((MethodModel)o.Value).Name).OrderBy(n => n, StringComparer.Ordinal).ToList();

    [Fact]
    public void CallerCarriesTheCalleesBody()
    {
        var (driver, _) = FirstRun();
        var models = driver.GetRunResult().Results.Single().TrackedSteps[DifferentiableGenerator.Steps.Models]
            .SelectMany(s => s.Outputs).Select(o => (MethodModel)o.Value).ToList();
        var call = Assert.Single(models.Single(m => m.Name == "Loss").Nodes, n => n.Op == Op.Call);
        Assert.NotNull(call.Callee!.Body);
        Assert.Equal(models.Single(m => m.Name == "Layer").Nodes, call.Callee.Body!.Nodes);
    }

    [Theory]
    [InlineData("n + 1", "n + 2")]                        // an ordinary method
    [InlineData("Dot(x, A * y)", "Dot(x, A * y) + Dot(x, x)")] // another [Differentiable] method, not a callee
    public void EditOutsideTheCallee_LeavesCallerAndCalleeCached(string from, string to)
    {
        var (driver, compilation) = FirstRun();
        var modified = ModifiedModels(Rerun(driver, compilation, from, to));
        Assert.DoesNotContain("Loss", modified);
        Assert.DoesNotContain("Layer", modified);
    }

    [Fact]
    public void EditToTheCallee_ReRunsItsCaller_WhoseClosedFormChanges()
    {
        var (driver, compilation) = FirstRun();
        Assert.Contains("σ′(Wx + b)", LossSource(driver.GetRunResult().Results.Single()), StringComparison.Ordinal);
        var result = Rerun(driver, compilation, "Sigmoid(W * x + b)", "Tanh(W * x + b)");
        // Correct, not a cache miss to fix: Loss's model holds Layer's body, and its doc shows Layer's closed form.
        Assert.Equal(new[] { "Layer", "Loss" }, ModifiedModels(result));
        var loss = LossSource(result);
        Assert.DoesNotContain("σ′", loss, StringComparison.Ordinal);
        Assert.DoesNotContain("∇_", loss, StringComparison.Ordinal);
        Assert.Contains("ClosedForm(\"∇W = ", loss, StringComparison.Ordinal);
    }

    private static string LossSource(GeneratorRunResult result)
        => result.GeneratedSources.Single(s => s.HintName.Contains("Loss", StringComparison.Ordinal)).SourceText.ToString();
}
