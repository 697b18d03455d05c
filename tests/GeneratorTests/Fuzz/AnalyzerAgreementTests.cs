using System.Collections.Immutable;
using AutoGradGen.Generator;
using AutoGradGen.Generator.Analysis;
using AutoGradGen.Generator.Model;
using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace AutoGradGen.GeneratorTests.Fuzz;

/// <summary>
/// The analyzer and the generator agree on the fuzz corpus (the bodies of <see cref="FuzzTests"/>, same
/// seed): for every method F, the generator generates it iff the analyzer reports no AGG error in it;
/// and in every file the analyzer reports exactly the diagnostics (ID and span) that the generator's
/// Parse step computed (the generator's reported diagnostics before the analyzer took them over).
/// The analyzer runs per document on the compilation with the generated code, as an IDE runs it.
/// `AUTOGRADGEN_FUZZ_AGREEMENT=N` sets the count (default 3,000).
/// </summary>
public class AnalyzerAgreementTests(ITestOutputHelper output)
{
    private const int Batch = 100;

    private static int Count => int.TryParse(Environment.GetEnvironmentVariable("AUTOGRADGEN_FUZZ_AGREEMENT"), out var n) ? n : 3_000;

    [Fact]
    public void AnalyzerReportsAnErrorExactlyWhenTheGeneratorHasNoModel_WithTheParseStepsIdsAndSpans()
    {
        var seed = FuzzTests.Seed;
        var fuzzer = new BodyFuzzer(seed);
        var batches = Enumerable.Range(0, (Count + Batch - 1) / Batch)
            .Select(b => (Start: b * Batch, Bodies: Enumerable.Range(0, Math.Min(Batch, Count - b * Batch)).Select(_ => fuzzer.Next()).ToList()))
            .ToList();
        int generated = 0, diagnosed = 0, skipped = 0;
        var failures = new List<string>();
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, batch =>
        {
            var found = new List<string>();
            var (g, d, s) = CheckBatch(batch.Bodies, batch.Start, found);
            lock (failures)
            {
                generated += g;
                diagnosed += d;
                skipped += s;
                failures.AddRange(found);
            }
        });
        output.WriteLine($"{Count} bodies (seed {seed}): {generated} generated, {diagnosed} with an analyzer error, {skipped} skipped (the compiler threw binding the file).");
        Assert.True(failures.Count == 0, failures.Count + " disagreements; the first five:\n" + string.Join("\n\n", failures.Take(5)));
        Assert.True(generated > Count / 20 && diagnosed > Count / 5, $"only {generated} generated and {diagnosed} diagnosed: the corpus no longer exercises both sides");
        Assert.True(skipped < Count / 100, skipped + " files skipped");
    }

    private static (int Generated, int Diagnosed, int Skipped) CheckBatch(List<string> bodies, int start, List<string> failures)
    {
        var sources = bodies.Select((b, i) => FuzzTests.Source(start + i, b)).ToArray();
        var compilation = GeneratorHarness.CreateCompilation(sources);
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var outputCompilation, out var generatorDiagnostics);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null || generatorDiagnostics.Any(d => d.Id.StartsWith("AGG", StringComparison.Ordinal) || d.Id is "CS8784" or "CS8785"))
        {
            failures.Add($"batch {start}: the generator threw or reported diagnostics itself: {result.Exception} {string.Join("; ", generatorDiagnostics)}");
            return (0, 0, 0);
        }
        var parsed = result.TrackedSteps[DifferentiableGenerator.Steps.Parse].SelectMany(s => s.Outputs).Select(o => (ParseResult)o.Value).ToList();
        var expectedByPath = parsed.SelectMany(r => r.Diagnostics).ToLookup(d => d.Path ?? "", d => d.Id + " " + d.Span);
        var generatedFiles = result.GeneratedSources.Select(s => s.HintName).ToList();
        var analyzers = outputCompilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer()));
        int generated = 0, diagnosed = 0, skipped = 0;
        for (int i = 0; i < bodies.Count; i++)
        {
            var className = "M" + (start + i);
            var tree = outputCompilation.SyntaxTrees.ElementAt(i);
            ImmutableArray<Diagnostic> actual;
            try
            {
                actual = analyzers.GetAnalyzerSemanticDiagnosticsAsync(outputCompilation.GetSemanticModel(tree), null, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (InvalidOperationException)
            {
                skipped++; // a compiler bug on malformed code (see FuzzTests.ProblemsIn), not ours
                continue;
            }
            if (actual.FirstOrDefault(d => d.Id == "AD0001") is { } crash)
            {
                failures.Add($"{className}: the analyzer threw: {crash.GetMessage()}\nbody: {bodies[i]}");
                continue;
            }
            var actualSet = actual.Select(d => d.Id + " " + d.Location.SourceSpan).Order(StringComparer.Ordinal).ToList();
            var expectedSet = expectedByPath[tree.FilePath].Order(StringComparer.Ordinal).ToList();
            if (!actualSet.SequenceEqual(expectedSet))
            {
                failures.Add($"{className}: analyzer [{string.Join(", ", actualSet)}] but the generator's Parse step [{string.Join(", ", expectedSet)}]\nbody: {bodies[i]}");
            }
            bool isGenerated = generatedFiles.Any(h => h.StartsWith(className + ".F_", StringComparison.Ordinal));
            var f = FuzzTests.FindF(tree);
            bool hasError = actual.Any(d => d.Severity == DiagnosticSeverity.Error && f is not null && f.FullSpan.Contains(d.Location.SourceSpan));
            if (isGenerated == hasError && (isGenerated || IsTarget(outputCompilation, tree)))
            {
                failures.Add($"{className}: generated = {isGenerated} but analyzer error in F = {hasError}: {string.Join("; ", actual)}\nbody: {bodies[i]}");
            }
            generated += isGenerated ? 1 : 0;
            diagnosed += hasError ? 1 : 0;
        }
        return (generated, diagnosed, skipped);
    }

    /// <summary>Whether F still parses as a method carrying [Differentiable] (mutations can destroy it).</summary>
    private static bool IsTarget(Compilation compilation, SyntaxTree tree)
        => FuzzTests.FindF(tree) is { } f
           && compilation.GetSemanticModel(tree).GetDeclaredSymbol(f) is { } symbol
           && symbol.GetAttributes().Any(a => a.AttributeClass?.Name == "DifferentiableAttribute");
}
