using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace AutoGradGen.GeneratorTests.Infrastructure;

/// <summary>
/// Settings shared by the Microsoft.CodeAnalysis.Testing harnesses (analyzer and code-fix tests): the
/// test process's own framework assemblies and AutoGradGen.Runtime as references (an empty
/// <see cref="ReferenceAssemblies"/>, so nothing is downloaded), the parse and compilation options of
/// <see cref="GeneratorHarness"/>.
/// </summary>
public static class RoslynTesting
{
    /// <summary>Resolves to no assembly and no package: the references are <see cref="GeneratorHarness.References"/>.</summary>
    public static readonly ReferenceAssemblies NoDownload = new("net10.0-local");

    public static void Configure(SolutionState state)
    {
        state.AdditionalReferences.AddRange(GeneratorHarness.References);
    }

    public static ParseOptions ParseOptions => GeneratorHarness.ParseOptions;

    public static CompilationOptions WithOurOptions(CompilationOptions options)
        => ((CSharpCompilationOptions)options)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1591"] = ReportDiagnostic.Suppress });
}
