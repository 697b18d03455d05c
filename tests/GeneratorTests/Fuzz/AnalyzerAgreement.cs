using System.Collections.Immutable;
using AutoGradGen.Generator;
using AutoGradGen.Generator.Analysis;
using AutoGradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoGradGen.GeneratorTests.Fuzz;

/// <summary>
/// For one fuzz batch: the analyzer's diagnostics per file, run per document on the compilation with
/// the generated code (as an IDE and a build run it), and the check that they agree with the generator:
/// exactly the IDs and spans that the generator's Parse step computed for that file (the diagnostics
/// the generator used to report), and an AGG error in F exactly when F was not generated.
/// </summary>
internal sealed class AnalyzerAgreement
{
    private readonly Compilation _output;
    private readonly CompilationWithAnalyzers _analyzers;
    private readonly ILookup<string, string> _parseStepDiagnostics;

    public AnalyzerAgreement(GeneratorRunResult result, Compilation output)
    {
        _output = output;
        _analyzers = output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer()));
        _parseStepDiagnostics = result.TrackedSteps[DifferentiableGenerator.Steps.Parse]
            .SelectMany(s => s.Outputs).SelectMany(o => ((ParseResult)o.Value).Diagnostics)
            .ToLookup(d => d.Path ?? "", d => d.Id + " " + d.Span);
    }

    /// <summary>Whether the generator's Parse step reported anything for <paramref name="tree"/>.</summary>
    public bool Parsed(SyntaxTree tree) => _parseStepDiagnostics.Contains(tree.FilePath);

    /// <summary>The analyzer's diagnostics in <paramref name="tree"/>, or null when the compiler threw binding it (see FuzzTests.ProblemsIn).</summary>
    public ImmutableArray<Diagnostic>? Analyze(SyntaxTree tree)
    {
        try
        {
            return _analyzers.GetAnalyzerSemanticDiagnosticsAsync(_output.GetSemanticModel(tree), null, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Adds a failure when the analyzer and the generator disagree on the file of class <paramref name="className"/>.</summary>
    public void Check(string className, string body, SyntaxTree tree, bool generated, bool isTarget, ImmutableArray<Diagnostic> actual, List<string> failures)
    {
        if (actual.FirstOrDefault(d => d.Id == "AD0001") is { } crash)
        {
            failures.Add($"{className}: the analyzer threw: {crash.GetMessage()}\nbody: {body}");
            return;
        }
        var reported = actual.Select(d => d.Id + " " + d.Location.SourceSpan).Order(StringComparer.Ordinal).ToList();
        var computed = _parseStepDiagnostics[tree.FilePath].Order(StringComparer.Ordinal).ToList();
        if (!reported.SequenceEqual(computed))
        {
            failures.Add($"{className}: the analyzer reports [{string.Join(", ", reported)}], the generator's Parse step computed [{string.Join(", ", computed)}]\nbody: {body}");
        }
        bool error = HasErrorInF(tree, actual);
        if (generated == error && (generated || isTarget))
        {
            failures.Add($"{className}: generated = {generated} but analyzer error in F = {error}: {string.Join("; ", actual)}\nbody: {body}");
        }
    }

    public static bool HasErrorInF(SyntaxTree tree, ImmutableArray<Diagnostic> diagnostics)
        => FuzzTests.FindF(tree) is { } f && diagnostics.Any(d => d.Id.StartsWith("AGG", StringComparison.Ordinal)
            && d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree == tree && f.FullSpan.Contains(d.Location.SourceSpan));
}
