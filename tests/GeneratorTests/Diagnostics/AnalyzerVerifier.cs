using AutoGradGen.Generator.Analysis;
using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace AutoGradGen.GeneratorTests.Diagnostics;

/// <summary>
/// <see cref="DifferentiableAnalyzer"/> in the Microsoft.CodeAnalysis.Testing harness: sources carry
/// <c>{|AGG0001:…|}</c> markup at each expected diagnostic; no generator runs. The harness also checks
/// that a <c>#pragma warning disable</c> of each reported ID suppresses it, and that nothing is
/// reported when the file is marked as generated code.
/// </summary>
public sealed class AnalyzerVerifier : CSharpAnalyzerTest<DifferentiableAnalyzer, DefaultVerifier>
{
    public AnalyzerVerifier()
    {
        ReferenceAssemblies = RoslynTesting.NoDownload;
        RoslynTesting.Configure(TestState);
    }

    protected override ParseOptions CreateParseOptions() => RoslynTesting.ParseOptions;

    protected override CompilationOptions CreateCompilationOptions() => RoslynTesting.WithOurOptions(base.CreateCompilationOptions());

    /// <summary>Verifies <paramref name="markup"/>: exactly the marked AGG diagnostics, and no compiler error except marked ones.</summary>
    public static Task VerifyAsync(string markup, CompilerDiagnostics compilerDiagnostics = CompilerDiagnostics.Errors)
        => new AnalyzerVerifier { TestCode = markup, CompilerDiagnostics = compilerDiagnostics }.RunAsync();
}
