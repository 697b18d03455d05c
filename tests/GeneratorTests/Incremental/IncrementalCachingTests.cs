using AutoGradGen.Generator;
using AutoGradGen.Generator.Model;
using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoGradGen.GeneratorTests.Incremental;

/// <summary>
/// The pipeline caches: after an edit that does not touch a [Differentiable] method, every output of
/// the tracked steps (Parse, Models) and every source output is Cached or Unchanged; an edit to the
/// method's body makes it Modified. The AGG diagnostics come from the analyzer, which IDEs run live, so
/// the generator has no diagnostics output (see the Diagnostics tests and the agreement fuzz test).
/// </summary>
public class IncrementalCachingTests
{
    private const string Models = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        namespace Seed;
        public static partial class Lecture
        {
            [Differentiable]
            public static double Bilinear(Vector<double> x, Matrix<double> A, Vector<double> y) => Dot(x, A * y);

            [Differentiable]
            public static Vector<double> Layer(Matrix<double> W, Vector<double> b, [NoGradient] Vector<double> x) => Sigmoid(W * x + b);

            [Differentiable]
            public static double Constant([NoGradient] Vector<double> x) => Sum(x);

            [Differentiable]
            public static double Broken(Matrix<double> A) => Sum(A) % 2.0;

            public static int Unrelated(int n) => n + 1;
        }
        """;

    private const string Other = """
        namespace Seed;
        public static class Helpers
        {
            public static int Twice(int n) => 2 * n;
        }
        """;

    private static readonly string[] TrackedSteps =
    {
        DifferentiableGenerator.Steps.Parse, DifferentiableGenerator.Steps.Models,
    };

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.CreateCompilation(Models, Other);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Equal(2, first.GeneratedSources.Length); // Bilinear and Layer
        return (driver, compilation);
    }

    private static SyntaxTree Tree(CSharpCompilation compilation, int index) => compilation.SyntaxTrees.ElementAt(index);

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path);

    public static TheoryData<string> UnrelatedEdits => new()
    {
        "add a new file",
        "change a method body in another file",
        "add a comment in another file",
        "change an unrelated method body in the same file",
        "add a comment at the end of the same file",
    };

    private static CSharpCompilation Edit(CSharpCompilation compilation, string edit) => edit switch
    {
        "add a new file" => compilation.AddSyntaxTrees(Parse("namespace Seed; public static class Extra { public static int Three => 3; }", "Extra.cs")),
        "change a method body in another file" => compilation.ReplaceSyntaxTree(Tree(compilation, 1), Parse(Other.Replace("2 * n", "3 * n"), "Source1.cs")),
        "add a comment in another file" => compilation.ReplaceSyntaxTree(Tree(compilation, 1), Parse("// a comment\n" + Other, "Source1.cs")),
        "change an unrelated method body in the same file" => compilation.ReplaceSyntaxTree(Tree(compilation, 0), Parse(Models.Replace("n + 1", "n + 2"), "Source0.cs")),
        "add a comment at the end of the same file" => compilation.ReplaceSyntaxTree(Tree(compilation, 0), Parse(Models + "\n// a comment\n", "Source0.cs")),
        _ => throw new ArgumentOutOfRangeException(nameof(edit)),
    };

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void UnrelatedEdit_LeavesEveryTrackedStepAndOutputCached(string edit)
    {
        var (driver, compilation) = FirstRun();
        driver = driver.RunGenerators(Edit(compilation, edit));
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        var stale = new List<string>();
        foreach (var name in TrackedSteps)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), "step " + name + " was not tracked");
            Assert.NotEmpty(steps);
            stale.AddRange(NotCached(name, steps));
        }
        Assert.NotEmpty(result.TrackedOutputSteps);
        foreach (var (name, steps) in result.TrackedOutputSteps)
        {
            stale.AddRange(NotCached("output " + name, steps));
        }
        Assert.True(stale.Count == 0, "after '" + edit + "', these outputs were recomputed:\n" + string.Join("\n", stale));
        Assert.Equal(2, result.GeneratedSources.Length);
    }

    [Fact]
    public void EditingTheDifferentiableMethodBody_ModifiesItsModelAndOutput()
    {
        var (driver, compilation) = FirstRun();
        var before = BilinearSource(driver.GetRunResult().Results.Single());
        var edited = compilation.ReplaceSyntaxTree(Tree(compilation, 0), Parse(Models.Replace("Dot(x, A * y)", "Dot(x, A * y) + Dot(x, x)"), "Source0.cs"));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);

        var models = result.TrackedSteps[DifferentiableGenerator.Steps.Models].SelectMany(s => s.Outputs).ToList();
        var modified = models.Where(o => o.Reason == IncrementalStepRunReason.Modified).Select(o => o.Value).ToList();
        var model = Assert.Single(modified);
        Assert.Contains("Bilinear", model.ToString());
        // The other model (Layer) is untouched.
        Assert.Contains(models, o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);

        // Among parse results with a model only Bilinear changed (diagnosed methods below it move, so
        // their located diagnostics are legitimately Modified).
        var parse = result.TrackedSteps[DifferentiableGenerator.Steps.Parse].SelectMany(s => s.Outputs)
            .Where(o => ((ParseResult)o.Value).Model is not null).ToList();
        Assert.Equal("Bilinear", ((ParseResult)Assert.Single(parse, o => o.Reason == IncrementalStepRunReason.Modified).Value).Model!.Name);

        var outputs = result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs).ToList();
        Assert.Contains(outputs, o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
        Assert.NotEqual(before, BilinearSource(result));
    }

    private static string BilinearSource(GeneratorRunResult result)
        => result.GeneratedSources.Single(s => s.HintName.Contains("Bilinear", StringComparison.Ordinal)).SourceText.ToString();

    [Fact]
    public void EditAboveTheMethods_MovesOnlyDiagnostics_ModelsAndSourcesStayCached()
    {
        var (driver, compilation) = FirstRun();
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(Tree(compilation, 0), Parse("// a comment\n" + Models, "Source0.cs")));
        var result = driver.GetRunResult().Results.Single();
        var stale = NotCached(DifferentiableGenerator.Steps.Models, result.TrackedSteps[DifferentiableGenerator.Steps.Models])
            .Concat(result.TrackedOutputSteps.SelectMany(p => NotCached(p.Key, p.Value.Where(IsSourceStep)))).ToList();
        Assert.True(stale.Count == 0, string.Join("\n", stale));
        Assert.Equal(2, result.GeneratedSources.Length);
        // The generator reports nothing; the analyzer's diagnostic moved one line down with the code.
        Assert.Empty(result.Diagnostics);
        var edited = compilation.ReplaceSyntaxTree(Tree(compilation, 0), Parse("// a comment\n" + Models, "Source0.cs"));
        var broken = Assert.Single(AnalyzerHarness.Analyze(edited), d => d.Id == "AGG0009");
        Assert.Equal(Models.Split('\n').ToList().FindIndex(l => l.Contains("Sum(A) % 2.0", StringComparison.Ordinal)) + 1,
            broken.Location.GetLineSpan().StartLinePosition.Line);
    }

    /// <summary>A source-output step fed by the Models step.</summary>
    private static bool IsSourceStep(IncrementalGeneratorRunStep step)
        => step.Inputs.Any(i => i.Source.Name == DifferentiableGenerator.Steps.Models);

    [Fact]
    public void FixingADiagnosedMethod_ModifiesItsParseResult_GeneratesIt_AndClearsTheAnalyzerDiagnostic()
    {
        var (driver, compilation) = FirstRun();
        Assert.Contains(AnalyzerHarness.Analyze(compilation), d => d.Id == "AGG0009");
        var edited = compilation.ReplaceSyntaxTree(Tree(compilation, 0), Parse(Models.Replace("Sum(A) % 2.0", "Trace(A)"), "Source0.cs"));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult().Results.Single();
        var parse = result.TrackedSteps[DifferentiableGenerator.Steps.Parse].SelectMany(s => s.Outputs).ToList();
        var fixedResult = (ParseResult)Assert.Single(parse, o => o.Reason == IncrementalStepRunReason.Modified).Value;
        Assert.Equal("Broken", fixedResult.Model?.Name);
        Assert.Empty(fixedResult.Diagnostics);
        Assert.Equal(3, result.GeneratedSources.Length);
        Assert.Empty(result.Diagnostics);
        Assert.DoesNotContain(AnalyzerHarness.Analyze(edited), d => d.Id == "AGG0009");
    }

    private static IEnumerable<string> NotCached(string name, IEnumerable<IncrementalGeneratorRunStep> steps)
        => steps.SelectMany(s => s.Outputs)
            .Where(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .Select(o => name + ": " + o.Reason + " " + Short(o.Value));

    private static string Short(object? value)
    {
        var text = value?.ToString() ?? "null";
        return text.Length > 200 ? text[..200] + "…" : text;
    }
}
