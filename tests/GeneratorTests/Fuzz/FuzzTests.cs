using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;
using Xunit.Abstractions;

namespace AutoGradGen.GeneratorTests.Fuzz;

/// <summary>
/// The generator and the analyzer never throw: 10,000 generated and mutated method bodies (valid code,
/// every statement and expression kind, malformed syntax) are run through both. For each: no
/// generator exception (CS8784/CS8785) and no AGG diagnostic from the generator itself; a rejected
/// method carries an AGG error from the analyzer; an accepted method's generated code compiles without
/// errors or warnings; and the analyzer agrees with the generator (<see cref="AnalyzerAgreement"/>:
/// an error exactly when nothing was generated, with the IDs and spans of the generator's Parse step).
/// CI runs the fixed seed; a longer soak:
/// `AUTOGRADGEN_FUZZ=100000 dotnet test tests/GeneratorTests --filter FullyQualifiedName~Fuzz`.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Batch = 100;
    private const string Prelude = """
        using AutoGradGen;
        using static AutoGradGen.Ops;

        """;

    private static int Count => int.TryParse(Environment.GetEnvironmentVariable("AUTOGRADGEN_FUZZ"), out var n) ? n : 10_000;

    internal static int Seed => Environment.GetEnvironmentVariable("AUTOGRADGEN_FUZZ") is null ? 20261128 : Environment.TickCount;

    [Fact]
    public void GeneratorNeverThrowsAndEveryMethodIsGeneratedOrDiagnosed()
    {
        var seed = Seed;
        var fuzzer = new BodyFuzzer(seed);
        var batches = Enumerable.Range(0, (Count + Batch - 1) / Batch)
            .Select(b => (Start: b * Batch, Bodies: Enumerable.Range(0, Math.Min(Batch, Count - b * Batch)).Select(_ => fuzzer.Next()).ToList()))
            .ToList();
        int accepted = 0, rejected = 0, skipped = 0;
        var failures = new List<string>();
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, batch =>
        {
            var found = new List<string>();
            var (a, r, s) = CheckBatch(batch.Bodies, batch.Start, found);
            lock (failures)
            {
                accepted += a;
                rejected += r;
                skipped += s;
                failures.AddRange(found);
            }
        });
        output.WriteLine($"{Count} bodies (seed {seed}): {accepted} generated, {rejected} rejected with an AGG error from the analyzer, " +
                         $"{skipped} not analyzed (the compiler threw binding the file, or a syntax error kept the generator's attribute index from the file).");
        Assert.True(failures.Count == 0, failures.Count + " failures; the first five:\n" + string.Join("\n\n", failures.Take(5)));
        Assert.True(accepted > Count / 20, $"Only {accepted} of {Count} bodies were accepted: the fuzzer no longer exercises generation.");
        Assert.True(skipped <= Count / 1000, $"{skipped} files could not be analyzed");
    }

    internal static string Source(int index, string body) => Prelude + $$"""
        public static partial class M{{index}}
        {
            public static double Field = 1;
            public static double Property => 2;
            public static double Other(double q) => q;

            [Differentiable]
            public static double Helper(Matrix<double> H, Vector<double> v) => Sum(Tanh(H)) + Dot(v, v);

            // An overload in every batch: overloads must each get their own workspace type (issue 9, item 5).
            [Differentiable]
            public static double Helper(Vector<double> v) => Dot(v, v);

            [Differentiable]
            {{BodyFuzzer.Signature}}
            {
                {{body}}
            }
        }
        """;

    private static (int Accepted, int Rejected, int Skipped) CheckBatch(List<string> bodies, int start, List<string> failures)
    {
        var sources = bodies.Select((b, i) => Source(start + i, b)).ToArray();
        var compilation = GeneratorHarness.CreateCompilation(sources);
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult();
        if (result.Results.Any(r => r.Exception is not null) || generatorDiagnostics.Any(d => d.Id is "CS8784" or "CS8785"))
        {
            failures.Add($"batch {start}: the generator threw: {result.Results.First(r => r.Exception is not null).Exception}");
            return (0, 0, 0);
        }
        if (generatorDiagnostics.Any(d => d.Id.StartsWith("AGG", StringComparison.Ordinal)))
        {
            failures.Add($"batch {start}: the generator reported AGG diagnostics itself: {string.Join("; ", generatorDiagnostics)}");
        }
        var agreement = new AnalyzerAgreement(result.Results.Single(), output);
        var generatedTrees = result.GeneratedTrees.ToDictionary(t => Path.GetFileName(t.FilePath), t => t);
        int accepted = 0, rejected = 0, skipped = 0;
        for (int i = 0; i < bodies.Count; i++)
        {
            var className = "M" + (start + i);
            var tree = generatedTrees.FirstOrDefault(kv => kv.Key.StartsWith(className + ".F_", StringComparison.Ordinal)).Value;
            var userTree = output.SyntaxTrees.ElementAt(i);
            if (agreement.Analyze(userTree) is not { } analyzerDiagnostics)
            {
                skipped++;
                continue;
            }
            bool isTarget = IsDifferentiableMethod(output, userTree);
            if (!generatedTrees.Keys.Any(k => k.StartsWith(className + ".", StringComparison.Ordinal)) && !agreement.Parsed(userTree)
                && userTree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                // Roslyn's attribute index (ForAttributeWithMetadataName) yielded none of this file's [Differentiable] methods, not
                // even Helper (seen when a syntax error turns the rest of the body into a malformed member, `Sum Dot( (…`): the
                // generator never ran on it, so there is no Parse step to agree with. The analyzer must still flag F.
                if (isTarget && !AnalyzerAgreement.HasErrorInF(userTree, analyzerDiagnostics))
                {
                    failures.Add($"{className}: not indexed by the generator, and the analyzer reports no AGG error in F.\nbody: {bodies[i]}");
                }
                skipped++;
                continue;
            }
            agreement.Check(className, bodies[i], userTree, tree is not null, isTarget, analyzerDiagnostics, failures);
            if (tree is not null)
            {
                accepted++;
                var problems = ProblemsIn(output, tree);
                if (problems.Count > 0)
                {
                    failures.Add($"{className}: generated code has problems: {string.Join("; ", problems)}\nbody: {bodies[i]}\n{tree}");
                }
                continue;
            }
            rejected++;
            if (!AnalyzerAgreement.HasErrorInF(userTree, analyzerDiagnostics) && isTarget)
            {
                failures.Add($"{className}: F was neither generated nor diagnosed with an AGG error.\nbody: {bodies[i]}");
            }
        }
        return (accepted, rejected, skipped);
    }

    /// <summary>
    /// Warnings and errors in one generated file. Diagnostics are taken per tree: a whole-compilation
    /// GetDiagnostics() can hit compiler bugs on the fuzzer's malformed user code (Roslyn 4.14 throws
    /// "Unexpected value 'Unknown' of type AccessorKind" on some mutated accessors), which says nothing
    /// about the generator. A compiler exception on a generated file itself is reported as a problem.
    /// </summary>
    private static List<string> ProblemsIn(Compilation output, SyntaxTree tree)
    {
        try
        {
            return output.GetSemanticModel(tree).GetDiagnostics()
                .Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        }
        catch (InvalidOperationException e)
        {
            return new List<string> { "the compiler threw while binding the generated file: " + e.Message };
        }
    }

    internal static MethodDeclarationSyntax? FindF(SyntaxTree tree)
        => tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Identifier.Text == "F");

    /// <summary>Whether F still parses as a method carrying [Differentiable] (mutations can destroy it).</summary>
    private static bool IsDifferentiableMethod(Compilation compilation, SyntaxTree tree)
    {
        if (FindF(tree) is not { } f)
        {
            return false;
        }
        var symbol = compilation.GetSemanticModel(tree).GetDeclaredSymbol(f);
        return symbol is not null && symbol.GetAttributes().Any(a => a.AttributeClass?.Name == "DifferentiableAttribute");
    }
}
