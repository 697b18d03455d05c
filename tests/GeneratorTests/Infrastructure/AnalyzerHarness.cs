using System.Collections.Immutable;
using AutoGradGen.Generator.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoGradGen.GeneratorTests.Infrastructure;

/// <summary>
/// Runs <see cref="DifferentiableAnalyzer"/> on a compilation, as the compiler and the IDE do
/// (<see cref="CompilationWithAnalyzers"/>: #pragma and severity options apply), and returns its
/// AGG diagnostics in file and source order.
/// </summary>
public static class AnalyzerHarness
{
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation, AnalyzerOptions? options = null)
    {
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer()),
            new CompilationWithAnalyzersOptions(options ?? new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var failures = diagnostics.Where(d => d.Id == "AD0001").ToList();
        if (failures.Count > 0)
        {
            throw new InvalidOperationException("The analyzer threw: " + failures[0].GetMessage());
        }
        return diagnostics
            .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }
}
